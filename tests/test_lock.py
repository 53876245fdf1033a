"""One runner per scenario: a PostgreSQL advisory lock, an SQLite lease with a heartbeat."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from connectors.crm import Crm
from engine.lock import RunnerLock, ScenarioBusy
from tests.helpers import REACTIVATION, ROOT, make_crm
from tests.test_cli import cli


@pytest.fixture
def crm(crm_url):
    make_crm(crm_url, [{"id": 1, "email": "a@example.com"}], [])
    opened = Crm.open(crm_url)
    yield opened
    opened.dispose()


def test_the_second_runner_yields_and_names_the_first(crm):
    first = RunnerLock(crm, "reactivation", holder="laptop:111").acquire()
    with pytest.raises(ScenarioBusy, match="scenario 'reactivation' is being run by laptop:111 since"):
        RunnerLock(crm, "reactivation", holder="server:222").acquire()
    other = RunnerLock(crm, "welcome", holder="server:222").acquire()  # another scenario is free
    first.release()
    second = RunnerLock(crm, "reactivation", holder="server:222").acquire()
    second.release()
    other.release()


def test_sqlite_lease_of_a_dead_holder_runs_out(sqlite_url):
    make_crm(sqlite_url, [], [])
    crm = Crm.open(sqlite_url)
    t0 = 1_800_000_000.0
    RunnerLock(crm, "s", holder="dead:1", lease_seconds=60, clock=lambda: t0).acquire()  # never released
    with pytest.raises(ScenarioBusy, match="dead:1"):
        RunnerLock(crm, "s", holder="new:2", clock=lambda: t0 + 59).acquire()
    alive = RunnerLock(crm, "s", holder="alive:3", lease_seconds=60, clock=lambda: t0 + 61).acquire()
    clock = [t0 + 100]
    alive.clock = lambda: clock[0]
    alive.heartbeat()  # renewed at +100: valid until +160
    with pytest.raises(ScenarioBusy, match="alive:3"):
        RunnerLock(crm, "s", holder="new:2", clock=lambda: t0 + 150).acquire()
    crm.dispose()


HOLD = """
import sys, time
sys.path.insert(0, {root!r})
from connectors.crm import Crm
from engine.lock import RunnerLock
lock = RunnerLock(Crm.open({url!r}), "reactivation-by-orders")
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_a_killed_runner_lets_the_next_one_take_over(crm_url, crm):
    holder = subprocess.Popen([sys.executable, "-c", HOLD.format(root=str(ROOT), url=crm_url)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        busy = cli("run", str(REACTIVATION), "--crm", crm_url, "--no-deliver")
        assert busy.returncode == 1
        assert f"is being run by {socket.gethostname()}:{holder.pid}" in busy.stderr
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
        if crm.is_sqlite:  # the holder was a process of this host and is gone: its lease is void
            RunnerLock(crm, "reactivation-by-orders").acquire().release()
        else:  # the server freed the advisory lock with the dead session
            deadline = time.monotonic() + 10
            while True:
                try:
                    RunnerLock(crm, "reactivation-by-orders").acquire().release()
                    break
                except ScenarioBusy:
                    assert time.monotonic() < deadline
                    time.sleep(0.2)
        done = cli("run", str(REACTIVATION), "--crm", crm_url, "--no-deliver", "--json")
        assert done.returncode == 0, done.stderr
    finally:
        if holder.poll() is None:
            holder.kill()


def test_the_heartbeat_renews_by_time_and_writes_only_after_a_third_of_the_lease(sqlite_url):
    from tests.helpers import rows

    make_crm(sqlite_url, [], [])
    crm = Crm.open(sqlite_url)
    t0 = 1_800_000_000.0
    clock = [t0]
    lock = RunnerLock(crm, "s", holder="runner:1", lease_seconds=60, clock=lambda: clock[0]).acquire()
    expiry = "SELECT expires_at FROM scenarist_leases"
    first = rows(sqlite_url, expiry)
    for step in range(1, 20):  # one message a second for 19 seconds: no write at all
        clock[0] = t0 + step
        lock.heartbeat()
    assert rows(sqlite_url, expiry) == first
    clock[0] = t0 + 21  # past a third of the lease: renewed, valid until +81
    lock.heartbeat()
    assert rows(sqlite_url, expiry) != first
    with pytest.raises(ScenarioBusy, match="runner:1"):
        RunnerLock(crm, "s", holder="other:2", clock=lambda: t0 + 80).acquire()
    crm.dispose()


def test_a_runner_whose_lease_was_taken_over_stops_at_its_next_heartbeat(sqlite_url):
    from engine.lock import LeaseLost

    make_crm(sqlite_url, [], [])
    crm = Crm.open(sqlite_url)
    t0 = 1_800_000_000.0
    clock = [t0]
    stalled = RunnerLock(crm, "s", holder="stalled:1", lease_seconds=60, clock=lambda: clock[0]).acquire()
    RunnerLock(crm, "s", holder="next:2", lease_seconds=60, clock=lambda: t0 + 61).acquire()  # the lease ran out
    clock[0] = t0 + 62
    with pytest.raises(LeaseLost, match=r"ran out and another runner took the scenario \(now next:2\)"):
        stalled.heartbeat()
    stalled.release()  # gives back nothing that is not its own
    with pytest.raises(ScenarioBusy, match="next:2"):
        RunnerLock(crm, "s", holder="third:3", clock=lambda: t0 + 63).acquire()
    crm.dispose()
