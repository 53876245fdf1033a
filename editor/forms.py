"""Property forms generated from the node registry's parameter declarations, and the form of
the scenario's own settings. Every edit goes to the document as an undoable command."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from connectors.templates import TemplateError
from editor.conditions_editor import ConditionContext, ConditionList, compact
from editor.document import Document
from editor.form_widgets import BranchesEdit, CasesEdit, TemplateEdit
from editor.graph import params_of
from editor.i18n import choice_label, param_text, translate, type_description, type_title
from editor.messages import shown
from editor.nodegraph import BaseNode
from engine.nodes import REGISTRY
from engine.params import KINDS as PARAM_KINDS
from engine.params import Param
from engine.sms import sms_parts
from engine.template_vars import offered
from engine.template_words import template_error


class NodeForm(QWidget):
    """The form of one node: its title and every declared parameter."""

    def __init__(self, doc: Document, node: BaseNode, context: ConditionContext,
                 sample: Callable[[dict, int], tuple[str, str]] | None = None,
                 customers: Callable[[], list[tuple[int, str]]] | None = None, tests: Any = None) -> None:
        super().__init__()
        self.doc, self.node, self.context = doc, node, context
        self.tests = tests  # sends a test (send, recipient, remember), or None
        self.decl = REGISTRY[node.scenarist_type]
        params = params_of(node)
        self.shown = params
        self.getters: dict[str, Callable[[], Any]] = {}
        self.templates: list[TemplateEdit] = []
        self.conditional: list[tuple[QWidget, str, tuple[str, ...]]] = []  # shown while another param fits
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        heading = QLabel(f"<b>{html.escape(type_title(self.decl.name))}</b>")
        heading.setObjectName("formHeading")
        # The id is the file's business (scripts and --json name nodes by it), not the form's.
        heading.setToolTip(translate("NodeForm", "In the scenario file: node “{id}”").format(
            id=node.get_property("node_id")))
        form.addRow(heading)
        about = QLabel(type_description(self.decl.name))
        about.setWordWrap(True)
        about.setObjectName("formHelp")
        form.addRow(about)
        self.title = QLineEdit(node.name())
        self.title.setObjectName("param_title")
        self.title.editingFinished.connect(lambda: doc.set_title(node, self.title.text()))
        form.addRow(translate("Forms", "Title"), self.title)
        self.form = form
        self._add_params(params)
        self._show_conditional()
        if self.decl.sends and sample is not None and customers is not None:
            form.addRow(self._preview_box(sample, customers))
        for box in self.findChildren(QComboBox):
            compact(box)

    def _add_params(self, params: dict) -> None:
        """A row per declared parameter; the members of a "one of" group share one duration row."""
        done: set[str] = set()
        for param in self.decl.params:
            if param.name in done:
                continue
            group = param.extra.get("one_of")
            if group:
                members = [p for p in self.decl.params if p.extra.get("one_of") == group]
                done |= {p.name for p in members}
                self.form.addRow(translate("Forms", "Duration"), self._duration(members, params))
                continue
            widget = self._editor(param, params)
            widget.setObjectName(f"param_{param.name}")
            widget.setToolTip(param_text(self.decl.name, param.name, "help"))
            label = param_text(self.decl.name, param.name, "label")
            if param.kind in ("conditions", "branches", "cases", "text") or (
                    param.kind == "template" and param.name != "subject"):
                self.form.addRow(QLabel(label))  # wide editors get the whole width of the pane
                self.form.addRow(widget)
            else:
                self.form.addRow(label, widget)
            if "when" in param.extra:
                self.conditional.append((widget, *param.extra["when"]))

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
        edit = TemplateEdit(value or "", multiline=p.name != "subject",
                            variables=lambda: offered(self.context.fields()))
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
        if self.tests is not None:
            test = QPushButton(translate("Forms", "Send a test…"))
            test.setObjectName("send_test")
            test.clicked.connect(lambda: self.open_test_send(customers))
            top.addWidget(test)
        layout.addLayout(top)
        self.rendered = QTextBrowser()
        self.rendered.setObjectName("rendered")
        self.rendered.setMinimumHeight(140)
        layout.addWidget(self.rendered)
        self.sms_parts = QLabel("")  # an SMS's encoding, length and parts, for the customer shown
        self.sms_parts.setObjectName("sms_parts")
        layout.addWidget(self.sms_parts)
        self.sample = sample
        self.customer.currentIndexChanged.connect(self.refresh_preview)
        self.refresh_preview()
        return box

    def open_test_send(self, customers: Callable[[], list[tuple[int, str]]]) -> None:
        """*Send a test…*: the message as the form holds it, for a customer, to an address of yours."""
        from editor.test_send_dialog import TestSendDialog

        try:
            listed = customers()
        except Exception:  # no CRM: the dialog says so when it is asked to send
            listed = []
        tests = self.tests
        self.test_dialog = TestSendDialog(listed, lambda cid, to: tests.send(self.value(), cid, to),
                                          tests.recipient(), tests.remember, self)
        if self.customer.currentData() is not None:
            self.test_dialog.customer.setCurrentIndex(max(0, self.customer.currentIndex()))
        self.test_dialog.open()

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
            self.sms_parts.setText("")
            return
        heading = f"<p><b>{html.escape(subject)}</b></p><hr>" if subject else ""  # an SMS has none
        self.rendered.setHtml(f"{heading}<pre style='white-space:pre-wrap'>{html.escape(body)}</pre>")
        self._show_parts(body)

    def _show_parts(self, body: str) -> None:
        """For an SMS: the encoding, the characters and the parts of the text shown."""
        if self.value().get("channel") != "sms":
            self.sms_parts.setText("")
            return
        found = sms_parts(body)
        alphabet = (translate("Forms", "Latin letters: 160 characters fit one SMS (153 a part when longer)")
                    if found.encoding == "GSM-7" else
                    translate("Forms", "Cyrillic or emoji: 70 characters fit one SMS (67 a part when longer)"))
        self.sms_parts.setText(translate("Forms", "{encoding} · {characters} characters · {parts} part(s)").format(
            encoding=alphabet, characters=found.characters, parts=found.parts))
        self.sms_parts.setToolTip(found.encoding)  # the encoding's own name, for whoever knows it

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



def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
