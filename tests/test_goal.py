"""The scenario's goal, on a real SQLite file and the real PostgreSQL: customers who order during a
wait, an action delay or a closed sending window get nothing more, and the counts say so."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from app.lookup import lookup_customer
from app.report import build_report
from connectors.crm import Crm
from engine.history import run_history
from engine.problems import ScenarioError
from engine.runner import preview
from engine.scenario import from_dict
from engine.validation import validate
from tests.helpers import engine_for, make_crm, rows
from tests.test_engine_events import add, at, local, mail, measured, people, run, scenario

ORDERED_SINCE_ENTRY = {"match": "all", "conditions": [
    {"kind": "orders", "agg": "count", "since": "entry", "op": "ge", "value": 1}]}


def chain() -> dict:
    """A reminder, a 3-day wait, a second email 2 days after (an action delay), a third."""
    return scenario({}, [mail("m1"), {"id": "w", "type": "wait", "params": {"days": 3}},
                         mail("m2", delay_days=2), mail("m3")],
                    [("start", "out", "m1"), ("m1", "out", "w"), ("w", "out", "m2"), ("m2", "out", "m3")],
                    goal=ORDERED_SINCE_ENTRY)


def order(url: str, customer: int, days: float, status: str = "completed") -> None:
    add(url, "orders", [{"customer_id": customer, "created_at": local(days, 12), "total": 1000, "status": status}])


def test_orders_during_a_wait_and_an_action_delay_end_the_scenario_by_its_goal(crm_url):
    make_crm(crm_url, people(4), [{"customer_id": 4, "created_at": local(-30), "total": 500}])
    data = chain()
    first = run(crm_url, data, at(0))
    assert (first["entered"], first["queued"], first["goal"]) == (4, 4, 0)  # an order before entry is no goal
    order(crm_url, 1, 1)
    order(crm_url, 3, 1, status="cancelled")  # not a completed order: no goal
    third = run(crm_url, data, at(3))  # customer 1 ordered while waiting at w
    assert third["goal"] == 1 and third["nodes"]["w"]["goal"] == 1 and third["nodes"]["m2"]["goal"] == 0
    assert (third["queued"], third["nodes"]["m2"]["waiting"]) == (0, 3)  # held by the action delay
    order(crm_url, 2, 4)
    crm = Crm.open(crm_url)
    try:
        foreseen = preview(from_dict(data), crm, at(5)).to_json()
    finally:
        crm.dispose()
    assert (foreseen["goal"], foreseen["nodes"]["m2"]["goal"], foreseen["queued"]) == (1, 1, 4)  # m2 and m3
    fifth = run(crm_url, data, at(5))  # customer 2 ordered during the action delay
    assert (fifth["goal"], fifth["nodes"]["m2"]["goal"], fifth["queued"]) == (1, 1, 4)
    assert rows(crm_url, "SELECT node_id, customer_id FROM scenarist_outbox ORDER BY node_id, customer_id") == [
        ("m1", 1), ("m1", 2), ("m1", 3), ("m1", 4), ("m2", 3), ("m2", 4), ("m3", 3), ("m3", 4)]
    assert rows(crm_url, "SELECT customer_id, status, node_id, exit_port FROM scenarist_enrolments "
                         "ORDER BY customer_id") == [
        (1, "finished", "w", "goal"), (2, "finished", "m2", "goal"),
        (3, "finished", "m3", "out"), (4, "finished", "m3", "out")]
    assert rows(crm_url, "SELECT goal FROM scenarist_runs ORDER BY at") == [(0,), (1,), (1,)]
    crm = Crm.open(crm_url)
    try:
        with crm.engine.connect() as conn:
            assert [r.goal for r in run_history(conn, "test")] == [1, 1, 0]  # the Scheduler tab's column
    finally:
        crm.dispose()
    again = run(crm_url, data, at(5))  # the same moment again: the history's figures, nothing new
    assert (again["goal"], again["nodes"]["m2"]["goal"], again["queued"]) == (1, 1, 4)
    crm = Crm.open(crm_url)  # and the customer lookup says so, in each language
    try:
        english = lookup_customer(crm, from_dict(data), "1", at(5)).enrolments[0]["end"]
        russian = lookup_customer(crm, from_dict(data), "1", at(5), lang="ru").enrolments[0]["end"]
    finally:
        crm.dispose()
    assert (english["how"], english["node"]) == ("goal", "w")
    assert english["words"].startswith(f"reached the scenario's goal while at '{english['title']}' on ")
    assert english["words"].endswith(": nothing more was sent")
    assert russian["title"] == "Подождать"
    assert russian["words"].startswith("достиг цели сценария на шаге «Подождать» ")


def test_customers_held_by_a_closed_sending_window_leave_by_the_goal(crm_url):
    make_crm(crm_url, people(3), [])
    window = {"weekdays": [1, 2, 3, 4, 5], "from": "12:00", "to": "20:00"}
    data = scenario({}, [{"id": "w", "type": "wait", "params": {"days": 5}}, mail("m")],
                    [("start", "out", "w"), ("w", "out", "m")], send_window=window, goal=ORDERED_SINCE_ENTRY)
    run(crm_url, data, at(0, 12))
    saturday = run(crm_url, data, at(5, 12))
    assert (saturday["queued"], saturday["nodes"]["m"]["waiting"]) == (0, 3)
    order(crm_url, 2, 6)  # on Sunday, while the window is shut
    monday = run(crm_url, data, at(7, 12))
    assert (monday["goal"], monday["nodes"]["m"]["goal"], monday["queued"]) == (1, 1, 2)
    assert rows(crm_url, "SELECT customer_id FROM scenarist_outbox ORDER BY customer_id") == [(1,), (3,)]


def test_a_goal_is_checked_like_a_filter_and_kept_in_the_file():
    bad = scenario({}, [mail("m")], [("start", "out", "m")],
                   goal={"match": "most", "conditions": [{"kind": "orders", "agg": "count", "op": "big"}]})
    assert {p.field for p in validate(bad) if p.severity == "error"} == {
        "settings.goal.match", "settings.goal.conditions[0].op", "settings.goal.conditions[0].value"}
    empty = scenario({}, [mail("m")], [("start", "out", "m")], goal={"match": "all", "conditions": []})
    assert [p.code for p in validate(empty)] == ["goal.empty"]
    data = chain()
    assert from_dict(data).to_dict()["settings"]["goal"] == ORDERED_SINCE_ENTRY
    plain = scenario({}, [mail("m")], [("start", "out", "m")])
    assert "goal" not in from_dict(plain).to_dict()["settings"]


def test_a_goal_on_a_customer_field_is_checked_against_the_crm(sqlite_url):
    field = "email_subscribed"
    make_crm(sqlite_url, people(2), [])
    data = scenario({}, [{"id": "w", "type": "wait", "params": {"days": 2}}, mail("m")],
                    [("start", "out", "w"), ("w", "out", "m")],
                    goal={"match": "all", "conditions": [{"kind": "field", "field": field, "op": "is_false"}]})
    run(sqlite_url, data, at(0))
    engine = engine_for(sqlite_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE customers SET email_subscribed = 0 WHERE id = 1")
    engine.dispose()
    later = run(sqlite_url, data, at(2))
    assert (later["goal"], later["nodes"]["w"]["goal"], later["queued"]) == (1, 1, 1)
    missing = scenario({}, [mail("m")], [("start", "out", "m")],
                       goal={"match": "all", "conditions": [{"kind": "field", "field": "no_such", "op": "is_set"}]})
    crm = Crm.open(sqlite_url)
    try:
        with pytest.raises(ScenarioError) as refused:
            preview(from_dict(missing), crm, at(3))
    finally:
        crm.dispose()
    assert [p.field for p in refused.value.problems] == ["settings.goal.conditions[0].field"]


def test_with_a_goal_a_message_converts_the_customers_who_reached_it_within_its_window(crm_url):
    make_crm(crm_url, people(3), [])
    data = scenario({}, [mail("m1", conversion_days=3), {"id": "w", "type": "wait", "params": {"days": 7}},
                         mail("m2")], [("start", "out", "m1"), ("m1", "out", "w"), ("w", "out", "m2")],
                    goal=ORDERED_SINCE_ENTRY)
    run(crm_url, data, at(0))
    order(crm_url, 1, 1)
    run(crm_url, data, at(2))  # customer 1 reaches the goal 2 days after m1: within its 3 days
    order(crm_url, 2, 5)
    run(crm_url, data, at(6))  # customer 2 only 6 days after: not m1's
    found = measured(crm_url, data)
    assert found["m1"].to_json() == {"messages": 3, "customers": 1, "orders": 1, "revenue": 1000.0,
                                     "rate": 0.3333, "measure": "goal"}
    page = build_report(from_dict(data), picture_png=None, counts=None, simulation=None,
                        generated_at=datetime(2026, 3, 9), results={k: v.to_json() for k, v in found.items()})
    assert "Reached the goal" in page and "Customers who ordered" not in page
    assert "Customers with at least 1 order since entering the scenario have reached the goal" in page


def test_run_and_preview_json_on_the_command_line_show_who_left_by_the_goal(crm_url, tmp_path):
    from tests.test_cli import cli

    make_crm(crm_url, people(3), [])
    path = tmp_path / "chain.scenario.json"
    path.write_text(json.dumps(chain()), encoding="utf-8")
    assert cli("run", str(path), "--crm", crm_url, "--at", at(0).isoformat(), "--no-deliver").returncode == 0
    order(crm_url, 3, 2)
    seen = cli("preview", str(path), "--crm", crm_url, "--at", at(3).isoformat(), "--json")
    foreseen = json.loads(seen.stdout)
    assert (foreseen["goal"], foreseen["nodes"]["w"]["goal"], foreseen["nodes"]["m1"]["goal"]) == (1, 1, 0)
    done = cli("run", str(path), "--crm", crm_url, "--at", at(3).isoformat(), "--no-deliver", "--json")
    result = json.loads(done.stdout)
    assert (result["goal"], result["nodes"]["w"]["goal"], result["nodes"]["m2"]["waiting"]) == (1, 1, 2)
    table = cli("run", str(path), "--crm", crm_url, "--at", at(3).isoformat(), "--no-deliver").stdout
    assert [line.split()[:5] for line in table.splitlines() if line.strip().startswith("w ")] == [
        ["w", "wait", "0", "0", "1"]]
