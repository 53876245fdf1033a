"""The filter's condition builder: rows of conditions and nested any/all groups, each chosen
from lists, producing exactly the condition objects of the scenario file."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.i18n import agg_label, kind_label, op_label, translate
from engine.conditions import COMPARE, DAY_OPS, FIELD_OPS, KINDS, NO_VALUE_OPS, ORDER_AGGS


def op_labels() -> dict[str, str]:
    """Readable names of the condition operators."""
    return {op: op_label(op) for op in FIELD_OPS}


def kind_labels() -> dict[str, str]:
    """Readable names of the condition kinds (a group is not one: it has its own button)."""
    return {kind: kind_label(kind) for kind in KINDS if kind in DEFAULTS and kind != "group"}


def agg_labels() -> dict[str, str]:
    """Readable names of the order aggregates."""
    return {agg: agg_label(agg) for agg in ORDER_AGGS}


# The order keys are written in, as in the shipped templates, so that files diff cleanly.
KEY_ORDER = ("kind", "field", "agg", "node", "within_days", "since", "status", "op", "value")

DEFAULTS: dict[str, dict] = {
    "field": {"kind": "field", "field": "email", "op": "is_valid_email"},
    "orders": {"kind": "orders", "agg": "count", "op": "ge", "value": 1},
    "bonus_used": {"kind": "bonus_used", "node": "", "op": "is_true"},
    "messages": {"kind": "messages", "op": "eq", "value": 0},
    "group": {"kind": "group", "match": "any", "conditions": []},
}


def parse_value(text: str) -> Any:
    """A typed condition value from what was typed: whole number, number, true/false or text."""
    text = text.strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d*", text):
        return float(text)
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


def show_value(value: Any) -> str:
    """The text a value is edited as."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(show_value(v) for v in value)
    return "" if value is None else str(value)


def compact(box: QComboBox) -> None:
    """Let a combo box shrink to a narrow pane instead of widening it to its longest item."""
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(6)


def _combo(items: dict[str, str], current: str | None, editable: bool = False) -> QComboBox:
    box = QComboBox()
    box.setEditable(editable)
    compact(box)
    for key, label in items.items():
        box.addItem(label, key)
    index = box.findData(current)
    if index >= 0:
        box.setCurrentIndex(index)
    elif editable and current:
        box.setEditText(current)
    return box


def _data(box: QComboBox) -> str:
    if box.isEditable():
        index = box.findText(box.currentText())
        return box.itemData(index) if index >= 0 else box.currentText().strip()
    return box.currentData()


def _within_days(cond: dict) -> QSpinBox:
    """The "in the last N days" refinement; 0 shows as "ever" and leaves the key out."""
    within = QSpinBox()
    within.setRange(0, 3650)
    within.setSpecialValueText(translate("Conditions", "ever"))
    within.setPrefix(translate("Conditions", "in "))
    within.setSuffix(translate("Conditions", " days"))
    within.setValue(int(cond.get("within_days") or 0))
    within.setToolTip(translate("Conditions", "Count only the last N days (\"ever\": all of them)"))
    return within


def _move_buttons(row: QHBoxLayout, action: Any, remove_tip: str) -> None:
    """▲ ▼ ✕ at the end of a condition's or group's first line; each emits ``action`` with its name."""
    for name, text, tip in (("up", "▲", translate("Conditions", "Move up")),
                            ("down", "▼", translate("Conditions", "Move down")), ("remove", "✕", remove_tip)):
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setObjectName(f"condition_{name}")
        button.clicked.connect(lambda _=False, n=name: action.emit(n))
        row.addWidget(button)


