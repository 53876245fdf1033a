"""The canvas model: NodeGraphQt node classes built from the engine's node registry, and the
conversion between a scenario and a graph.

NodeGraphQt's own ids change on every load and paste and its session format mixes view state
with data, so our node id is a hidden property and the file is always our format. Loading is
done without undo entries and clears the undo stack.
"""

from __future__ import annotations

import json
import re
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QUndoCommand

from editor import placement
from editor.i18n import port_name, translate, type_title
from editor.nodegraph import BaseNode, CardItem, GuardedGraph, NodeGraph, drag_start_port, set_port_labels
from editor.notes import NoteBoard
from editor.theme import node_glyph
from engine.model import Edge, Node, Scenario
from engine.nodes import REGISTRY, NodeType

IDENTIFIER = "scenarist"
HIDDEN = 0  # NodeGraphQt widget type: not shown in its own property panel


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def add_output(node: BaseNode, port: str) -> None:
    """An output port that takes one edge; a node's only way out ("out") goes unnamed on the canvas."""
    node.add_output(port, multi_output=False, display_name=port != "out")


def label_ports(node: BaseNode) -> None:
    """The canvas names a node's outputs in the interface's language (yes, no, timed out)."""
    set_port_labels(node, {p.name(): port_name(node.scenarist_type, p.name()) for p in node.output_ports()})


def _make_class(declaration: NodeType) -> type[BaseNode]:
    def __init__(self: BaseNode) -> None:
        BaseNode.__init__(self, qgraphics_item=CardItem)
        self.view.set_card(node_glyph(declaration.icon), type_title(declaration.name))
        if declaration.has_input:
            self.add_input("in", multi_input=True, display_name=False)  # one way in: nothing to name
        for port in declaration.ports(declaration.defaults()):
            add_output(self, port)
        self.create_property("node_id", "", widget_type=HIDDEN)
        self.create_property("params_json", json.dumps(declaration.defaults()), widget_type=HIDDEN)
        # The file's title, and the name the canvas showed for it: NodeGraphQt makes shown names
        # unique ("Send message 1"), which must not leak into the file unless the user renames.
        self.create_property("title", "", widget_type=HIDDEN)
        self.create_property("shown_name", "", widget_type=HIDDEN)
        self.set_color(*_rgb(declaration.color))
        self.set_port_deletion_allowed(True)
        label_ports(self)

    name = "".join(part.capitalize() for part in declaration.name.split("_")) + "Node"
    return type(name, (BaseNode,), {"__identifier__": IDENTIFIER, "NODE_NAME": declaration.title,
                                    "__init__": __init__, "scenarist_type": declaration.name})


NODE_CLASSES: dict[str, type[BaseNode]] = {name: _make_class(decl) for name, decl in REGISTRY.items()}
NODE_CLASSES_BY_KEY = {f"{IDENTIFIER}.{cls.__name__}": cls for cls in NODE_CLASSES.values()}


