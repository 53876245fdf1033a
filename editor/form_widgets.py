"""The property form's compound editors: a template with its errors as you type, a split's
weighted branches, a split by condition's branches with their conditions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from connectors.templates import TemplateError, compile_template
from editor.conditions_editor import ConditionContext, ConditionList
from editor.i18n import choice_label, translate
from editor.messages import shown
from engine.template_words import template_error

COMMIT_DELAY_MS = 600  # typing pauses this long before a template edit becomes one undo step



class TemplateEdit(QWidget):
    """A Jinja2 template editor that shows syntax errors as you type, with a picker that inserts
    the variables a message can show."""

    edited = Signal()

    def __init__(self, text: str, multiline: bool, variables: Callable[[], list[str]] | None = None) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.variables = variables
        if multiline:
            self.editor: QPlainTextEdit | QLineEdit = QPlainTextEdit(text)
            self.editor.setFont(QFont("monospace"))
            self.editor.setMinimumHeight(110)
            self.editor.textChanged.connect(self._typed)
        else:
            self.editor = QLineEdit(text)
            self.editor.textEdited.connect(self._typed)
        if variables is not None:
            row = QHBoxLayout()
            row.addWidget(self.editor, 1)
            self.picker = QToolButton()
            self.picker.setObjectName("insert_variable")
            self.picker.setText("{ }")
            self.picker.setToolTip(translate("Forms", "Insert a customer's field, an order figure or the bonus"))
            self.picker.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            self.picker.setMenu(QMenu(self.picker))
            self.picker.menu().aboutToShow.connect(self._fill_picker)
            row.addWidget(self.picker, 0, Qt.AlignmentFlag.AlignTop)
            layout.addLayout(row)
        else:
            layout.addWidget(self.editor)
        self.error = QLabel()
        self.error.setObjectName("templateError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        self.timer = QTimer(self, singleShot=True, interval=COMMIT_DELAY_MS)
        self.timer.timeout.connect(self.edited)
        self._check()

    def _fill_picker(self) -> None:
        menu = self.picker.menu()
        menu.clear()
        for name in self.variables():
            menu.addAction(name, lambda n=name: self.insert(n))

    def insert(self, variable: str) -> None:
        """Insert ``{{ variable }}`` where the cursor is (one undo step with the next pause)."""
        text = "{{ " + variable + " }}"
        if isinstance(self.editor, QPlainTextEdit):
            self.editor.insertPlainText(text)
        else:
            self.editor.insert(text)
            self._typed()
        self.editor.setFocus()

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
    """A split's branches: port name, weight and whether it is the control, per row."""

    edited = Signal()

    def __init__(self, branches: list) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([translate("Forms", "Branch"), translate("Forms", "Weight"),
                                              translate("Forms", "Control")])
        self.table.horizontalHeaderItem(2).setToolTip(translate(
            "Forms", "The control branch gets nothing: what the other branches add is read against it"))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(110)
        for b in branches if isinstance(branches, list) else []:
            self._add_row(str(b.get("port", "")), b.get("weight", 0), b.get("control") is True)
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

    def _add_row(self, port: str, weight: Any, control: bool = False) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(port))
        self.table.setItem(row, 1, QTableWidgetItem(str(weight)))
        box = QTableWidgetItem()
        box.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        box.setCheckState(Qt.CheckState.Checked if control else Qt.CheckState.Unchecked)
        self.table.setItem(row, 2, box)

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
            branch = {"port": self.table.item(r, 0).text().strip(),
                      "weight": int(text) if text.lstrip("-").isdigit() else text}
            if self.table.item(r, 2).checkState() == Qt.CheckState.Checked:
                branch["control"] = True  # written only when set: a file without controls keeps its bytes
            out.append(branch)
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
