"""The canvas model: node classes from the registry, and scenario <-> graph without loss."""

from __future__ import annotations

import pytest

from editor.graph import NODE_CLASSES, ensure_unique_ids, load_into, new_graph, node_by_id, params_of, to_scenario
from engine.nodes import REGISTRY
from engine.scenario import dumps, from_dict, load
from tests.helpers import REACTIVATION, ROOT, reactivation
from tests.test_engine import points_scenario


@pytest.fixture
def graph(qtbot):
    made = new_graph()
    qtbot.addWidget(made.widget)
    return made


def test_every_registered_type_has_a_canvas_class_with_its_ports(graph):
    assert set(NODE_CLASSES) == set(REGISTRY)
    for name, decl in REGISTRY.items():
        drawn = graph.create_node(f"scenarist.{NODE_CLASSES[name].__name__}", push_undo=False)
        assert [p.name() for p in drawn.output_ports()] == decl.ports(decl.defaults())
        assert bool(drawn.input_ports()) == decl.has_input
        assert params_of(drawn) == decl.defaults()


def test_the_template_survives_a_trip_through_the_canvas(graph, tmp_path):
    scenario = load(REACTIVATION)
    load_into(graph, scenario)
    assert graph.undo_stack().count() == 0  # loading is not an edit
    assert dumps(to_scenario(graph, scenario)) == REACTIVATION.read_text(encoding="utf-8")
    graph.widget.resize(1400, 500)
    graph.widget.show()
    graph.select_all()
    graph.fit_to_selection()
    graph.clear_selection()
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    shot = graph.widget.grab()
    shot.save(str(ROOT / "test-artifacts" / "canvas-reactivation.png"))
    image = shot.toImage()
    assert len({image.pixel(x, y) for x in range(0, image.width(), 9) for y in range(0, image.height(), 9)}) > 20


def test_split_branches_become_ports_and_survive(graph):
    data = points_scenario()
    data["nodes"][2] = {"id": "ab", "type": "split", "params": {"branches": [
        {"port": "a", "weight": 60}, {"port": "b", "weight": 30}, {"port": "c", "weight": 10}]}}
    data["edges"][1] = {"source": "subscribed", "port": "yes", "target": "ab"}
    data["edges"][2] = {"source": "ab", "port": "c", "target": "tell"}
    scenario = from_dict(data)
    drawn = load_into(graph, scenario)
    assert [p.name() for p in drawn["ab"].output_ports()] == ["a", "b", "c"]
    assert to_scenario(graph, scenario).to_dict() == scenario.to_dict()


def test_outputs_take_one_edge_and_pasted_nodes_get_new_ids(graph):
    scenario = from_dict(reactivation())
    load_into(graph, scenario)
    assert not node_by_id(graph, "churned").get_output("yes").multi_connection()  # one edge per output
    graph.copy_nodes([node_by_id(graph, "churned"), node_by_id(graph, "mail1")])
    graph.paste_nodes()
    renamed = ensure_unique_ids(graph)
    assert sorted(n.get_property("node_id") for n in renamed) == ["filter1", "message1"]
    ids = [n.get_property("node_id") for n in graph.all_nodes()]
    assert len(ids) == len(set(ids)) == 11  # the 9 nodes and the 2 pasted
    assert params_of(node_by_id(graph, "filter1")) == params_of(node_by_id(graph, "churned"))
