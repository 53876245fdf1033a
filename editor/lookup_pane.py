"""The Customer lookup pane: a search that suggests customers as one types, and the chosen
customer's story (enrolments, messages, bonuses, orders, how it ended) with today's explanation
of the entry path, condition by condition. What it shows comes from :mod:`app.lookup` through
the editing session; this module only lays it out."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QTextBrowser, QVBoxLayout, QWidget

from app.session import EditingSession
from editor.i18n import interface_language, translate
from editor.messages import shown
from engine.describe import Say
from engine.model import Scenario

SUGGEST_DELAY_MS = 150  # typing faster than this asks the CRM once


class LookupPane(QWidget):
    """Find a customer and show where they are in the scenarios, and why.

    Args:
        session: The editing session (its CRM answers the searches).
        scenario: The scenario as drawn now (the explanation is for it).
    """

    def __init__(self, session: Callable[[], EditingSession], scenario: Callable[[], Scenario]) -> None:
        super().__init__()
        self.session, self.scenario = session, scenario
        self.found: dict[str, Any] | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        self.search = QLineEdit()
        self.search.setObjectName("lookupSearch")
        self.search.setClearButtonEnabled(True)
        self.suggestions = QListWidget()
        self.suggestions.setObjectName("lookupSuggestions")
        self.suggestions.setMaximumHeight(150)
        self.suggestions.hide()
        self.note = QLabel()
        self.note.setObjectName("lookupNote")
        self.note.setWordWrap(True)
        self.result = QTextBrowser()
        self.result.setObjectName("lookupResult")
        for widget in (self.search, self.suggestions, self.note, self.result):
            column.addWidget(widget)
        self._timer = QTimer(self, singleShot=True, interval=SUGGEST_DELAY_MS)
        self._timer.timeout.connect(self._suggest)
        self.search.textEdited.connect(lambda _t: self._timer.start())
        self.search.installEventFilter(self)
        self.suggestions.itemActivated.connect(self._picked)
        self.suggestions.itemClicked.connect(self._picked)
        self.retranslate()

    def retranslate(self) -> None:
        """The pane's texts in the current language (the shown customer again, in it)."""
        self.search.setPlaceholderText(translate("Lookup", "Customer id, email, phone or name…"))
        if self.found is not None and self.found.get("query"):
            self.show_customer(self.found["query"])
        elif self.found is None:
            self.note.setText(translate("Lookup", "Type to find a customer: where they are in the scenarios, "
                                                  "what they got, and why they would or would not enter today."))

    # -- searching ----------------------------------------------------------------------------------
    def _suggest(self) -> None:
        text = self.search.text().strip()
        self.suggestions.clear()
        if not text:
            self.suggestions.hide()
            return
        try:
            found = self.session().suggest_customers(text)
        except Exception as exc:  # no CRM, a broken connection: said in the pane, not raised
            self.note.setText(_error_text(exc))
            self.suggestions.hide()
            return
        for customer_id, label in found:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, str(customer_id))
            self.suggestions.addItem(item)
        self.suggestions.setVisible(bool(found))
        if found:
            self.suggestions.setCurrentRow(0)
        else:
            self.note.setText(translate("Lookup", "No customer begins with “{text}”.").format(text=text))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up and Down move in the suggestions, Enter shows the current one (or looks the text up)."""
        if watched is self.search and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.suggestions.isVisible():
                row = self.suggestions.currentRow() + (1 if key == Qt.Key.Key_Down else -1)
                if 0 <= row < self.suggestions.count():
                    self.suggestions.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._timer.stop()
                item = self.suggestions.currentItem() if self.suggestions.isVisible() else None
                if item is not None:
                    self._picked(item)
                elif self.search.text().strip():
                    self.show_customer(self.search.text().strip())
                return True
        return super().eventFilter(watched, event)

    def _picked(self, item: QListWidgetItem) -> None:
        self.suggestions.hide()
        self.search.setText(item.text())
        self.show_customer(item.data(Qt.ItemDataRole.UserRole))

    # -- showing ------------------------------------------------------------------------------------
    def show_customer(self, query: str) -> None:
        """Look a customer up (an id, email or phone) and show their story."""
        try:
            found = self.session().lookup(self.scenario(), str(query), interface_language())
        except Exception as exc:
            self.found = {"query": None}
            self.note.setText(_error_text(exc))
            self.result.clear()
            return
        self.found = {"query": str(query), **found.to_json()}
        self.note.setText("")
        self.result.setHtml(lookup_html(self.found))


def _error_text(exc: Exception) -> str:
    text = getattr(exc, "text", None)
    return "⚠ " + (shown(text) if text is not None else str(exc))


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _when(value: Any) -> str:
    return _e(str(value or "").replace("T", " ")[:16])


def _fact(value: Any) -> str:
    """A customer's value as a person reads it: yes/no, a time without its 'T' and seconds."""
    if isinstance(value, bool):
        return _e(translate("Lookup", "yes") if value else translate("Lookup", "no"))
    if isinstance(value, str) and len(value) >= 16 and value[4] == "-" and value[10] == "T":
        return _when(value)
    return _e(value)


