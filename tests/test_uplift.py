"""Control groups and uplift: Newcombe's interval against the published example, a control
branch's conversions by hand on a small CRM (both databases), the scenario-wide control share."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from connectors.crm import Crm
from engine.holdout import is_held_out
from engine.runner import tick
from engine.scenario import from_dict
from engine.uplift import Group, compare, newcombe, uplift_json, wilson
from engine.validation import validate
from tests.helpers import make_crm, query
from tests.test_cli import cli
from tests.test_engine_events import add
from tests.test_engine_events import scenario as scenario_of

START = datetime.fromisoformat("2026-03-02T10:00:00+03:00")


def test_newcombe_method_10_matches_the_published_example():
    # Newcombe (1998), Statistics in Medicine 17:873-890, table II, example (a): 56/70 vs 48/80.
    d, low, high = newcombe(56, 70, 48, 80)
    assert round(d, 4) == 0.2 and round(low, 4) == 0.0524 and round(high, 4) == 0.3339
    # Example (b) of the same table: 9/10 vs 3/10 -> 0.6, 0.1705 to 0.8090.
    d, low, high = newcombe(9, 10, 3, 10)
    assert (round(d, 4), round(low, 4), round(high, 4)) == (0.6, 0.1705, 0.809)
    lo, hi = wilson(0, 10)
    assert lo == 0.0 and round(hi, 4) == 0.2775


def test_too_few_customers_say_so_instead_of_a_number():
    small = compare(Group(20, 5, 5, 500.0), Group(20, 1, 1, 100.0, control=True))
    assert small["verdict"] == "too_small" and small["uplift"] is None
    big = compare(Group(70, 56, 60, 6000.0), Group(80, 48, 50, 4000.0, control=True))
    assert big["verdict"] == "better" and (big["uplift"], big["low"], big["high"]) == (0.2, 0.0524, 0.3339)
    assert big["relative"] == round(0.2 / 0.6, 4)
    # 60 orders against the 50 * 70/80 = 43.75 the control's rate would bring: 16.25 more.
    assert big["incremental_orders"] == round(60 - 50 * 70 / 80, 1)
    assert big["incremental_revenue"] == 6000.0 - 4000.0 * 70 / 80


AB = scenario_of({}, [
    {"id": "ab", "type": "split", "title": "Test or control", "params": {"branches": [
        {"port": "mail", "weight": 50}, {"port": "hold", "weight": 50, "control": True}]}},
    {"id": "m1", "type": "message", "title": "Offer", "params": {"channel": "email", "subject": "Hi", "body": "Hi"}},
    {"id": "out", "type": "exit", "params": {}},
], [("start", "out", "ab"), ("ab", "mail", "m1"), ("m1", "out", "out")], id="ab-test")


def test_a_control_branch_must_get_nothing():
    data = json.loads(json.dumps(AB))
    data["edges"].append({"source": "ab", "port": "hold", "target": "m1"})
    found = [(p.node, p.code) for p in validate(data)]
    assert ("ab", "node.split.control_acts") in found
    data = json.loads(json.dumps(AB))
    data["nodes"][1]["params"]["branches"][0]["control"] = True
    assert ("ab", "node.split.two_controls") in [(p.node, p.code) for p in validate(data)]


def test_the_control_branch_converts_as_counted_by_hand(crm_url, tmp_path):
    customers = [{"id": i, "email": f"c{i}@example.com"} for i in range(1, 11)]
    make_crm(crm_url, customers, [])
    crm = Crm.open(crm_url)
    try:
        scenario = from_dict(AB)
        tick(scenario, crm, START)
        got = dict(query(crm_url, "SELECT customer_id, exit_port FROM scenarist_enrolments "
                                  "WHERE node_id = 'ab'"))
        control = sorted(c for c, port in got.items() if port == "hold")
        treated = sorted(set(range(1, 11)) - set(control))
        assert len(control) + len(treated) == 10 and control and treated
        entered = START.replace(tzinfo=None)
        orders = [  # within the week from taking the branch, except the last one
            {"customer_id": control[0], "created_at": entered + timedelta(days=2), "total": 1000},
            {"customer_id": control[-1], "created_at": entered + timedelta(days=8), "total": 5000},
            {"customer_id": treated[0], "created_at": entered + timedelta(days=1), "total": 2000},
            {"customer_id": treated[0], "created_at": entered + timedelta(days=3), "total": 500},
            {"customer_id": treated[1], "created_at": entered + timedelta(days=6, hours=23), "total": 700},
            {"customer_id": treated[-1], "created_at": entered - timedelta(days=1), "total": 900},
        ]
        add(crm_url, "orders", [{"status": "completed", **o} for o in orders])
        per_split, holdout = uplift_json(crm, scenario)
    finally:
        crm.dispose()
    assert holdout is None
    hold, mail = per_split["ab"]["hold"], per_split["ab"]["mail"]
    assert hold == {"control": True, "customers": len(control), "converted": 1, "orders": 1, "revenue": 1000.0,
                    "conversion_rate": round(1 / len(control), 4),
                    "revenue_per_customer": round(1000 / len(control), 2)}
    assert {k: mail[k] for k in ("customers", "converted", "orders", "revenue")} == \
        {"customers": len(treated), "converted": 2, "orders": 3, "revenue": 3200.0}
    assert mail["vs_control"]["verdict"] == "too_small"


def test_run_json_shows_the_branches_with_the_control(sqlite_url, tmp_path):
    make_crm(sqlite_url, [{"id": i, "email": f"c{i}@example.com"} for i in range(1, 7)], [])
    path = tmp_path / "ab.scenario.json"
    path.write_text(json.dumps(AB), encoding="utf-8")
    done = cli("run", str(path), "--crm", sqlite_url, "--at", "2026-03-02T10:00", "--no-deliver", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    hold = out["branches"]["ab"]["hold"]
    mail = out["branches"]["ab"]["mail"]
    assert hold["control"] is True and hold["messages"] == 0
    assert hold["customers"] + mail["customers"] == 6 and mail["messages"] == mail["customers"]
    assert mail["vs_control"]["verdict"] == "too_small" and out["holdout"] is None


@pytest.mark.parametrize("share", [0.2])
def test_the_control_share_holds_out_by_a_stable_hash(crm_url, share):
    customers = [{"id": i, "email": f"c{i}@example.com"} for i in range(1, 201)]
    make_crm(crm_url, customers, [])
    data = scenario_of({}, [{"id": "m1", "type": "message", "params": {"channel": "email", "subject": "Hi",
                                                                        "body": "Hi"}}],
                       [("start", "out", "m1")], id="holdout", control_share=share)
    crm = Crm.open(crm_url)
    try:
        result = tick(from_dict(data), crm, START)
        expected = sorted(i for i in range(1, 201) if is_held_out("holdout", i, share))
        held = sorted(r[0] for r in query(crm_url, "SELECT customer_id FROM scenarist_enrolments "
                                                   "WHERE exit_port = 'control' AND node_id = 'start'"))
        assert held == expected and 25 <= len(held) <= 55  # about a fifth of 200
        assert result.counts["entered"] == 200 - len(held)
        sent = {r[0] for r in query(crm_url, "SELECT customer_id FROM scenarist_outbox")}
        assert sent == set(range(1, 201)) - set(held)
        add(crm_url, "orders", [{"customer_id": held[0], "created_at": START.replace(tzinfo=None) + timedelta(days=1),
                                 "total": 100, "status": "completed"}])
        _, holdout = uplift_json(crm, from_dict(data))
    finally:
        crm.dispose()
    assert holdout["control"]["customers"] == len(held) and holdout["control"]["converted"] == 1
    assert holdout["scenario"]["customers"] == 200 - len(held) and holdout["scenario"]["converted"] == 0


def test_a_simulated_control_converts_at_the_baseline_and_the_uplift_is_the_response_effect(sqlite_url):
    from engine.simulate import ResponseModel
    from tests.helpers import simulate_url

    # 1000 customers a branch: the difference's standard error is about 0.02, and 0.05 is 2.5 of them.
    make_crm(sqlite_url, [{"id": i, "email": f"c{i}@example.com"} for i in range(1, 2001)], [])
    data = json.loads(json.dumps(AB))
    rate, baseline = 0.3, 0.2
    model = ResponseModel(rate, 7, 1000.0, seed=1, baseline=baseline)
    result = simulate_url(from_dict(data), sqlite_url, 14, START, response=model).to_json()
    assert result["response"]["baseline"] == baseline
    hold, mail = result["branches"]["ab"]["hold"], result["branches"]["ab"]["mail"]
    assert hold["customers"] + mail["customers"] == 2000
    # The control orders on its own only; the others also answer the message: 1 - 0.8 * 0.7 = 0.44.
    assert abs(hold["conversion_rate"] - baseline) < 0.05
    assert abs(mail["conversion_rate"] - (1 - (1 - baseline) * (1 - rate))) < 0.05
    effect = rate * (1 - baseline)  # the response effect among those who would not have ordered anyway
    vs = mail["vs_control"]
    assert vs["verdict"] == "better" and vs["low"] < effect < vs["high"] and abs(vs["uplift"] - effect) < 0.05


def test_a_held_out_customer_is_explained_and_the_preview_counts_the_share(sqlite_url):
    from app.lookup import lookup_customer
    from engine.runner import preview

    make_crm(sqlite_url, [{"id": i, "email": f"c{i}@example.com"} for i in range(1, 41)], [])
    data = scenario_of({}, [{"id": "m1", "type": "message", "title": "Hello",
                             "params": {"channel": "email", "subject": "Hi", "body": "Hi"}}],
                       [("start", "out", "m1")], id="holdout", control_share=0.25)
    held = [i for i in range(1, 41) if is_held_out("holdout", i, 0.25)]
    crm = Crm.open(sqlite_url)
    try:
        ahead = preview(from_dict(data), crm, START)
        assert ahead.counts["held_out"] == len(held) and ahead.counts["entered"] == 40 - len(held)
        tick(from_dict(data), crm, START)
        (story,) = lookup_customer(crm, from_dict(data), str(held[0]), START).enrolments
    finally:
        crm.dispose()
    assert story["messages"] == [] and story["end"]["how"] == "held_out"
    assert story["end"]["words"] == "held out in the scenario's control group on 2026-03-02 10:00: got nothing"
