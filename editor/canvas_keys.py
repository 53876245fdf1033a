"""The canvas's own keys and its right click: Tab (or a right click on the empty canvas) opens
the search that adds a node at the pointer, the arrows go from node to connected node, Enter opens
the node's form and F2 renames it. Everything else goes on to NodeGraphQt and the window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QCursor, QKeyEvent
from PySide6.QtWidgets import QGraphicsTextItem

from editor.nodegraph import BaseNode, NodeItem
from engine.nodes import REGISTRY

ARROWS = {Qt.Key.Key_Right: "right", Qt.Key.Key_Left: "left", Qt.Key.Key_Down: "down", Qt.Key.Key_Up: "up"}


def _sources(graph: Any, node: BaseNode) -> list[BaseNode]:
    found = [p.node() for port in node.input_ports() for p in port.connected_ports()]
    return sorted(found, key=lambda n: (n.pos()[1], n.pos()[0]))


def _targets(node: BaseNode) -> list[BaseNode]:
    """The nodes a node's outputs lead to, in the order of its ports."""
    return [t.node() for port in node.output_ports() for t in port.connected_ports()]


def neighbour(graph: Any, node: BaseNode | None, direction: str) -> BaseNode | None:
    """The node an arrow key goes to from ``node``: right to where its first connected output leads,
    left to the node that leads to it, up and down to the previous or next of the nodes its source's
    outputs lead to (the branches of one decision); with nothing chosen, the trigger."""
    nodes = graph.all_nodes()
    if node is None:
        return next((n for n in nodes if REGISTRY[n.scenarist_type].entry), nodes[0] if nodes else None)
    if direction == "right":
        return next(iter(_targets(node)), None)
    sources = _sources(graph, node)
    if direction == "left":
        return sources[0] if sources else None
    siblings = _targets(sources[0]) if sources else []
    if node not in siblings:
        return None
    index = siblings.index(node) + (1 if direction == "down" else -1)
    return siblings[index] if 0 <= index < len(siblings) else None


class CanvasKeys(QObject):
    """Watches one canvas for the keys above; ``window`` does what they ask."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window

    def watch(self, graph: Any) -> None:
        """Take the keys of this canvas (a window shows one document at a time)."""
        viewer = graph.viewer()
        viewer.installEventFilter(self)
        viewer.viewport().installEventFilter(self)

    def _typing_on_canvas(self, viewer: Any) -> bool:
        """A title or a note is being edited on the canvas itself: its keys are its own."""
        item = viewer.scene().focusItem()
        return isinstance(item, QGraphicsTextItem) and bool(item.textInteractionFlags()
                                                            & Qt.TextInteractionFlag.TextEditable)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        viewer = self.window.doc.graph.viewer()
        if watched not in (viewer, viewer.viewport()):
            return False
        if event.type() == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            return self._right_click(viewer, event.pos())
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent) or self._typing_on_canvas(viewer):
            return False
        key, mods = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods != Qt.KeyboardModifier.NoModifier:
            return False
        if key == Qt.Key.Key_Tab:
            pointer = viewer.viewport().mapFromGlobal(QCursor.pos())
            inside = viewer.viewport().rect().contains(pointer)
            self.window.quick_add(pointer if inside else viewer.viewport().rect().center())
            return True
        if key in ARROWS:
            self.window.go_to(ARROWS[key])
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return self.window.open_selected()
        if key == Qt.Key.Key_F2:
            return self.window.rename_selected()
        return False

    def _right_click(self, viewer: Any, pos: QPoint) -> bool:
        """On the empty canvas, a right click adds a node there; on a node, it lists the customers
        there; on anything else (a port, a note), that item's own menu."""
        scene_pos: QPointF = viewer.mapToScene(pos)
        items = viewer.scene().items(scene_pos)
        node = next((i for i in items if isinstance(i, NodeItem)), None)
        if node is None:
            node = next((i.parentItem() for i in items if isinstance(i.parentItem(), NodeItem)), None)
        if node is not None:
            found = self.window.doc.graph.get_node_by_id(node.id)
            if found is not None:
                self.window.customers_at(found.get_property("node_id"), pos)
                return True
        if items:
            return False
        self.window.quick_add(pos)
        return True