class ScenarioGraph(GuardedGraph):
    """A NodeGraph that knows every node type, gives new nodes an id, and refuses edges the
    scenario format does not allow (a second edge on an output, a cycle) with a message."""

    connection_refused = Signal(str)
    connection_moved = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.notes = NoteBoard(self)
        for type_name, cls in NODE_CLASSES.items():
            # The name a node dropped on the canvas gets, in the language of the moment.
            cls.NODE_NAME = type_title(type_name)
            self.register_node(cls)
        self._canvas_menu()
        # Our own check below names the nodes of a cycle; NodeGraphQt's would refuse silently.
        self.set_acyclic(False)
        self.loading = False  # load_into sets the ids itself
        self.node_created.connect(self._give_id)
        self.set_pipe_collision(True)  # a node let go on an edge is offered to insertion_words below

    def _canvas_menu(self) -> None:
        """The canvas's right-click menu: NodeGraphQt's undo and redo entries name the last command
        in English ("&Undo edit wait1"); plain, translated ones replace them."""
        menu = self.get_context_menu("graph").qmenu
        for action in list(menu.actions()):
            menu.removeAction(action)
        stack = self.undo_stack()
        self.canvas_actions: dict[str, QAction] = {}
        for name, slot, ready, signal in (("undo", stack.undo, stack.canUndo, stack.canUndoChanged),
                                          ("redo", stack.redo, stack.canRedo, stack.canRedoChanged)):
            action = QAction(menu)
            action.setEnabled(ready())
            action.triggered.connect(slot)
            signal.connect(action.setEnabled)
            menu.addAction(action)
            self.canvas_actions[name] = action
        self.retranslate()

    def retranslate(self) -> None:
        """Set the canvas's own texts (menu, names of nodes still untitled) in the current language."""
        self.canvas_actions["undo"].setText(translate("Canvas", "Undo"))
        self.canvas_actions["redo"].setText(translate("Canvas", "Redo"))
        for type_name, cls in NODE_CLASSES.items():
            cls.NODE_NAME = type_title(type_name)
        for item in self.notes.items.values():
            item.update()  # a template's note shows its text in the new language
        for node in self.all_nodes():
            node.view.set_subtitle(type_title(node.scenarist_type))
            label_ports(node)
            if node.name() == node.get_property("shown_name") and not node.get_property("title"):
                # An untitled node shows its type's name, which the file does not keep.
                shown = type_title(node.scenarist_type)
                node.set_property("name", shown, push_undo=False)
                node.set_property("shown_name", shown, push_undo=False)

    # NodeGraphQt records selection changes as undo steps; selecting is not an edit here.
    def clear_selection(self) -> None:
        """Deselect every node and note (no undo entry)."""
        self.select_only([])

    def select_all(self) -> None:
        """Select every node and note (no undo entry)."""
        self.select_only(self.all_nodes())
        self.notes.select(self.notes.items.values())

    def select_only(self, nodes: list[BaseNode]) -> None:
        """Make exactly ``nodes`` selected, and no note (no undo entry)."""
        chosen = {n.id for n in nodes}
        self.notes.select([])
        for node in self.all_nodes():
            node.set_property("selected", node.id in chosen, push_undo=False)

    # -- the mouse's drops and moves (see GuardedGraph) ---------------------------------------------
    def moved_with_nodes(self) -> None:
        self.notes.commit(translate("Canvas", "move notes"))

    def insertion_words(self, node: BaseNode, source: BaseNode, port: str, target: BaseNode) -> str | None:
        """A node without edges let go on an edge goes into it; a connected one only moves."""
        if not placement.insertable(node):
            return None
        return translate("Canvas", "insert '{node}' between '{a}' and '{b}'").format(
            node=node.name(), a=source.name(), b=target.name())

    def insert_into_edge(self, node: BaseNode, source: BaseNode, port: str, target: BaseNode) -> None:
        placement.insert(node, source, port, target)

    def type_dropped(self, type_key: str, pos: tuple[float, float]) -> None:
        """A palette entry dropped on the canvas: the node goes where it was dropped, into the edge
        under it if there is one, and never on top of another node; one undo step."""
        self.add_node_at(type_key, pos)

    def add_node_at(self, type_key: str, pos: tuple[float, float], into_edge: bool = True) -> BaseNode:
        """Add a node with the middle of its title at ``pos``, in one undo step: into the edge
        there (when ``into_edge``), and moved to the nearest spot where it covers no other node."""
        edge = placement.edge_near(self, pos) if into_edge else None
        kind = NODE_CLASSES_BY_KEY[type_key]
        name = translate("Canvas", "add “{name}”").format(name=kind.NODE_NAME) if edge is None else translate(
            "Canvas", "insert '{node}' between '{a}' and '{b}'").format(node=kind.NODE_NAME, a=edge[0].name(),
                                                                        b=edge[2].name())
        stack = self.undo_stack()
        stack.beginMacro(name)
        try:
            node = self.create_node(type_key, pos=[pos[0], pos[1]])
            node.set_pos(pos[0] - node.view.width / 2, pos[1] - placement.TITLE_MIDDLE)
            if edge is not None:
                placement.insert(node, *edge)
            placement.place_free(self, node)
        finally:
            stack.endMacro()
        self.select_only([node])
        return node

    def renamed_on_canvas(self, node: BaseNode, name: str) -> None:
        """A title typed on the canvas: an empty one gives back the type's name."""
        name = name.strip() or type_title(node.scenarist_type)
        if name != node.name():
            node.set_property("name", name)  # as the form renames: one step, "rename ..."
        else:
            node.view.text_item.setPlainText(name)  # what was typed (spaces) goes; the title stays

    def _give_id(self, node: BaseNode) -> None:
        if not self.loading and not node.get_property("node_id"):
            taken = {n.get_property("node_id") for n in self.all_nodes()}
            node.set_property("node_id", _fresh_id(node.scenarist_type, taken), push_undo=False)
            # Untitled until the user renames it: the file then keeps no title for it.
            node.set_property("shown_name", node.name(), push_undo=False)

    def connection_refused_by_viewer(self, reason: str) -> None:
        self.connection_refused.emit(reason)

    def connection_made_by_viewer(self, message: str) -> None:
        self.connection_moved.emit(message)

    def connection_words(self, disconnected: list, connected: list) -> tuple[str, str | None]:
        """Name the change as the user sees it: an edge moved, made or removed, by the nodes' titles."""
        nodes = self.model.nodes

        def ends(pair: list) -> tuple[Any, Any, str]:
            out, inp = (pair[0], pair[1]) if pair[0].port_type == "out" else (pair[1], pair[0])
            return nodes[out.node.id], nodes[inp.node.id], out.name

        if disconnected and connected:
            source, old, port = ends(disconnected[0])
            _, new, _ = ends(connected[0])
            words = {"node": source.name(), "port": port_name(source.scenarist_type, port)}
            return (translate("Canvas", "move the edge '{port}' of '{node}'").format(**words),
                    translate("Canvas", "The edge '{port}' of '{node}' now leads to '{new}' instead of '{old}'. "
                                        "Undo brings it back.").format(**words, new=new.name(), old=old.name()))
        if connected:
            source, target, port = ends(connected[0])
            return translate("Canvas", "connect '{a}' to '{b}'").format(a=source.name(), b=target.name()), None
        source, target, port = ends(disconnected[0])
        return translate("Canvas", "remove the edge from '{a}' to '{b}'").format(a=source.name(), b=target.name()), \
            None

    def refuse_connection(self, disconnected: list, connected: list) -> str | None:
        """The viewer's request to change edges: a second edge on an output or a loop is refused."""
        start = drag_start_port(self)  # the port the drag began at
        nodes = self.model.nodes
        for p1, p2 in connected:
            out, inp = (p1, p2) if p1.port_type == "out" else (p2, p1)
            source, target = nodes[out.node.id], nodes[inp.node.id]
            if out is not start and out.connected_ports:  # dragging onto a busy output, not re-routing it
                return translate("Canvas", "Output '{port}' of '{node}' already has an edge: an output leads to one "
                                 "node. Drag the edge's end to move it, or delete it first.").format(
                    port=port_name(source.scenarist_type, out.name), node=source.name())
            if source is target or self._reaches(target, source, skip=disconnected):
                return translate("Canvas", "Connecting '{a}' to '{b}' would make a loop; a customer must not come back "
                           "to a node.").format(a=source.name(), b=target.name())
        return None

    def _reaches(self, start: BaseNode, goal: BaseNode, skip: list) -> bool:
        skipped = {(a.node.id, a.name, b.node.id) for a, b in skip} | {(b.node.id, b.name, a.node.id) for a, b in skip}
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node is goal:
                return True
            if node.id in seen:
                continue
            seen.add(node.id)
            for port in node.output_ports():
                todo += [t.node() for t in port.connected_ports() if (node.id, port.name(), t.node().id) not in skipped]
        return False


