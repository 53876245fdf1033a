"""The filter's condition builder: rows of conditions and nested any/all groups, each chosen
from lists, producing exactly the condition objects of the scenario file."""

from __future__ import annotations

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

from editor.i18n import condition_choice, interface_language, kind_label, translate
from engine.conditions import KEY_ORDER, KINDS, Slot
from engine.describe import Say

FIRST = next(iter(KINDS))  # the kind a new condition starts as (a customer field)


def kind_labels() -> dict[str, str]:
    """Readable names of the condition kinds offered in the list (a group has its own button)."""
    return {name: kind_label(name) for name, kind in KINDS.items() if kind.listed}


def show_value(value: Any) -> str:
    """The text a value is edited as."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(show_value(v) for v in value)
    return "" if value is None else str(value)


def new_condition(kind: str = FIRST) -> dict:
    """A new condition of a kind, as its declaration makes it."""
    return dict(KINDS[kind].default)


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
    """One condition (not a group): its kind and the widgets its declaration's slots ask for."""

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
        top.addWidget(self.kind, 2)
        self.beside = QHBoxLayout()  # what the condition looks at goes beside its kind (a field, a bonus)
        top.addLayout(self.beside, 3)
        _move_buttons(top, self.action, translate("Conditions", "Remove this condition"))
        layout.addLayout(top)
        self.body = QHBoxLayout()
        layout.addLayout(self.body)
        self.body2 = QHBoxLayout()  # the optional refinements (period, since when) go below
        layout.addLayout(self.body2)
        self.widgets: dict[str, QWidget] = {}
        self._build()

    def _kind_changed(self) -> None:
        self.cond = new_condition(self.kind.currentData())
        self._build()
        self.changed.emit()

    def _clear(self) -> None:
        for box in (self.beside, self.body, self.body2):
            while box.count():
                item = box.takeAt(0)
                if item.widget():
                    item.widget().deleteLater()
        self.widgets = {}

    def _add(self, slot: Slot, widget: QWidget) -> None:
        widget.setObjectName(f"cond_{slot.key}")
        widget.setMinimumWidth(48)
        self.widgets[slot.key] = widget
        ({0: self.beside, 2: self.body2}.get(slot.line, self.body)).addWidget(widget, slot.stretch)
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
        kind = KINDS.get(self.cond.get("kind"))
        for slot in kind.slots if kind else ():
            self._add(slot, self._widget(kind.name, slot))
        self._sync_value()

    def _widget(self, kind: str, slot: Slot) -> QWidget:
        """The widget of one slot, showing the condition's value of its key."""
        current = self.cond.get(slot.key)
        if slot.widget == "field":
            return _combo({f: self.context.field_label(f) for f in self.context.fields()}, current, editable=True)
        if slot.widget == "choice":
            return _combo({v: condition_choice(kind, slot.key, v) for v in slot.choices}, current)
        if slot.widget == "days":
            return _within_days(self.cond)
        if slot.widget == "since":
            since = {"": translate("Conditions", "any time"), "entry": translate("Conditions", "since entering")}
            since |= {f"node:{n}": translate("Conditions", "since «{node}»").format(node=self.context.title(n))
                      for n in self.context.node_ids()}
            return _combo(since, current or "")
        if slot.widget == "node":
            nodes = {n: self.context.title(n) for n in self.context.node_ids(slot.refers)}
            return _combo(nodes, current, editable=True)
        return QLineEdit(show_value(current))

    def _sync_value(self) -> None:
        value = self.widgets.get("value")
        if value is not None:
            needed = KINDS[self.cond["kind"]].value_of(self.cond, "value", "x") is not None
            value.setVisible(needed)
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
        kind = KINDS.get(c.get("kind"))
        for slot in kind.slots if kind else ():
            widget = w[slot.key]
            if isinstance(widget, QComboBox):
                c[slot.key] = _data(widget)
        for slot in kind.slots if kind else ():
            widget = w[slot.key]
            if slot.widget == "days":
                got = widget.value() or None
            elif slot.widget == "since":
                got = _data(widget) or None
            elif isinstance(widget, QLineEdit):
                got = kind.value_of(c, slot.key, widget.text())
            else:
                continue
            if got is None:
                c.pop(slot.key, None)
            else:
                c[slot.key] = got
        return {k: c[k] for k in sorted(c, key=lambda k: KEY_ORDER.index(k) if k in KEY_ORDER else len(KEY_ORDER))}


class ConditionContext:
    """Where the builder gets its lists: the CRM's customer fields and the scenario's node ids,
    and how a person calls them (a field's words, a node's title)."""

    def __init__(self, fields: Callable[[], list[str]], node_ids: Callable[[str | None], list[str]],
                 titles: Callable[[], dict[str, str]] = dict) -> None:
        self._fields, self._node_ids, self._titles = fields, node_ids, titles

    @staticmethod
    def field_label(name: str) -> str:
        """A customer field as the interface's language calls it ("first name"; a column of the
        shop's own as it is, underscores as spaces)."""
        return Say(interface_language()).field(name)

    def title(self, node_id: str) -> str:
        """A node by its title on the canvas (its id when it has none)."""
        return self._titles().get(node_id) or node_id

    def fields(self) -> list[str]:
        """Customer field names, from the connected CRM when there is one."""
        return self._fields()

    def node_ids(self, flag: str | None = None) -> list[str]:
        """Ids of the scenario's nodes, optionally of the types with a flag (``grants``)."""
        return self._node_ids(flag)


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
        add.clicked.connect(lambda: self._append(new_condition()))
        group = QPushButton(translate("Conditions", "+ Group"))
        group.setObjectName("add_group")
        group.setToolTip(translate("Conditions", "A group of conditions matched together (all or any)"))
        group.clicked.connect(lambda: self._append({**new_condition("group"), "conditions": [new_condition()]}))
        buttons.addWidget(add)
        buttons.addWidget(group)
        buttons.addStretch(1)
        self.layout_.addLayout(buttons)
        self.rows: list[QWidget] = []
        for cond in conditions if isinstance(conditions, list) else []:
            self._append(cond, emit=False)

    def _make(self, cond: Any) -> QWidget:
        kind = KINDS.get(cond.get("kind")) if isinstance(cond, dict) else None
        if kind is not None and kind.inner(cond) is not None:
            row: QWidget = GroupBox(cond, self.context, self.depth + 1)
        else:
            row = ConditionRow(cond if isinstance(cond, dict) else new_condition(), self.context)
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
