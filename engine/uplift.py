"""What a scenario added: each branch of a split (and the scenario against its held-out control)
as customers, converted customers, orders and revenue, compared with the control.

A customer counts from the moment they took the branch (left the split; entered the scenario, for
the scenario-wide control) for the scenario's conversion window (``settings.conversion_days``, a
week by default): converted when they placed a completed order within it. Every branch is counted
the same way, the control too, so the difference is what the branch's messages added. The 95%
interval of the difference of two proportions is Newcombe's hybrid score interval (method 10 of
Newcombe 1998, "Interval estimation for the difference between independent proportions").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from connectors.crm import Crm
from engine.conditions import SqlContext
from engine.holdout import CONTROL
from engine.model import Scenario
from engine.nodes import REGISTRY
from engine.nodes.message import DEFAULT_CONVERSION_DAYS
from engine.state import STATE
from engine.timeutil import zone

Z95 = 1.959963984540054
MIN_CUSTOMERS = 30  # in each group, before a difference is worth reading
MIN_CONVERSIONS = 10  # in both groups together


@dataclass
class Group:
    """One branch (or the control, or those who got the scenario) and what it brought."""

    customers: int = 0
    converted: int = 0
    orders: int = 0
    revenue: float = 0.0
    control: bool = False

    @property
    def rate(self) -> float:
        """Converted customers per customer (0 for an empty group)."""
        return self.converted / self.customers if self.customers else 0.0

    @property
    def revenue_per_customer(self) -> float:
        """Revenue within the window per customer of the group."""
        return self.revenue / self.customers if self.customers else 0.0

    def to_json(self) -> dict[str, Any]:
        """Plain numbers."""
        return {"control": self.control, "customers": self.customers, "converted": self.converted,
                "orders": self.orders, "revenue": round(self.revenue, 2), "conversion_rate": round(self.rate, 4),
                "revenue_per_customer": round(self.revenue_per_customer, 2)}


def wilson(x: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of the proportion x/n."""
    if n == 0:
        return 0.0, 1.0
    p = x / n
    centre, half = 2 * n * p + z * z, z * math.sqrt(z * z + 4 * n * p * (1 - p))
    return (centre - half) / (2 * (n + z * z)), (centre + half) / (2 * (n + z * z))


def newcombe(x1: int, n1: int, x2: int, n2: int, z: float = Z95) -> tuple[float, float, float]:
    """The difference p1 - p2 and its hybrid score interval (Newcombe's method 10)."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, z)
    l2, u2 = wilson(x2, n2, z)
    d = p1 - p2
    return d, d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def compare(group: Group, control: Group) -> dict[str, Any]:
    """A group against the control: the uplift, its interval, the incremental orders and revenue,
    and the verdict (``better``, ``worse``, ``unclear``, or ``too_small`` to tell)."""
    if group.customers < MIN_CUSTOMERS or control.customers < MIN_CUSTOMERS \
            or group.converted + control.converted < MIN_CONVERSIONS:
        return {"verdict": "too_small", "uplift": None, "low": None, "high": None, "relative": None,
                "incremental_orders": None, "incremental_revenue": None}
    d, low, high = newcombe(group.converted, group.customers, control.converted, control.customers)
    scale = group.customers / control.customers
    return {"verdict": "better" if low > 0 else "worse" if high < 0 else "unclear",
            "uplift": round(d, 4), "low": round(low, 4), "high": round(high, 4),
            "relative": round(d / control.rate, 4) if control.rate else None,
            "incremental_orders": round(group.orders - control.orders * scale, 1),
            "incremental_revenue": round(group.revenue - control.revenue * scale, 2)}


def conversion_days(scenario: Scenario) -> int:
    """The scenario's conversion window for branches and the control, in days."""
    return scenario.settings.get("conversion_days") or DEFAULT_CONVERSION_DAYS


def _groups(conn: sa.Connection, crm: Crm, rows: sa.Subquery, days: int) -> dict[str, Group]:
    """Per group name, its customers and what they ordered from ``t0`` for ``days`` days
    (``rows``: enrolment id, customer id, t0, group)."""
    created = crm.ts(crm.col("orders", "created_at"))
    if crm.is_sqlite:
        end = sa.func.datetime(rows.c.t0, f"+{days} days", type_=sa.String)
    else:
        end = rows.c.t0 + sa.func.make_interval(0, 0, 0, days)
    orders = crm.orders
    within = sa.and_(crm.col("orders", "customer_id") == rows.c.customer_id,
                     crm.col("orders", "status").in_(crm.mapping.completed_statuses), created >= rows.c.t0,
                     created < end)
    per = (sa.select(rows.c.id, rows.c.grp, sa.func.count(crm.col("orders", "id")).label("n"),
                     sa.func.coalesce(sa.func.sum(crm.col("orders", "total")), 0).label("total"))
           .select_from(rows.outerjoin(orders, within)).group_by(rows.c.id, rows.c.grp)).subquery()
    found: dict[str, Group] = {}
    for grp, customers, converted, n, total in conn.execute(
            sa.select(per.c.grp, sa.func.count(), sa.func.count(sa.case((per.c.n > 0, 1))),
                      sa.func.coalesce(sa.func.sum(per.c.n), 0), sa.func.coalesce(sa.func.sum(per.c.total), 0))
            .group_by(per.c.grp)):
        found[grp] = Group(customers, converted, int(n), float(total))
    return found


