"""The wait for an event: customers leave as soon as they order (or have an event of the
events table), or by ``timeout`` when the days are up."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from engine.conditions import ORDER_EVENT, SqlContext, happened
from engine.nodes.base import STAY, CheckContext, NodeType, Route
from engine.nodes.wait import duration_words
from engine.params import Param
from engine.problems import Problem
from engine.timeutil import days_later


class WaitEvent(NodeType):
    """Holds each customer until an event (an order, or a row of the events table) or a timeout."""

    name = "wait_event"
    order = 50
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

    words: ClassVar = {
        "port.event": "event",
        "port.timeout": "timeout",
        "no_event": "name the event to wait for (order, or a name from the events table)",
        "say.order": "Wait up to {duration} for an order: customers who order go on by {event}, the others by "
                     "{timeout}.",
        "say.named": "Wait up to {duration} for the event {name}: customers with it go on by {event}, the others by "
                     "{timeout}.",
        "say.order.open": "Wait for an order: customers who order go on by {event}.",
        "say.named.open": "Wait for the event {name}: customers with it go on by {event}.",
    }

    def ports(self, params: dict) -> list[str]:
        return ["event", "timeout"]

    def check(self, node_id: str, params: dict, ctx: CheckContext) -> list[Problem]:
        event = params.get("event")
        if isinstance(event, str) and not event.strip():
            return [self.problem("no_event", node_id, "params.event")]
        if event != ORDER_EVENT and ctx.crm_has is not None and not ctx.crm_has("events", "name"):
            return [Problem("crm.no_events", {}, node_id, "params.event")]
        return []

    def describe(self, params: dict, say: Any) -> str:
        event = params.get("event", ORDER_EVENT)
        key = "say.order" if event == ORDER_EVENT else "say.named"
        ports = {"event": say.port(self.name, "event"), "timeout": say.port(self.name, "timeout"),
                 "name": say.quote(str(event))}
        if not any(params.get(u) is not None for u in ("days", "hours", "minutes")):
            return say(self.code(f"{key}.open"), **ports)
        return say(self.code(key), duration=duration_words(params, say), **ports)

    def hold_until(self, params: dict, now: datetime, tz: ZoneInfo) -> datetime:
        return days_later(now, params["days"], tz)  # calendar days, as a wait counts them

    def routes(self, params: dict, ctx: SqlContext, scenario_key: str, node_id: str) -> list[Route]:
        """'event' if it happened since the customer arrived, 'timeout' once due, else stay."""
        crm = ctx.crm
        customer_id = ctx.customer.c[crm.mapping.column("customers", "id")]
        since_arrival = happened(crm, customer_id, params["event"], lambda ts: ts >= crm.ts(ctx.arrived_at))
        timed_out = ctx.due_at <= sa.literal(ctx.local_now, ctx.due_at.type)
        return [("event", since_arrival), ("timeout", timed_out), (STAY, None)]
