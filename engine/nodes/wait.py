"""The wait node: holds customers for minutes, hours or days, optionally until a time of day."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from connectors.texts import Text
from engine.nodes.base import CheckContext, NodeType
from engine.params import Param
from engine.problems import Problem
from engine.timeutil import days_later, next_local_time, parse_hhmm

UNITS = ("minutes", "hours", "days")


class Wait(NodeType):
    """Holds each customer for a time, then lets them go on by ``out``."""

    name = "wait"
    order = 40
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

    words: ClassVar = {
        "one_duration": "a wait needs exactly one of minutes, hours or days (found {found})",
        "none": "none",
        "say": "Wait {duration}",
        "say.release": "Wait {duration} (then until {at})",
    }

    def check(self, node_id: str, params: dict, ctx: CheckContext) -> list[Problem]:
        given = [u for u in UNITS if u in params]
        if len(given) != 1:
            found = ", ".join(given) if given else Text(self.code("none"))
            return [self.problem("one_duration", node_id, "params", found=found)]
        return []

    def describe(self, params: dict, say: Any) -> str:
        duration = duration_words(params, say)
        if params.get("release_at"):
            return say(self.code("say.release"), duration=duration, at=params["release_at"])
        return say(self.code("say"), duration=duration)

    def hold_until(self, params: dict, now: datetime, tz: ZoneInfo) -> datetime:
        unit = next(u for u in UNITS if u in params)
        if unit == "days":  # calendar days: the same local wall time N days later
            due = days_later(now, params["days"], tz)
        else:
            due = now + timedelta(**{unit: params[unit]})
        if params.get("release_at"):
            due = next_local_time(due, parse_hhmm(params["release_at"]), tz)
        return due


def duration_words(params: dict, say: Any) -> str:
    """The duration a wait's parameters give, in words: "7 days", "30 minutes"."""
    for unit in ("days", "hours", "minutes"):
        if params.get(unit) is not None:
            return say.count(params[unit], unit[:-1])
    raise KeyError("duration")
