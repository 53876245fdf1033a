"""The scenario file: round trip, schema, and one clear message per kind of problem."""

from __future__ import annotations

import json

import jsonschema
import pytest

from engine.problems import ScenarioError
from engine.scenario import dumps, from_dict, load, parse_text, save
from engine.schema import schema_text
from engine.validation import validate
from tests.helpers import REACTIVATION, ROOT, reactivation


def messages(data: dict, fields: set[str] | None = None) -> list[str]:
    return [str(p) for p in validate(data, fields) if p.severity == "error"]


def test_round_trip_is_byte_identical(tmp_path):
    original = REACTIVATION.read_text(encoding="utf-8")
    scenario = load(REACTIVATION)
    assert dumps(scenario) == original
    save(scenario, tmp_path / "copy.scenario.json")
    again = load(tmp_path / "copy.scenario.json")
    assert again.to_dict() == scenario.to_dict()
    assert [n.id for n in again.nodes] == [n.id for n in scenario.nodes]


def test_saved_keys_keep_their_order():
    data = reactivation()
    shuffled = {k: data[k] for k in reversed(list(data))}
    shuffled["nodes"] = [{k: n[k] for k in reversed(list(n))} for n in data["nodes"]]
    assert dumps(from_dict(shuffled)) == REACTIVATION.read_text(encoding="utf-8")


def test_shipped_schema_is_the_generated_one_and_accepts_the_template():
    shipped = (ROOT / "resources" / "scenario.schema.json").read_text(encoding="utf-8")
    assert shipped == schema_text()
    schema = json.loads(shipped)
    jsonschema.validate(reactivation(), schema)
    broken = reactivation()
    broken["nodes"][3]["params"]["days"] = "seven"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def _node(data: dict, node_id: str) -> dict:
    return next(n for n in data["nodes"] if n["id"] == node_id)


def mutate_unknown_type(d):
    _node(d, "wait7")["type"] = "teleport"


def mutate_cycle(d):
    d["edges"].append({"source": "used", "port": "yes", "target": "promo"})


def mutate_dangling(d):
    d["edges"].append({"source": "mail3", "port": "out", "target": "nowhere"})


def mutate_unknown_port(d):
    d["edges"].append({"source": "mail3", "port": "maybe", "target": "used"})


def mutate_two_edges(d):
    d["edges"].append({"source": "churned", "port": "yes", "target": "mail3"})


def mutate_duplicate_id(d):
    _node(d, "mail3")["id"] = "mail2"


def mutate_no_trigger(d):
    d["nodes"] = [n for n in d["nodes"] if n["type"] != "trigger"]
    d["edges"] = [e for e in d["edges"] if e["source"] != "start"]


def mutate_two_triggers(d):
    d["nodes"].append({"id": "start2", "type": "trigger", "position": [0, 0],
                       "params": {"kind": "schedule", "at": "09:00"}})


def mutate_bad_time(d):
    _node(d, "start")["params"]["at"] = "25:61"


def mutate_bad_timezone(d):
    d["settings"]["timezone"] = "Mars/Olympus"


def mutate_bad_type(d):
    _node(d, "wait7")["params"]["days"] = "seven"


def mutate_bad_range(d):
    _node(d, "wait7")["params"]["days"] = 0


def mutate_jinja(d):
    _node(d, "mail1")["params"]["body"] = "Hello\n{{ customer.first_name }\n"


def mutate_missing_ref(d):
    _node(d, "used")["params"]["conditions"][0]["node"] = "ghost"


def mutate_since_missing(d):
    d["settings"]["goal"]["conditions"][0]["since"] = "node:ghost"


def mutate_bad_op(d):
    _node(d, "churned")["params"]["conditions"][1]["op"] = "is_maybe"


def mutate_nul(d):
    _node(d, "churned")["params"]["conditions"].append(
        {"kind": "field", "field": "city", "op": "eq", "value": "Mos\x00cow"})


