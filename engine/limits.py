"""Limits on sending: a scenario's sending window and the shop-wide frequency cap.

The window (scenario setting ``send_window``) holds messages due outside the allowed
weekdays and hours until it next opens, in the scenario's timezone. The cap (application
setting) lets no customer get more than ``messages`` messages in ``days`` days across all
scenarios; messages over it are not sent and are counted as capped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from engine.problems import BadValue, Problem, problem
from engine.timeutil import parse_hhmm

WINDOW_KEYS = ("weekdays", "from", "to")


@dataclass(frozen=True)
class FrequencyCap:
    """No more than ``messages`` messages to one customer in ``days`` days, all scenarios together."""

    messages: int
    days: int

    @classmethod
    def parse(cls, data: Any, where: str = "frequency_cap") -> FrequencyCap | None:
        """A cap from ``{"messages": K, "days": N}`` (None for no cap).

        Raises:
            ValueError: naming ``where`` and the bad key.
        """
        if data is None:
            return None
        if not isinstance(data, dict) or set(data) != {"messages", "days"}:
            raise ValueError(f"{where}: needs exactly 'messages' and 'days'")
        for key, top in (("messages", 1000), ("days", 365)):
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
                raise ValueError(f"{where}.{key}: must be a whole number from 1 to {top}, not {value!r}")
        return cls(data["messages"], data["days"])


@dataclass(frozen=True)
class SendWindow:
    """Weekdays (ISO: 1 is Monday) and the local hours ``[start, end)`` when messages may go out."""

    weekdays: frozenset[int]
    start: time
    end: time

    @classmethod
    def parse(cls, data: dict) -> SendWindow:
        """A window from a valid ``send_window`` setting (see :func:`check_window`)."""
        return cls(frozenset(data.get("weekdays", range(1, 8))), parse_hhmm(data.get("from", "00:00")),
                   parse_hhmm(data.get("to", "00:00")))

    def _hours_hold(self, moment: time) -> bool:
        if self.start == self.end:
            return True  # the whole day
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end  # overnight, e.g. 20:00 to 02:00

    def is_open(self, local: datetime) -> bool:
        """Whether a message may go out at the naive local time ``local``."""
        day = local.isoweekday()
        if self.start > self.end and local.time() < self.end:
            day = (local - timedelta(days=1)).isoweekday()  # the small hours belong to the evening before
        return day in self.weekdays and self._hours_hold(local.time())

    def next_open(self, local: datetime) -> datetime:
        """The first naive local moment at or after ``local`` when the window is open."""
        if self.is_open(local):
            return local
        for days in range(8):
            opening = datetime.combine(local.date() + timedelta(days=days), self.start)
            if opening >= local and self.is_open(opening):
                return opening
        raise ValueError("the sending window never opens")  # check_window refuses such a window


def check_window(value: Any) -> list[Problem]:
    """Problems of a ``send_window`` setting, each naming its field."""
    where = "settings.send_window"
    if value is None:
        return []
    if not isinstance(value, dict):
        return [problem("window.not_object", None, where)]
    problems = [problem("file.unknown_key", None, f"{where}.{k}", key=k) for k in value if k not in WINDOW_KEYS]
    days = value.get("weekdays", [1, 2, 3, 4, 5, 6, 7])
    valid = isinstance(days, list) and bool(days) and len(set(map(repr, days))) == len(days) and all(
        isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 7 for d in days)
    if not valid:
        problems.append(problem("window.weekdays", None, f"{where}.weekdays"))
    for key in ("from", "to"):
        try:
            parse_hhmm(value.get(key, "00:00"))
        except BadValue as exc:
            problems.append(Problem(exc.text.code, exc.text.args, field=f"{where}.{key}"))
    return problems
