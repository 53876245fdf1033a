"""One runner per scenario: two processes never run the same scenario at the same time.

On PostgreSQL the lock is a session advisory lock, held on a connection of its own (an advisory
lock belongs to the session that took it, so it must not go back to a pool) and released by the
server if the process dies. On SQLite it is a lease row with an expiry that the holder renews
(heartbeat); a killed holder's lease runs out and another process may take over, at once when
the holder was a process of this host that no longer exists. Either way the
lease row says who holds the scenario, so the one that yields can say so.
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


class ScenarioBusy(Exception):
    """Another process runs this scenario; the message names it."""


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
                 lease_seconds: float = LEASE_SECONDS, clock: Callable[[], float] = time.time):
        self.crm, self.key = crm, scenario_key
        self.holder = holder or this_process()
        self.lease_seconds, self.clock = lease_seconds, clock
        self._conn: sa.Connection | None = None

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
        return self

    def heartbeat(self) -> None:
        """Renew the lease; call it between steps of a long run."""
        leases = STATE.leases
        with self.crm.engine.begin() as conn:
            conn.execute(leases.update().where(leases.c.scenario == self.key, leases.c.holder == self.holder)
                         .values(expires_at=self._now() + timedelta(seconds=self.lease_seconds)))

    def release(self) -> None:
        """Give the scenario back."""
        leases = STATE.leases
        with self.crm.engine.begin() as conn:
            conn.execute(leases.delete().where(leases.c.scenario == self.key, leases.c.holder == self.holder))
        if self._conn is not None:
            self._conn.execute(sa.select(sa.func.pg_advisory_unlock(_lock_id(self.key))))
            self._conn.close()
            self._conn = None

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
