"""The outbox dispatcher: pending -> sending -> sent | failed | unknown, one commit per message.

Delivery cannot be exactly-once across a database and an SMTP server. So a row is marked
``sending`` and committed before it goes out, and marked ``sent`` after; a row still found in
``sending`` when a dispatcher starts was interrupted mid-send and becomes ``unknown``: it is
listed for the user and never resent silently. No transaction is held open while sending.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from connectors.channels import Channel, DeliveryError, OutgoingMessage
from connectors.credentials import mask_urls
from engine.faults import checkpoint
from engine.send_pool import send_in_parallel
from engine.state import FAILED, PENDING, SENDING, SENT, STATE, SUPPRESSED, UNKNOWN
from engine.suppression import listed, suppress

PAGE = 200
STALL_TIMEOUTS = 3  # timeouts in a row after which a channel pauses for the rest of a dispatch
PACE_SLICE = 5.0  # a long wait between two messages is cut into slices, with a heartbeat after each


@dataclass
class DeliveryPolicy:
    """Retries: exponential backoff from ``backoff_seconds`` up to ``max_attempts`` tries.

    No wait is longer than ``max_backoff_seconds``, not even one a server asked for with
    Retry-After.
    """

    max_attempts: int = 5
    backoff_seconds: float = 60.0
    max_backoff_seconds: float = 6 * 3600.0


@dataclass
class DeliveryReport:
    """What one dispatch did.

    Attributes:
        counts: Messages per outcome (sent, failed, retry, unknown, suppressed: not sent because the
            recipient went on the suppression list after the message was queued).
        listed: Addresses this dispatch put on the suppression list (channel, address), from refusals.
        unknown: Idempotency keys of the messages that may or may not have arrived.
        stopped: Channel -> why it stopped (or paused) during this dispatch; its rest waits.
        waiting: Channel -> messages still pending after the dispatch.
    """

    counts: Counter = field(default_factory=Counter)
    unknown: list[str] = field(default_factory=list)
    stopped: dict[str, str] = field(default_factory=dict)
    waiting: dict[str, int] = field(default_factory=dict)
    listed: list[tuple[str, str]] = field(default_factory=list)


class _Pace:
    """Keeps a channel under its messages-per-second limit."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next = 0.0

    def wait(self, heartbeat: Callable[[], None]) -> None:
        if self.interval:
            while (delay := self.next - time.monotonic()) > 0:
                time.sleep(min(delay, PACE_SLICE))
                heartbeat()  # a slow channel must not let the runner's lease run out
            self.next = max(self.next, time.monotonic()) + self.interval


def deliver(engine: sa.Engine, channels: dict[str, Channel], now: datetime,
            policy: DeliveryPolicy | None = None, scenario_key: str | None = None,
            heartbeat: Callable[[], None] | None = None) -> DeliveryReport:
    """Send every due pending message through its channel.

    Args:
        engine: The CRM database engine holding the outbox.
        channels: Channel name (email, sms, webhook) -> channel; others stay pending.
        now: Naive local time recorded on rows and compared with retry times.
        policy: Retry policy.
        scenario_key: Only this scenario's messages, or all.
        heartbeat: Called before each page and after every message, never while a message is
            claimed (a runner lock renews its lease there; it may raise to stop between messages).
    """
    policy = policy or DeliveryPolicy()
    out = STATE.outbox
    report = DeliveryReport()
    mine = [out.c.scenario == scenario_key] if scenario_key else []
    with engine.begin() as conn:
        report.unknown = [k for (k,) in conn.execute(
            sa.select(out.c.idempotency_key).where(out.c.status == SENDING, *mine))]
        if report.unknown:
            conn.execute(out.update().where(out.c.status == SENDING, *mine).values(
                status=UNKNOWN, error="interrupted while sending: it may or may not have arrived"))
    report.counts[UNKNOWN] += len(report.unknown)
    paces = {name: _Pace(ch.rate_per_second) for name, ch in channels.items()}
    # One connection for the whole dispatch, one short transaction per state change, none open
    # while a message is on the wire.
    with engine.connect() as conn:
        try:
            for name, channel in channels.items():
                _deliver_channel(conn, name, channel, paces[name], now, policy, mine, report,
                                 heartbeat or (lambda: None))
        finally:
            for channel in channels.values():
                channel.close()
        report.waiting = dict(conn.execute(
            sa.select(out.c.channel, sa.func.count()).where(out.c.status == PENDING, *mine)
            .group_by(out.c.channel)).all())
    return report


def _deliver_channel(conn: sa.Connection, name: str, channel: Channel, pace: _Pace, now: datetime,
                     policy: DeliveryPolicy, mine: list, report: DeliveryReport,
                     heartbeat: Callable[[], None]) -> None:
    out = STATE.outbox
    due = [out.c.status == PENDING, out.c.channel == name, *mine,
           sa.or_(out.c.next_attempt_at.is_(None), out.c.next_attempt_at <= now)]
    settle = _Settle(conn, name, now, policy, report)
    if int(getattr(channel, "connections", 1)) > 1:
        _deliver_parallel(conn, channel, due, pace, settle, heartbeat)
        return
    after = 0
    while True:
        with conn.begin():
            report.counts[SUPPRESSED] += _drop_listed(conn, name, due)
            batch = conn.execute(sa.select(out).where(*due, out.c.id > after).order_by(out.c.id).limit(PAGE)).all()
        if not batch:
            return
        heartbeat()
        for row in batch:
            after = row.id
            pace.wait(heartbeat)  # before the claim: nothing is left 'sending' if the heartbeat stops us
            if row.recipient and (row.channel, row.recipient.strip().lower()) in report.listed:
                with conn.begin():  # refused a moment ago for another message of this page
                    report.counts[SUPPRESSED] += _drop_listed(conn, name, [out.c.id == row.id])
                continue
            if not _claim(conn, row.id):
                continue  # another dispatcher took it
            if settle(row, _send(channel, row)):
                return
            heartbeat()


