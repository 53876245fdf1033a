"""Time arithmetic in the scenario's timezone.

The engine never reads the clock: every function here takes ``now``. Day arithmetic is in
calendar days of the scenario's timezone ("7 days since the last order" means the order was
placed on the local date seven days before today), and timestamps handed to SQL are naive
local times of that timezone, the way small shops' CRMs store them.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from engine.problems import BadValue

HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_hhmm(text: str) -> time:
    """Parse ``"HH:MM"`` (24-hour clock) into a time.

    Raises:
        BadValue: (a ValueError) if the text is not a valid time of day.
    """
    match = HHMM.match(text) if isinstance(text, str) else None
    if not match:
        raise BadValue("value.time", text=text)
    return time(int(match.group(1)), int(match.group(2)))


def zone(name: str) -> ZoneInfo:
    """The IANA timezone called ``name``.

    Raises:
        BadValue: (a ValueError) if there is no such timezone.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise BadValue("value.timezone", name=name) from exc


def as_aware(moment: datetime, tz: ZoneInfo) -> datetime:
    """``moment`` with a timezone: naive values are read as local times of ``tz``."""
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def to_local_naive(moment: datetime, tz: ZoneInfo) -> datetime:
    """The naive local time of ``moment`` in ``tz``, to whole seconds."""
    return as_aware(moment, tz).astimezone(tz).replace(tzinfo=None, microsecond=0)


def local_midnight(day: date) -> datetime:
    """Naive local midnight at the start of ``day``."""
    return datetime.combine(day, time(0, 0))


def days_ago_start(today: date, days: int) -> datetime:
    """The start of the local day ``days`` calendar days before ``today``."""
    return local_midnight(today - timedelta(days=days))


def days_later(now: datetime, days: int, tz: ZoneInfo) -> datetime:
    """The same local wall time ``days`` calendar days after ``now`` (aware), across DST changes."""
    local = now.astimezone(tz)
    return datetime.combine(local.date() + timedelta(days=days), local.time(), tzinfo=tz)


def next_local_time(after: datetime, at: time, tz: ZoneInfo) -> datetime:
    """The first moment at or after ``after`` (aware) whose local wall time is ``at``."""
    local = after.astimezone(tz)
    candidate = datetime.combine(local.date(), at, tzinfo=tz)
    if candidate < local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=tz)
    return candidate
