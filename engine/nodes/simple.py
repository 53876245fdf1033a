"""Node types without side effects: trigger, filter, split, exit."""

from __future__ import annotations

import calendar
import hashlib
from datetime import datetime, time, timedelta
from typing import ClassVar

import sqlalchemy as sa

from engine.conditions import ORDER_EVENT, SqlContext, compile_conditions, happened, references, validate_conditions
from engine.nodes.base import CheckContext, NodeType, Route
from engine.params import Param
from engine.problems import Problem

PORT_NAME_MAX = 32


TRIGGER_KINDS = ("schedule", "new_customer", "new_order", "event", "date")
FIRST_ORDER = "first_order"  # the date trigger's pseudo-field: the anniversary of the first order


class Trigger(NodeType):
    """Where customers enter, once a day at ``at``: everyone (``schedule``), or those with an
    event since the previous entry (a registration, an order, a row of the events table), or
    those whose yearly date (a birthday, the first order's anniversary) comes ``days_before``."""

    name = "trigger"
    title = "Start"
    description = "Customers enter the scenario once a day at the given time."
    color = "#3d8bd9"
    icon = "trigger.svg"
    has_input = False
    pure = True
    entry = True
    params: ClassVar = (
        Param("kind", "choice", "Starts", default="schedule", required=True, choices=TRIGGER_KINDS,
              help="Who enters: every customer, new customers, customers who ordered, customers with an "
                   "event, or customers whose date comes."),
        Param("at", "time", "At", default="10:00", required=True,
              help="Local time of day (scenario timezone) when customers enter."),
        Param("event", "string", "Event", max_length=100, extra={"when": ("kind", ("event",))},
              help="For an event start: the event's name in the CRM's events table, e.g. cart_abandoned."),
        Param("field", "string", "Date", max_length=100, extra={"when": ("kind", ("date",))},
              help="For a date start: a customer date such as birthday, or first_order for the "
                   "anniversary of the first order."),
        Param("days_before", "int", "Days before", minimum=0, maximum=60, extra={"when": ("kind", ("date",))},
              help="For a date start: enter this many days before the date."),
    )

    def check(self, node_id: str, params: dict, ctx: CheckContext) -> list[Problem]:
        kind = params.get("kind")
        needs = {"event": ("event",), "date": ("field",)}.get(kind, ())
        problems = [Problem(f"a '{kind}' start needs '{key}'", node_id, f"params.{key}")
                    for key in needs if not params.get(key)]
        allowed = {"event": {"event"}, "date": {"field", "days_before"}}.get(kind, set())
        problems += [Problem(f"'{key}' belongs to another kind of start, not '{kind}'", node_id, f"params.{key}")
                     for key in ("event", "field", "days_before") if key in params and key not in allowed]
        if kind == "event" and ctx.crm_has is not None and not ctx.crm_has("events", "name"):
            problems.append(Problem("the CRM has no events table (customer_id, name, created_at)",
                                    node_id, "params.event"))
        field = params.get("field")
        if kind == "date" and isinstance(field, str) and field and field != FIRST_ORDER \
                and ctx.customer_fields is not None and field not in ctx.customer_fields:
            problems.append(Problem(f"the CRM has no customer field '{field}'", node_id, "params.field"))
        return problems

    def customer_fields(self, params: dict) -> list[str]:
        field = params.get("field")
        return [field] if params.get("kind") == "date" and isinstance(field, str) and field != FIRST_ORDER else []

    def admits(self, params: dict, ctx: SqlContext, since: datetime) -> sa.ColumnElement:
        """The customers this trigger lets in at ``ctx.local_now``; events count when they
        happened after ``since`` (the previous entry) and by now."""
        crm, kind = ctx.crm, params.get("kind", "schedule")
        customer_id = ctx.customer.c[crm.mapping.column("customers", "id")]

        def in_window(ts: sa.ColumnElement) -> sa.ColumnElement:
            return sa.and_(ts > crm.ts_value(since), ts <= crm.ts_value(ctx.local_now))

        if kind == "new_customer":
            return in_window(crm.ts(crm.col("customers", "registered_at")))
        if kind == "new_order":
            return happened(crm, customer_id, ORDER_EVENT, in_window)
        if kind == "event":
            return happened(crm, customer_id, params["event"], in_window)
        if kind == "date":
            return _date_comes(params, ctx, customer_id)
        return sa.true()