PROBLEMS = [
    (mutate_unknown_type, "node 'wait7', field 'type': unknown node type 'teleport'"),
    (mutate_cycle, "the edges make a cycle: promo -> mail2 -> wait12 -> used -> promo"),
    (mutate_dangling, "node 'mail3', field 'edges[8].target': edge to a missing node 'nowhere'"),
    (mutate_unknown_port, "node 'mail3', field 'edges[8].port': a message node has no output port 'maybe'"),
    (mutate_two_edges, "node 'churned', field 'edges[8].port': output 'yes' already has an edge (edges[1])"),
    (mutate_duplicate_id, "node 'mail2', field 'id': two nodes have the id 'mail2'"),
    (mutate_no_trigger, "a scenario needs exactly one trigger node (found none)"),
    (mutate_two_triggers, "a scenario needs exactly one trigger node (found 2: start, start2)"),
    (mutate_bad_time, "node 'start', field 'params.at': '25:61' is not a time of day"),
    (mutate_bad_timezone, "field 'settings.timezone': 'Mars/Olympus' is not a known timezone"),
    (mutate_bad_type, "node 'wait7', field 'params.days': must be a whole number, not text 'seven'"),
    (mutate_bad_range, "node 'wait7', field 'params.days': must be at least 1, not 0"),
    (mutate_jinja, "node 'mail1', field 'params.body': the text has a mistake: line 2:"),
    (mutate_missing_ref, "node 'used', field 'params.conditions[0].node': refers to a missing node 'ghost'"),
    (mutate_since_missing, "field 'settings.goal.conditions[0].since': refers to a missing node"),
    (mutate_bad_op, "node 'churned', field 'params.conditions[1].op': unknown operator 'is_maybe'"),
    (mutate_nul, "node 'churned', field 'params.conditions[5].value': contains a NUL character"),
]


@pytest.mark.parametrize(("mutate", "expected"), PROBLEMS, ids=[m.__name__[7:] for m, _ in PROBLEMS])
def test_each_problem_has_its_own_message(mutate, expected):
    data = reactivation()
    mutate(data)
    found = messages(data)
    assert any(expected in m for m in found), found
    with pytest.raises(ScenarioError):
        from_dict(data)


def test_every_problem_is_reported_at_once():
    data = reactivation()
    mutate_bad_time(data)
    mutate_jinja(data)
    mutate_dangling(data)
    assert len(messages(data)) == 3


def test_field_the_crm_lacks_is_named():
    data = reactivation()
    _node(data, "churned")["params"]["conditions"].append(
        {"kind": "field", "field": "loyalty_tier", "op": "eq", "value": "gold"})
    fields = {"id", "email", "phone", "first_name", "last_name", "registered_at",
              "email_subscribed", "sms_subscribed"}
    assert ("node 'churned', field 'params.conditions[5].field': the CRM has no customer field "
            "'loyalty_tier'") in messages(data, fields)
    assert messages(data) == []  # without a CRM at hand, extra fields are not judged


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d.update(format="other.format"), "not a Scenarist scenario: 'format' is 'other.format'"),
    (lambda d: d.update(version=2), "written by a newer Scenarist (format version 2)"),
])
def test_other_format_or_newer_version_is_refused(change, expected):
    data = reactivation()
    change(data)
    assert any(expected in m for m in messages(data))


@pytest.mark.parametrize(("text", "line"), [
    ('{\n  "format": "scenarist.scenario",\n  "version": 1,\n  "nodes": [\n', 5),
    ('{\n  "format": "scenarist.scenario"\n  "version": 1\n}\n', 3),
    ("not json at all", 1),
])
def test_broken_json_reports_the_line(text, line):
    with pytest.raises(ScenarioError) as caught:
        parse_text(text)
    problem = caught.value.problems[0]
    assert problem.line == line
    assert str(problem).startswith(f"line {line}: not valid JSON")


def test_truncated_file_says_so():
    text = REACTIVATION.read_text(encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        parse_text(text[: len(text) // 2])
    assert "ends too early" in str(caught.value)


def test_a_long_chain_validates_and_its_cycle_is_found():
    data = reactivation()
    data["nodes"] = data["nodes"][:1] + [
        {"id": f"w{i}", "type": "wait", "position": [i, 0], "params": {"days": 1}} for i in range(3000)]
    data["edges"] = [{"source": "start", "port": "out", "target": "w0"}] + [
        {"source": f"w{i}", "port": "out", "target": f"w{i + 1}"} for i in range(2999)]
    assert messages(data) == []
    data["edges"].append({"source": "w2999", "port": "out", "target": "w5"})
    assert any(m.startswith("node 'w5', field 'edges': the edges make a cycle: w5 -> w6") for m in messages(data))
