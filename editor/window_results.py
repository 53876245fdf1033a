"""The canvas badges' two faces: "today" (who would reach each step and who waits, the counts)
and "results" over a chosen period (messages sent, customers converted, revenue, and on a split
with a control each branch's uplift), switched in the toolbar."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QToolButton, QWidget

from app.results import PERIODS, NodeResults
from connectors.texts import money, number, percent
from editor.badges import decor_of
from editor.i18n import interface_language, translate
from editor.messages import shown

PERIOD_WORDS = {7: QT_TRANSLATE_NOOP("Results", "last 7 days"), 30: QT_TRANSLATE_NOOP("Results", "last 30 days"),
                90: QT_TRANSLATE_NOOP("Results", "last 90 days"), 365: QT_TRANSLATE_NOOP("Results", "last year"),
                None: QT_TRANSLATE_NOOP("Results", "all time")}


class ResultsBar(QWidget):
    """Today | Results, and the period of the results."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 0, 6, 0)
        self.today, self.results = QToolButton(), QToolButton()
        self.today.setObjectName("badgesToday")
        self.results.setObjectName("badgesResults")
        group = QButtonGroup(self)
        for button in (self.today, self.results):
            button.setCheckable(True)
            group.addButton(button)
            row.addWidget(button)
        self.today.setChecked(True)
        self.period = QComboBox()
        self.period.setObjectName("badgesPeriod")
        for days in PERIODS:
            self.period.addItem("", days)
        self.period.setCurrentIndex(1)  # the last 30 days
        self.period.setEnabled(False)
        row.addWidget(self.period)
        group.buttonToggled.connect(lambda _b, on: on and self._changed())
        self.period.currentIndexChanged.connect(lambda _i: self._changed())
        self.retranslate()

    def _changed(self) -> None:
        self.period.setEnabled(self.results.isChecked())
        self.changed.emit()

    def retranslate(self) -> None:
        """The bar's words in the current language."""
        self.today.setText(translate("Results", "Today"))
        self.today.setToolTip(translate("Results", "Badges: who would reach each step today, and who waits"))
        self.results.setText(translate("Results", "Results"))
        self.results.setToolTip(translate("Results", "Badges: messages sent, customers converted and revenue "
                                                     "over the period; uplift on splits with a control"))
        for i, days in enumerate(PERIODS):
            self.period.setItemText(i, translate("Results", PERIOD_WORDS[days]))

    def days(self) -> int | None:
        """The chosen period in days (None: all time)."""
        return self.period.currentData()


def _pp(share: float, lang: str) -> str:
    points = round(share * 100, 1)
    return ("+" if points > 0 else "") + number(points, lang)


def _versus(b: dict[str, Any], lang: str) -> str:
    """A group against its control, as a badge says it."""
    if b["control"]:
        return translate("Results", "control: {n}").format(n=number(b["customers"], lang))
    if b["verdict"] == "too_small":
        return translate("Results", "too small to tell")
    return translate("Results", "uplift {pp} pp").format(pp=_pp(b["uplift"], lang))


def result_texts(found: NodeResults, lang: str, currency: str) -> tuple[list[str], dict[str, str]]:
    """A node's results as badge texts, and its branches' (a split with a control) beside their ports;
    the start of a scenario with a control share says the scenario's uplift in its badges."""
    texts = [] if found.reached is None else [translate("Results", "{n} reached").format(n=number(found.reached, lang))]
    if found.entry:
        texts = [translate("Results", "{n} entered").format(n=number(found.reached or 0, lang))]
    if found.sent is not None:
        texts = [translate("Results", "{n} sent").format(n=number(found.sent, lang)),
                 translate("Results", "{n} converted").format(n=number(found.converted or 0, lang)),
                 money(found.revenue or 0, lang, currency)]
    if set(found.branches) == {"scenario", "control"}:  # the start: the scenario against its held-out share
        return [*texts, _versus(found.branches["control"], lang), _versus(found.branches["scenario"], lang)], {}
    return texts, {port: _versus(b, lang) for port, b in found.branches.items()}


def result_tooltip(found: NodeResults, lang: str, currency: str) -> str:
    """Each group's figures, for the tooltip of a node with a control: customers, converted, the
    conversion rate, revenue per customer and the uplift with its interval."""
    rows = []
    for port, b in found.branches.items():
        line = translate("Results", "{group}: {customers} customers, {converted} converted ({rate}), {rpc} per "
                                    "customer").format(
            group=port, customers=number(b["customers"], lang), converted=number(b["converted"], lang),
            rate=percent(b["conversion_rate"], lang), rpc=money(b["revenue_per_customer"], lang, currency))
        if b["uplift"] is not None:
            line += "; " + translate("Results", "uplift {pp} pp (95%: {low} to {high})").format(
                pp=_pp(b["uplift"], lang), low=_pp(b["low"], lang), high=_pp(b["high"], lang))
        elif b["verdict"] == "too_small":
            line += "; " + translate("Results", "too few customers to tell yet")
        rows.append(html.escape(line))
    return "<br>".join(rows)


class ResultsCommands:
    """Mixed into the main window: the toolbar's badge switch and the results it shows."""

    def _build_results_bar(self) -> None:
        self.results_bar = ResultsBar()
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.results_bar)
        self.results_bar.changed.connect(self.show_badges)

    def show_badges(self) -> None:
        """Draw the badges the switch asks for: today's counts, or the results over the period."""
        nodes = self.doc.graph.all_nodes()
        if not self.results_bar.results.isChecked():
            for node in nodes:
                decor_of(node.view).set_results(None)
            return
        try:
            found = self.session.results(self.scenario(), self.results_bar.days())
        except Exception as exc:  # no CRM: said in the status bar, the badges stay as they were
            self.statusBar().showMessage("⚠ " + shown(getattr(exc, "text", None) or str(exc)), 10000)
            return
        lang, currency = interface_language(), self.session.settings().currency
        if not any(r.reached for r in found.values() if r.entry):  # zeros would read as a failed campaign
            self.statusBar().showMessage(translate("MainWindow", "No customer entered this scenario in the period: "
                                                                 "results appear once it has run."), 15000)
        for node in nodes:
            result: Any = found.get(node.get_property("node_id"))
            if result is not None:
                decor_of(node.view).set_results(*result_texts(result, lang, currency),
                                                tooltip=result_tooltip(result, lang, currency))