def _date_comes(params: dict, ctx: SqlContext, customer_id: sa.ColumnElement) -> sa.ColumnElement:
    """The customer's yearly date falls ``days_before`` days from today (Feb 29 on Feb 28 in
    other years), and it is at least a year old (no anniversary on the first day)."""
    crm = ctx.crm
    target = ctx.today + timedelta(days=params.get("days_before", 0))
    days = [target.strftime("%m-%d")]
    if target.month == 2 and target.day == 28 and not calendar.isleap(target.year):
        days.append("02-29")
    this_year = crm.ts_value(datetime.combine(target, time()))  # same month-day, earlier year
    if params["field"] == FIRST_ORDER:
        orders = crm.col("orders", "created_at")
        first = (sa.select(sa.func.min(crm.ts(orders)))
                 .where(crm.col("orders", "customer_id") == customer_id,
                        crm.col("orders", "status").in_(crm.mapping.completed_statuses))
                 .scalar_subquery())
        return sa.and_(crm.month_day(first).in_(days), first < this_year)
    column = crm.customer_fields()[params["field"]]
    return crm.month_day(column).in_(days)


class Filter(NodeType):
    """Sends customers matching the conditions to ``yes`` and the others to ``no``."""

    name = "filter"
    title = "Filter customers"
    description = "Customers who match the conditions go on by 'yes', the others by 'no'."
    color = "#d9a13d"
    icon = "filter.svg"
    pure = True
    checks_partial = True
    params: ClassVar = (
        Param("match", "choice", "Match", default="all", required=True, choices=("all", "any"),
              help="All conditions must hold, or any one of them."),
        Param("conditions", "conditions", "Conditions", default=[], required=True,
              help="What a customer must match."),
    )

    def ports(self, params: dict) -> list[str]:
        return ["yes", "no"]

    def check(self, node_id: str, params: dict, ctx: CheckContext) -> list[Problem]:
        return validate_conditions(params.get("conditions", []), node_id, "params.conditions",
                                   ctx.node_types, ctx.customer_fields)

    def customer_fields(self, params: dict) -> list[str]:
        return references(params.get("conditions") or [], "field", "field")

    def routes(self, params: dict, ctx: SqlContext, scenario_key: str, node_id: str) -> list[Route]:
        return [("yes", compile_conditions(params["conditions"], params.get("match", "all"), ctx)),
                ("no", None)]


def split_bucket(scenario_key: str, node_id: str, customer_id: int, entry_day: int, total: int) -> int:
    """The branch bucket of one enrolment, 0 <= bucket < total (the SQL below computes the same)."""
    salt = _split_salt(scenario_key, node_id)
    mixed = (customer_id + entry_day * 7919 + salt) % 2147483647
    return (mixed * 2654435761) % 4294967296 % total


def _split_salt(scenario_key: str, node_id: str) -> int:
    return int(hashlib.sha256(f"{scenario_key}\x00{node_id}".encode()).hexdigest()[:5], 16)


class Split(NodeType):
    """Sends each enrolment down one branch, chosen by weights and fixed by a hash."""

    name = "split"
    title = "A/B split"
    description = "Customers are divided between branches by weight; each keeps its branch."
    color = "#8a63d2"
    icon = "split.svg"
    branching = True
    params: ClassVar = (
        Param("branches", "branches", "Branches", required=True,
              default=[{"port": "a", "weight": 50}, {"port": "b", "weight": 50}],
              help="Output ports and their weights."),
    )

    def ports(self, params: dict) -> list[str]:
        branches = params.get("branches")
        if not isinstance(branches, list):
            return []
        return [b["port"] for b in branches if isinstance(b, dict) and isinstance(b.get("port"), str)]

    def check(self, node_id: str, params: dict, ctx: CheckContext) -> list[Problem]:
        branches = params.get("branches")
        if not isinstance(branches, list):
            return []
        problems: list[Problem] = []
        if len(branches) < 2:
            problems.append(Problem("a split needs at least two branches", node_id, "params.branches"))
        seen: set[str] = set()
        for i, branch in enumerate(branches):
            where = f"params.branches[{i}]"
            if not isinstance(branch, dict) or set(branch) != {"port", "weight"}:
                problems.append(Problem("a branch is an object with 'port' and 'weight'", node_id, where))
                continue
            port, weight = branch["port"], branch["weight"]
            if not isinstance(port, str) or not port or len(port) > PORT_NAME_MAX or not port.isidentifier():
                problems.append(Problem(f"port name '{port}' must be a short identifier", node_id, f"{where}.port"))
            elif port in seen:
                problems.append(Problem(f"port '{port}' appears twice", node_id, f"{where}.port"))
            if isinstance(port, str):
                seen.add(port)
            if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 10000:
                problems.append(Problem("weight must be a whole number from 0 to 10000", node_id, f"{where}.weight"))
        weights = [b.get("weight") for b in branches if isinstance(b, dict)]
        if weights and all(isinstance(w, int) and not isinstance(w, bool) for w in weights) and sum(weights) == 0:
            problems.append(Problem("the weights add up to zero", node_id, "params.branches"))
        return problems

    def routes(self, params: dict, ctx: SqlContext, scenario_key: str, node_id: str) -> list[Route]:
        """Routes by the hash bucket of (scenario, node, customer, entry day): see split_bucket."""
        customer_id, entry_day = ctx.customer_id, ctx.entry_day
        branches = params["branches"]
        total = sum(b["weight"] for b in branches)
        salt = _split_salt(scenario_key, node_id)
        mixed = (customer_id + entry_day * sa.literal(7919, sa.BigInteger) + sa.literal(salt, sa.BigInteger)) \
            % sa.literal(2147483647, sa.BigInteger)
        bucket = (mixed * sa.literal(2654435761, sa.BigInteger)) % sa.literal(4294967296, sa.BigInteger) \
            % sa.literal(total, sa.BigInteger)
        routes: list[Route] = []
        upper = 0
        for branch in branches[:-1]:
            upper += branch["weight"]
            routes.append((branch["port"], bucket < upper))
        routes.append((branches[-1]["port"], None))
        return routes


