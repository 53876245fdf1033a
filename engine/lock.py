"""One runner per scenario: two processes never run the same scenario at the same time.

On PostgreSQL the lock is a session advisory lock, held on a connection of its own (an advisory
lock belongs to the session that took it, so it must not go back to a pool) and released by the
server if the process dies. On SQLite it is a lease row with an expiry that the holder renews
(heartbeat); a killed holder's lease runs out and another process may take over, at once when
the holder was a process of this host that no longer exists. Either way the
lease row says who holds the scenario, so the one that yields can say so.

The lease is renewed by time, not by amount of work: the runner calls :meth:`RunnerLock.heartbeat`
often (between steps, after every message delivered) and it writes only once a third of the
lease has passed, so a slow channel never lets the lease run out while messages still go out.
"""

from __future__ import annotations

import os
import socket
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from connectors.crm import Crm
from engine.state import STATE, ensure_schema

LEASE_SECONDS = 60.0
RENEW_AFTER = 1 / 3  # of the lease: a heartbeat before that writes nothing


class ScenarioBusy(Exception):
    """Another process runs this scenario; the message names it."""


class LeaseLost(ScenarioBusy):
    """This runner's lease ran out and another process took the scenario: stop at once."""


def this_process() -> str:
    """A name for this process that a person can find: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _dead_here(holder: str) -> bool:
    """Whether a holder is a process of this host that no longer exists (killed, crashed)."""
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False


def _lock_id(scenario_key: str) -> int:
    return zlib.crc32(f"scenarist:{scenario_key}".encode()) - 2**31  # a signed 32-bit key


class RunnerLock:
    """Exclusive right to run one scenario, taken with :meth:`acquire` and given back with :meth:`release`."""

    def __init__(self, crm: Crm, scenario_key: str, holder: str | None = None,
                 lease_seconds: float | None = None, clock: Callable[[], float] = time.time):
        self.crm, self.key = crm, scenario_key
        self.holder = holder or this_process()
        self.lease_seconds = LEASE_SECONDS if lease_seconds is None else lease_seconds
        self.clock = clock
        self._conn: sa.Connection | None = None
        self._renewed: float | None = None  # clock() at the last write of the lease

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC).replace(tzinfo=None, microsecond=0)

    def acquire(self) -> RunnerLock:
        """Take the scenario or raise ScenarioBusy naming the holder."""
        leases = STATE.leases
        with self.crm.engine.begin() as conn:
            ensure_schema(conn)
        if not self.crm.is_sqlite:
            self._conn = self.crm.engine.connect()
            got = self._conn.execute(sa.select(sa.func.pg_try_advisory_lock(_lock_id(self.key)))).scalar_one()
            self._conn.commit()
            if not got:
                self._conn.close()
                self._conn = None
                raise ScenarioBusy(self._busy_message())
        now = self._now()
        with self.crm.engine.begin() as conn:
            row = conn.execute(sa.select(leases).where(leases.c.scenario == self.key)).first()
            if self.crm.is_sqlite and row and row.holder != self.holder and row.expires_at > now \
                    and not _dead_here(row.holder):
                raise ScenarioBusy(self._busy_message(row))
            values = {"holder": self.holder, "since": now, "expires_at": now + timedelta(seconds=self.lease_seconds)}
            if row:
                conn.execute(leases.update().where(leases.c.scenario == self.key).values(**values))
            else:
                conn.execute(leases.insert().values(scenario=self.key, **values))
        self._renewed = self.clock()
        return self

    def heartbeat(self) -> None:
        """Renew the lease once a third of it has passed; cheap to call after every message.

        Raises:
            LeaseLost: the lease is no longer this runner's (it ran out and another process took
                the scenario): the caller must stop before it does anything more.
        """
        started = self.clock()
        if self._renewed is not None and started - self._renewed < self.lease_seconds * RENEW_AFTER:
            return
        leases = STATE.leases
        with self.crm.engine.begin() as conn:
            mine = conn.execute(leases.update().where(leases.c.scenario == self.key, leases.c.holder == self.holder)
                                .values(expires_at=self._now() + timedelta(seconds=self.lease_seconds))).rowcount
        if not mine:
            raise LeaseLost(f"scenario '{self.key}': the lease of this run ran out and another runner took the "
                            f"scenario ({self._holder_now()}); this run stops here")
        self._renewed = started

    def _holder_now(self) -> str:
        leases = STATE.leases
        with self.crm.engine.connect() as conn:
            row = conn.execute(sa.select(leases.c.holder).where(leases.c.scenario == self.key)).first()
        return f"now {row.holder}" if row else "since finished"

    def release(self) -> None:
        """Give the scenario back (a lease another process took over stays theirs)."""
        leases = STATE.leases
        with self.crm.engine.begin() as conn:
            conn.execute(leases.delete().where(leases.c.scenario == self.key, leases.c.holder == self.holder))
        if self._conn is not None:
            self._conn.execute(sa.select(sa.func.pg_advisory_unlock(_lock_id(self.key))))
            self._conn.close()
            self._conn = None
        self._renewed = None

    def _busy_message(self, row: sa.Row | None = None) -> str:
        if row is None:
            leases = STATE.leases
            with self.crm.engine.connect() as conn:
                row = conn.execute(sa.select(leases).where(leases.c.scenario == self.key)).first()
        who = f"{row.holder} since {row.since:%Y-%m-%d %H:%M:%S} UTC" if row else "another process"
        return f"scenario '{self.key}' is being run by {who}"

    def __enter__(self) -> RunnerLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
