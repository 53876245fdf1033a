"""Sending one channel's messages through several connections at once, its commits in batches.

Exactly once as with one connection: a message is marked ``sending`` and committed before it goes
on the wire, and its outcome is written after its answer; a process killed in between leaves it
``sending``, which the next dispatch makes ``unknown``, never resent by itself. Only the commits
are batched, and only where that keeps the guarantee: the messages claimed in one commit are those
about to go out now on the connections that are free, and the outcomes written in one commit are
those of messages already answered. So a kill -9 leaves no message sent twice, and the messages it
leaves ``unknown`` are those on the wire or just answered. Only the sending happens on the threads
(one connection each); the database is written on the caller's connection.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

import sqlalchemy as sa

from engine.state import PENDING, SENDING, STATE

PAGE = 200


class _Pool:
    """The connections of one dispatch of one channel, and the messages on the wire."""

    def __init__(self, channel: Any, send: Callable[[Any, Any], Any]):
        self.channel, self._send = channel, send
        self.workers = max(1, int(channel.connections))
        self._local, self._guard = threading.local(), threading.Lock()
        self.made: list[Any] = []
        self.in_flight: dict[Future, Any] = {}
        self.executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="scenarist-send")

    def _send_own(self, row: Any) -> Any:
        own = getattr(self._local, "channel", None)
        if own is None:
            own = self._local.channel = self.channel.clone()
            with self._guard:
                self.made.append(own)
        return self._send(own, row)

    def submit(self, row: Any) -> None:
        self.in_flight[self.executor.submit(self._send_own, row)] = row

    def answered(self) -> list[tuple[Any, Any]]:
        """The messages answered by now, in the outbox's order, as (row, failure or None)."""
        done = sorted((f for f in self.in_flight if f.done()), key=lambda f: self.in_flight[f].id)
        return [(self.in_flight.pop(f), f.result()) for f in done]

    def wait_any(self) -> None:
        wait(list(self.in_flight), return_when=FIRST_COMPLETED)

    def wait_all(self) -> None:
        wait(list(self.in_flight))

    def close(self) -> None:
        self.wait_all()  # after an error: let the threads finish before their connections close
        self.executor.shutdown(wait=True)
        for own in self.made:
            own.close()


def send_in_parallel(conn: sa.Connection, channel: Any, due: list, pace: Any,
                     settle: Callable[[Any, Any], bool], heartbeat: Callable[[], None],
                     send: Callable[[Any, Any], Any], before_page: Callable[[], None] | None = None) -> None:
    """Send the due messages of ``channel`` through ``channel.connections`` clones of it at once.

    Args:
        conn: The dispatch's database connection (outside any transaction).
        channel: The channel; ``clone()`` gives one with a connection of its own.
        due: The WHERE clauses of its due messages.
        pace: Its rate limit across all connections (``wait(heartbeat)`` before each claim; a paced
            channel claims one message at a time).
        settle: Records one answered message (inside the batch's transaction); True stops the channel.
        heartbeat: Called between pages and batches; when it raises, the messages on the wire finish
            and are recorded first.
        send: Sends one claimed row through a channel, returning its failure or None.
        before_page: Called in the transaction that reads each page, before it is read.
    """
    pool = _Pool(channel, send)
    stopped = False

    def record() -> None:
        nonlocal stopped
        answered = pool.answered()
        if answered:
            with conn.begin():  # one commit for every message answered meanwhile
                for row, failure in answered:
                    stopped = settle(row, failure) or stopped

    def beat() -> None:
        try:
            heartbeat()
        except BaseException:
            pool.wait_all()  # what is on the wire goes out and is recorded first
            record()
            raise

    waiting: deque = deque()  # read, not yet claimed
    after = 0
    try:
        while True:
            record()
            if stopped:
                break
            if len(pool.in_flight) >= pool.workers:
                pool.wait_any()
                beat()
                continue
            if not waiting:
                with conn.begin():
                    if before_page is not None:
                        before_page()
                    page = conn.execute(sa.select(STATE.outbox).where(*due, STATE.outbox.c.id > after)
                                        .order_by(STATE.outbox.c.id).limit(PAGE)).all()
                if not page:
                    break
                after = page[-1].id
                waiting.extend(page)
                beat()
            free = 1 if pace.interval else pool.workers - len(pool.in_flight)
            rows = [waiting.popleft() for _ in range(min(free, len(waiting)))]
            pace.wait(beat)  # before the claim: nothing is left 'sending' if the heartbeat stops us
            for row in _claim(conn, rows):
                pool.submit(row)
        pool.wait_all()
        record()
    finally:
        pool.close()


def _claim(conn: sa.Connection, rows: list) -> list:
    """Mark ``rows`` 'sending' in one commit; the ones claimed (another dispatcher may have taken some)."""
    out = STATE.outbox
    with conn.begin():
        return [row for row in rows if conn.execute(
            out.update().where(out.c.id == row.id, out.c.status == PENDING)
            .values(status=SENDING, attempts=out.c.attempts + 1)).rowcount == 1]