OTHERWISE = "other"  # the switch's last port: customers no branch took


class Switch(NodeType):
    """Sends each customer down the first branch whose conditions hold, or by ``other``."""

    name = "switch"
    title = "Split by condition"
    description = "Each customer goes down the first branch whose conditions they match, or by 'other'."
    color = "#b5651d"
    icon = "switch.svg"
    pure = True
    branching = True
    params: ClassVar = (
        Param("branches", "cases", "Branches", required=True,
              default=[{"port": "first", "match": "all", "conditions": []}],
              help="Branches tried in order; each has its port and conditions."),
    )

    def ports(self, params: dict) -> list[str]:
        branches = params.get("branches")
        names = [b["port"] for b in branches if isinstance(b, dict) and isinstance(b.get("port"), str)] \
            if isinstance(branches, list) else []
        return [*names, OTHERWISE]

    def check(self, node_id: str, params: dict, ctx: CheckContext) -> list[Problem]:
        branches = params.get("branches")
        if not isinstance(branches, list):
            return []
        problems: list[Problem] = []
        if not branches:
            problems.append(Problem("a split by condition needs at least one branch", node_id, "params.branches"))
        seen = {OTHERWISE}
        for i, branch in enumerate(branches):
            where = f"params.branches[{i}]"
            if not isinstance(branch, dict) or not {"port", "conditions"} <= set(branch) \
                    or not set(branch) <= {"port", "match", "conditions"}:
                problems.append(Problem("a branch is an object with 'port', 'match' and 'conditions'", node_id, where))
                continue
            port = branch["port"]
            if not isinstance(port, str) or not port or len(port) > PORT_NAME_MAX or not port.isidentifier():
                problems.append(Problem(f"port name '{port}' must be a short identifier", node_id, f"{where}.port"))
            elif port in seen:
                reason = "is the port of customers no branch takes" if port == OTHERWISE else "appears twice"
                problems.append(Problem(f"port '{port}' {reason}", node_id, f"{where}.port"))
            seen.add(port if isinstance(port, str) else "")
            if branch.get("match", "all") not in ("all", "any"):
                problems.append(Problem("must be 'all' or 'any'", node_id, f"{where}.match"))
            problems += validate_conditions(branch["conditions"], node_id, f"{where}.conditions",
                                            ctx.node_types, ctx.customer_fields)
        return problems

    def customer_fields(self, params: dict) -> list[str]:
        branches = params.get("branches") if isinstance(params.get("branches"), list) else []
        return [f for b in branches if isinstance(b, dict)
                for f in references(b.get("conditions") or [], "field", "field")]

    def routes(self, params: dict, ctx: SqlContext, scenario_key: str, node_id: str) -> list[Route]:
        return [*[(b["port"], compile_conditions(b["conditions"], b.get("match", "all"), ctx))
                  for b in params["branches"]], (OTHERWISE, None)]


class Exit(NodeType):
    """Ends the customer's way through the scenario."""

    name = "exit"
    title = "Exit"
    description = "The customer leaves the scenario here."
    color = "#7a7f87"
    icon = "exit.svg"
    pure = True

    def ports(self, params: dict) -> list[str]:
        return []

    def routes(self, params: dict, ctx: SqlContext, scenario_key: str, node_id: str) -> list[Route]:
        return []
