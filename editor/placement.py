"""Where new nodes go on the canvas: never on top of another node or a note, and into an edge
when one is dropped on it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QRectF

from editor.nodegraph import BaseNode, edge_under
from engine.layout import Box, free_spot

GAP = 24.0
TITLE_MIDDLE = 17.0  # from a node's top to the middle of its title band


def box_of(item: Any) -> Box:
    """A canvas item's rectangle in the scene."""
    rect = item.sceneBoundingRect()
    return Box(rect.x(), rect.y(), rect.width(), rect.height())


def taken_boxes(graph: Any, skip: list[Any] = ()) -> list[Box]:
    """The rectangles of every node and note (frames hold nodes: they take no room)."""
    boxes = [box_of(n.view) for n in graph.all_nodes() if n not in skip]
    notes = getattr(graph, "notes", None)
    if notes is not None:
        boxes += [box_of(item) for item in notes.items.values() if item.note.kind == "note" and item not in skip]
    return boxes


def place_free(graph: Any, node: BaseNode, gap: float = GAP) -> tuple[float, float]:
    """Move a node to the free spot nearest to where it is (an undo command of the step the caller
    has open: NodeGraphQt's command that added the node puts it back where it was made)."""
    box = box_of(node.view)
    x, y = free_spot(box, taken_boxes(graph, [node]), gap)
    if (x, y) != (box.x, box.y):
        node.set_pos(x, y)
    return x, y


def free_corner(graph: Any, want: tuple[float, float], size: tuple[float, float],
                gap: float = GAP) -> tuple[float, float]:
    """The free corner nearest to ``want`` for something of ``size`` (a note, a pasted node)."""
    return free_spot(Box(want[0], want[1], size[0], size[1]), taken_boxes(graph), gap)


def insertable(node: BaseNode) -> bool:
    """Whether a node can go into an edge: it has a way in and a way out, and no edge yet."""
    ports = [*node.input_ports(), *node.output_ports()]
    return bool(node.input_ports()) and bool(node.output_ports()) and not any(p.connected_ports() for p in ports)


def edge_near(graph: Any, pos: tuple[float, float]) -> tuple[BaseNode, str, BaseNode] | None:
    """The edge under a point where something is dropped (the pointer's tip, give or take a few pixels)."""
    return edge_under(graph, QRectF(pos[0] - 24, pos[1] - 12, 48, 24))


def insert(node: BaseNode, source: BaseNode, port: str, target: BaseNode) -> None:
    """Put a node on an edge: the edge's output now leads to it, and its first output to the old target
    (each an undo command of the step the caller has open)."""
    out = source.get_output(port)
    out.disconnect_from(target.get_input("in"))
    out.connect_to(node.get_input("in"))
    node.output_ports()[0].connect_to(target.get_input("in"))


def keep_clear(graph: Any, nodes: list[BaseNode], notes: list[Any]) -> None:
    """Move pasted nodes and notes together, as little as needed, until they cover nothing else
    (undo commands of the step the caller has open)."""
    items = [n.view for n in nodes] + [item for item in notes if item.note.kind == "note"]
    if not items:
        return
    group = QRectF()
    for item in items:
        group = group.united(item.sceneBoundingRect())
    others = taken_boxes(graph, [*nodes, *notes])
    x, y = free_spot(Box(group.x(), group.y(), group.width(), group.height()), others)
    dx, dy = x - group.x(), y - group.y()
    if not (dx or dy):
        return
    for node in nodes:
        node.set_pos(node.pos()[0] + dx, node.pos()[1] + dy)
    if notes:
        board = graph.notes
        moved = {item.note.id: item.state() for item in notes}
        board.change({nid: replace(note, position=(note.position[0] + dx, note.position[1] + dy))
                      for nid, note in moved.items()}, board.name_of(notes[0]))
