"""The wait node: holds customers for minutes, hours or days, optionally until a time of day."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from engine.nodes.base import CheckContext, NodeType
from engine.params import Param
from engine.problems import Problem
from engine.timeutil import next_local_time, parse_hhmm

UNITS = ("minutes", "hours", "days")


class Wait(NodeType):
    """Holds each customer for a time, then lets them go on by ``out``."""

    name = "wait"
    title = "Wait"
    description = "Customers wait here for the given time before going on."
    color = "#4caf7a"
    icon = "wait.svg"
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
            local = now.astimezone(tz)
            due = datetime.combine(local.date() + timedelta(days=params["days"]), local.time(), tzinfo=tz)
        else:
            due = now + timedelta(**{unit: params[unit]})
        if params.get("release_at"):
            due = next_local_time(due, parse_hhmm(params["release_at"]), tz)
        return due
