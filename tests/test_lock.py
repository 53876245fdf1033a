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
