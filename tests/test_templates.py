"""Every shipped template validates and runs 60 simulated days on the demo CRM with sane flows:
nobody gets one message twice in an enrolment, every move follows an edge, the cascade's
offers only grow, and the RF rules put each customer where the table of section 5 says."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import pytest
import sqlalchemy as sa

from connectors.crm import Crm
from connectors.demo_crm import build_demo_crm
from engine.scenario import load
from engine.simulate import ResponseModel
from engine.validation import validate
from tests.helpers import ROOT, simulate_url

TEMPLATES = sorted((ROOT / "resources" / "templates").glob("*.scenario.json"))
START = datetime(2026, 3, 2, 9, 0)
DAYS = 60
# Section 5: port -> (fewest completed orders, most or None, days since the last purchase).
RF_TABLE = {"new": (1, 1, 10), "promising": (1, 2, 25), "wandering": (1, 2, 51), "dormant": (1, 2, 75),
            "loyal": (3, None, 20), "at_risk": (3, None, 56), "lost": (3, None, 113)}


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("demo") / "crm.db"
    build_demo_crm(str(path), customers=3000, seed=7, as_of=START)
    return f"sqlite:///{path}"


def test_the_gallery_holds_every_section_of_scenarios_md():
    ids = {json.loads(p.read_text(encoding="utf-8"))["id"] for p in TEMPLATES}
    assert ids == {"reactivation-by-orders", "churn-cascade-parallel", "churn-cascade-chain", "welcome-chain",
                   "abandoned-cart", "post-purchase", "shop-anniversary", "segment-offers", "rf-lifecycle"}
    for path in TEMPLATES:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert validate(data) == [], path.name
        assert len(data["description"]) > 60, path.name  # a shop owner's description,
        assert "SCENARIOS.md" not in json.dumps(data, ensure_ascii=False), path.name  # not our internal documents


def simulated(url: str, path: Path) -> tuple[dict, dict]:
    """The simulation's figures, and what the copy held at the end: outbox, journal, orders."""
    scenario = load(path)
    seen: dict = {}

    def inspect(copy: Crm) -> None:
        with copy.engine.connect() as conn:
            seen["outbox"] = conn.execute(sa.text(
                "SELECT enrolment_id, customer_id, node_id, created_at FROM scenarist_outbox "
                "WHERE status NOT IN ('skipped', 'capped', 'suppressed') AND channel IN ('email', 'sms', 'webhook') "
                "ORDER BY created_at, id")).all()
            seen["tasks"] = conn.execute(sa.text(
                "SELECT customer_id, node_id FROM scenarist_outbox WHERE channel = 'staff'")).all()
            seen["journal"] = conn.execute(sa.text(
                "SELECT enrolment_id, node_id FROM scenarist_journal ORDER BY enrolment_id, at, id")).all()
            seen["entered"] = dict(conn.execute(sa.text("SELECT id, entered_at FROM scenarist_enrolments")).all())
            seen["orders"] = conn.execute(sa.text(
                "SELECT customer_id, created_at FROM orders WHERE status = 'completed'")).all()

    result = simulate_url(scenario, url, DAYS, START, response=ResponseModel(rate=0.15, within_days=5,
                                                                            average_order=3000, seed=3),
                          inspect=inspect)
    return result.to_json(), seen


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.name.split(".")[0] for p in TEMPLATES])
def test_template_runs_sixty_days_with_sane_flows(demo_url, path):
    figures, seen = simulated(demo_url, path)
    scenario = load(path)
    assert figures["totals"]["entered"] == len(seen["entered"]), path.name  # enrolments the copy holds
    assert figures["totals"]["messages"] == len(seen["outbox"]), path.name  # messages it queued
    assert seen["outbox"], f"{path.name} sent nothing in {DAYS} days on the demo shop"
    assert len(figures["daily"]) == DAYS
    sent = [(e, n) for e, _, n, _ in seen["outbox"]]
    assert len(sent) == len(set(sent)), "a customer got the same message twice in one enrolment"
    edges = {(e.source, e.target) for e in scenario.edges}
    by_enrolment: dict[int, list[str]] = defaultdict(list)
    for enrolment, node in seen["journal"]:
        by_enrolment[enrolment].append(node)
    for enrolment, way in by_enrolment.items():
        for a, b in pairwise(way):
            assert (a, b) in edges, f"enrolment {enrolment} moved {a} -> {b} without an edge"
    if scenario.key.startswith("churn-cascade"):
        offers_only_grow(scenario.key, seen)
    if scenario.key == "rf-lifecycle":
        rules_match_the_table(seen)
        lost = sorted(c for _, c, n, _ in seen["outbox"] if n == "m_lost")
        assert sorted(c for c, _ in seen["tasks"]) == lost and lost  # a call for each Lost customer


def offers_only_grow(key: str, seen: dict) -> None:
    """Between two orders of a customer, a later offer is never smaller than an earlier one."""
    rank = ({"mail3": 1, "mail14": 2, "mail30": 3} if key == "churn-cascade-parallel"
            else {"mail1": 1, "mail2": 2, "mail3": 3})
    orders = defaultdict(list)
    for customer, at in seen["orders"]:
        orders[customer].append(str(at))
    offers = defaultdict(list)
    for _, customer, node, at in seen["outbox"]:
        offers[customer].append((str(at), rank[node]))
    checked = 0
    for customer, got in offers.items():
        for (t1, r1), (t2, r2) in pairwise(got):
            checked += 1
            if r2 < r1:
                assert any(t1 <= o <= t2 for o in orders[customer]), \
                    f"customer {customer} got offer {r2} after the bigger {r1} without ordering"
    assert checked > 0 or key == "churn-cascade-parallel"


def rules_match_the_table(seen: dict) -> None:
    """Each RF message went to a customer with the rule's completed orders and days of silence
    on the day they entered."""
    orders = defaultdict(list)
    for customer, at in seen["orders"]:
        orders[customer].append(_moment(at))
    checked = 0
    for enrolment, customer, node, _ in seen["outbox"]:
        low, high, days = RF_TABLE[node.removeprefix("m_")]
        entered = _moment(seen["entered"][enrolment])
        before = [t for t in orders[customer] if t <= entered]
        assert low <= len(before) <= (high or 10**6), (node, customer, len(before))
        assert (entered.date() - max(before).date()).days == days, (node, customer, entered, max(before))
        checked += 1
    assert checked > 20


def _moment(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
