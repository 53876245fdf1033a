"""The one module that imports NodeGraphQt (an import-linter contract keeps it so).

The rest of the editor uses the names exported here. NodeGraphQt 0.6.44 has no public way to do
a few things the canvas needs; each use of its private members is below, with the reason.
Upgrading NodeGraphQt means reading this module again, and nothing else.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from NodeGraphQt import BaseNode, NodeGraph
from NodeGraphQt.constants import MIME_TYPE, URN_SCHEME
from NodeGraphQt.qgraphics.node_base import NodeItem
from NodeGraphQt.qgraphics.pipe import PipeItem
from NodeGraphQt.widgets.viewer import NodeViewer
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPixmap, QUndoStack
from PySide6.QtWidgets import QGraphicsSimpleTextItem

__all__ = ["MIME_TYPE", "URN_SCHEME", "BaseNode", "CardItem", "GuardedGraph", "NodeGraph", "NodeItem", "PipeItem",
           "StableViewer", "drag_start_port", "edge_under", "fit_scene", "full_detail", "track_drag",
           "undo_step"]

GRID_NONE = 0  # NodeGraphQt's ViewerEnum.GRID_DISPLAY_NONE

TITLE_POINTS = 12.0  # a node's title: 16 px at 100 %, 11.5 px at the smallest zoom to fit (72 %)
PORT_POINTS = 10.0
HEADER = 34.0  # the title band
CARD_MIN_W, CARD_MAX_TITLE_W = 200.0, 300.0
ICON = 22
SELECTED = QColor("#58a6ff")


def _blend(colour: QColor, other: str, amount: float) -> QColor:
    base = QColor(other)
    mix = [round(a * (1 - amount) + b * amount) for a, b in zip(colour.getRgb()[:3], base.getRgb()[:3], strict=True)]
    return QColor(*mix)


class CardItem(NodeItem):
    """A node drawn as a card: a band of the type's colour with its icon and the title in large type,
    then the outputs, each named. Larger than NodeGraphQt's own node, so that a scenario fitted to
    the canvas stays readable.

    Private: NodeGraphQt decides a node's size, layout and look in _calc_size_horizontal,
    _draw_node_horizontal and _paint_horizontal, with no public way to change them; they are
    overridden here (only the horizontal layout, the one the canvas uses).
    """

    def __init__(self, name: str = "node", parent: Any = None) -> None:
        super().__init__(name, parent)
        font = QFont()
        font.setPointSizeF(TITLE_POINTS)
        font.setBold(True)
        # Private: NodeGraphQt keeps the title's text item and the icon as _text_item and _icon_item,
        # and sizes and draws the node from them with no public way to restyle them.
        self._text_item.setFont(font)
        self._proxy_mode_threshold = 90  # bare boxes below 90 px wide on screen, where text is unreadable
        self._glyph: QPixmap | None = None
        self._subtitle = QGraphicsSimpleTextItem("", self)
        small = QFont()
        small.setPointSizeF(PORT_POINTS)
        self._subtitle.setFont(small)
        self._subtitle.setBrush(QColor("#9aa4ae"))

    def set_card(self, glyph: QPixmap, subtitle: str) -> None:
        """The type's glyph in the title band, and its name in the body (so a node titled in the
        user's words still says what it is)."""
        self._glyph = glyph
        self._icon_item.setPixmap(glyph)
        self.set_subtitle(subtitle)

    def set_subtitle(self, subtitle: str) -> None:
        """The type's name in the body, in the language of the moment."""
        self._subtitle.setText(subtitle)
        self.draw_node()

    # NodeGraphQt sets its default icon whenever the node's properties are applied: keep the glyph.
    @property
    def icon(self) -> Any:
        return self._properties["icon"]

    @icon.setter
    def icon(self, path: Any = None) -> None:
        self._properties["icon"] = path
        if self._glyph is not None:
            self._icon_item.setPixmap(self._glyph)

    def set_proxy_mode(self, mode: bool) -> None:
        super().set_proxy_mode(mode)
        self._subtitle.setVisible(not mode)

    def _fit_title(self) -> None:
        """A title longer than the card can hold wraps onto a second line instead of widening the node."""
        text = self._text_item
        text.setTextWidth(-1)
        if text.boundingRect().width() > CARD_MAX_TITLE_W:
            text.setTextWidth(CARD_MAX_TITLE_W)

    def _header(self) -> float:
        return max(HEADER, self._text_item.boundingRect().height() + 8)

    def _calc_size_horizontal(self) -> tuple[float, float]:
        self._fit_title()
        title_w = self._text_item.boundingRect().width() + ICON + 26
        port_font = QFont()
        port_font.setPointSizeF(PORT_POINTS)
        labels = [t for p, t in self._output_items.items() if p.isVisible() and t.isVisible()]
        ports = [p for p in self._output_items if p.isVisible()]
        inputs = [p for p in self._input_items if p.isVisible()]
        for label in labels:  # private (see above): the text items of the outputs' names
            label.setFont(port_font)
        label_w = max((t.boundingRect().width() for t in labels), default=0.0)
        body_w = self._subtitle.boundingRect().width() + label_w + 44
        rows = max(len(ports), len(inputs), 1)
        return max(CARD_MIN_W, title_w, body_w), self._header() + rows * 23 + 6

    def _draw_node_horizontal(self) -> None:
        for port, text in [*self._input_items.items(), *self._output_items.items()]:
            if port.isVisible():
                text.setVisible(port.display_name)
        self._width, self._height = self._calc_size_horizontal()
        self._set_text_color(self.text_color)
        self._tooltip_disable(self.disabled)
        header = self._header()
        title = self._text_item.boundingRect()
        self._text_item.setPos(ICON + 14, (header - title.height()) / 2)
        self._icon_item.setPos(9, (header - ICON) / 2)
        self.align_ports(v_offset=header + 3)
        for port, text in self._output_items.items():  # the name ends just left of its port's circle
            text.setPos(port.x() - text.boundingRect().width() + 4, port.y() + (port.boundingRect().height()
                                                                              - text.boundingRect().height()) / 2)
        sub = self._subtitle.boundingRect()
        self._subtitle.setPos(12, header + 3 + (23 - sub.height()) / 2)
        self.update()

    def _paint_horizontal(self, painter: QPainter, option: Any, widget: Any) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.boundingRect().adjusted(1, 1, -1, -1)
        colour = QColor(*self.color)
        card = QPainterPath()
        card.addRoundedRect(rect, 7, 7)
        painter.fillPath(card, _blend(colour, "#161b22", 0.72))
        painter.setClipPath(card)  # the band follows the card's rounded top corners
        painter.fillRect(QRectF(rect.left(), rect.top(), rect.width(), self._header()), colour)
        painter.setClipping(False)
        if self.selected:
            painter.setPen(QPen(SELECTED, 3))
        else:
            painter.setPen(QPen(_blend(colour, "#000000", 0.35), 1.2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(card)
        painter.restore()

    def _set_text_color(self, color: Any) -> None:
        """White on a dark band, near-black on a light one (the bonus's yellow)."""
        super()._set_text_color(color)
        band = QColor(*self.color)
        light = 0.299 * band.redF() + 0.587 * band.greenF() + 0.114 * band.blueF() > 0.6
        self._text_item.setDefaultTextColor(QColor("#111418" if light else "#ffffff"))
        for label in self._output_items.values():
            label.setDefaultTextColor(QColor("#d0d7de"))


class StableViewer(NodeViewer):
    """NodeGraphQt's viewer, which keeps its zoom when it is resized (a pane appearing beside the
    canvas shows less of the scenario instead of shrinking it), and says when what it shows changes.

    Signals:
        view_changed: after every zoom, pan or resize.
    """

    view_changed = Signal()
    FIT_MARGIN = 2  # QGraphicsView.fitInView leaves this many pixels on each side

    # Private: NodeGraphQt keeps what it shows as _scene_range, fitted into the widget by
    # _update_scene on every resize; kept at the same scale here instead.
    def resizeEvent(self, event: Any) -> None:
        scale = self.transform().m11()
        corner = self.mapToScene(0, 0)
        super().resizeEvent(event)
        size = self.viewport().size()
        if scale > 0 and size.width() > 0 and size.height() > 0:
            inner, edge = 2 * self.FIT_MARGIN, self.FIT_MARGIN / scale  # the range starts inside the margin
            self._scene_range = QRectF(corner.x() + edge, corner.y() + edge, (size.width() - inner) / scale,
                                       (size.height() - inner) / scale)
            self._update_scene()

    def _update_scene(self) -> None:
        super()._update_scene()
        self.view_changed.emit()

    def visible_rect(self) -> QRectF:
        """The part of the scene the canvas shows."""
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def centre_at(self, point: QPointF) -> None:
        """Move the view so that ``point`` is in its middle, at the same zoom."""
        self._scene_range.moveCenter(point)  # private: see resizeEvent
        self._update_scene()

    def scale_to(self, scale: float, centre: QPointF | None = None) -> None:
        """Show the scene at ``scale`` (1.0 is 100 %), around ``centre`` or the middle of the view."""
        centre = centre or self.visible_rect().center()
        size = self.viewport().size()
        inner = 2 * self.FIT_MARGIN
        rect = QRectF(0, 0, (size.width() - inner) / scale, (size.height() - inner) / scale)
        rect.moveCenter(centre)
        self._scene_range = rect
        self._update_scene()


class GuardedGraph(NodeGraph):
    """A NodeGraph whose edge changes from the viewer (a drag onto a port, a re-route) can be
    refused as a whole before they happen: override :meth:`refuse_connection`. Its viewer keeps
    its zoom on resize, and the viewer's drops, renames and moves come to overridable methods."""

    def __init__(self) -> None:
        stack = QUndoStack()
        super().__init__(undo_stack=stack, viewer=StableViewer(undo_stack=stack))
        stack.setParent(self)

    def refuse_connection(self, disconnected: list, connected: list) -> str | None:
        """Why this change of edges must not happen, or None to let it happen."""
        return None

    def connection_refused_by_viewer(self, reason: str) -> None:
        """Called after a refused change was undone on the canvas (say why to the user)."""

    def connection_words(self, disconnected: list, connected: list) -> tuple[str, str | None]:
        """The undo step's name for an accepted change of edges, and a message to show (or None)."""
        return "connect node(s)" if connected else "disconnect node(s)", None

    def connection_made_by_viewer(self, message: str) -> None:
        """Called after an accepted change that deserves a word to the user (an edge moved)."""

    def moved_with_nodes(self) -> None:
        """Called inside the undo step of a move of nodes by the mouse: record what moved with them."""

    def insertion_words(self, node: BaseNode, source: BaseNode, port: str, target: BaseNode) -> str | None:
        """A node the mouse moved is let go over the edge from ``source``'s ``port`` to ``target``:
        the name of the undo step that inserts it there, or None to leave the edge alone."""
        return None

    def insert_into_edge(self, node: BaseNode, source: BaseNode, port: str, target: BaseNode) -> None:
        """Put ``node`` on the edge from ``source``'s ``port`` to ``target`` (inside an undo step)."""

    def type_dropped(self, type_key: str, pos: tuple[float, float]) -> None:
        """A node type from the palette was dropped at ``pos``: add it (NodeGraphQt's default)."""
        self.create_node(type_key, pos=pos)

    def renamed_on_canvas(self, node: BaseNode, name: str) -> None:
        """The user edited a node's title on the canvas itself."""
        node.set_name(name)

    # Private hooks: NodeGraphQt reports moves, drops onto an edge, drops from outside and titles
    # edited on the canvas through these methods, and has no public signal for any of them that
    # comes early enough to take part in the undo step (or to decide what a drop does).
    def _on_nodes_moved(self, node_data: dict) -> None:
        stack = self.undo_stack()
        stack.beginMacro("move nodes")
        super()._on_nodes_moved(node_data)
        self.moved_with_nodes()
        stack.endMacro()

    def _on_insert_node(self, pipe: Any, node_id: str, prev_node_pos: dict) -> None:
        node = self.get_node_by_id(node_id)
        out, inp = pipe.output_port, pipe.input_port
        if out is None or inp is None or not isinstance(node, BaseNode):
            self._on_nodes_moved(prev_node_pos)
            return
        source, target = self.get_node_by_id(out.node.id), self.get_node_by_id(inp.node.id)
        name = self.insertion_words(node, source, out.name, target)
        stack = self.undo_stack()
        stack.beginMacro(name or "move nodes")
        super()._on_nodes_moved(prev_node_pos)
        self.moved_with_nodes()
        if name:
            self.insert_into_edge(node, source, out.name, target)
        stack.endMacro()

    def _on_node_data_dropped(self, mimedata: Any, pos: Any) -> None:
        if mimedata.hasFormat(MIME_TYPE):
            found = re.search(r"node:([\w.]+)", mimedata.data(MIME_TYPE).data().decode())
            if found:
                self.type_dropped(found.group(1), (float(pos.x()), float(pos.y())))
            return
        super()._on_node_data_dropped(mimedata, pos)

    def _on_node_name_changed(self, node_id: str, name: str) -> None:
        self.renamed_on_canvas(self.get_node_by_id(node_id), name)

    # Private hook: the viewer reports a finished drag here before NodeGraphQt applies it, and
    # NodeGraphQt offers no public signal that comes early enough to refuse it (or to name it).
    def _on_connection_changed(self, disconnected: list, connected: list) -> None:
        reason = self.refuse_connection(disconnected, connected)
        if reason is None:
            name, message = self.connection_words(disconnected, connected)
            stack = self.undo_stack()
            stack.beginMacro(name)  # NodeGraphQt's own macro nests inside, under this name
            super()._on_connection_changed(disconnected, connected)
            stack.endMacro()
            if message:
                self.connection_made_by_viewer(message)
            return
        viewer = self.viewer()
        for a, b in disconnected:  # a pipe picked up for re-routing goes back where it was
            if b not in a.connected_ports:
                viewer.establish_connection(a, b)
        self.connection_refused_by_viewer(reason)


# NodeGraphQt names its own undo steps in English: (pattern, what the step did) for the editor to word.
_STEPS = (
    (re.compile(r'add(?:ed)? node(?:: "(?P<name>.*)")?'), "add"),
    (re.compile(r'delete(?:d)? node(?:\(s\)|: "(?P<name>.*)")?'), "delete"),
    (re.compile(r"move nodes?"), "move"),
    (re.compile(r'property "(?P<name>.*):name"'), "rename"),
    (re.compile(r'renamed "(?P<old>.*)" to "(?P<name>.*)"'), "rename"),
    (re.compile(r'property "(?P<name>.*):[^"]*"'), "change"),
    (re.compile(r"(?:dis)?connect (?:node\(s\)|port)"), "edges"),
    (re.compile(r"(?:cut|pasted|duplicate) nodes"), "nodes"),
)


def undo_step(text: str) -> tuple[str, str] | None:
    """What one of NodeGraphQt's own undo steps did, from its English name: (kind, node name),
    kind one of add, delete, move, rename, change, edges, nodes; None for a step of ours."""
    for pattern, kind in _STEPS:
        found = pattern.fullmatch(text)
        if found:
            return kind, found.groupdict().get("name") or ""
    return None


def drag_start_port(graph: NodeGraph) -> Any:
    """The port item a drag on the canvas began at (None when none is going on)."""
    # Private: the viewer keeps it only as _start_port; it tells re-routing an edge from
    # dragging a new one onto an output that already has one.
    return getattr(graph.viewer(), "_start_port", None)


def track_drag(graph: NodeGraph, views: list[NodeItem]) -> None:
    """Nodes that a drag which began elsewhere (a frame's band) moves too: NodeGraphQt records
    their move in the drag's undo step."""
    # Private: the viewer keeps the positions of the nodes a press may move in _node_positions,
    # filled before the press reaches any item; a frame adds the nodes inside it there.
    viewer = graph.viewer()
    viewer._node_positions.update({view: view.xy_pos for view in views})


def edge_under(graph: NodeGraph, rect: QRectF, skip: BaseNode | None = None) -> tuple[BaseNode, str, BaseNode] | None:
    """The edge (source node, port, target node) that crosses ``rect`` on the canvas, if any,
    leaving out the edges of ``skip``."""
    scene = graph.viewer().scene()
    for item in scene.items(rect):
        if isinstance(item, PipeItem) and item.isVisible() and item.input_port and item.output_port:
            source, target = graph.get_node_by_id(item.output_port.node.id), graph.get_node_by_id(
                item.input_port.node.id)
            if skip is not None and skip in (source, target):
                continue
            if source is not None and target is not None:
                return source, item.output_port.name, target
    return None


def fit_scene(graph: NodeGraph, rect: QRectF) -> None:
    """Make the viewer's scene range ``rect`` (the nodes and a margin) and show it."""
    viewer = graph.viewer()
    # Private: zoom_to_nodes does this through a temporary item group, which takes 250 ms for
    # 200 nodes; setting the range the viewer keeps is instant.
    viewer._scene_range = rect
    viewer._update_scene()


def set_port_labels(node: BaseNode, labels: dict[str, str]) -> None:
    """What the canvas writes beside a node's output ports (port name -> text; the names stay
    the file's), then size the node to them."""
    # Private: a node item keeps the text item of each port in _output_items; NodeGraphQt writes
    # the port's name there and has no public way to show anything else.
    view = node.view
    for port in node.output_ports():
        text = view._output_items.get(port.view)
        if text is not None and port.name() in labels:
            text.setPlainText(labels[port.name()])
    view.draw_node()


@contextmanager
def full_detail(nodes: list[NodeItem]) -> Iterator[None]:
    """Nodes drawn in full detail whatever the zoom, while the block runs (pictures for export)."""
    # Private: a node switches to a bare box ("proxy mode") below _proxy_mode_threshold on
    # screen, and its paint() checks it again; there is no public switch for it.
    thresholds = [(node, node._proxy_mode_threshold) for node in nodes]
    try:
        for node in nodes:
            node._proxy_mode_threshold = -math.inf
            node.set_proxy_mode(False)
        yield
    finally:
        for node, threshold in thresholds:
            node._proxy_mode_threshold = threshold
            node.auto_switch_mode()