@dataclass
class _Settle:
    """Records what became of each message of one channel's dispatch, and says when to stop."""

    conn: sa.Connection
    name: str
    now: datetime
    policy: DeliveryPolicy
    report: DeliveryReport
    timeouts: int = 0  # in a row: a server that stopped answering must not hold the run for hours

    def __call__(self, row: Any, failure: DeliveryError | None) -> bool:
        """Mark one claimed message sent, waiting or failed; True when the channel stops for this dispatch."""
        conn, report = self.conn, self.report
        checkpoint("delivery:sent")  # handed over, not yet marked: a kill here leaves it 'sending'
        if failure is None:
            _finish(conn, row.id, SENT, None, sent_at=self.now)
            report.counts[SENT] += 1
            self.timeouts = 0
            return False
        if failure.stops_channel:
            _finish(conn, row.id, PENDING, str(failure), attempts_back=True)
            report.stopped.setdefault(self.name, mask_urls(str(failure)))  # the first reason, of several on the wire
            return True
        status, error, retry_at = _after_failure(failure, row.attempts + 1, self.now, self.policy)
        _finish(conn, row.id, status, error, retry_at)
        if failure.bad_recipient and row.recipient:  # a refusal that names the recipient lists them
            with _transaction(conn):  # its own, or the batch's (engine.send_pool)
                if suppress(conn, row.channel, row.recipient, mask_urls(str(failure)), f"refused ({row.scenario})",
                            self.now):
                    report.listed.append((row.channel, row.recipient.strip().lower()))
        report.counts["retry" if status == PENDING else status] += 1
        if status == UNKNOWN:
            report.unknown.append(row.idempotency_key)
        self.timeouts = self.timeouts + 1 if failure.timed_out else 0
        if self.timeouts >= STALL_TIMEOUTS:
            report.stopped.setdefault(self.name, mask_urls(
                f"paused after {self.timeouts} timeouts in a row ({failure}); the rest waits for a later run"))
            return True
        return False


def _deliver_parallel(conn: sa.Connection, channel: Any, due: list, pace: _Pace, settle: _Settle,
                      heartbeat: Callable[[], None]) -> None:
    """Send through ``channel.connections`` copies of the channel at once (see :mod:`engine.send_pool`)."""

    def drop_listed() -> None:  # before each page, in its transaction
        settle.report.counts[SUPPRESSED] += _drop_listed(conn, settle.name, due)

    send_in_parallel(conn, channel, due, pace, settle, heartbeat, _send, before_page=drop_listed)


def _drop_listed(conn: sa.Connection, channel: str, where: list) -> int:
    """Mark the pending messages of the channel (and ``where``) whose recipient is on the
    suppression list as ``suppressed``, in one statement; returns how many."""
    out = STATE.outbox
    return conn.execute(out.update().where(out.c.status == PENDING, out.c.channel == channel, *where,
                                           listed(channel, out.c.recipient))
                        .values(status=SUPPRESSED, error="suppressed: the recipient is on the suppression list")
                        ).rowcount


def _send(channel: Channel, row: Any) -> DeliveryError | None:
    """Send one claimed row; the failure, if any, as a DeliveryError."""
    try:
        channel.send(OutgoingMessage(row.idempotency_key, row.channel, row.recipient or "",
                                     row.subject or "", row.body or "", row.customer_id))
    except DeliveryError as exc:
        return exc
    except Exception as exc:  # a channel's own failure, not the server's answer
        # Channels report a message that may have left as a DeliveryError; anything else failed
        # on our side, so the message is tried again (its connection anew) rather than lost.
        with contextlib.suppress(Exception):
            channel.close()
        return DeliveryError(f"the {row.channel} channel failed: {type(exc).__name__}: {exc}", transient=True)
    return None


def _after_failure(exc: DeliveryError, attempts: int, now: datetime,
                   policy: DeliveryPolicy) -> tuple[str, str, Any]:
    if exc.maybe_sent:
        return UNKNOWN, str(exc), None
    if exc.transient and attempts < policy.max_attempts:
        delay = policy.backoff_seconds * 2 ** (attempts - 1)
        if exc.retry_after is not None:
            delay = max(delay, exc.retry_after)
        return PENDING, str(exc), now + timedelta(seconds=min(delay, policy.max_backoff_seconds))
    return FAILED, str(exc), None


def _claim(conn: sa.Connection, row_id: int) -> bool:
    out = STATE.outbox
    with conn.begin():
        return conn.execute(out.update().where(out.c.id == row_id, out.c.status == PENDING).values(
            status=SENDING, attempts=out.c.attempts + 1)).rowcount == 1


def _finish(conn: sa.Connection, row_id: int, status: str, error: str | None, retry_at: Any = None, *,
            sent_at: datetime | None = None, attempts_back: bool = False) -> None:
    out = STATE.outbox
    # Whatever a server or a library put in the reason, no URL keeps its credentials in the outbox.
    values: dict[str, Any] = {"status": status, "error": None if error is None else mask_urls(error),
                              "next_attempt_at": retry_at}
    if sent_at is not None:
        values["sent_at"] = sent_at
    if attempts_back:  # the server refused us, not the message: this try does not count
        values["attempts"] = out.c.attempts - 1
    with _transaction(conn):
        conn.execute(out.update().where(out.c.id == row_id).values(**values))


def _transaction(conn: sa.Connection) -> Any:
    """A transaction of its own, or the one a batch of outcomes is written in (engine.send_pool)."""
    return contextlib.nullcontext() if conn.in_transaction() else conn.begin()
