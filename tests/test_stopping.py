"""A stop reaches the statement in flight, from every shell: *Cancel run* in the window's
scheduler, serve's SIGTERM, a simulation's cancel. A PostgreSQL session holds the customers
table locked, so the run's query waits on the server until it is cancelled; a long render keeps
the SQLite lease between its pages."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.scheduling import RunListener, ScenarioRunner
from app.settings import Settings
from app.workspace import Workspace
from connectors.texts import Text
from tests.helpers import ROOT, engine_for, make_crm, rows
from tests.test_cli import _ENV
from tests.test_engine import day, points_scenario
from tests.test_render_safety import messages_scenario, people, wait_for


class Finished(RunListener):
    """Keeps how each run ended."""

    def __init__(self) -> None:
        self.ends: list[tuple[str, Text, bool]] = []

    def finished(self, path: Path, summary: Text, ok: bool) -> None:
        self.ends.append((path.name, summary, ok))


class Holder:
    """Another session that holds the customers' rows for update: a bonus step's UPDATE then
    waits on the server, while reading them and reflecting the tables do not."""

    def __init__(self, url: str):
        self.url = url
        self.engine = engine_for(url)
        self.conn = self.engine.connect()
        self.pid = self.conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        self.conn.rollback()

    def hold(self, schema: str | None = None) -> None:
        """Lock the rows of ``customers`` (of ``schema``, else of the CRM's own)."""
        table = f'"{schema}".customers' if schema else "customers"
        self.conn.exec_driver_sql(f"SELECT id FROM {table} FOR UPDATE")

    def release(self) -> None:
        self.conn.rollback()

    def held_up(self) -> list[tuple[int, str]]:
        """The queries waiting for this session, with their backends."""
        return rows(self.url, f"SELECT pid, query FROM pg_stat_activity WHERE {self.pid} = ANY(pg_blocking_pids(pid))")

    def updating_customers(self) -> list[int]:
        return [pid for pid, query in self.held_up() if query.lstrip().upper().startswith("UPDATE CUSTOMERS")]

    def close(self) -> None:
        self.conn.rollback()
        self.conn.close()
        self.engine.dispose()


@pytest.fixture
def rows_held(pg_url) -> Iterator[tuple[str, Holder]]:
    """A PostgreSQL CRM of five customers and a :class:`Holder` on it."""
    make_crm(pg_url, people(5), [])
    holder = Holder(pg_url)
    try:
        yield pg_url, holder
    finally:
        holder.close()


def points_file(folder: Path, at: str = "10:00") -> Path:
    data = points_scenario()
    data["nodes"][0]["params"]["at"] = at
    path = folder / "stop.scenario.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_cancel_run_cancels_the_statement_in_flight(rows_held, tmp_path):
    """*Cancel run* sets the runner's cancel event: the run ends within seconds although its bonus
    step's UPDATE waits on rows another session holds (before, it waited for them to be let go)."""
    url, holder = rows_held
    path = points_file(tmp_path)
    listener = Finished()
    runner = ScenarioRunner(Workspace(tmp_path, url, [path]), Settings(), threading.Event(), lambda: day(0),
                            listener=listener)
    holder.hold()
    worker = threading.Thread(target=runner.run, args=[path])
    worker.start()
    try:
        wait_for(holder.updating_customers, 60, "the bonus step to wait on the server")
        asked = time.monotonic()
        runner.cancel.set()
        worker.join(timeout=10)
        assert not worker.is_alive(), "the cancelled run still waits for its statement"
        assert time.monotonic() - asked < 5
    finally:
        runner.cancel.set()
        worker.join(timeout=30)
    assert listener.ends == [("stop.scenario.json", Text("run.stopped"), False)]
    assert holder.held_up() == []
    # The entry committed, the bonus step was rolled back whole: no ledger row, no points.
    assert rows(url, "SELECT count(*) FROM scenarist_entries") == [(1,)]
    assert rows(url, "SELECT count(*) FROM scenarist_bonuses") == [(0,)]
    assert rows(url, "SELECT status, error FROM scenarist_runs") == [
        ("stopped", "RunStopped: stopped while a statement ran")]


def test_serve_stops_at_sigterm_while_its_statement_waits(rows_held, tmp_path):
    """A real serve process, a real SIGTERM: it exits at once, its query cancelled on the server,
    while the rows are still held (before, it stayed until they were let go)."""
    url, holder = rows_held
    points_file(tmp_path, at="00:00")  # due at any hour the test runs
    (tmp_path / "workspace.toml").write_text(
        f'crm = "{url}"\nenabled = ["stop.scenario.json"]\nreconcile_minutes = 60\n', encoding="utf-8")
    holder.hold()
    serve = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "serve", "--workspace", str(tmp_path)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_ENV, cwd=ROOT)
    try:
        wait_for(holder.updating_customers, 60, "the start-up run's bonus step to wait on the server")
        asked = time.monotonic()
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=15) == 0
        assert time.monotonic() - asked < 10
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
    assert holder.held_up() == []  # nothing left running, the rows still held
    log = (tmp_path / "logs" / "serve.log").read_text(encoding="utf-8")
    assert "stopping (SIGTERM): the current run stops at once" in log
    assert "stop.scenario.json: stopped; the next start finishes the work" in log
    assert rows(url, "SELECT count(*) FROM scenarist_bonuses") == [(0,)]


