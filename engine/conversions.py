"""Conversions: the orders a scenario's messages brought, with their revenue.

An order counts as a conversion of a message when it is a completed order of the same
customer placed within the message node's conversion window (``conversion_days``, a week by
default) after the message. An order within the windows of several messages is credited once,
to the latest of them (last touch; at the same moment, the one further along the flow), so
that the nodes' figures add up to the scenario's.
A/B results follow: each branch of a split gets the messages of the nodes only it leads to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from connectors.crm import Crm
from engine.goal import GOAL_EXIT
from engine.model import Scenario
from engine.nodes import REGISTRY
from engine.nodes.message import DEFAULT_CONVERSION_DAYS
from engine.state import NOT_COUNTED_AS_SENT, STATE


@dataclass
class Conversions:
    """What the messages of one node (or one branch) brought.

    Attributes:
        messages: Messages sent (or queued to be sent).
        buyers: The customers who ordered within the window of one of these messages.
        orders: Orders credited to these messages.
        revenue: Their total.
        by_goal: ``buyers`` are the customers who reached the scenario's goal within the window (the
            scenario has a goal, which is then its measure of success), not those who ordered.
    """

    messages: int = 0
    orders: int = 0
    revenue: float = 0.0
    buyers: set[int] = field(default_factory=set, repr=False)
    by_goal: bool = False

    @property
    def customers(self) -> int:
        """How many customers ordered within the window of one of these messages."""
        return len(self.buyers)

    @property
    def rate(self) -> float:
        """Customers who ordered per message sent (0 without messages)."""
        return self.customers / self.messages if self.messages else 0.0

    def add(self, other: Conversions) -> None:
        """Add another node's figures (a customer converted by both counts once)."""
        self.messages += other.messages
        self.orders += other.orders
        self.revenue += other.revenue
        self.buyers |= other.buyers
        self.by_goal = self.by_goal or other.by_goal

    def to_json(self) -> dict:
        """Plain numbers for ``--json`` and reports."""
        return {"messages": self.messages, "customers": self.customers, "orders": self.orders,
                "revenue": round(self.revenue, 2), "rate": round(self.rate, 4),
                **({"measure": "goal"} if self.by_goal else {})}


def windows(scenario: Scenario) -> dict[str, int]:
    """Message node id -> its conversion window in days."""
    return {n.id: n.params.get("conversion_days") or DEFAULT_CONVERSION_DAYS
            for n in scenario.nodes if REGISTRY[n.type].sends}


def conversions(conn: sa.Connection, crm: Crm, scenario: Scenario, since: datetime | None = None
                ) -> dict[str, Conversions]:
    """Per message node of ``scenario``, its messages and the orders they brought (last touch);
    with ``since`` (naive local), only the messages queued from then on."""
    days = windows(scenario)
    result = {nid: Conversions() for nid in days}
    out = STATE.outbox
    if not days or not sa.inspect(conn).has_table(out.name):
        return result
    sent = [out.c.scenario == scenario.key, out.c.node_id.in_(list(days)), out.c.status.not_in(NOT_COUNTED_AS_SENT)]
    if since is not None:
        sent.append(out.c.created_at >= sa.literal(since, out.c.created_at.type))
    for node_id, n in conn.execute(sa.select(out.c.node_id, sa.func.count()).where(*sent).group_by(out.c.node_id)):
        result[node_id].messages = n
    at = sa.func.coalesce(out.c.sent_at, out.c.created_at)
    created = crm.ts(crm.col("orders", "created_at"))
    rows = conn.execute(
        sa.select(crm.col("orders", "id"), crm.col("orders", "customer_id"), created, crm.col("orders", "total"),
                  out.c.node_id, at)
        .select_from(out.join(crm.orders, crm.col("orders", "customer_id") == out.c.customer_id))
        .where(*sent, crm.col("orders", "status").in_(crm.mapping.completed_statuses), created >= at)
    ).all()
    flow = {n.id: i for i, n in enumerate(scenario.topological_order())}
    best: dict[object, tuple[tuple[datetime, int], str, int, float]] = {}  # order id -> its latest message
    for order_id, customer_id, ordered, total, node_id, message_at in rows:
        ordered, message_at = _moment(ordered), _moment(message_at)
        if ordered - message_at >= timedelta(days=days[node_id]):
            continue
        touch = (message_at, flow.get(node_id, 0))
        if order_id not in best or touch > best[order_id][0]:
            best[order_id] = (touch, node_id, customer_id, float(total or Decimal(0)))
    goal = bool(scenario.settings.get("goal"))
    for _, node_id, customer_id, total in best.values():
        stats = result[node_id]
        stats.orders += 1
        stats.revenue += total
        if not goal:
            stats.buyers.add(customer_id)
    if goal:
        _goal_reached(conn, scenario.key, days, flow, sent, result)
    return result


