"""A condition on a customer's orders: how many, how much, how long ago, in a period or since entry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

import sqlalchemy as sa

from engine.conditions.base import (
    COMPARE,
    CheckEnv,
    ConditionKind,
    Slot,
    SqlContext,
    check_op,
    compare,
    days_since_bounds,
    register,
    whole,
)
from engine.problems import Problem
from engine.timeutil import days_ago_start

AGGS = ("count", "sum", "days_since_last")
ORDER_EVENT = "order"  # the built-in event: a completed order (others are rows of the events table)


class OrdersCondition(ConditionKind):
    """Completed orders (or orders of the statuses given) counted, summed or dated."""

    name = "orders"
    order = 20
    keys = frozenset({"kind", "agg", "op", "value", "within_days", "since", "status"})
    default: ClassVar = {"kind": "orders", "agg": "count", "op": "ge", "value": 1}
    slots = (Slot("agg", "choice", AGGS, stretch=3), Slot("op", "choice", COMPARE), Slot("value", "value"),
             Slot("within_days", "days", line=2, stretch=2), Slot("since", "since", line=2, stretch=2))
    words: ClassVar = {
        "title": "Orders",
        "agg.count": "number of orders",
        "agg.sum": "total spent",
        "agg.days_since_last": "days since the last order",
        "unknown_agg": "unknown aggregate '{agg}'; use one of {aggs}",
        "unknown_op": "unknown operator '{op}' for orders; use one of {ops}",
        "since": "must be 'entry' or 'node:<id>'",
        "status": "must be a non-empty list of order statuses",
        "say.count": "with {quantity}{scope}",
        "say.count.none": "with no order{scope}",
        "say.sum": "with orders{scope} totalling {amount}",
        "say.days_since_last": "whose last order{scope} was {days} ago",
        "say.days_since_last.today": "whose last order{scope} was today",
        "say.count.range": "with {low} to {high}{scope}",
        "say.days_since_last.range": "whose last order{scope} was {low} to {high} ago",
        # the customer lookup: what the customer's orders are
        "value.none": "no completed order",
        "value.last": "last completed order {date}",
        "value.count": "{orders}{scope}, the last {date}",
        "value.sum": "{amount} spent{scope}",
        "value.days": "last completed order {date}, {days} ago",
    }

    def check(self, cond: dict, where: str, env: CheckEnv) -> list[Problem]:
        problems: list[Problem] = []
        agg, value = cond.get("agg"), cond.get("value")
        if agg not in AGGS:
            problems.append(env.problem(self.code("unknown_agg"), f"{where}.agg", agg=str(agg), aggs=", ".join(AGGS)))
        problems += check_op(cond, where, env, self, COMPARE)
        if agg == "sum":
            if isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(env.problem("value.number_plain", f"{where}.value"))
        else:
            problems += whole(value, where, env, "value", minimum=0)
        if "within_days" in cond:
            problems += whole(cond["within_days"], where, env, "within_days", minimum=1)
        problems += check_since(cond.get("since"), f"{where}.since", env, self.code("since"))
        status = cond.get("status")
        if status is not None and (not isinstance(status, list) or not status
                                   or not all(isinstance(s, str) and "\x00" not in s for s in status)):
            problems.append(env.problem(self.code("status"), f"{where}.status"))
        return problems

    def compile(self, cond: dict, ctx: SqlContext) -> sa.ColumnElement:
        crm, op, value = ctx.crm, cond["op"], cond["value"]
        where = _order_filter(cond, ctx)
        agg = cond["agg"]
        if agg == "count":
            exists = sa.exists().where(*where)
            # Presence tests as EXISTS: the planner stops at the first order.
            if (op, value) in (("ge", 1), ("gt", 0), ("ne", 0)):
                return exists
            if (op, value) in (("eq", 0), ("lt", 1), ("le", 0)):
                return sa.not_(exists)
            return compare(sa.select(sa.func.count()).where(*where).scalar_subquery(), op, value)
        if agg == "sum":
            total = sa.select(sa.func.coalesce(sa.func.sum(crm.col("orders", "total")), 0)).where(*where)
            return compare(total.scalar_subquery(), op, value)
        last = sa.select(sa.func.max(crm.ts(crm.col("orders", "created_at")))).where(*where).scalar_subquery()
        return days_since_bounds(last, op, value, ctx)

    def measure(self, cond: dict, ctx: SqlContext) -> list[sa.ColumnElement]:
        crm, where = ctx.crm, _order_filter(cond, ctx)
        created = crm.ts(crm.col("orders", "created_at"))
        ever = _order_filter({"status": cond.get("status")}, ctx)  # the same orders at any time
        return [sa.select(sa.func.count()).where(*where).scalar_subquery(),
                sa.select(sa.func.coalesce(sa.func.sum(crm.col("orders", "total")), 0)).where(*where).scalar_subquery(),
                sa.select(sa.func.max(created)).where(*where).scalar_subquery(),
                sa.select(sa.func.max(created)).where(*ever).scalar_subquery()]

    def say_measure(self, cond: dict, values: list, say: Any) -> str:
        count, total, last, ever = values
        last, ever = (str(v)[:10] if v is not None else None for v in (last, ever))
        if cond["agg"] == "sum":
            return say(self.code("value.sum"), amount=say.money(float(total or 0)), scope=say.scope(cond))
        if cond["agg"] == "days_since_last" and last is not None:
            days = (say.today - date.fromisoformat(last)).days
            return say(self.code("value.days"), date=last, days=say.count(days, "day"))
        if count:
            return say(self.code("value.count"), orders=say.count(count, "order"), scope=say.scope(cond), date=last)
        return say(self.code("value.last"), date=ever) if ever else say(self.code("value.none"))

    def describe(self, cond: dict, say: Any) -> str:
        agg, op, value = cond["agg"], cond["op"], cond["value"]
        scope = say.scope(cond)
        if agg == "count":
            if say.is_none(op, value):
                return say(self.code("say.count.none"), scope=scope)
            return say(self.code("say.count"), quantity=say.quantity(op, value, "order"), scope=scope)
        if agg == "sum":
            return say(self.code("say.sum"), scope=scope, amount=say(f"cmp.{op}", n=say.money(value)))
        if agg == "days_since_last":
            if (op, value) in (("eq", 0), ("le", 0), ("lt", 1)):
                return say(self.code("say.days_since_last.today"), scope=scope)
            return say(self.code("say.days_since_last"), scope=scope, days=say(f"cmp.{op}", n=say.count(value, "day")))
        raise KeyError(agg)

    def schema(self) -> dict[str, Any]:
        days = {"type": "integer", "minimum": 1}
        return {"type": "object", "additionalProperties": False, "required": ["kind", "agg", "op", "value"],
                "properties": {"kind": {"const": self.name}, "agg": {"enum": list(AGGS)},
                               "op": {"enum": list(COMPARE)}, "value": {"type": "number", "minimum": 0},
                               "within_days": days, "since": {"type": "string", "pattern": "^(entry|node:.+)$"},
                               "status": {"type": "array", "minItems": 1, "items": {"type": "string"}}}}


def check_since(since: Any, where: str, env: CheckEnv, code: str) -> list[Problem]:
    """``since``: absent, ``entry`` or ``node:<id>`` of a node of the scenario."""
    if since is None:
        return []
    if not isinstance(since, str) or not (since == "entry" or since.startswith("node:")):
        return [env.problem(code, where)]
    if since.startswith("node:") and since[5:] not in env.node_types:
        return [env.problem("condition.missing_node", where, node=since[5:])]
    return []


def _order_filter(cond: dict, ctx: SqlContext) -> list[sa.ColumnElement]:
    crm = ctx.crm
    created = crm.ts(crm.col("orders", "created_at"))
    statuses = cond.get("status") or crm.mapping.completed_statuses
    clauses = [crm.col("orders", "customer_id") == ctx.customer.c[crm.mapping.column("customers", "id")],
               crm.col("orders", "status").in_(statuses)]
    if "within_days" in cond:
        clauses.append(created >= crm.ts_value(days_ago_start(ctx.today, cond["within_days"] - 1)))
    since = cond.get("since")
    if since == "entry":
        clauses.append(created >= ctx.entered_at)
    elif since:
        j = ctx.state.journal
        arrived = (sa.select(sa.func.max(j.c.at))
                   .where(j.c.enrolment_id == ctx.enrolment_id, j.c.node_id == since[5:])
                   .scalar_subquery())
        clauses.append(created >= arrived)
    return clauses


def happened(crm: Any, customer_id: sa.ColumnElement, event: str,
             when: Callable[[sa.ColumnElement], sa.ColumnElement]) -> sa.ColumnElement:
    """Whether the customer placed a completed order (``event`` is ``order``) or has a row of the
    events table by that name, at a time ``when`` admits (it gets the comparable timestamp)."""
    if event == ORDER_EVENT:
        return sa.exists().where(crm.col("orders", "customer_id") == customer_id,
                                 crm.col("orders", "status").in_(crm.mapping.completed_statuses),
                                 when(crm.ts(crm.col("orders", "created_at"))))
    return sa.exists().where(crm.col("events", "customer_id") == customer_id, crm.col("events", "name") == event,
                             when(crm.ts(crm.col("events", "created_at"))))


ORDERS = register(OrdersCondition())
