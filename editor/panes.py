"""The side panes of the window: the node palette, the preview table and the problems list."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QDrag, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
)

from app.preview import TickResult
from editor.badges import fmt
from editor.graph import type_key
from editor.i18n import interface_language, port_name, translate, type_description, type_title
from editor.messages import shown
from editor.nodegraph import MIME_TYPE, URN_SCHEME
from editor.theme import node_icon
from engine.describe import titles_of
from engine.model import Scenario
from engine.nodes import REGISTRY
from engine.problems import Problem


class Palette(QListWidget):
    """Every node type with its icon, colour and name: drag one onto the canvas or double-click it."""

    add_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("palette")
        self.setIconSize(QSize(28, 28))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the pane is as wide as its names
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        for name, decl in REGISTRY.items():
            item = QListWidgetItem(node_icon(decl.icon, decl.color), "")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.addItem(item)
        self.retranslate()
        self.itemDoubleClicked.connect(lambda item: self.add_requested.emit(item.data(Qt.ItemDataRole.UserRole)))

    def fitting_width(self) -> int:
        """The width that shows every name whole (no scroll bar, nothing cut)."""
        return self.sizeHintForColumn(0) + 2 * self.frameWidth() + 12

    def retranslate(self) -> None:
        """Name and describe every node type in the current language."""
        hint = translate("Panes", "Drag onto the canvas, or double-click to add.")
        for i in range(self.count()):
            item = self.item(i)
            name = item.data(Qt.ItemDataRole.UserRole)
            item.setText(type_title(name))
            item.setToolTip(type_description(name) + "\n" + hint)

    def startDrag(self, actions: Qt.DropAction) -> None:
        item = self.currentItem()
        if item is None:
            return
        mime = QMimeData()
        # NodeGraphQt's own drop format: the canvas creates the node where it is dropped (undoably).
        mime.setData(MIME_TYPE, f"{URN_SCHEME}node:{type_key(item.data(Qt.ItemDataRole.UserRole))}".encode())
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.setPixmap(item.icon().pixmap(28, 28))
        drag.exec(Qt.DropAction.CopyAction)


class PreviewPane(QTableWidget):
    """The counts of every node as a table: who reaches it today, who leaves by each of its
    ports, and who waits there; nodes that cannot be counted yet say why."""

    node_chosen = Signal(str)
    COLUMNS = 5
    NUMBERS = 2  # the columns from here on hold numbers

    def __init__(self) -> None:
        super().__init__(0, self.COLUMNS)
        self.setObjectName("previewTable")
        self.retranslate()
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setWordWrap(False)
        self.cellDoubleClicked.connect(lambda row, _col: self.node_chosen.emit(self.node_id(row)))
        self.stale = False

    def retranslate(self) -> None:
        """Column titles in the current language (the window fills the rows again)."""
        self.setHorizontalHeaderLabels([
            translate("Panes", "Step"), translate("Panes", "Type"), translate("Panes", "Reach today"),
            translate("Panes", "Leave by"), translate("Panes", "Waiting now")])
        self.resizeColumnsToContents()  # titles of another length

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """The steps' column takes the room left over; in a pane too narrow for every column whole,
        each is as wide as what it holds and the table scrolls sideways (no step's title is cut)."""
        header = self.horizontalHeader()
        needed = sum(max(self.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(self.columnCount()))
        mode = QHeaderView.ResizeMode
        header.setSectionResizeMode(0, mode.Stretch if self.viewport().width() >= needed else mode.ResizeToContents)

    def node_id(self, row: int) -> str:
        """The node shown in a row."""
        return self.item(row, 0).data(Qt.ItemDataRole.UserRole)

    def show_result(self, scenario: Scenario, result: TickResult, not_counted: dict | None = None) -> None:
        """Fill the table from a preview result (``not_counted``: node id -> why, as a Text)."""
        not_counted = not_counted or {}
        order = scenario.topological_order()
        titles = titles_of(scenario, interface_language())
        self.setRowCount(len(order))
        for row, node in enumerate(order):
            if node.id in not_counted:
                values = ["—", shown(not_counted[node.id]), "—"]
            else:
                ports = result.ports.get(node.id, {})
                leave = " · ".join(f"{port_name(node.type, p)} {fmt(n)}" for p, n in ports.items())
                if result.goal and result.goal.get(node.id):  # who leave the scenario from here by its goal
                    goal = translate("Panes", "reached the goal {n}").format(n=fmt(result.goal[node.id]))
                    leave = f"{leave} · {goal}" if leave else goal
                waiting = fmt(result.waiting.get(node.id, 0))
                if result.held.get(node.id):  # of those waiting, the ones the node's daily limit holds
                    waiting = translate("Panes", "{n} ({held} held by budget)").format(
                        n=waiting, held=fmt(result.held[node.id]))
                values = [fmt(result.reached.get(node.id, 0)), leave, waiting]
            for col, text in enumerate([titles[node.id], type_title(node.type), *values]):
                item = QTableWidgetItem(text)
                if col == 0:
                    item.setData(Qt.ItemDataRole.UserRole, node.id)
                if col in (2, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(row, col, item)
        self.resizeColumnsToContents()
        self._fit_columns()
        self.set_stale(False)

    def set_stale(self, stale: bool) -> None:
        """Grey the numbers while they are being recomputed."""
        self.stale = stale
        colour = QBrush(QColor("#6e7681" if stale else "#e6edf3"))
        for row in range(self.rowCount()):
            for col in range(self.NUMBERS, self.COLUMNS):
                if self.item(row, col):
                    self.item(row, col).setForeground(colour)

    def counts(self) -> dict[str, tuple[str, str]]:
        """Node id -> (reach, waiting) as shown (for tests)."""
        return {self.node_id(r): (self.item(r, 2).text(), self.item(r, 4).text()) for r in range(self.rowCount())}


class ProblemsPane(QListWidget):
    """Every problem of the scenario; choosing one selects and centres its node."""

    node_chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("problems")
        self.itemClicked.connect(self._chosen)
        self.itemActivated.connect(self._chosen)

    def show_problems(self, problems: list[Problem], titles: dict[str, str] | None = None) -> None:
        """Replace the list; nodes are named by ``titles`` (node id -> title)."""
        self.clear()
        titles = titles or {}
        for p in problems:
            mark = "⛔" if p.severity == "error" else "⚠"
            place = " · ".join(x for x in (titles.get(p.node, p.node) if p.node else None, p.field) if x)
            message = shown(p, titles)
            item = QListWidgetItem(f"{mark} {place}: {message}" if place else f"{mark} {message}")
            item.setData(Qt.ItemDataRole.UserRole, p.node)
            item.setForeground(QBrush(QColor("#ff7b72" if p.severity == "error" else "#d29922")))
            self.addItem(item)
        if not problems:
            item = QListWidgetItem("✓ " + translate("Panes", "No problems: the scenario can run."))
            item.setForeground(QBrush(QColor("#3fb950")))
            self.addItem(item)

    def _chosen(self, item: QListWidgetItem) -> None:
        node = item.data(Qt.ItemDataRole.UserRole)
        if node:
            self.node_chosen.emit(node)
