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

from NodeGraphQt import BaseNode, NodeGraph

from engine.nodes import REGISTRY, NodeType
from engine.scenario import Edge, Node, Scenario

IDENTIFIER = "scenarist"
HIDDEN = 0  # NodeGraphQt widget type: not shown in its own property panel


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _make_class(declaration: NodeType) -> type[BaseNode]:
    def __init__(self: BaseNode) -> None:
        BaseNode.__init__(self)
        if declaration.has_input:
            self.add_input("in", multi_input=True)
        for port in declaration.ports(declaration.defaults()):
            self.add_output(port, multi_output=False)  # an output port takes one edge
        self.create_property("node_id", "", widget_type=HIDDEN)
        self.create_property("params_json", json.dumps(declaration.defaults()), widget_type=HIDDEN)
        # The file's title, and the name the canvas showed for it: NodeGraphQt makes shown names
        # unique ("Send message 1"), which must not leak into the file unless the user renames.
        self.create_property("title", "", widget_type=HIDDEN)
        self.create_property("shown_name", "", widget_type=HIDDEN)
        self.set_color(*_rgb(declaration.color))
        self.set_port_deletion_allowed(True)

    name = "".join(part.capitalize() for part in declaration.name.split("_")) + "Node"
    return type(name, (BaseNode,), {"__identifier__": IDENTIFIER, "NODE_NAME": declaration.title,
                                    "__init__": __init__, "scenarist_type": declaration.name})


NODE_CLASSES: dict[str, type[BaseNode]] = {name: _make_class(decl) for name, decl in REGISTRY.items()}


def new_graph() -> NodeGraph:
    """A graph that knows every node type of the registry."""
    graph = NodeGraph()
    for cls in NODE_CLASSES.values():
        graph.register_node(cls)
    return graph


def _type_key(type_name: str) -> str:
    return f"{IDENTIFIER}.{NODE_CLASSES[type_name].__name__}"


def params_of(node: BaseNode) -> dict:
    """A canvas node's parameters."""
    return json.loads(node.get_property("params_json"))


def _set_outputs(node: BaseNode, ports: list[str]) -> None:
    """Make a node's output ports exactly ``ports`` (a split's branches come from its parameters)."""
    if [p.name() for p in node.output_ports()] == ports:
        return
    for port in list(node.output_ports()):
        node.delete_output(port)
    for port in ports:
        node.add_output(port, multi_output=False)


def load_into(graph: NodeGraph, scenario: Scenario) -> dict[str, BaseNode]:
    """Draw a scenario on an empty graph; returns its canvas nodes by our node id."""
    by_id: dict[str, BaseNode] = {}
    for node in scenario.nodes:
        drawn = graph.create_node(_type_key(node.type), name=node.title or REGISTRY[node.type].title,
                                  pos=[float(node.position[0]), float(node.position[1])], push_undo=False)
        drawn.set_property("node_id", node.id, push_undo=False)
        drawn.set_property("params_json", json.dumps(node.params, ensure_ascii=False), push_undo=False)
        drawn.set_property("title", node.title or "", push_undo=False)
        drawn.set_property("shown_name", drawn.name(), push_undo=False)
        _set_outputs(drawn, REGISTRY[node.type].ports(node.params))
        by_id[node.id] = drawn
    for edge in scenario.edges:
        by_id[edge.source].get_output(edge.port).connect_to(by_id[edge.target].get_input("in"), push_undo=False)
    graph.clear_undo_stack()
    return by_id


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
    return Scenario(name=template.name, nodes=nodes, edges=edges, settings=dict(template.settings),
                    description=template.description, id=template.id)


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
