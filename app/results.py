"""Results over a period, per node, for the canvas's "results" badges: who reached each step,
the messages sent, the customers they converted and the revenue (last touch, as ``run --json``'s
"conversions"), and on a split with a control each branch's uplift. Read from what the runs
kept; nothing is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from connectors.crm import Crm
from engine.conversions import conversions
from engine.model import Scenario
from engine.nodes import REGISTRY
from engine.state import STATE
from engine.timeutil import as_aware, to_local_naive, zone
from engine.uplift import compare, holdout_groups, split_groups

PERIODS = (7, 30, 90, 365, None)  # days the window offers; None: since the scenario first ran


@dataclass
class NodeResults:
    """One node's results over the period.

    Attributes:
        reached: Arrivals at the node (journal rows) in the period; at the start, the customers who
            entered (a held-out share too); None at the filters before entry, which keep no trace.
        sent: Messages sent or queued (message nodes), else None.
        converted: Customers who ordered within a message's window (message nodes), else None.
        revenue: Their orders' total (message nodes), else None.
        entry: The node is the start (``reached`` counts who entered).
        branches: For a split with a control: port -> {"control", "customers", "converted",
            "conversion_rate", "revenue_per_customer", "verdict", "uplift", "low", "high"}; for the
            start of a scenario with a control share, the same for ``scenario`` and ``control``.
    """

    reached: int | None = 0
    entry: bool = False
    sent: int | None = None
    converted: int | None = None
    revenue: float | None = None
    branches: dict[str, dict[str, Any]] = field(default_factory=dict)


def entry_path(scenario: Scenario) -> set[str]:
    """The start and the nodes without memory it leads to before any node that acts or holds."""
    found, todo = set(), [scenario.trigger().id]
    while todo:
        nid = todo.pop()
        if nid in found:
            continue
        found.add(nid)
        node = scenario.node(nid)
        todo += [t for p in REGISTRY[node.type].ports(node.params) if (t := scenario.target(nid, p))
                 and REGISTRY[scenario.node(t).type].pure]
    return found


def period_start(scenario: Scenario, now: datetime, days: int | None) -> datetime | None:
    """The naive local start of the last ``days`` days (today included), or None for all time."""
    if days is None:
        return None
    tz = zone(scenario.settings.get("timezone") or "Europe/Moscow")
    today = to_local_naive(as_aware(now, tz), tz).date()
    return datetime.combine(today - timedelta(days=days - 1), datetime.min.time())


def canvas_results(crm: Crm, scenario: Scenario, now: datetime, days: int | None) -> dict[str, NodeResults]:
    """Per node of ``scenario``, its results over the last ``days`` days (None: all time)."""
    crm.reflect()
    since = period_start(scenario, now, days)
    out = {n.id: NodeResults() for n in scenario.nodes}
    j = STATE.journal
    with crm.connect(read_only=True) as conn:
        if not sa.inspect(conn).has_table(j.name):
            return out
        crm.set_local_timezone(conn, str(zone(scenario.settings.get("timezone") or "Europe/Moscow").key))
        arrivals = sa.select(j.c.node_id, sa.func.count()).where(j.c.scenario == scenario.key)
        if since is not None:
            arrivals = arrivals.where(j.c.at >= sa.literal(since, j.c.at.type))
        for node_id, n in conn.execute(arrivals.group_by(j.c.node_id)):
            if node_id in out:
                out[node_id].reached = n
        before_entry = entry_path(scenario)
        for node_id in before_entry:
            out[node_id].reached = None
        e = STATE.enrolments
        entered = sa.select(sa.func.count()).where(e.c.scenario == scenario.key)
        if since is not None:
            entered = entered.where(e.c.entered_at >= sa.literal(since, e.c.entered_at.type))
        out[scenario.trigger().id].reached = conn.execute(entered).scalar_one()
        out[scenario.trigger().id].entry = True
        for node_id, c in conversions(conn, crm, scenario, since).items():
            out[node_id].sent, out[node_id].converted, out[node_id].revenue = c.messages, c.customers, c.revenue
        for node in scenario.nodes:
            if node.type == "split" and any(b.get("control") for b in node.params.get("branches", [])):
                out[node.id].branches = _branches(split_groups(conn, crm, scenario, node.id, since))
        if scenario.settings.get("control_share"):
            out[scenario.trigger().id].branches = _branches(holdout_groups(conn, crm, scenario, since))
    return out


def _branches(groups: dict) -> dict[str, dict[str, Any]]:
    control = next((g for g in groups.values() if g.control), None)
    found = {}
    for port, g in groups.items():
        vs = compare(g, control) if control is not None and not g.control else None
        found[port] = {"control": g.control, "customers": g.customers, "converted": g.converted,
                       "conversion_rate": g.rate, "revenue_per_customer": g.revenue_per_customer,
                       **{k: vs[k] if vs else None for k in ("verdict", "uplift", "low", "high")}}
    return found