def split_groups(conn: sa.Connection, crm: Crm, scenario: Scenario, node_id: str,
                 since: datetime | None = None) -> dict[str, Group]:
    """Per branch of a split: who took it (by the port they left by; with ``since``, naive local,
    those who took it from then on) and what they ordered."""
    e, j = STATE.enrolments, STATE.journal
    node = scenario.node(node_id)
    split = REGISTRY[node.type]
    ports = split.ports(node.params)
    ctx = SqlContext(crm=crm, state=STATE, scenario_key=scenario.key, today=None, local_now=None,  # type: ignore[arg-type]
                     customer=crm.customers, enrolment_id=e.c.id, entered_at=e.c.entered_at,
                     customer_id=e.c.customer_id, entry_day=e.c.entry_day)
    routes = split.routes(node.params, ctx, scenario.key, node_id)
    by_hash = sa.case(*[(pred, sa.literal(p, sa.String)) for p, pred in routes if pred is not None],
                      else_=sa.literal(next(p for p, pred in routes if pred is None), sa.String))
    targets: dict[str, list[str]] = {}
    for port in ports:
        target = scenario.target(node_id, port)
        if target:
            targets.setdefault(target, []).append(port)
    j2 = j.alias("after")
    after = sa.select(j2.c.node_id).where(j2.c.enrolment_id == e.c.id, j2.c.id > j.c.id) \
        .order_by(j2.c.id).limit(1).scalar_subquery()
    by_next = sa.case(*[(after == t, sa.literal(p[0], sa.String)) for t, p in targets.items() if len(p) == 1],
                      else_=sa.null()) if targets else sa.null()
    ended_here = sa.case((sa.and_(e.c.node_id == node_id, e.c.exit_port.in_(ports)), e.c.exit_port), else_=sa.null())
    rows = (sa.select(e.c.id, e.c.customer_id, j.c.at.label("t0"),
                      sa.func.coalesce(ended_here, by_next, by_hash).label("grp"))
            .select_from(e.join(j, j.c.enrolment_id == e.c.id))
            .where(e.c.scenario == scenario.key, j.c.node_id == node_id,
                   *([] if since is None else [j.c.at >= sa.literal(since, j.c.at.type)]))).subquery()
    found = _groups(conn, crm, rows, conversion_days(scenario))
    control = split.control(node.params)
    return {p: Group(**{**vars(found.get(p, Group())), "control": p == control}) for p in ports}


def holdout_groups(conn: sa.Connection, crm: Crm, scenario: Scenario, since: datetime | None = None
                   ) -> dict[str, Group]:
    """The scenario-wide control (``control``) and everyone else who entered (``scenario``); with
    ``since`` (naive local), those who entered from then on."""
    e = STATE.enrolments
    held = sa.and_(e.c.node_id == scenario.trigger().id, e.c.exit_port == CONTROL)
    rows = (sa.select(e.c.id, e.c.customer_id, e.c.entered_at.label("t0"),
                      sa.case((held, sa.literal("control", sa.String)), else_=sa.literal("scenario", sa.String))
                      .label("grp"))
            .where(e.c.scenario == scenario.key,
                   *([] if since is None else [e.c.entered_at >= sa.literal(since, e.c.entered_at.type)]))
            ).subquery()
    found = _groups(conn, crm, rows, conversion_days(scenario))
    return {"scenario": found.get("scenario", Group()), "control": Group(**{**vars(found.get("control", Group())),
                                                                               "control": True})}


def with_comparisons(groups: dict[str, Group]) -> dict[str, dict[str, Any]]:
    """Groups as JSON, each other group with its comparison against the control (when there is one)."""
    control = next((g for g in groups.values() if g.control), None)
    out = {}
    for name, group in groups.items():
        out[name] = group.to_json()
        if control is not None and not group.control:
            out[name]["vs_control"] = compare(group, control)
    return out


def uplift_json(crm: Crm, scenario: Scenario) -> tuple[dict[str, dict[str, dict]], dict[str, dict] | None]:
    """Per split, per branch: the groups and their comparison with the split's control; and the
    scenario against its held-out control, when the scenario has a control share."""
    crm.reflect()
    splits = [n.id for n in scenario.nodes if n.type == "split"]
    with crm.connect(read_only=True) as conn:
        if not sa.inspect(conn).has_table(STATE.enrolments.name):
            return {}, None
        crm.set_local_timezone(conn, str(zone(scenario.settings.get("timezone") or "Europe/Moscow").key))
        per_split = {nid: with_comparisons(split_groups(conn, crm, scenario, nid)) for nid in splits}
        holdout = with_comparisons(holdout_groups(conn, crm, scenario)) \
            if scenario.settings.get("control_share") else None
    return per_split, holdout
