"""The trigger: where customers enter the scenario, once a day at its time."""

from __future__ import annotations

import calendar
from datetime import datetime, time, timedelta
from typing import Any, ClassVar

import sqlalchemy as sa

from engine.conditions import ORDER_EVENT, SqlContext, happened
from engine.nodes.base import CheckContext, NodeType
from engine.params import Param
from engine.problems import Problem

KINDS = ("schedule", "new_customer", "new_order", "event", "date")
FIRST_ORDER = "first_order"  # the date trigger's pseudo-field: the anniversary of the first order


class Trigger(NodeType):
    """Where customers enter, once a day at ``at``: everyone (``schedule``), or those with an
    event since the previous entry (a registration, an order, a row of the events table), or
    those whose yearly date (a birthday, the first order's anniversary) comes ``days_before``."""

    name = "trigger"
    order = 10
    title = "Start"
    description = "Customers enter the scenario once a day at the given time."
    color = "#3d8bd9"
    icon = "trigger.svg"
    has_input = False
    pure = True
    entry = True
    params: ClassVar = (
        Param("kind", "choice", "Starts", default="schedule", required=True, choices=KINDS,
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
    words: ClassVar = {
        "choice.schedule": "every day at a time",
        "choice.new_customer": "a new customer registered",
        "choice.new_order": "a customer placed an order",
        "choice.event": "an event from the site (events table)",
        "choice.date": "a yearly date (birthday, anniversary)",
        "needs": "a '{start}' start needs '{key}'",
        "other_kind": "'{key}' belongs to another kind of start, not '{start}'",
        "say.schedule": "Every day at {at}, customers enter the scenario.",
        "say.new_customer": "Every day at {at}, customers who registered since the previous entry enter the scenario.",
        "say.new_order": "Every day at {at}, customers who placed an order since the previous entry enter the "
                         "scenario.",
        "say.event": "Every day at {at}, customers with the event {event} since the previous entry enter the scenario.",
        "say.date": "Every day at {at}, customers whose {date} comes {when} enter the scenario.",
        "say.first_order": "first order's anniversary",
        "say.today": "today",
        "say.tomorrow": "tomorrow",
        "say.in": "in {days}",
    }

    def check(self, node_id: str, params: dict, ctx: CheckContext) -> list[Problem]:
        kind = params.get("kind")
        needs = {"event": ("event",), "date": ("field",)}.get(kind, ())
        problems = [self.problem("needs", node_id, f"params.{key}", start=kind, key=key)
                    for key in needs if not params.get(key)]
        allowed = {"event": {"event"}, "date": {"field", "days_before"}}.get(kind, set())
        problems += [self.problem("other_kind", node_id, f"params.{key}", key=key, start=kind)
                     for key in ("event", "field", "days_before") if key in params and key not in allowed]
        if kind == "event" and ctx.crm_has is not None and not ctx.crm_has("events", "name"):
            problems.append(Problem("crm.no_events", {}, node_id, "params.event"))
        field = params.get("field")
        if kind == "date" and isinstance(field, str) and field and field != FIRST_ORDER \
                and ctx.customer_fields is not None and field not in ctx.customer_fields:
            problems.append(Problem("crm.no_field", {"field": field}, node_id, "params.field"))
        return problems

    def customer_fields(self, params: dict) -> list[str]:
        field = params.get("field")
        return [field] if params.get("kind") == "date" and isinstance(field, str) and field != FIRST_ORDER else []

    def describe(self, params: dict, say: Any) -> str:
        kind, at = params.get("kind", "schedule"), params.get("at", "10:00")
        if kind == "event":
            return say(self.code("say.event"), at=at, event=say.quote(params["event"]))
        if kind == "date":
            days = params.get("days_before", 0)
            when = say(self.code("say.today")) if days == 0 else say(self.code("say.tomorrow")) if days == 1 \
                else say(self.code("say.in"), days=say.count(days, "day"))
            field = params["field"]
            name = say(self.code("say.first_order")) if field == FIRST_ORDER else say.field(field)
            return say(self.code("say.date"), at=at, date=name, when=when)
        return say(self.code(f"say.{kind}"), at=at)

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