def new_graph() -> ScenarioGraph:
    """A graph that knows every node type of the registry."""
    return ScenarioGraph()


def type_key(type_name: str) -> str:
    """NodeGraphQt's type string of one of our node types."""
    return f"{IDENTIFIER}.{NODE_CLASSES[type_name].__name__}"



def params_of(node: BaseNode) -> dict:
    """A canvas node's parameters."""
    return json.loads(node.get_property("params_json"))


def outgoing(node: BaseNode) -> list[tuple[str, BaseNode]]:
    """(port, target node) of each edge leaving a canvas node."""
    return [(port.name(), t.node()) for port in node.output_ports() for t in port.connected_ports()]


def set_params(node: BaseNode, params: dict, edges: list[tuple[str, BaseNode]] | None = None) -> None:
    """Give a node new parameters without an undo entry, re-making its ports when they change
    (a split's branches) and keeping the edges of ports that still exist."""
    keep = outgoing(node) if edges is None else edges
    node.set_property("params_json", json.dumps(params, ensure_ascii=False), push_undo=False)
    ports = REGISTRY[node.scenarist_type].ports(params)
    if [p.name() for p in node.output_ports()] != ports:
        _set_outputs(node, ports)
    for port, target in keep:
        out = node.get_output(port)
        if out is not None and target.graph is not None and not out.connected_ports():
            out.connect_to(target.get_input("in"), push_undo=False)


