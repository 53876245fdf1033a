"""The suppression list: addresses no scenario sends to, kept in the engine's tables.

A row is (channel, address, reason, source, time). Every scenario honours it twice: a message
node marks the messages of a listed recipient ``suppressed`` instead of queueing them, and the
dispatcher marks a queued message ``suppressed`` instead of sending it when its recipient was
listed meanwhile (a 550 from another scenario's send). A permanent refusal that names the
recipient (SMTP 550/551/553, a webhook's "bad recipient" answer) adds the address by itself.
Addresses are compared trimmed and in lower case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.state import STATE

CHANNELS = ("email", "sms", "webhook")
MAX_ADDRESS = 320


def normal(address: str) -> str:
    """An address as the list keeps it: trimmed, in lower case."""
    return address.strip().lower()


def listed(channel: str, address: Any) -> sa.ColumnElement:
    """SQL: whether the address (a column or an expression) is on the list for ``channel``."""
    s = STATE.suppressions
    return sa.exists().where(s.c.channel == channel,
                             s.c.address == sa.func.lower(sa.func.trim(sa.cast(address, sa.String))))


@dataclass(frozen=True)
class Suppressed:
    """One entry of the list."""

    channel: str
    address: str
    reason: str
    source: str
    at: datetime

    def to_json(self) -> dict[str, str]:
        """Plain values for ``--json`` and CSV."""
        return {"channel": self.channel, "address": self.address, "reason": self.reason, "source": self.source,
                "at": self.at.isoformat(sep=" ", timespec="seconds")}


def suppress(conn: Connection, channel: str, address: str, reason: str, source: str, at: datetime) -> bool:
    """Put an address on the list (nothing changes when it is there already); returns whether it was added."""
    s, key = STATE.suppressions, normal(address)
    if not key:
        return False
    found = conn.execute(sa.select(s.c.address).where(s.c.channel == channel, s.c.address == key)).first()
    if found is not None:
        return False
    conn.execute(s.insert().values(channel=channel, address=key, reason=reason[:2000], source=source[:200], at=at))
    return True


def unsuppress(conn: Connection, channel: str, address: str) -> bool:
    """Take an address off the list; returns whether it was there."""
    s = STATE.suppressions
    return conn.execute(s.delete().where(s.c.channel == channel, s.c.address == normal(address))).rowcount > 0


def entries(conn: Connection, channel: str | None = None, search: str = "") -> list[Suppressed]:
    """The list, newest first; only ``channel``'s, and only addresses containing ``search``."""
    s = STATE.suppressions
    where = []
    if channel:
        where.append(s.c.channel == channel)
    if search.strip():
        where.append(s.c.address.contains(normal(search), autoescape=True))
    rows = conn.execute(sa.select(s).where(*where).order_by(s.c.at.desc(), s.c.channel, s.c.address)).all()
    return [Suppressed(r.channel, r.address, r.reason, r.source, r.at) for r in rows]


def is_listed(conn: Connection, channel: str, address: str) -> bool:
    """Whether one address is on the list for ``channel``."""
    s = STATE.suppressions
    return conn.execute(sa.select(s.c.address).where(s.c.channel == channel,
                                                     s.c.address == normal(address))).first() is not None