def _goal_reached(conn: sa.Connection, key: str, days: dict[str, int], flow: dict[str, int], sent: list,
                  result: dict[str, Conversions]) -> None:
    """With a goal, a message's converted customers are those who reached the goal within its
    window; each reaching counts once, for the latest message before it (last touch)."""
    out, e = STATE.outbox, STATE.enrolments
    at = sa.func.coalesce(out.c.sent_at, out.c.created_at)
    rows = conn.execute(
        sa.select(e.c.id, e.c.customer_id, e.c.ended_at, out.c.node_id, at)
        .select_from(out.join(e, e.c.id == out.c.enrolment_id))
        .where(*sent, e.c.scenario == key, e.c.exit_port == GOAL_EXIT)).all()
    best: dict[int, tuple[tuple[datetime, int], str, int]] = {}
    for enrolment_id, customer_id, ended, node_id, message_at in rows:
        ended, message_at = _moment(ended), _moment(message_at)
        if not timedelta(0) <= ended - message_at < timedelta(days=days[node_id]):
            continue
        touch = (message_at, flow.get(node_id, 0))
        if enrolment_id not in best or touch > best[enrolment_id][0]:
            best[enrolment_id] = (touch, node_id, customer_id)
    for stats in result.values():
        stats.by_goal = True
    for _, node_id, customer_id in best.values():
        result[node_id].buyers.add(customer_id)


def branch_results(scenario: Scenario, per_node: dict[str, Conversions]) -> dict[str, dict[str, Conversions]]:
    """For every split and switch: per branch port, the figures of the message nodes that only
    that branch leads to (nodes where branches meet again belong to none)."""
    results: dict[str, dict[str, Conversions]] = {}
    for node in scenario.nodes:
        if not REGISTRY[node.type].branching:
            continue
        # Every port, a branch that leads nowhere (a control) too: it has 0 messages.
        ports = REGISTRY[node.type].ports(node.params)
        reach = {port: _downstream(scenario, scenario.target(node.id, port)) for port in ports}
        results[node.id] = {}
        for port in ports:
            others = set().union(*(r for p, r in reach.items() if p != port))
            total = Conversions()
            for nid in reach[port] - others:
                if nid in per_node:
                    total.add(per_node[nid])
            results[node.id][port] = total
    return results


def results_json(crm: Crm, scenario: Scenario) -> tuple[dict[str, dict], dict[str, dict[str, dict]]]:
    """What the scenario's messages brought, read from the CRM, as plain numbers: per message
    node, and per split and branch (the A/B result)."""
    crm.reflect()  # before the transaction: reflection takes a connection of its own
    with crm.connect(read_only=True) as conn:
        found = conversions(conn, crm, scenario)
    per_branch = {split: {port: c.to_json() for port, c in ports.items()}
                  for split, ports in branch_results(scenario, found).items()}
    return {nid: c.to_json() for nid, c in found.items()}, per_branch


def _downstream(scenario: Scenario, start: str | None) -> set[str]:
    seen: set[str] = set()
    todo = [start] if start else []
    while todo:
        nid = todo.pop()
        if nid in seen:
            continue
        seen.add(nid)
        todo += [e.target for e in scenario.edges if e.source == nid]
    return seen


def _moment(value: object) -> datetime:
    """A naive datetime from what the driver returned (SQLite gives text)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime.fromisoformat(str(value))

