"""*Arrange*: the whole scenario laid out left to right by its flow (:func:`engine.layout.arrange`),
as one undo step. Notes keep their place beside the node nearest to them, and each frame is
drawn again around the nodes it held."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QPointF, QRectF

from editor.i18n import translate
from editor.nodegraph import BaseNode
from engine.layout import arrange as tidy
from engine.model import Note
from engine.nodes import REGISTRY

FRAME_TOP = 76.0  # a frame's band and the count badges above its nodes
FRAME_SIDE = 36.0


def _flow(nodes: list[BaseNode]) -> list[tuple[str, int, str]]:
    edges = []
    for node in nodes:
        for index, port in enumerate(node.output_ports()):
            edges += [(node.id, index, t.node().id) for t in port.connected_ports()]
    return edges


def _nearest(point: QPointF, nodes: list[BaseNode]) -> BaseNode | None:
    def distance(node: BaseNode) -> float:
        rect = node.view.sceneBoundingRect()
        dx = max(rect.left() - point.x(), 0.0, point.x() - rect.right())
        dy = max(rect.top() - point.y(), 0.0, point.y() - rect.bottom())
        return dx * dx + dy * dy
    return min(nodes, key=distance, default=None)


def positions(graph: Any) -> dict[str, tuple[float, float]]:
    """Where Arrange puts each node (NodeGraphQt id -> top-left corner); the trigger stays put."""
    nodes = graph.all_nodes()
    start = next((n for n in nodes if REGISTRY[n.scenarist_type].entry), None)
    sizes = {n.id: (n.view.sceneBoundingRect().width(), n.view.sceneBoundingRect().height()) for n in nodes}
    origin = (start.pos()[0], start.pos()[1]) if start is not None else (0.0, 0.0)
    order = sorted(nodes, key=lambda n: (n.pos()[1], n.pos()[0]))
    return tidy([n.id for n in order], _flow(nodes), sizes, start.id if start else None, origin)


def arrange(graph: Any) -> bool:
    """Lay the scenario out as :mod:`engine.layout` says, in one undo step named *Arrange*;
    returns whether anything moved."""
    nodes, board = graph.all_nodes(), graph.notes
    target = positions(graph)
    frames = {item.note.id: board.inside(item)[0] for item in board.items.values() if item.note.kind == "frame"}
    anchors = {}
    for item in board.items.values():
        if item.note.kind == "note":
            anchor = _nearest(item.sceneBoundingRect().center(), nodes)
            if anchor is not None:
                anchors[item.note.id] = (anchor, item.pos() - QPointF(*anchor.pos()))
    if all(tuple(n.pos()) == tuple(target[n.id]) for n in nodes):
        return False
    stack = graph.undo_stack()
    stack.beginMacro(translate("Canvas", "arrange the scenario"))
    try:
        for node in nodes:
            node.set_pos(*target[node.id])
        moved = _notes_after(board, frames, anchors)
        if moved:
            board.change(moved, translate("Canvas", "arrange the scenario"))
    finally:
        stack.endMacro()
    return True


def _notes_after(board: Any, frames: dict[str, list], anchors: dict[str, tuple]) -> dict[str, Note]:
    after: dict[str, Note] = {}
    for nid, item in board.items.items():
        state = item.state()
        if nid in anchors:
            anchor, offset = anchors[nid]
            after[nid] = replace(state, position=(round(anchor.pos()[0] + offset.x(), 2),
                                                  round(anchor.pos()[1] + offset.y(), 2)))
        elif frames.get(nid):
            area = QRectF()
            for view in frames[nid]:
                area = area.united(view.sceneBoundingRect())
            area = area.adjusted(-FRAME_SIDE, -FRAME_TOP, FRAME_SIDE, FRAME_SIDE)
            after[nid] = replace(state, position=(round(area.x(), 2), round(area.y(), 2)),
                                 size=(round(area.width(), 2), round(area.height(), 2)))
    return after
