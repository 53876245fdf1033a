"""Filter conditions: validation and compilation to SQLAlchemy Core.

Every value reaches the database as a bound parameter. Day arithmetic is in calendar days
of the scenario's timezone: ``days_since(t)`` is today's local date minus the local date of
``t``. So ``older_than_days N`` means days_since > N, ``newer_than_days N`` days_since < N,
``within_days N`` days_since < N (today and the N-1 days before), and a customer with no
orders has no ``days_since_last`` (any condition on it is false).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from engine.problems import Problem
from engine.timeutil import days_ago_start

COMPARE = ("eq", "ne", "lt", "le", "gt", "ge")
FIELD_OPS = (*COMPARE, "in", "contains", "is_true", "is_false", "is_set", "is_empty",
             "is_valid_email", "older_than_days", "newer_than_days")
NO_VALUE_OPS = ("is_true", "is_false", "is_set", "is_empty", "is_valid_email")
DAY_OPS = ("older_than_days", "newer_than_days")
ORDER_AGGS = ("count", "sum", "days_since_last")
KINDS = ("field", "orders", "bonus_used", "messages", "group")
KIND_KEYS = {
    "field": {"kind", "field", "op", "value"},
    "orders": {"kind", "agg", "op", "value", "within_days", "since", "status"},
    "bonus_used": {"kind", "node", "op"},
    "messages": {"kind", "op", "value", "within_days"},
    "group": {"kind", "match", "conditions"},
}
DATE_FIELDS = ("registered_at",)
TRUTHY = ("1", "1.0", "true", "t", "yes", "y")
MAX_DEPTH = 8
ORDER_EVENT = "order"  # the built-in event: a completed order (others are rows of the events table)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def validate_conditions(
    conditions: Any,
    node_id: str,
    where: str,
    node_types: dict[str, str],
    customer_fields: set[str] | None,
    depth: int = 0,
) -> list[Problem]:
    """Every problem in a list of conditions, each naming the node and the field path.

    Args:
        conditions: The list as found in the file.
        node_id: The filter node's id.
        where: The field path of the list (``params.conditions``).
        node_types: Node id -> type of every node in the scenario, for references.
        customer_fields: The CRM's customer columns, or None when no CRM is at hand.
        depth: Nesting depth of groups.
    """
    if not isinstance(conditions, list):
        return [Problem("must be a list of conditions", node_id, where)]
    problems: list[Problem] = []
    for i, cond in enumerate(conditions):
        problems += _validate_one(cond, node_id, f"{where}[{i}]", node_types, customer_fields, depth)
    return problems


def _validate_one(cond: Any, node_id: str, where: str, node_types: dict[str, str],
                  fields: set[str] | None, depth: int) -> list[Problem]:
    def bad(message: str, key: str | None = None) -> Problem:
        return Problem(message, node_id, f"{where}.{key}" if key else where)

    if not isinstance(cond, dict):
        return [bad("a condition must be an object")]
    kind = cond.get("kind")
    if kind not in KINDS:
        return [bad(f"unknown condition kind '{kind}'; use one of {', '.join(KINDS)}", "kind")]
    problems = [bad(f"unknown key '{k}' in a {kind} condition", k)
                for k in sorted(set(cond) - KIND_KEYS[kind])]
    op, value = cond.get("op"), cond.get("value")
    if isinstance(value, str) and "\x00" in value:
        problems.append(bad("contains a NUL character", "value"))
    if kind == "group":
        if cond.get("match", "all") not in ("all", "any"):
            problems.append(bad("must be 'all' or 'any'", "match"))
        if depth >= MAX_DEPTH:
            problems.append(bad(f"groups are nested more than {MAX_DEPTH} deep"))
        else:
            problems += validate_conditions(cond.get("conditions"), node_id, f"{where}.conditions",
                                            node_types, fields, depth + 1)
    elif kind == "field":
        field = cond.get("field")
        if not isinstance(field, str) or not field:
            problems.append(bad("a field condition needs a field name", "field"))
        elif fields is not None and field not in fields:
            problems.append(bad(f"the CRM has no customer field '{field}'", "field"))
        if op not in FIELD_OPS:
            problems.append(bad(f"unknown operator '{op}' for a field; use one of {', '.join(FIELD_OPS)}", "op"))
        elif op in NO_VALUE_OPS:
            if "value" in cond:
                problems.append(bad(f"'{op}' takes no value", "value"))
        elif op in DAY_OPS:
            problems += _whole(value, where, node_id, "value", minimum=0)
        elif op == "in":
            if not isinstance(value, list) or not all(_is_scalar(v) for v in value):
                problems.append(bad("'in' needs a list of values", "value"))
            elif any(isinstance(v, str) and "\x00" in v for v in value):
                problems.append(bad("contains a NUL character", "value"))
        elif op == "contains":
            if not isinstance(value, str) or not value:
                problems.append(bad("'contains' needs non-empty text", "value"))
        elif not _is_scalar(value):
            problems.append(bad(f"'{op}' needs a value (text, number or true/false)", "value"))
    elif kind == "orders":
        if cond.get("agg") not in ORDER_AGGS:
            problems.append(bad(f"unknown aggregate '{cond.get('agg')}'; use one of {', '.join(ORDER_AGGS)}", "agg"))
        if op not in COMPARE:
            problems.append(bad(f"unknown operator '{op}' for orders; use one of {', '.join(COMPARE)}", "op"))
        if cond.get("agg") == "sum":
            if isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(bad("must be a number", "value"))
        else:
            problems += _whole(value, where, node_id, "value", minimum=0)
        if "within_days" in cond:
            problems += _whole(cond["within_days"], where, node_id, "within_days", minimum=1)
        since = cond.get("since")
        if since is not None:
            if not isinstance(since, str) or not (since == "entry" or since.startswith("node:")):
                problems.append(bad("must be 'entry' or 'node:<id>'", "since"))
            elif since.startswith("node:") and since[5:] not in node_types:
                problems.append(bad(f"refers to a missing node '{since[5:]}'", "since"))
        status = cond.get("status")
        if status is not None and (not isinstance(status, list) or not status
                                   or not all(isinstance(s, str) and "\x00" not in s for s in status)):
            problems.append(bad("must be a non-empty list of order statuses", "status"))
    elif kind == "bonus_used":
        ref = cond.get("node")
        if ref not in node_types:
            problems.append(bad(f"refers to a missing node '{ref}'", "node"))
        elif node_types[ref] != "bonus":
            problems.append(bad(f"node '{ref}' is a {node_types[ref]}, not a bonus", "node"))
        if op not in ("is_true", "is_false"):
            problems.append(bad("must be 'is_true' or 'is_false'", "op"))
    elif kind == "messages":
        if op not in COMPARE:
            problems.append(bad(f"unknown operator '{op}' for messages; use one of {', '.join(COMPARE)}", "op"))
        problems += _whole(value, where, node_id, "value", minimum=0)
        if "within_days" in cond:
            problems += _whole(cond["within_days"], where, node_id, "within_days", minimum=1)
    return problems


def _whole(value: Any, where: str, node_id: str, key: str, minimum: int) -> list[Problem]:
    if isinstance(value, bool) or not isinstance(value, int):
        return [Problem("must be a whole number", node_id, f"{where}.{key}")]
    if value < minimum:
        return [Problem(f"must be at least {minimum}", node_id, f"{where}.{key}")]
    return []


def references(conditions: list, kind: str, key: str) -> list[str]:
    """Every value of ``key`` in conditions of ``kind``, nested groups included."""
    found: list[str] = []
    for cond in conditions or []:
        if not isinstance(cond, dict):
            continue
        if cond.get("kind") == "group":
            found += references(cond.get("conditions"), kind, key)
        elif cond.get("kind") == kind and isinstance(cond.get(key), str):
            found.append(cond[key])
    return found


@dataclass
class SqlContext:
    """What a condition compiles against.

    Attributes:
        crm: The CRM connector (tables, dialect helpers).
        state: The engine's tables.
        scenario_key: The scenario whose state is read.
        today: The local date of ``now``.
        local_now: Naive local ``now``.
        customer: The customers table (joined with the subject).
        enrolment_id: The subject's enrolment id column (NULL before entry).
        entered_at: The subject's entry time column.
        customer_id: The subject's customer id column.
        entry_day: The subject's entry day (proleptic ordinal of the local date).
        arrived_at: When the subject reached its current node (nodes that listen for events).
        due_at: When the subject's time at its current node is up (NULL: no limit).
    """

    crm: Any
    state: Any
    scenario_key: str
    today: date
    local_now: datetime
    customer: sa.Table
    enrolment_id: sa.ColumnElement
    entered_at: sa.ColumnElement
    customer_id: sa.ColumnElement
    entry_day: sa.ColumnElement
    arrived_at: sa.ColumnElement | None = None
    due_at: sa.ColumnElement | None = None


def compile_conditions(conditions: list, match: str, ctx: SqlContext) -> sa.ColumnElement:
    """One SQL boolean for a list of conditions joined by ``match`` (all | any)."""
    parts = [compile_condition(c, ctx) for c in conditions]
    if match == "any":
        return sa.or_(sa.false(), *parts)
    return sa.and_(sa.true(), *parts)


def compile_condition(cond: dict, ctx: SqlContext) -> sa.ColumnElement:
    """One condition as an SQL boolean over the customer and the subject."""
    kind = cond["kind"]
    if kind == "group":
        return compile_conditions(cond.get("conditions", []), cond.get("match", "all"), ctx)
    if kind == "field":
        return _field(cond, ctx)
    if kind == "orders":
        return _orders(cond, ctx)
    if kind == "bonus_used":
        return _bonus_used(cond, ctx)
    return _messages(cond, ctx)


def _cmp(expr: Any, op: str, value: Any) -> sa.ColumnElement:
    return {
        "eq": lambda: expr == value, "ne": lambda: expr != value,
        "lt": lambda: expr < value, "le": lambda: expr <= value,
        "gt": lambda: expr > value, "ge": lambda: expr >= value,
    }[op]()


def _text(col: sa.ColumnElement, ctx: SqlContext) -> sa.ColumnElement:
    if ctx.crm.is_sqlite or not isinstance(col.type, sa.String):
        return sa.cast(col, sa.Text)
    return col


def _is_date(name: str, col: sa.Column) -> bool:
    return name in DATE_FIELDS or isinstance(col.type, sa.Date | sa.DateTime)


def _days_since_bounds(ts: sa.ColumnElement, op: str, n: int, ctx: SqlContext) -> sa.ColumnElement:
    """``days_since(ts) op n`` as comparisons of ``ts`` with local midnights."""
    def at_least(k: int) -> sa.ColumnElement:  # days_since >= k
        return ts < ctx.crm.ts_value(days_ago_start(ctx.today, k - 1))

    def at_most(k: int) -> sa.ColumnElement:  # days_since <= k
        if k < 0:
            return sa.false()
        return ts >= ctx.crm.ts_value(days_ago_start(ctx.today, k))

    return {
        "ge": lambda: at_least(n), "gt": lambda: at_least(n + 1),
        "le": lambda: at_most(n), "lt": lambda: at_most(n - 1),
        "eq": lambda: sa.and_(at_least(n), at_most(n)),
        "ne": lambda: sa.or_(at_least(n + 1), at_most(n - 1)),
    }[op]()


def _field(cond: dict, ctx: SqlContext) -> sa.ColumnElement:
    name, op, value = cond["field"], cond["op"], cond.get("value")
    col = ctx.crm.customer_fields()[name]
    if op == "is_valid_email":
        text = _text(col, ctx)
        return sa.and_(
            text.like("_%@_%._%"), sa.not_(text.like("%@%@%")),
            *[sa.func.instr(text, ch) == 0 if ctx.crm.is_sqlite else sa.func.strpos(text, ch) == 0
              for ch in (" ", "\t", "\n", "\r")],
        )
    if op in ("is_true", "is_false"):
        if not ctx.crm.is_sqlite and isinstance(col.type, sa.Boolean):
            truth = col.is_(True)
        elif not ctx.crm.is_sqlite and isinstance(col.type, sa.Integer | sa.Numeric):
            truth = sa.and_(col.is_not(None), col != 0)
        else:
            truth = sa.and_(col.is_not(None), sa.func.lower(sa.cast(col, sa.Text)).in_(TRUTHY))
        return truth if op == "is_true" else sa.not_(truth)
    if op in ("is_set", "is_empty"):
        present = col.is_not(None)
        if ctx.crm.is_sqlite or isinstance(col.type, sa.String):
            present = sa.and_(present, sa.func.trim(_text(col, ctx)) != "")
        return present if op == "is_set" else sa.not_(present)
    if op in DAY_OPS:
        ts = ctx.crm.ts(col)
        if op == "older_than_days":
            return _days_since_bounds(ts, "gt", value, ctx)
        return _days_since_bounds(ts, "lt", value, ctx)
    if op == "contains":
        return sa.func.lower(_text(col, ctx)).contains(value.lower(), autoescape=True)
    if op == "in":
        return col.in_(value)
    if _is_date(name, col) and isinstance(value, str):
        moment = datetime.fromisoformat(value)
        compared = _cmp(ctx.crm.ts(col), op, ctx.crm.ts_value(moment))
    else:
        compared = _cmp(col, op, sa.literal(value, col.type) if not isinstance(value, bool) else value)
    if op == "ne":  # a customer with no value differs from any value
        return sa.or_(col.is_(None), compared)
    return compared


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


def _orders(cond: dict, ctx: SqlContext) -> sa.ColumnElement:
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
        return _cmp(sa.select(sa.func.count()).where(*where).scalar_subquery(), op, value)
    if agg == "sum":
        total = sa.select(sa.func.coalesce(sa.func.sum(crm.col("orders", "total")), 0)).where(*where)
        return _cmp(total.scalar_subquery(), op, value)
    last = sa.select(sa.func.max(crm.ts(crm.col("orders", "created_at")))).where(*where).scalar_subquery()
    return _days_since_bounds(last, op, value, ctx)


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


def _bonus_used(cond: dict, ctx: SqlContext) -> sa.ColumnElement:
    """A promo code counts as used once an order carrying it was placed after it was issued;
    points count as used once the customer ordered after they were credited."""
    crm, b = ctx.crm, ctx.state.bonuses
    created = crm.ts(crm.col("orders", "created_at"))
    ordered_after = [created >= b.c.issued_at,
                     crm.col("orders", "status").in_(crm.mapping.completed_statuses)]
    by_code = sa.and_(b.c.code.is_not(None), crm.col("orders", "promo_code") == b.c.code) \
        if crm.has("orders", "promo_code") else sa.false()
    by_points = sa.and_(b.c.code.is_(None), crm.col("orders", "customer_id") == b.c.customer_id)
    used = sa.exists().where(
        b.c.enrolment_id == ctx.enrolment_id, b.c.node_id == cond["node"],
        sa.or_(by_code, by_points), *ordered_after,
    )
    return used if cond["op"] == "is_true" else sa.not_(used)


def _messages(cond: dict, ctx: SqlContext) -> sa.ColumnElement:
    from engine.state import NOT_COUNTED_AS_SENT

    out = ctx.state.outbox
    where = [out.c.customer_id == ctx.customer.c[ctx.crm.mapping.column("customers", "id")],
             out.c.status.not_in(NOT_COUNTED_AS_SENT)]
    if "within_days" in cond:
        where.append(out.c.created_at >= days_ago_start(ctx.today, cond["within_days"] - 1))
    count = sa.select(sa.func.count()).where(*where).scalar_subquery()
    return _cmp(count, cond["op"], cond["value"])
