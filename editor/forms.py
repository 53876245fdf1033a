"""Property forms generated from the node registry's parameter declarations, and the form of
the scenario's own settings. Every edit goes to the document as an undoable command."""

from __future__ import annotations

import html
import zoneinfo
from collections.abc import Callable
from typing import Any

from NodeGraphQt import BaseNode
from PySide6.QtCore import QDate, QLocale, QRegularExpression, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QFont, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from connectors.templates import TemplateError, compile_template
from editor.conditions_editor import ConditionContext, ConditionList, compact
from editor.document import Document
from editor.graph import params_of
from editor.i18n import choice_label, param_text, translate, type_description, type_title
from editor.messages import shown
from engine.nodes import REGISTRY
from engine.params import KINDS as PARAM_KINDS
from engine.params import Param
from engine.template_words import template_error

COMMIT_DELAY_MS = 600  # typing pauses this long before a template edit becomes one undo step



class TemplateEdit(QWidget):
    """A Jinja2 template editor that shows syntax errors as you type."""

    edited = Signal()

    def __init__(self, text: str, multiline: bool) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if multiline:
            self.editor: QPlainTextEdit | QLineEdit = QPlainTextEdit(text)
            self.editor.setFont(QFont("monospace"))
            self.editor.setMinimumHeight(110)
            self.editor.textChanged.connect(self._typed)
        else:
            self.editor = QLineEdit(text)
            self.editor.textEdited.connect(self._typed)
        layout.addWidget(self.editor)
        self.error = QLabel()
        self.error.setObjectName("templateError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        self.timer = QTimer(self, singleShot=True, interval=COMMIT_DELAY_MS)
        self.timer.timeout.connect(self.edited)
        self._check()

    def text(self) -> str:
        """The template source."""
        return self.editor.toPlainText() if isinstance(self.editor, QPlainTextEdit) else self.editor.text()

    def _typed(self) -> None:
        self._check()
        self.timer.start()

    def _check(self) -> None:
        try:
            compile_template(self.text())
        except TemplateError as exc:
            self.error.setText("⚠ " + shown(template_error(exc)))
            self.error.show()
        else:
            self.error.hide()

    def flush(self) -> None:
        """Commit a pending edit now (before a save, say)."""
        if self.timer.isActive():
            self.timer.stop()
            self.edited.emit()


class BranchesEdit(QWidget):
    """A split's branches: port name and weight per row."""

    edited = Signal()

    def __init__(self, branches: list) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([translate("Forms", "Branch"), translate("Forms", "Weight")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(110)
        for b in branches if isinstance(branches, list) else []:
            self._add_row(str(b.get("port", "")), b.get("weight", 0))
        self.table.itemChanged.connect(lambda _item: self.edited.emit())
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        add = QPushButton(translate("Forms", "+ Branch"))
        add.clicked.connect(self._add)
        remove = QPushButton(translate("Forms", "Remove branch"))
        remove.clicked.connect(self._remove)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        layout.addLayout(buttons)

    def _add_row(self, port: str, weight: Any) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(port))
        self.table.setItem(row, 1, QTableWidgetItem(str(weight)))

    def _add(self) -> None:
        taken = {self.table.item(r, 0).text() for r in range(self.table.rowCount())}
        port = next(c for c in "abcdefghijklmnopqrstuvwxyz" if c not in taken)
        self.table.blockSignals(True)
        self._add_row(port, 10)
        self.table.blockSignals(False)
        self.edited.emit()

    def _remove(self) -> None:
        row = self.table.currentRow() if self.table.currentRow() >= 0 else self.table.rowCount() - 1
        if row >= 0:
            self.table.removeRow(row)
            self.edited.emit()

    def value(self) -> list[dict]:
        """The branches as the file stores them."""
        out = []
        for r in range(self.table.rowCount()):
            text = self.table.item(r, 1).text().strip()
            out.append({"port": self.table.item(r, 0).text().strip(),
                        "weight": int(text) if text.lstrip("-").isdigit() else text})
        return out


class CasesEdit(QWidget):
    """A split by condition's branches: per branch its port name, all/any and conditions; the
    last port, 'other', takes whoever no branch took."""

    edited = Signal()

    def __init__(self, branches: list, context: ConditionContext) -> None:
        super().__init__()
        self.context = context
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes_layout = QVBoxLayout()
        layout.addLayout(self.boxes_layout)
        self.boxes: list[tuple[QGroupBox, QLineEdit, QComboBox, ConditionList]] = []
        for branch in branches if isinstance(branches, list) else []:
            if isinstance(branch, dict):
                self._add_box(str(branch.get("port", "")), branch.get("match", "all"), branch.get("conditions", []))
        add = QPushButton(translate("Forms", "+ Branch"))
        add.setObjectName("add_case")
        add.clicked.connect(self._add)
        other = QLabel(translate("Forms", "Customers no branch takes go on by 'other'."))
        other.setObjectName("formHelp")
        other.setWordWrap(True)
        layout.addWidget(add)
        layout.addWidget(other)

    def _add_box(self, port: str, match: str, conditions: list) -> None:
        box = QGroupBox()
        inner = QVBoxLayout(box)
        head = QHBoxLayout()
        name = QLineEdit(port)
        name.setObjectName("case_port")
        name.setToolTip(translate("Forms", "The branch's port name on the canvas"))
        name.editingFinished.connect(self.edited.emit)
        how = QComboBox()
        for value in ("all", "any"):
            how.addItem(choice_label(value), value)
        how.setCurrentIndex(max(how.findData(match), 0))
        how.currentIndexChanged.connect(self.edited.emit)
        how.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        remove = QPushButton(translate("Forms", "Remove branch"))
        remove.clicked.connect(lambda: self._remove(box))
        head.addWidget(QLabel(translate("Forms", "Branch")))
        head.addWidget(name, 1)
        head.addWidget(how)
        head.addWidget(remove)
        inner.addLayout(head)
        conds = ConditionList(conditions, self.context)
        conds.changed.connect(self.edited.emit)
        inner.addWidget(conds)
        self.boxes_layout.addWidget(box)
        self.boxes.append((box, name, how, conds))

    def _add(self) -> None:
        taken = {name.text() for _, name, _, _ in self.boxes}
        port = next(f"branch{i}" for i in range(1, 100) if f"branch{i}" not in taken)
        self._add_box(port, "all", [])
        self.edited.emit()

    def _remove(self, box: QGroupBox) -> None:
        self.boxes = [b for b in self.boxes if b[0] is not box]
        box.setParent(None)
        box.deleteLater()
        self.edited.emit()

    def value(self) -> list[dict]:
        """The branches as the file stores them."""
        return [{"port": name.text().strip(), "match": how.currentData(), "conditions": conds.value()}
                for _, name, how, conds in self.boxes]


class NodeForm(QWidget):
    """The form of one node: its title and every declared parameter."""

    def __init__(self, doc: Document, node: BaseNode, context: ConditionContext,
                 sample: Callable[[dict, int], tuple[str, str]] | None = None,
                 customers: Callable[[], list[tuple[int, str]]] | None = None) -> None:
        super().__init__()
        self.doc, self.node, self.context = doc, node, context
        self.decl = REGISTRY[node.scenarist_type]
        params = params_of(node)
        self.shown = params
        self.getters: dict[str, Callable[[], Any]] = {}
        self.templates: list[TemplateEdit] = []
        self.conditional: list[tuple[QWidget, str, tuple[str, ...]]] = []  # shown while another param fits
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        heading = QLabel(f"<b>{html.escape(type_title(self.decl.name))}</b> · "
                         f"<code>{html.escape(node.get_property('node_id'))}</code>")
        heading.setObjectName("formHeading")
        form.addRow(heading)
        about = QLabel(type_description(self.decl.name))
        about.setWordWrap(True)
        about.setObjectName("formHelp")
        form.addRow(about)
        self.title = QLineEdit(node.name())
        self.title.setObjectName("param_title")
        self.title.editingFinished.connect(lambda: doc.set_title(node, self.title.text()))
        form.addRow(translate("Forms", "Title"), self.title)
        done: set[str] = set()
        for param in self.decl.params:
            if param.name in done:
                continue
            group = param.extra.get("one_of")
            if group:
                members = [p for p in self.decl.params if p.extra.get("one_of") == group]
                done |= {p.name for p in members}
                form.addRow(translate("Forms", "Duration"), self._duration(members, params))
                continue
            widget = self._editor(param, params)
            widget.setObjectName(f"param_{param.name}")
            label = param_text(self.decl.name, param.name, "label")
            wide = param.kind in ("conditions", "branches", "cases", "text") or (
                param.kind == "template" and param.name != "subject")
            if wide:
                form.addRow(QLabel(label))  # wide editors get the whole width of the pane
                form.addRow(widget)
                widget.setToolTip(param_text(self.decl.name, param.name, "help"))
            else:
                widget.setToolTip(param_text(self.decl.name, param.name, "help"))
                form.addRow(label, widget)
            if "when" in param.extra:
                self.conditional.append((widget, *param.extra["when"]))
        self.form = form
        self._show_conditional()
        if self.decl.sends and sample is not None and customers is not None:
            form.addRow(self._preview_box(sample, customers))
        for box in self.findChildren(QComboBox):
            compact(box)

    # -- editors by the parameter kind's widget family ------------------------------------------------
    def _editor(self, p: Param, params: dict) -> QWidget:
        build = {"spin": self._number, "decimal": self._number, "combo": self._choice, "template": self._template,
                 "text": self._text, "conditions": self._conditions, "cases": self._cases,
                 "branches": self._branches}.get(PARAM_KINDS[p.kind].widget, self._line)
        return build(p, params.get(p.name, p.default))

    def _number(self, p: Param, value: Any) -> QWidget:
        box = QSpinBox() if p.kind == "int" else QDoubleSpinBox()
        low = p.minimum if p.minimum is not None else -1e9
        optional = p.kind == "int" and not p.required and p.default is None
        if optional:  # one step below the minimum reads "not set", and leaves the key out
            low -= 1
            unset = param_text(self.decl.name, p.name, "unset")
            box.setSpecialValueText(unset or translate("Forms", "not set"))
        box.setRange(low, p.maximum if p.maximum is not None else 1e9)
        if p.kind == "number":
            box.setDecimals(2)
        box.setValue(low if value is None and optional else (value or 0))
        box.valueChanged.connect(self.commit)

        def get() -> Any:
            if optional and box.value() == box.minimum():
                return ""
            return box.value() if p.kind == "int" else _num(box.value())

        self.getters[p.name] = get
        return box

    def _choice(self, p: Param, value: Any) -> QWidget:
        box = QComboBox()
        for choice in p.choices:
            box.addItem(choice_label(choice, self.decl.name), choice)
        box.setCurrentIndex(max(box.findData(value), 0))
        box.currentIndexChanged.connect(self.commit)
        self.getters[p.name] = box.currentData
        return box

    def _template(self, p: Param, value: Any) -> QWidget:
        edit = TemplateEdit(value or "", multiline=p.name != "subject")
        edit.edited.connect(self.commit)
        self.templates.append(edit)
        self.getters[p.name] = edit.text
        return edit

    def _text(self, p: Param, value: Any) -> QWidget:
        text = QPlainTextEdit(value or "")
        text.textChanged.connect(self.commit)
        self.getters[p.name] = text.toPlainText
        return text

    def _conditions(self, p: Param, value: Any) -> QWidget:
        conditions = ConditionList(value or [], self.context)
        conditions.changed.connect(self.commit)
        self.getters[p.name] = conditions.value
        return conditions

    def _cases(self, p: Param, value: Any) -> QWidget:
        cases = CasesEdit(value or [], self.context)
        cases.edited.connect(self.commit)
        self.getters[p.name] = cases.value
        return cases

    def _branches(self, p: Param, value: Any) -> QWidget:
        branches = BranchesEdit(value or [])
        branches.edited.connect(self.commit)
        self.getters[p.name] = branches.value
        return branches

    def _line(self, p: Param, value: Any) -> QWidget:
        line = QLineEdit("" if value is None else str(value))
        if p.kind == "time":
            line.setPlaceholderText(translate("Forms", "HH:MM"))
            line.setValidator(QRegularExpressionValidator(QRegularExpression(r"^$|^\d{0,2}:?\d{0,2}$")))
        line.editingFinished.connect(self.commit)
        self.getters[p.name] = lambda: line.text().strip()
        return line

    def _duration(self, members: list[Param], params: dict) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        amount = QSpinBox()
        amount.setObjectName("param_duration_amount")
        unit = QComboBox()
        unit.setObjectName("param_duration_unit")
        for p in members:
            unit.addItem(param_text(self.decl.name, p.name, "label").lower(), p.name)
            unit.setItemData(unit.count() - 1, param_text(self.decl.name, p.name, "help"), Qt.ItemDataRole.ToolTipRole)
        current = next((p for p in members if p.name in params), members[0])
        unit.setCurrentIndex(unit.findData(current.name))
        amount.setRange(int(current.minimum or 1), int(current.maximum or 100000))
        amount.setValue(int(params.get(current.name, current.default or 1)))

        def unit_changed() -> None:
            p = next(m for m in members if m.name == unit.currentData())
            amount.setRange(int(p.minimum or 1), int(p.maximum or 100000))
            self.commit()

        amount.valueChanged.connect(self.commit)
        unit.currentIndexChanged.connect(unit_changed)
        row.addWidget(amount, 1)
        row.addWidget(unit, 1)
        names = [p.name for p in members]
        self.getters["__duration__"] = lambda: (names, unit.currentData(), amount.value())
        return box

    # -- preview of a message ---------------------------------------------------------------------
    def _preview_box(self, sample: Callable[[dict, int], tuple[str, str]],
                     customers: Callable[[], list[tuple[int, str]]]) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 8, 0, 0)
        top = QHBoxLayout()
        top.addWidget(QLabel(translate("Forms", "Preview for")))
        self.customer = QComboBox()
        self.customer.setObjectName("preview_customer")
        try:
            for cid, label in customers():
                self.customer.addItem(f"#{cid} {label}", cid)
        except Exception as exc:  # no CRM, or it went away: the preview says so
            self.customer.addItem(translate("Forms", "no CRM: {error}").format(error=exc), None)
        top.addWidget(self.customer, 1)
        layout.addLayout(top)
        self.rendered = QTextBrowser()
        self.rendered.setObjectName("rendered")
        self.rendered.setMinimumHeight(140)
        layout.addWidget(self.rendered)
        self.sample = sample
        self.customer.currentIndexChanged.connect(self.refresh_preview)
        self.refresh_preview()
        return box

    def refresh_preview(self) -> None:
        """Render the message for the picked customer; errors show in place of the text."""
        if not hasattr(self, "rendered"):
            return
        cid = self.customer.currentData()
        if cid is None:
            self.rendered.setPlainText(translate("Forms", "Connect a CRM to see the message for a customer."))
            return
        try:
            subject, body = self.sample(self.value(), cid)
        except (TemplateError, LookupError) as exc:
            why = shown(template_error(exc)) if isinstance(exc, TemplateError) else str(exc)
            self.rendered.setHtml(f"<p style='color:#ff7b72'>⚠ {html.escape(why)}</p>")
            return
        self.rendered.setHtml(f"<p><b>{html.escape(subject)}</b></p><hr><pre style='white-space:pre-wrap'>"
                              f"{html.escape(body)}</pre>")

    # -- value and commit ---------------------------------------------------------------------
    def _value_all(self) -> dict:
        """The parameters as the form holds them, hidden ones included."""
        params = dict(self.shown)
        for name, get in self.getters.items():
            if name == "__duration__":
                names, chosen, amount = get()
                for n in names:
                    params.pop(n, None)
                params[chosen] = amount
                continue
            value = get()
            param = next(p for p in self.decl.params if p.name == name)
            if value == "" and not param.required:
                params.pop(name, None)
            else:
                params[name] = value
        return params

    def _show_conditional(self) -> None:
        """Show the parameters that belong to the current choice (a trigger's event or date)."""
        for widget, other, values in self.conditional:
            get = self.getters.get(other)
            self.form.setRowVisible(widget, get is not None and get() in values)

    def value(self) -> dict:
        """The parameters as the form shows them, in the file's form (hidden ones left out)."""
        params = self._value_all()
        for widget, other, values in self.conditional:
            if params.get(other) not in values:
                params.pop(widget.objectName().removeprefix("param_"), None)
        return params

    def commit(self) -> None:
        """Hand the form's parameters to the document (one undo step)."""
        self._show_conditional()
        params = self.value()
        self.shown = params
        self.doc.set_params(self.node, params)
        self.refresh_preview()

    def flush(self) -> None:
        """Commit any edit still waiting for a typing pause."""
        for t in self.templates:
            t.flush()


class SettingsForm(QWidget):
    """The scenario's own fields: name, description, timezone, re-entry, active dates and the
    sending window."""

    def __init__(self, doc: Document) -> None:
        super().__init__()
        self.doc = doc
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        heading = QLabel("<b>" + translate("Forms", "Scenario") + "</b>")
        heading.setObjectName("formHeading")
        form.addRow(heading)
        self.name = QLineEdit(doc.meta.name)
        self.name.setObjectName("setting_name")
        self.name.editingFinished.connect(lambda: doc.set_meta("name", self.name.text().strip() or doc.meta.name))
        form.addRow(translate("Forms", "Name"), self.name)
        self.description = QPlainTextEdit(doc.meta.description)
        self.description.setObjectName("setting_description")
        self.description.setMaximumHeight(90)
        self._desc_timer = QTimer(self, singleShot=True, interval=COMMIT_DELAY_MS)
        self._desc_timer.timeout.connect(lambda: doc.set_meta("description", self.description.toPlainText()))
        self.description.textChanged.connect(self._desc_timer.start)
        form.addRow(translate("Forms", "Description"), self.description)
        self.timezone = QComboBox()
        self.timezone.setObjectName("setting_timezone")
        self.timezone.setEditable(True)
        self.timezone.addItems(sorted(zoneinfo.available_timezones()))
        self.timezone.setCurrentText(doc.meta.settings.get("timezone", "Europe/Moscow"))
        self.timezone.lineEdit().editingFinished.connect(self._timezone)
        self.timezone.activated.connect(self._timezone)
        form.addRow(translate("Forms", "Timezone"), self.timezone)
        reentry = doc.meta.settings.get("reentry_days")
        self.reenter = QCheckBox(translate("Forms", "may enter again after"))
        self.reenter.setObjectName("setting_reenter")
        self.reenter.setChecked(reentry is not None)
        self.reentry = QSpinBox()
        self.reentry.setObjectName("setting_reentry_days")
        self.reentry.setRange(0, 3650)
        self.reentry.setSuffix(translate("Forms", " days"))
        self.reentry.setValue(reentry or 0)
        self.reentry.setEnabled(reentry is not None)
        row = QHBoxLayout()
        row.addWidget(self.reenter)
        row.addWidget(self.reentry, 1)
        self.reenter.toggled.connect(self._reentry)
        self.reentry.valueChanged.connect(self._reentry)
        form.addRow(translate("Forms", "Customers"), row)
        self.dates: dict[str, tuple[QCheckBox, QDateEdit]] = {}
        for key, label in (("active_from", translate("Forms", "Active from")),
                           ("active_until", translate("Forms", "Active until"))):
            value = doc.meta.settings.get(key)
            check, edit = QCheckBox(), QDateEdit()
            check.setObjectName(f"setting_{key}_on")
            edit.setObjectName(f"setting_{key}")
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.fromString(value, "yyyy-MM-dd") if value else QDate.currentDate())
            check.setChecked(value is not None)
            edit.setEnabled(value is not None)
            check.toggled.connect(lambda _on, k=key: self._date(k))
            edit.dateChanged.connect(lambda _d, k=key: self._date(k))
            line = QHBoxLayout()
            line.addWidget(check)
            line.addWidget(edit, 1)
            form.addRow(label, line)
            self.dates[key] = (check, edit)
        form.addRow(translate("Forms", "Sending window"), self._window_editor(doc.meta.settings.get("send_window")))
        for box in self.findChildren(QComboBox):
            compact(box)

    def _window_editor(self, window: dict | None) -> QWidget:
        """Weekdays and hours when messages may go out; a message due outside waits for them."""
        box = QWidget()
        rows = QVBoxLayout(box)
        rows.setContentsMargins(0, 0, 0, 0)
        self.window_on = QCheckBox(translate("Forms", "send only on these days and hours"))
        self.window_on.setObjectName("setting_send_window_on")
        self.window_on.setChecked(window is not None)
        window = window or {"weekdays": [1, 2, 3, 4, 5, 6, 7], "from": "09:00", "to": "21:00"}
        days = QHBoxLayout()
        self.weekdays: list[QCheckBox] = []
        for number in range(1, 8):
            day = QCheckBox(QLocale().dayName(number, QLocale.FormatType.ShortFormat))
            day.setObjectName(f"setting_weekday_{number}")
            day.setChecked(number in window.get("weekdays", []))
            day.toggled.connect(self._window)
            days.addWidget(day)
            self.weekdays.append(day)
        hours = QHBoxLayout()
        self.window_from, self.window_to = QTimeEdit(), QTimeEdit()
        for edit, key in ((self.window_from, "from"), (self.window_to, "to")):
            edit.setDisplayFormat("HH:mm")
            edit.setTime(QTime.fromString(window.get(key, "00:00"), "HH:mm"))
            edit.setObjectName(f"setting_send_window_{key}")
            edit.editingFinished.connect(self._window)
        hours.addWidget(QLabel(translate("Forms", "from")))
        hours.addWidget(self.window_from)
        hours.addWidget(QLabel(translate("Forms", "to")))
        hours.addWidget(self.window_to)
        hours.addStretch(1)
        rows.addWidget(self.window_on)
        rows.addLayout(days)
        rows.addLayout(hours)
        self.window_on.toggled.connect(self._window)
        self._window_enabled()
        return box

    def _window_enabled(self) -> None:
        for widget in (*self.weekdays, self.window_from, self.window_to):
            widget.setEnabled(self.window_on.isChecked())

    def _window(self, *_args: Any) -> None:
        self._window_enabled()
        days = [n for n, day in enumerate(self.weekdays, start=1) if day.isChecked()]
        value = None
        if self.window_on.isChecked() and days:  # no day at all would never send: treat as off
            value = {"weekdays": days, "from": self.window_from.time().toString("HH:mm"),
                     "to": self.window_to.time().toString("HH:mm")}
        self.doc.set_meta("send_window", value)

    def _timezone(self, *_args: Any) -> None:
        self.doc.set_meta("timezone", self.timezone.currentText().strip())

    def _reentry(self, *_args: Any) -> None:
        self.reentry.setEnabled(self.reenter.isChecked())
        self.doc.set_meta("reentry_days", self.reentry.value() if self.reenter.isChecked() else None)

    def _date(self, key: str) -> None:
        check, edit = self.dates[key]
        edit.setEnabled(check.isChecked())
        self.doc.set_meta(key, edit.date().toString("yyyy-MM-dd") if check.isChecked() else None)

    def flush(self) -> None:
        """Commit a description still waiting for a typing pause."""
        if self._desc_timer.isActive():
            self._desc_timer.stop()
            self.doc.set_meta("description", self.description.toPlainText())


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


