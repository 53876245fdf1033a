"""``serve``: the headless scheduler, run for real in subprocesses, and stopped between steps."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.scheduling import ScenarioRunner
from app.settings import Settings
from app.workspace import Workspace
from connectors.crm import Crm
from engine.lock import RunnerLock
from tests.helpers import REACTIVATION, ROOT, checksum, make_crm, rows
from tests.test_cli import _ENV, cli
from tests.test_engine import naive

PEOPLE = [{"id": i, "email": f"c{i}@example.com", "first_name": f"C{i}"} for i in range(1, 31)]
ORDERS = [{"customer_id": i, "created_at": naive(-1000)} for i in range(1, 31)]


def workspace(folder: Path, url: str, reconcile_minutes: float = 0.02) -> Path:
    data = json.loads(REACTIVATION.read_text(encoding="utf-8"))
    data["nodes"][0]["params"]["at"] = "00:00"  # due at any hour of the day the test runs
    (folder / "reactivation.scenario.json").write_text(json.dumps(data), encoding="utf-8")
    (folder / "workspace.toml").write_text(
        f'crm = "{url}"\nenabled = ["reactivation.scenario.json"]\nreconcile_minutes = {reconcile_minutes}\n',
        encoding="utf-8")
    return folder


def start_serve(folder: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "serve", "--workspace", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_ENV, cwd=ROOT)


def wait_for(folder: Path, text: str, timeout: float = 30.0, times: int = 1) -> str:
    """The serve log once ``text`` is in it (``times`` times)."""
    log = folder / "logs" / "serve.log"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and (content := log.read_text(encoding="utf-8")).count(text) >= times:
            return content
        time.sleep(0.2)
    raise AssertionError(f"'{text}' never appeared {times} time(s) in {log}")


def stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=30)


def test_serve_runs_the_day_once_and_records_it(sqlite_url, tmp_path):
    make_crm(sqlite_url, PEOPLE, ORDERS)
    folder = workspace(tmp_path, sqlite_url)
    process = start_serve(folder)
    try:
        wait_for(folder, "entered 30")
        wait_for(folder, "nothing to do", times=2)  # the reconcile job woke twice more: nothing again
    finally:
        assert stop(process) == 0
    runs = rows(sqlite_url, "SELECT status, entered, queued FROM scenarist_runs")
    assert runs == [("done", 30, 30)]
    log = (folder / "logs" / "serve.log").read_text(encoding="utf-8")
    assert "serving 1 scenario(s)" in log and "stopping (SIGTERM)" in log and log.rstrip().endswith("stopped")


def test_serve_yields_to_the_holder_and_takes_over_when_it_leaves(crm_url, tmp_path):
    make_crm(crm_url, PEOPLE, ORDERS)
    crm = Crm.open(crm_url)
    held = RunnerLock(crm, "reactivation-by-orders", holder="editor-on-laptop:1").acquire()
    folder = workspace(tmp_path, crm_url)
    process = start_serve(folder)
    try:
        wait_for(folder, "yields: scenario 'reactivation-by-orders' is being run by editor-on-laptop:1")
        assert rows(crm_url, "SELECT count(*) FROM scenarist_enrolments") == [(0,)]
        held.release()
        wait_for(folder, "entered 30")
    finally:
        stop(process)
        crm.dispose()


def test_two_serve_processes_never_run_one_scenario_twice(crm_url, tmp_path):
    make_crm(crm_url, PEOPLE, ORDERS)
    folders = [workspace(tmp_path / name, crm_url, reconcile_minutes=0.005) for name in ("a", "b")
               if (tmp_path / name).mkdir() is None]
    processes = [start_serve(f) for f in folders]
    try:  # each woke several times (every 0.3 s), on the other's run or after it
        for folder in folders:
            wait_for(folder, "nothing to do", times=3)
    finally:
        for p in processes:
            stop(p)
    runs = rows(crm_url, "SELECT * FROM scenarist_runs")
    assert rows(crm_url, "SELECT sum(entered), count(*) FROM scenarist_runs") == [(30, 1)], runs
    assert rows(crm_url, "SELECT count(*), count(DISTINCT customer_id) FROM scenarist_outbox") == [(30, 30)]


def entry_committed(url: str) -> bool:
    """Whether the day's entry of a run has committed (the engine's tables may not exist yet)."""
    try:
        return rows(url, "SELECT count(*) FROM scenarist_entries") == [(1,)]
    except Exception:  # no engine table yet: the run has not got that far
        return False


def wait_until(condition, timeout: float = 60.0, what: str = "the condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} never came"
        time.sleep(0.05)


@pytest.mark.slow
def test_stopped_mid_run_the_next_start_finishes_the_work(tmp_path, monkeypatch):
    import engine.faults as faults
    from connectors.demo_crm import build_demo_crm

    urls = [f"sqlite:///{tmp_path / name}.db" for name in ("stopped", "clean")]
    for url in urls:
        build_demo_crm(url, customers=100_000, seed=5, as_of=naive(0, 9))
    data = json.loads(REACTIVATION.read_text(encoding="utf-8"))
    data["nodes"][0]["params"]["at"] = "00:00"
    (tmp_path / "r.scenario.json").write_text(json.dumps(data), encoding="utf-8")
    clock = lambda: naive(0, 11).astimezone()  # noqa: E731 - one fixed moment for both databases
    stopped = Workspace(tmp_path, urls[0], [tmp_path / "r.scenario.json"])
    monkeypatch.setattr(faults, "_PAUSE_AT", "entry")  # the run holds still right after its entry committed
    monkeypatch.setenv("SCENARIST_PAUSE_SECONDS", "4")
    stop = threading.Event()
    worker = threading.Thread(target=ScenarioRunner(stopped, Settings(), stop, clock).reconcile)
    worker.start()
    try:
        wait_until(lambda: entry_committed(urls[0]), what="the entry")
        stop.set()  # a stop asked for after the entry: the run ends there, before the next step
    finally:
        worker.join(timeout=60)
    monkeypatch.setattr(faults, "_PAUSE_AT", None)
    assert rows(urls[0], "SELECT count(*) FROM scenarist_outbox") == [(0,)]
    entered = rows(urls[0], "SELECT count(*) FROM scenarist_enrolments")[0][0]
    ScenarioRunner(stopped, Settings(), threading.Event(), clock).reconcile()
    clean = Workspace(tmp_path, urls[1], [tmp_path / "r.scenario.json"])
    ScenarioRunner(clean, Settings(), threading.Event(), clock).reconcile()
    # The stopped run admitted exactly the customers the clean run admits in one go.
    assert rows(urls[1], "SELECT entered FROM scenarist_runs") == [(entered,)]
    query = ("SELECT customer_id, node_id, status, subject FROM scenarist_outbox ORDER BY customer_id, node_id")
    assert rows(urls[0], query) == rows(urls[1], query)
    state = "SELECT customer_id, node_id, status, due_at FROM scenarist_enrolments ORDER BY customer_id"
    assert rows(urls[0], state) == rows(urls[1], state)
    assert checksum(urls[0])["customers"] == checksum(urls[1])["customers"]


def test_a_broken_workspace_is_refused(tmp_path):
    (tmp_path / "workspace.toml").write_text('crm = "sqlite:///x.db"\nenabled = ["missing.scenario.json"]\n')
    done = cli("serve", "--workspace", str(tmp_path))
    assert done.returncode == 2 and "enabled scenario 'missing.scenario.json' is not in" in done.stderr
    assert not os.path.exists(tmp_path / "logs")


def start_serve_with(folder: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "serve", "--workspace", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env={**_ENV, **env},
                            cwd=ROOT)


@pytest.mark.slow
def test_sigterm_in_the_middle_of_a_run_of_100000_then_a_restart_finishes_it(tmp_path):
    from connectors.demo_crm import build_demo_crm

    url = f"sqlite:///{tmp_path / 'shop.db'}"
    build_demo_crm(url, customers=100_000, seed=5)
    folder = workspace(tmp_path, url, reconcile_minutes=60)
    first = start_serve_with(folder, SCENARIST_PAUSE_AT="entry", SCENARIST_PAUSE_SECONDS="4")
    # The start-up run has made its entry (committed) and pauses right after it.
    wait_until(lambda: entry_committed(url), what="the entry")
    assert stop(first) == 0
    log = wait_for(folder, "reactivation.scenario.json: stopped; the next start finishes the work")
    entered = rows(url, "SELECT count(*) FROM scenarist_enrolments")[0][0]
    assert rows(url, "SELECT status, entered FROM scenarist_runs") == [("stopped", entered)]
    assert rows(url, "SELECT count(*) FROM scenarist_outbox") == [(0,)]  # stopped before the message step
    assert rows(url, "SELECT count(*) FROM scenarist_enrolments WHERE node_id = 'mail1'") == [(entered,)]
    second = start_serve(folder)
    try:
        wait_for(folder, f"queued {entered}", timeout=60)
    finally:
        assert stop(second) == 0
    assert rows(url, "SELECT count(*), count(DISTINCT customer_id), min(status), max(status) FROM scenarist_outbox") \
        == [(entered, entered, "pending", "pending")]
    assert rows(url, "SELECT node_id, count(*) FROM scenarist_enrolments GROUP BY node_id") == [("wait7", entered)]
    assert "stopping (SIGTERM)" in log


@pytest.mark.slow
def test_a_scenario_due_in_two_seconds_runs_once_at_its_time(sqlite_url, tmp_path):
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    make_crm(sqlite_url, PEOPLE, ORDERS)
    msk = ZoneInfo("Europe/Moscow")
    now = datetime.now(UTC)
    boundary = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
    if (boundary - now).total_seconds() < 5:
        boundary += timedelta(minutes=1)
    time.sleep(max(0.0, (boundary - datetime.now(UTC)).total_seconds() - 3))  # a few seconds before it is due
    data = json.loads(REACTIVATION.read_text(encoding="utf-8"))
    data["nodes"][0]["params"]["at"] = boundary.astimezone(msk).strftime("%H:%M")
    (tmp_path / "reactivation.scenario.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "workspace.toml").write_text(
        f'crm = "{sqlite_url}"\nenabled = ["reactivation.scenario.json"]\nreconcile_minutes = 60\n', encoding="utf-8")
    process = start_serve(tmp_path)
    try:
        wait_for(tmp_path, "serving 1 scenario(s)")
        assert rows(sqlite_url, "SELECT count(*) FROM scenarist_enrolments") == [(0,)]  # not yet due at start
        wait_for(tmp_path, "entered 30", timeout=20)
        time.sleep(2)
    finally:
        assert stop(process) == 0
    runs = rows(sqlite_url, "SELECT at, entered FROM scenarist_runs")
    assert len(runs) == 1 and runs[0][1] == 30
    assert runs[0][0].startswith(boundary.astimezone(msk).strftime("%Y-%m-%d %H:%M"))


def test_a_password_in_the_workspace_url_is_refused_and_never_printed(tmp_path):
    """serve wrote the CRM password to its log and stderr; now the URL is refused before any log."""
    (tmp_path / "workspace.toml").write_text('crm = "postgresql://shop:hunter2@127.0.0.1/test"\nenabled = []\n',
                                             encoding="utf-8")
    done = cli("serve", "--workspace", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"error: {tmp_path / 'workspace.toml'}: 'crm': the CRM's address must not contain a password: keep it in "
        "the keyring (python main.py secret set crm URL) or in the SCENARIST_CRM_PASSWORD environment variable")
    assert "hunter2" not in done.stderr + done.stdout
    assert not (tmp_path / "logs").exists()
