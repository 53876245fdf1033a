"""``python main.py serve``: the daily scheduler without a window.

APScheduler only wakes the engine; the database decides what is due. Each enabled scenario
gets a daily job at its trigger time in its own timezone, and a reconcile job runs every few
minutes and at start-up: it runs every scenario at the current time, which makes up the day's
entry if it was missed (within the catch-up policy), releases waits counted in minutes or hours
and delivers what is queued. The (scenario, day) guard makes any number of wake-ups safe, and
the runner lock keeps two processes off one scenario. SIGTERM or Ctrl-C stops after the current
step; the next start finishes the work.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from app.settings import Settings, build_channels, load_settings, open_crm, write_atomically
from connectors.crm import Crm
from engine.dispatch import deliver
from engine.history import record_delivery
from engine.lock import RunnerLock, ScenarioBusy
from engine.problems import CrmError, ScenarioError
from engine.publish import latest_published, publish
from engine.runner import tick
from engine.scenario import load
from engine.timeutil import parse_hhmm

log = logging.getLogger("scenarist.serve")


class WorkspaceError(Exception):
    """The workspace cannot be served; the message says what to fix."""


class Stopped(Exception):
    """Raised between steps once a stop was asked for."""


@dataclass
class Workspace:
    """A folder of scenario files and ``workspace.toml``: the CRM and the enabled scenarios.

    ``workspace.toml``::

        crm = "sqlite:///home/me/shop.db"          # as given to --crm, without a password
        enabled = ["reactivation.scenario.json"]
        reconcile_minutes = 5                      # optional
        max_late_hours = 6                         # optional: skip a day's entry this late
    """

    folder: Path
    crm_url: str
    enabled: list[Path]
    reconcile_minutes: float = 5.0
    max_late_hours: float | None = None

    @classmethod
    def load(cls, folder: str | Path) -> Workspace:
        """Read and check ``workspace.toml``.

        Raises:
            WorkspaceError: naming the file and the key that is wrong.
        """
        root = Path(folder).expanduser()
        file = root / "workspace.toml"
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise WorkspaceError(f"no {file}: it names the CRM and the enabled scenarios") from exc
        except tomllib.TOMLDecodeError as exc:
            raise WorkspaceError(f"{file}: {exc}") from exc
        unknown = set(data) - {"crm", "enabled", "reconcile_minutes", "max_late_hours"}
        if unknown:
            raise WorkspaceError(f"{file}: unknown key '{sorted(unknown)[0]}'")
        if not isinstance(data.get("crm"), str):
            raise WorkspaceError(f"{file}: 'crm' (the CRM's URL) is required")
        enabled = data.get("enabled", [])
        if not isinstance(enabled, list) or not all(isinstance(n, str) for n in enabled):
            raise WorkspaceError(f"{file}: 'enabled' must be a list of scenario file names")
        paths = [root / name for name in enabled]
        for path in paths:
            if not path.exists():
                raise WorkspaceError(f"{file}: enabled scenario '{path.name}' is not in {root}")
        minutes = data.get("reconcile_minutes", 5)
        late = data.get("max_late_hours")
        if isinstance(minutes, bool) or not isinstance(minutes, int | float) or minutes <= 0:
            raise WorkspaceError(f"{file}: 'reconcile_minutes' must be a positive number")
        if late is not None and (isinstance(late, bool) or not isinstance(late, int | float) or late < 0):
            raise WorkspaceError(f"{file}: 'max_late_hours' must be a number of hours")
        return cls(root, data["crm"], paths, float(minutes), None if late is None else float(late))


class RunListener:
    """What a runner tells the window (every call comes from the scheduler's thread)."""

    def started(self, path: Path, steps: int) -> None:
        """A run of ``path`` began; it has ``steps`` steps."""

    def step(self, path: Path, done: int, steps: int) -> None:
        """``done`` of ``steps`` steps are finished."""

    def finished(self, path: Path, summary: str, ok: bool) -> None:
        """The run ended: what it did, or why it did not finish."""


def create_workspace(folder: str | Path, crm_url: str) -> Path:
    """Make a workspace folder with a ``workspace.toml`` naming the CRM and no enabled scenario;
    an existing file is left as it is. Returns the file."""
    root = Path(folder).expanduser()
    file = root / "workspace.toml"
    if not file.exists():
        root.mkdir(parents=True, exist_ok=True)
        write_atomically(file, f"crm = {_toml_string(crm_url)}   # as given to --crm, without a password\n"
                                "enabled = []\n")
    return file


def set_enabled(folder: str | Path, name: str, enabled: bool) -> None:
    """Add a scenario file to (or remove it from) the workspace's ``enabled`` list, keeping the
    rest of ``workspace.toml`` (comments too) as the user wrote it."""
    import tomlkit

    file = Path(folder).expanduser() / "workspace.toml"
    doc = tomlkit.parse(file.read_text(encoding="utf-8"))
    names = [str(n) for n in doc.get("enabled", [])]
    if enabled and name not in names:
        names.append(name)
    if not enabled:
        names = [n for n in names if n != name]
    doc["enabled"] = names
    write_atomically(file, tomlkit.dumps(doc))


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class ScenarioRunner:
    """Runs one scenario at a time in this process: lock, tick, deliver, release."""

    def __init__(self, workspace: Workspace, settings: Settings, stop: threading.Event,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC), listener: RunListener | None = None):
        self.workspace, self.settings, self.stop, self.clock = workspace, settings, stop, clock
        self.listener = listener or RunListener()
        self.cancel = threading.Event()  # ends the current run between steps; the next run goes on
        self._one_at_a_time = threading.Lock()

    def reconcile(self) -> None:
        """Run every enabled scenario at the current time."""
        for path in self.workspace.enabled:
            if self.stop.is_set():
                return
            self.run(path)

    def run(self, path: Path) -> None:
        """Run one scenario now; problems are logged, never raised into the scheduler."""
        with self._one_at_a_time:
            if self.stop.is_set():
                return
            self.cancel.clear()
            try:
                self._run(path)
            except Stopped:
                log.info("%s: stopped between steps; the next start finishes the work", path.name)
                self.listener.finished(path, "stopped between steps; the next run finishes the work", False)
            except (ScenarioError, CrmError) as exc:
                log.error("%s: not run: %s", path.name, exc)
                self.listener.finished(path, f"not run: {exc}", False)
            except Exception as exc:
                log.exception("%s: the run failed", path.name)
                self.listener.finished(path, f"failed: {type(exc).__name__}: {exc}", False)

    def publish_all(self) -> None:
        """Publish each enabled file as the version to run, and say who a new version strands."""
        for path in self.workspace.enabled:
            scenario = load(path)
            crm = self.crm()
            try:
                done = publish(crm, scenario, self.clock())
            finally:
                crm.dispose()
            log.info("%s: running version %d%s", path.name, done.version, " (new)" if done.new else "")
            for node_id, count in done.stranded.items():
                log.warning("%s: %d customer(s) wait at node '%s', which this version deleted: move or end "
                            "them", path.name, count, node_id)

    def crm(self) -> Crm:
        """A connection to the workspace's CRM (the caller disposes of it)."""
        return open_crm(self.workspace.crm_url, self.settings)

    def _run(self, path: Path) -> None:
        crm = self.crm()
        try:
            from_file = load(path)
            scenario = latest_published(crm, from_file.key) or from_file
            try:
                lock = RunnerLock(crm, scenario.key).acquire()
            except ScenarioBusy as exc:
                log.info("%s: yields: %s", path.name, exc)
                return

            steps = len(scenario.nodes)  # the entry, then each node after the trigger
            done = [0]
            self.listener.started(path, steps)

            def beat() -> None:
                if self.stop.is_set() or self.cancel.is_set():
                    raise Stopped
                lock.heartbeat()
                done[0] = min(done[0] + 1, steps)
                self.listener.step(path, done[0], steps)

            try:
                result = tick(scenario, crm, self.clock(), heartbeat=beat,
                              max_late_hours=self.workspace.max_late_hours,
                              frequency_cap=self.settings.frequency_cap)
                report = deliver(crm.engine, build_channels(self.settings), result.at, self.settings.policy,
                                 scenario.key, heartbeat=beat)
            finally:
                lock.release()
            sent, refused = report.counts.get("sent", 0), report.counts.get("failed", 0) + len(report.unknown)
            if result.run_id is not None and (sent or refused):
                with crm.engine.begin() as conn:
                    record_delivery(conn, result.run_id, sent, refused)
            moved = sum(result.reached.values())
            summary = (f"entered {result.counts.get('entered', 0)}, reached {moved}, queued "
                       f"{result.counts.get('queued', 0)}, sent {sent}, failed {refused}"
                       + (", entry skipped (too late)" if result.entry_skipped else ""))
            if moved or sum(report.counts.values()):
                log.info("%s at %s: %s", path.name, f"{result.at:%Y-%m-%d %H:%M}", summary)
            self.listener.finished(path, summary if moved or sent or refused else "nothing to do", True)
        finally:
            crm.dispose()