def lookup_html(found: dict[str, Any]) -> str:
    """The lookup as the pane's HTML: the customer, today's explanation, then each enrolment."""
    customer = found["customer"]
    say = Say(interface_language())  # "first name", not first_name; a shop's own column as it reads
    rows = "".join(f"<tr><td style='color:#8b949e'>{_e(say.field(k))}</td><td>{_fact(v)}</td></tr>"
                   for k, v in customer.items() if v not in (None, ""))
    today = translate("Lookup", "Today")
    out = [f"<table cellspacing='2'>{rows}</table>", f"<h3>{_e(today)}</h3>"]
    for step in found["explain"]:
        mark = "✔" if step["passed"] else "✘"
        out.append(f"<p><b>{mark} {_e(step['title'])}</b>: {_e(step['outcome'])}</p><ul>")
        for c in step["conditions"]:
            verdict = translate("Lookup", "holds") if c["passed"] else translate("Lookup", "does not hold")
            color = "#2e7d32" if c["passed"] else "#c62828"
            out.append(f"<li>{_e(c['condition'])}: <i>{_e(c['value'])}</i>: "
                       f"<span style='color:{color}'>{_e(verdict)}</span></li>")
        out.append("</ul>")
    if not found["enrolments"]:
        never = translate("Lookup", "Never was in a scenario.")
        out.append(f"<p>{_e(never)}</p>")
    for e in found["enrolments"]:
        out.append(f"<h3>{_e(e['scenario_name'])}</h3><p>"
                   + _e(translate("Lookup", "Entered {at}; {end}.").format(at=_when(e["entered_at"]).strip(),
                                                                             end=e["end"]["words"])) + "</p><ul>")
        out += [f"<li>{_when(p['at'])} · {_e(p['title'])}</li>" for p in e["path"]]
        out.append("</ul>")
        for m in e["messages"]:
            reason = f" ({_e(m['reason'])})" if m["reason"] else ""
            out.append(f"<p>✉ {_e(m['title'])} · {_e(m['channel'])}: <b>{_e(m['status_words'])}</b>{reason} "
                       f"· {_when(m['at'])}</p>")
        for b in e["bonuses"]:
            what = b["code"] or translate("Lookup", "{n} points").format(n=f"{b['points'] or 0:g}")
            out.append(f"<p>★ {_e(b['title'])}: <b>{_e(what)}</b> {_e(b['discount'] or '')} "
                       f"· {_when(b['issued_at'])}</p>")
        for c in e["conversions"]:
            out.append("<p>" + _e(translate("Lookup", "Order {order} of {total} on {at}, after {step}").format(
                order=c["order"], total=f"{c['total']:g}", at=_when(c["at"]), step=c["title"])) + "</p>")
    return "".join(out)
