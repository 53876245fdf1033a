"""The wait node: holds customers for minutes, hours or days, optionally until a time of day."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from engine.conditions import ORDER_EVENT, SqlContext, happened
from engine.nodes.base import STAY, CheckContext, NodeType, Route
from engine.params import Param
from engine.problems import Problem
from engine.timeutil import days_later, next_local_time, parse_hhmm

UNITS = ("minutes", "hours", "days")


class Wait(NodeType):
    """Holds each customer for a time, then lets them go on by ``out``."""

    name = "wait"
    title = "Wait"
    description = "Customers wait here for the given time before going on."
    color = "#4caf7a"
    icon = "wait.svg"
    holds = True
    checks_partial = True
    params: ClassVar = (
        Param("days", "int", "Days", default=1, minimum=1, maximum=3650, help="How many days to wait.",
              extra={"one_of": "duration"}),
        Param("hours", "int", "Hours", minimum=1, maximum=24 * 365, help="How many hours to wait.",
              extra={"one_of": "duration"}),
        Param("minutes", "int", "Minutes", minimum=1, maximum=60 * 24 * 30, help="How many minutes to wait.",
              extra={"one_of": "duration"}),
        Param("release_at", "time", "Release at",
              help="Hold customers until this local time of day after the wait is over."),
    )

    def check(self, node_id: str, params: dict, ctx: CheckContext) -> list[Problem]:
        given = [u for u in UNITS if u in params]
        if len(given) != 1:
            return [Problem("a wait needs exactly one of minutes, hours or days "
                            f"(found {', '.join(given) or 'none'})", node_id, "params")]
        return []

    def hold_until(self, params: dict, now: datetime, tz: ZoneInfo) -> datetime:
        unit = next(u for u in UNITS if u in params)
        if unit == "days":  # calendar days: the same local wall time N days later
            due = days_later(now, params["days"], tz)
        else:
            due = now + timedelta(**{unit: params[unit]})
        if params.get("release_at"):
            due = next_local_time(due, parse_hhmm(params["release_at"]), tz)
        return due


class WaitEvent(NodeType):
    """Holds each customer until an event (an order, or a row of the events table) or a timeout."""

    name = "wait_event"
    title = "Wait for an event"
    description = "Customers leave by 'event' as soon as it happens, or by 'timeout' when the days are up."
    color = "#2e9e8f"
    icon = "wait_event.svg"
    listens = True
    holds = True
    params: ClassVar = (
        Param("event", "string", "Event", default=ORDER_EVENT, required=True, max_length=100,
              help="order (a completed order), or an event's name in the CRM's events table."),
        Param("days", "int", "Timeout (days)", default=3, required=True, minimum=1, maximum=365,
              help="Customers the event has not happened to by then leave by 'timeout'."),
    )

    def ports(self, params: dict) -> list[str]:
        return ["event", "timeout"]

    def check(self, node_id: str, params: dict, ctx: CheckContext) -> list[Problem]:
        event = params.get("event")
        if isinstance(event, str) and not event.strip():
            return [Problem("name the event to wait for (order, or a name from the events table)",
                            node_id, "params.event")]
        if event != ORDER_EVENT and ctx.crm_has is not None and not ctx.crm_has("events", "name"):
            return [Problem("the CRM has no events table (customer_id, name, created_at)", node_id, "params.event")]
        return []

    def hold_until(self, params: dict, now: datetime, tz: ZoneInfo) -> datetime:
        return days_later(now, params["days"], tz)  # calendar days, as a wait counts them

    def routes(self, params: dict, ctx: SqlContext, scenario_key: str, node_id: str) -> list[Route]:
        """'event' if it happened since the customer arrived, 'timeout' once due, else stay."""
        crm = ctx.crm
        customer_id = ctx.customer.c[crm.mapping.column("customers", "id")]
        since_arrival = happened(crm, customer_id, params["event"], lambda ts: ts >= crm.ts(ctx.arrived_at))
        timed_out = ctx.due_at <= sa.literal(ctx.local_now, ctx.due_at.type)
        return [("event", since_arrival), ("timeout", timed_out), (STAY, None)]