class ConditionRow(QFrame):
    """One condition (not a group): its kind and the widgets that kind needs."""

    changed = Signal()
    action = Signal(str)  # "up", "down", "remove"

    def __init__(self, cond: dict, context: ConditionContext) -> None:
        super().__init__()
        self.setObjectName("conditionRow")
        self.cond = dict(cond)
        self.context = context
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        top = QHBoxLayout()
        self.kind = _combo(kind_labels(), cond.get("kind"))
        self.kind.setToolTip(translate("Conditions", "What the condition looks at"))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        top.addWidget(self.kind, 1)
        _move_buttons(top, self.action, translate("Conditions", "Remove this condition"))
        layout.addLayout(top)
        self.body = QHBoxLayout()
        layout.addLayout(self.body)
        self.body2 = QHBoxLayout()  # the optional refinements (period, since when) go below
        layout.addLayout(self.body2)
        self.widgets: dict[str, QWidget] = {}
        self._build()

    def _kind_changed(self) -> None:
        self.cond = dict(DEFAULTS[self.kind.currentData()])
        self._build()
        self.changed.emit()

    def _clear(self) -> None:
        for box in (self.body, self.body2):
            while box.count():
                item = box.takeAt(0)
                if item.widget():
                    item.widget().deleteLater()
        self.widgets = {}

    def _add(self, key: str, widget: QWidget, stretch: int = 1, second_line: bool = False) -> None:
        widget.setObjectName(f"cond_{key}")
        widget.setMinimumWidth(48)
        self.widgets[key] = widget
        (self.body2 if second_line else self.body).addWidget(widget, stretch)
        if isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(self._edited)
            if widget.isEditable():
                widget.lineEdit().editingFinished.connect(self._edited)
        elif isinstance(widget, QLineEdit):
            widget.editingFinished.connect(self._edited)
        elif isinstance(widget, QSpinBox):
            widget.valueChanged.connect(self._edited)

    def _build(self) -> None:
        self._clear()
        c, kind = self.cond, self.cond.get("kind")
        if kind == "field":
            fields = {f: f for f in self.context.fields()}
            self._add("field", _combo(fields, c.get("field"), editable=True), 2)
            self._add("op", _combo(op_labels(), c.get("op")), 2)
            self._add("value", QLineEdit(show_value(c.get("value"))), 2)
        elif kind == "orders":
            self._add("agg", _combo(agg_labels(), c.get("agg")), 3)
            self._add("op", _combo({k: op_label(k) for k in COMPARE}, c.get("op")), 1)
            self._add("value", QLineEdit(show_value(c.get("value"))), 1)
            self._add("within_days", _within_days(c), 2, second_line=True)
            since = {"": translate("Conditions", "any time"), "entry": translate("Conditions", "since entering")}
            since |= {f"node:{n}": translate("Conditions", "since node {node}").format(node=n)
                      for n in self.context.node_ids()}
            self._add("since", _combo(since, c.get("since") or ""), 2, second_line=True)
        elif kind == "bonus_used":
            bonuses = {n: n for n in self.context.node_ids("bonus")}
            self._add("node", _combo(bonuses, c.get("node"), editable=True), 2)
            used = {"is_true": translate("Conditions", "is used"), "is_false": translate("Conditions", "is not used")}
            self._add("op", _combo(used, c.get("op")), 2)
        elif kind == "messages":
            self._add("op", _combo({k: op_label(k) for k in COMPARE}, c.get("op")), 1)
            self._add("value", QLineEdit(show_value(c.get("value"))), 1)
            self._add("within_days", _within_days(c), 2, second_line=True)
        self._sync_value()

    def _sync_value(self) -> None:
        value = self.widgets.get("value")
        if value is not None and self.cond.get("kind") == "field":
            value.setVisible(self.cond.get("op") not in NO_VALUE_OPS)
            value.setPlaceholderText(translate("Conditions", "a, b, c") if self.cond.get("op") == "in"
                                     else translate("Conditions", "value"))

    def _edited(self) -> None:
        new = self.value()
        if new != self.cond:
            self.cond = new
            self._sync_value()
            self.changed.emit()

    def value(self) -> dict:
        """The condition as the file stores it."""
        c, w = dict(self.cond), self.widgets
        for key in ("field", "op", "agg", "node"):
            if key in w:
                c[key] = _data(w[key])
        if "value" in w:
            text = w["value"].text()
            if c.get("kind") == "field" and c.get("op") in NO_VALUE_OPS:
                c.pop("value", None)
            elif c.get("kind") == "field" and c.get("op") == "in":
                c["value"] = [parse_value(part) for part in text.split(",") if part.strip()]
            elif c.get("kind") == "field" and c.get("op") == "contains":
                c["value"] = text.strip()
            else:
                c["value"] = parse_value(text)
            if c.get("op") in DAY_OPS and isinstance(c.get("value"), str) and not c["value"]:
                c["value"] = 0
        if "within_days" in w:
            if w["within_days"].value():
                c["within_days"] = w["within_days"].value()
            else:
                c.pop("within_days", None)
        if "since" in w:
            since = _data(w["since"])
            if since:
                c["since"] = since
            else:
                c.pop("since", None)
        return {k: c[k] for k in sorted(c, key=lambda k: KEY_ORDER.index(k) if k in KEY_ORDER else len(KEY_ORDER))}