MARK = "stopping-mark@example.com"


def test_cancelling_a_simulation_cancels_the_statement_in_flight(rows_held):
    from app.crm import open_crm
    from engine.scenario import from_dict
    from engine.simulate import SimulationCancelled, simulate_copy

    url, holder = rows_held
    add_customer(url, MARK)
    data = points_scenario()  # points every day: everybody enters again the next day
    data["nodes"] = [n for n in data["nodes"] if n["id"] in ("start", "subscribed", "gift")]
    data["edges"] = [e for e in data["edges"] if e["target"] in ("subscribed", "gift")]
    data["settings"]["reentry_days"] = 0
    scenario = from_dict(data)
    cancel = threading.Event()
    outcome: list[BaseException | object] = []

    def simulate() -> None:
        with open_crm(url, reflect=False) as crm:
            try:
                outcome.append(simulate_copy(scenario, crm, 3650, day(0), cancel=cancel))
            except BaseException as exc:  # the test looks at what it was
                outcome.append(exc)

    worker = threading.Thread(target=simulate)
    worker.start()
    try:
        (copy,) = wait_for(lambda: copies_holding(url, MARK), 60, "the simulation's copy")
        holder.hold(copy)
        wait_for(holder.updating_customers, 60, "a bonus step in the copy to wait on the server")
        cancel.set()
        # The step's statement is cancelled: what waits on the held rows next is the copy's removal.
        wait_for(lambda: [q for _, q in holder.held_up() if q.startswith("DROP SCHEMA")], 10,
                 "the copy's removal to replace the cancelled statement")
    finally:
        cancel.set()
        holder.release()
        worker.join(timeout=60)
    assert isinstance(outcome[0], SimulationCancelled), outcome
    assert copies_holding(url, MARK) == []


def add_customer(url: str, email: str) -> None:
    engine = engine_for(url)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO customers (id, email, first_name, last_name, registered_at, "
                             "email_subscribed, sms_subscribed, bonus_points) VALUES (100, :e, 'M', '', "
                             "'2020-01-01', true, false, 0)"), {"e": email})
    engine.dispose()


def copies_holding(url: str, email: str) -> list[str]:
    """The simulation copies whose customers include ``email`` (other tests may simulate too)."""
    found = []
    for (schema,) in rows(url, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'scenarist_sim_%'"):
        try:
            if rows(url, f"SELECT 1 FROM \"{schema}\".customers WHERE email = '{email}'"):
                found.append(schema)
        except sa.exc.SQLAlchemyError:  # a copy being filled or dropped right now
            continue
    return found


def test_a_long_render_keeps_the_sqlite_lease(sqlite_url, monkeypatch):
    """The lease is renewed between render pages: with a lease of 3 s (written to the second) and
    a render of some 10 s over 12 pages (each held 0.8 s, as a slow template would), another
    runner finds the scenario taken all along (before, the lease was renewed between steps only,
    and ran out while the messages rendered)."""
    import engine.lock as lock_module
    import engine.render as render
    from app.crm import open_crm
    from app.run_once import run_once
    from engine.lock import RunnerLock, ScenarioBusy
    from engine.scenario import from_dict

    monkeypatch.setattr(lock_module, "LEASE_SECONDS", 3.0)
    monkeypatch.setattr(render, "PAGE", 2)
    make_crm(sqlite_url, people(24), [])
    scenario = from_dict(messages_scenario(("m", "Hi {{ customer.first_name }}")))
    pages: list[float] = []
    real_checkpoint = render.checkpoint

    def page_done(name: str) -> None:
        if name.startswith("render:"):  # a page rendered: it took its time (the beat comes after it)
            time.sleep(0.8)
            pages.append(time.monotonic())
        real_checkpoint(name)

    monkeypatch.setattr(render, "checkpoint", page_done)
    tries: list[tuple[float, bool]] = []  # (when, found it taken)
    done = threading.Event()

    def other_runner() -> None:  # tries to take the scenario while the render goes on
        with open_crm(sqlite_url) as crm:
            while not done.wait(0.25):
                when = time.monotonic()
                try:
                    RunnerLock(crm, scenario.key, holder="another-host:1").acquire().release()
                    tries.append((when, False))
                except ScenarioBusy:
                    tries.append((when, True))

    with open_crm(sqlite_url) as crm:
        watcher = threading.Thread(target=other_runner)
        watcher.start()
        try:
            started = time.monotonic()
            outcome = run_once(scenario, crm, Settings(), day(0), deliver_messages=False)
        finally:
            done.set()
            watcher.join(timeout=30)
    assert outcome.tick.counts["queued"] == 24
    assert len(pages) == 12 and pages[-1] - started > 2 * 3.0  # the render outlived two leases
    # Tries while the pages rendered; one after the run let go may find it free, as it should.
    busy = [taken for when, taken in tries if when < pages[-1]]
    assert len(busy) >= 8 and all(busy), tries
    assert rows(sqlite_url, "SELECT count(*) FROM scenarist_outbox WHERE status = 'pending'") == [(24,)]


@pytest.fixture(autouse=True)
def _no_stray_pause(monkeypatch):
    import engine.faults as faults

    monkeypatch.setattr(faults, "_PAUSE_AT", None)