class ParamsCommand(QUndoCommand):
    """An undoable change of one node's parameters (and so, for a split, of its ports)."""

    def __init__(self, node: BaseNode, params: dict, text: str) -> None:
        super().__init__(text)
        self.node, self.new = node, params
        self.old, self.old_edges = params_of(node), outgoing(node)

    def redo(self) -> None:
        set_params(self.node, self.new)

    def undo(self) -> None:
        set_params(self.node, self.old, self.old_edges)


def _set_outputs(node: BaseNode, ports: list[str]) -> None:
    """Make a node's output ports exactly ``ports`` (a split's branches come from its parameters)."""
    if [p.name() for p in node.output_ports()] == ports:
        return
    for port in list(node.output_ports()):
        for target in port.connected_ports():  # delete_output leaves the other end's record behind
            port.disconnect_from(target, push_undo=False)
        node.delete_output(port)
    for port in ports:
        add_output(node, port)
    label_ports(node)


def load_into(graph: NodeGraph, scenario: Scenario) -> dict[str, BaseNode]:
    """Draw a scenario on an empty graph; returns its canvas nodes by our node id."""
    by_id: dict[str, BaseNode] = {}
    if isinstance(graph, ScenarioGraph):
        graph.loading = True
    try:
        _draw(graph, scenario, by_id)
    finally:
        if isinstance(graph, ScenarioGraph):
            graph.loading = False
    graph.clear_undo_stack()
    return by_id


def _draw(graph: NodeGraph, scenario: Scenario, by_id: dict[str, BaseNode]) -> None:
    for node in scenario.nodes:
        drawn = graph.create_node(type_key(node.type), name=node.title or type_title(node.type),
                                  pos=[float(node.position[0]), float(node.position[1])], push_undo=False)
        drawn.set_property("node_id", node.id, push_undo=False)
        drawn.set_property("params_json", json.dumps(node.params, ensure_ascii=False), push_undo=False)
        drawn.set_property("title", node.title or "", push_undo=False)
        drawn.set_property("shown_name", drawn.name(), push_undo=False)
        _set_outputs(drawn, REGISTRY[node.type].ports(node.params))
        by_id[node.id] = drawn
    for edge in scenario.edges:
        by_id[edge.source].get_output(edge.port).connect_to(by_id[edge.target].get_input("in"), push_undo=False)
    if isinstance(graph, ScenarioGraph):
        graph.notes.load(scenario.notes)


def to_scenario(graph: NodeGraph, template: Scenario) -> Scenario:
    """The scenario drawn on the graph; name, id, description and settings come from ``template``."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    for drawn in graph.all_nodes():
        type_name = drawn.scenarist_type
        title = drawn.get_property("title") if drawn.name() == drawn.get_property("shown_name") else drawn.name()
        nodes.append(Node(id=drawn.get_property("node_id"), type=type_name, params=params_of(drawn),
                          title=title or None,
                          position=(round(drawn.pos()[0], 2), round(drawn.pos()[1], 2))))
        for port in drawn.output_ports():
            for target in port.connected_ports():
                edges.append(Edge(drawn.get_property("node_id"), port.name(), target.node().get_property("node_id")))
    notes = graph.notes.notes() if isinstance(graph, ScenarioGraph) else []
    return Scenario(name=template.name, nodes=nodes, edges=edges, settings=dict(template.settings),
                    description=template.description, id=template.id, notes=notes)


def ensure_unique_ids(graph: NodeGraph) -> list[BaseNode]:
    """Give a new id to every node whose id is empty or taken by an earlier node (pasted or
    duplicated nodes keep their parameters but never their ids); returns the renamed nodes."""
    taken: set[str] = set()
    renamed = []
    for drawn in graph.all_nodes():
        node_id = drawn.get_property("node_id")
        if not node_id or node_id in taken:
            node_id = _fresh_id(drawn.scenarist_type, taken | {n.get_property("node_id") for n in graph.all_nodes()})
            drawn.set_property("node_id", node_id, push_undo=False)
            renamed.append(drawn)
        taken.add(node_id)
    return renamed


def _fresh_id(type_name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]", "", type_name.lower()) or "node"
    n = 1
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


def node_by_id(graph: NodeGraph, node_id: str) -> Any:
    """The canvas node with our id, or None."""
    return next((n for n in graph.all_nodes() if n.get_property("node_id") == node_id), None)