class ConditionContext:
    """Where the builder gets its lists: the CRM's customer fields and the scenario's node ids."""

    def __init__(self, fields: Callable[[], list[str]], node_ids: Callable[[str | None], list[str]]) -> None:
        self._fields, self._node_ids = fields, node_ids

    def fields(self) -> list[str]:
        """Customer field names, from the connected CRM when there is one."""
        return self._fields()

    def node_ids(self, type_name: str | None = None) -> list[str]:
        """Ids of the scenario's nodes, optionally of one type."""
        return self._node_ids(type_name)


class ConditionList(QWidget):
    """A list of conditions and groups with buttons to add, move and remove them."""

    changed = Signal()

    def __init__(self, conditions: list, context: ConditionContext, depth: int = 0) -> None:
        super().__init__()
        self.context, self.depth = context, depth
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.rows_box = QVBoxLayout()
        self.layout_.addLayout(self.rows_box)
        buttons = QHBoxLayout()
        add = QPushButton(translate("Conditions", "+ Condition"))
        add.setObjectName("add_condition")
        add.clicked.connect(lambda: self._append(dict(DEFAULTS["field"])))
        group = QPushButton(translate("Conditions", "+ Group"))
        group.setObjectName("add_group")
        group.setToolTip(translate("Conditions", "A group of conditions matched together (all or any)"))
        group.clicked.connect(lambda: self._append({"kind": "group", "match": "any",
                                                    "conditions": [dict(DEFAULTS["field"])]}))
        buttons.addWidget(add)
        buttons.addWidget(group)
        buttons.addStretch(1)
        self.layout_.addLayout(buttons)
        self.rows: list[QWidget] = []
        for cond in conditions if isinstance(conditions, list) else []:
            self._append(cond, emit=False)

    def _make(self, cond: Any) -> QWidget:
        if isinstance(cond, dict) and cond.get("kind") == "group":
            row: QWidget = GroupBox(cond, self.context, self.depth + 1)
        else:
            row = ConditionRow(cond if isinstance(cond, dict) else dict(DEFAULTS["field"]), self.context)
        row.changed.connect(self.changed)
        row.action.connect(lambda name, r=row: self._act(r, name))
        return row

    def _append(self, cond: dict, emit: bool = True) -> None:
        row = self._make(cond)
        self.rows.append(row)
        self.rows_box.addWidget(row)
        if emit:
            self.changed.emit()

    def _act(self, row: QWidget, name: str) -> None:
        i = self.rows.index(row)
        if name == "remove":
            self.rows.pop(i)
            row.setParent(None)
            row.deleteLater()
        else:
            j = i - 1 if name == "up" else i + 1
            if not 0 <= j < len(self.rows):
                return
            self.rows[i], self.rows[j] = self.rows[j], self.rows[i]
            self.rows_box.removeWidget(row)
            self.rows_box.insertWidget(j, row)
        self.changed.emit()

    def value(self) -> list[dict]:
        """The conditions as the file stores them."""
        return [row.value() for row in self.rows]


class GroupBox(QFrame):
    """A nested group: 'all' or 'any' of its own list of conditions."""

    changed = Signal()
    action = Signal(str)

    def __init__(self, cond: dict, context: ConditionContext, depth: int) -> None:
        super().__init__()
        self.setObjectName("conditionGroup")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        top = QHBoxLayout()
        top.addWidget(QLabel(translate("Conditions", "Group: match")))
        self.match = _combo({"all": translate("Conditions", "all of"), "any": translate("Conditions", "any of")},
                            cond.get("match", "all"))
        self.match.setObjectName("group_match")
        self.match.currentIndexChanged.connect(self.changed)
        top.addWidget(self.match, 1)
        _move_buttons(top, self.action, translate("Conditions", "Remove this group"))
        layout.addLayout(top)
        self.inner = ConditionList(cond.get("conditions", []), context, depth)
        self.inner.changed.connect(self.changed)
        layout.addWidget(self.inner)

    def value(self) -> dict:
        """The group as the file stores it."""
        return {"kind": "group", "match": self.match.currentData(), "conditions": self.inner.value()}
