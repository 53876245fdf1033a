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
from PySide6.QtCore import QRectF

__all__ = ["MIME_TYPE", "URN_SCHEME", "BaseNode", "GuardedGraph", "NodeGraph", "NodeItem", "PipeItem",
           "drag_start_port", "fit_scene", "full_detail", "undo_step"]

GRID_NONE = 0  # NodeGraphQt's ViewerEnum.GRID_DISPLAY_NONE


class GuardedGraph(NodeGraph):
    """A NodeGraph whose edge changes from the viewer (a drag onto a port, a re-route) can be
    refused as a whole before they happen: override :meth:`refuse_connection`."""

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