def build_scheduler(workspace: Workspace, runner: ScenarioRunner) -> BackgroundScheduler:
    """A scheduler with one daily job per enabled scenario and the reconcile job."""
    scheduler = BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(1)},
        # A wake-up missed while the laptop slept is made up by reconcile, not replayed here.
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    for path in workspace.enabled:
        add_daily_job(scheduler, runner, path)
    scheduler.add_job(runner.reconcile, IntervalTrigger(minutes=workspace.reconcile_minutes), id="reconcile",
                      name="reconcile", next_run_time=datetime.now(UTC))
    return scheduler


def add_daily_job(scheduler: BackgroundScheduler, runner: ScenarioRunner, path: Path) -> None:
    """The job that runs one scenario every day at its trigger time, in its timezone."""
    scenario = load(path)
    at = parse_hhmm(scenario.trigger().params["at"])
    scheduler.add_job(runner.run, CronTrigger(hour=at.hour, minute=at.minute, timezone=scenario.settings["timezone"]),
                      args=[path], id=f"daily:{path.name}", name=f"{scenario.name} daily at {at:%H:%M}",
                      replace_existing=True)


def serve(folder: str | Path, settings_path: str | None = None) -> int:
    """Serve a workspace until SIGTERM or Ctrl-C; returns the exit code."""
    workspace = Workspace.load(folder)
    settings = load_settings(settings_path)
    for path in workspace.enabled:
        load(path)  # refuse a broken scenario before starting
    _setup_logging(workspace.folder / "logs" / "serve.log")
    stop = threading.Event()
    runner = ScenarioRunner(workspace, settings, stop)
    runner.publish_all()
    scheduler = build_scheduler(workspace, runner)

    def ask_to_stop(signum: int, _frame: Any) -> None:
        log.info("stopping (%s) after the current step", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, ask_to_stop)
    signal.signal(signal.SIGINT, ask_to_stop)
    scheduler.start()
    log.info("serving %d scenario(s) from %s on %s", len(workspace.enabled), workspace.folder, workspace.crm_url)
    for job in scheduler.get_jobs():
        log.info("job %s: next run %s", job.name, job.next_run_time)
    while not stop.wait(0.5):
        pass
    scheduler.shutdown(wait=True)
    log.info("stopped")
    return 0


def _setup_logging(file: Path) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    root = logging.getLogger("scenarist")
    root.setLevel(logging.INFO)
    for handler in (logging.FileHandler(file, encoding="utf-8"), logging.StreamHandler(sys.stderr)):
        handler.setFormatter(fmt)
        root.addHandler(handler)
