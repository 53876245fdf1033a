"""The daily scheduler of a workspace, without a window: ``serve`` runs it, and so does the
window (which only shows it and feeds it).

APScheduler only wakes the engine; the database decides what is due. Each enabled scenario
gets a daily job at its trigger time in its own timezone, and a reconcile job runs every few
minutes and at start-up: it runs every scenario at the current time, which makes up the day's
entry if it was missed (within the catch-up policy), releases waits counted in minutes or hours
and delivers what is queued. The (scenario, day) guard makes any number of wake-ups safe, and
the runner lock keeps two processes off one scenario. Each run is :func:`app.run_once.run_once`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from app.crm import open_crm
from app.publishing import end_stranded, move_stranded, publish_file
from app.run_once import RunPlan, plan_run, run_once
from app.settings import Settings, SettingsError, lenient_user_settings, load_settings
from app.workspace import Workspace, WorkspaceError, set_enabled
from connectors.crm import CrmError
from connectors.texts import Text, TextError
from engine.history import RunRecord, run_history
from engine.lock import ScenarioBusy
from engine.problems import ScenarioError
from engine.publish import Published
from engine.runner import RunStopped
from engine.scenario import load
from engine.timeutil import parse_hhmm

__all__ = ["Published", "RunListener", "RunPlan", "RunRecord", "ScenarioRunner", "SchedulerHost", "Stopped",
           "add_daily_job", "build_scheduler"]

log = logging.getLogger("scenarist.serve")
HISTORY_LIMIT = 100


class Stopped(Exception):
    """Raised between steps once a stop was asked for."""


class RunListener:
    """What a runner tells the window (every call comes from the scheduler's thread)."""

    def started(self, path: Path, steps: int) -> None:
        """A run of ``path`` began; it has ``steps`` steps."""

    def step(self, path: Path, done: int, steps: int) -> None:
        """``done`` of ``steps`` steps are finished."""

    def finished(self, path: Path, summary: Text, ok: bool) -> None:
        """The run ended: what it did, or why it did not finish."""


class ScenarioRunner:
    """Runs one scenario at a time in this process."""

    def __init__(self, workspace: Workspace, settings: Settings, stop: threading.Event,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC), listener: RunListener | None = None):
        self.workspace, self.settings, self.stop, self.clock = workspace, settings, stop, clock
        self.listener = listener or RunListener()
        self.cancel = threading.Event()  # ends the current run between steps; the next run goes on
        self._one_at_a_time = threading.Lock()

    def reconcile(self) -> None:
        """Run every enabled scenario at the current time."""
        for path in list(self.workspace.enabled):
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
            except (Stopped, RunStopped):
                log.info("%s: stopped; the next start finishes the work", path.name)
                self.listener.finished(path, Text("run.stopped"), False)
            except ScenarioBusy as exc:
                log.info("%s: yields: %s", path.name, exc)
                self.listener.finished(path, Text("run.yields", {"reason": str(exc)}), False)
            except (ScenarioError, CrmError) as exc:
                log.error("%s: not run: %s", path.name, exc)
                reason = exc.text if isinstance(exc, TextError) else str(exc)
                self.listener.finished(path, Text("run.not_run", {"reason": reason}), False)
            except Exception as exc:
                log.exception("%s: the run failed", path.name)
                self.listener.finished(path, Text("run.failed", {"reason": f"{type(exc).__name__}: {exc}"}), False)

    def publish_all(self) -> None:
        """Publish each enabled file as the version to run, and say who a new version strands."""
        for path in self.workspace.enabled:
            with open_crm(self.workspace.crm_url, self.settings, reflect=False) as crm:
                done = publish_file(crm, path, self.clock())
            for node_id, count in done.stranded.items():
                log.warning("%s: %d customer(s) wait at node '%s', which this version deleted: move or end "
                            "them", path.name, count, node_id)
            log.info("%s: running version %d%s", path.name, done.version, " (new)" if done.new else "")

    def _run(self, path: Path) -> None:
        source = load(path)
        steps = len(source.nodes)  # the entry, then each node after the trigger
        done = [0]

        def beat() -> None:
            if self.stop.is_set() or self.cancel.is_set():
                raise Stopped
            done[0] = min(done[0] + 1, steps)
            self.listener.step(path, done[0], steps)

        with open_crm(self.workspace.crm_url, self.settings) as crm:
            self.listener.started(path, steps)
            outcome = run_once(source, crm, self.settings, self.clock(), publish_source=False,
                               max_late_hours=self.workspace.max_late_hours, beat=beat,
                               stop=lambda: self.stop.is_set() or self.cancel.is_set())
        when = f"{outcome.tick.at:%Y-%m-%d %H:%M}"
        if outcome.did_something():
            log.info("%s at %s: %s", path.name, when, outcome.summary())
        else:  # one line per wake-up, so the log shows serve is alive and checked
            log.info("%s at %s: nothing to do", path.name, when)
        self.listener.finished(path, outcome.summary(), True)


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


class SchedulerHost:
    """The scheduler of a workspace with what a window asks of it: its files, their runs, switching
    them on and off, running one now, ending or moving stranded customers."""

    def __init__(self, folder: Path, settings_path: str | None = None,
                 clock: Callable[[], datetime] | None = None, listener: RunListener | None = None) -> None:
        self.folder = Path(folder)
        self.settings_path = settings_path
        self.clock = clock or (lambda: datetime.now(UTC))
        self.listener = listener
        self.stop_event = threading.Event()
        self.workspace: Workspace | None = None
        self.runner: ScenarioRunner | None = None
        self.scheduler: BackgroundScheduler | None = None
        self.error: str | None = None

    def start(self) -> bool:
        """Start the scheduler; False (with ``error`` set) when the workspace cannot be served."""
        try:
            self.workspace = Workspace.load(self.folder)
            settings = load_settings(self.settings_path) if self.settings_path else lenient_user_settings()
            for path in self.workspace.enabled:
                load(path)
        except (WorkspaceError, SettingsError, ScenarioError) as exc:
            self.error = str(exc)
            return False
        self.runner = ScenarioRunner(self.workspace, settings, self.stop_event, self.clock, listener=self.listener)
        self.scheduler = build_scheduler(self.workspace, self.runner)
        self.scheduler.start()
        return True

    def shutdown(self) -> None:
        """Stop the current run at once (its statement is cancelled) and wait for the scheduler's thread."""
        self.stop_event.set()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=True)

    def scenario_files(self) -> list[Path]:
        """Every scenario file of the workspace folder."""
        return sorted(self.folder.glob("*.scenario.json"))

    def is_enabled(self, path: Path) -> bool:
        """Whether the scheduler runs this file."""
        return self.workspace is not None and path in self.workspace.enabled

    def next_run(self, path: Path) -> datetime | None:
        """When the daily job of this file runs next."""
        job = self.scheduler.get_job(f"daily:{path.name}") if self.scheduler else None
        return job.next_run_time if job else None

    def next_job(self) -> tuple[str, datetime] | None:
        """The scenario that runs next and when."""
        jobs = [j for j in self.scheduler.get_jobs() if j.id.startswith("daily:") and j.next_run_time] \
            if self.scheduler else []
        if not jobs:
            return None
        job = min(jobs, key=lambda j: j.next_run_time)
        return job.name.split(" daily at ")[0], job.next_run_time

    def history(self, path: Path) -> list[RunRecord]:
        """The latest runs of a scenario file."""
        key = load(path).key
        with open_crm(self.workspace.crm_url, self.runner.settings, reflect=False) as crm, \
                crm.engine.connect() as conn:
            return run_history(conn, key, HISTORY_LIMIT)

    def set_enabled(self, path: Path, enabled: bool) -> Published | None:
        """Enable (publishing the file as the version to run) or disable a scenario.

        Raises:
            ScenarioError: the file is broken; nothing changes.
            CrmError: the CRM cannot take it; nothing changes.
        """
        published = None
        if enabled:
            with open_crm(self.workspace.crm_url, self.runner.settings, reflect=False) as crm:
                published = publish_file(crm, path, self.clock())
        set_enabled(self.folder, path.name, enabled)
        self.workspace.enabled[:] = Workspace.load(self.folder).enabled  # the runner shares this list
        if enabled:
            add_daily_job(self.scheduler, self.runner, path)
        elif self.scheduler.get_job(f"daily:{path.name}"):
            self.scheduler.remove_job(f"daily:{path.name}")
        return published

    def end_stranded(self, path: Path, nodes: list[str]) -> int:
        """End the enrolments of customers waiting at nodes the published version deleted."""
        with open_crm(self.workspace.crm_url, self.runner.settings, reflect=False) as crm:
            return end_stranded(crm, path, nodes, self.clock())

    def move_stranded(self, path: Path, nodes: list[str], to_node: str) -> int:
        """Move the customers waiting at deleted nodes to a node of the published version."""
        with open_crm(self.workspace.crm_url, self.runner.settings, reflect=False) as crm:
            return move_stranded(crm, path, nodes, to_node, self.clock())

    def plan(self, path: Path, *, switching_on: bool = False) -> RunPlan:
        """What a run of ``path`` now would do (the file itself when it is being switched on,
        else its published version), changing nothing.

        Raises:
            ScenarioError: the file is broken or does not fit the CRM.
            CrmError: the CRM cannot be used.
        """
        with open_crm(self.workspace.crm_url, self.runner.settings) as crm:
            return plan_run(load(path), crm, self.clock(), publish_source=switching_on,
                            frequency_cap=self.runner.settings.frequency_cap,
                            cost_per_part=self.runner.settings.cost_per_part,
                            currency=self.runner.settings.currency)

    def first_run(self, path: Path) -> datetime:
        """When a scenario switched on now would first run by itself (its trigger time, in its zone)."""
        scenario = load(path)
        at = parse_hhmm(scenario.trigger().params["at"])
        trigger = CronTrigger(hour=at.hour, minute=at.minute, timezone=scenario.settings["timezone"])
        return trigger.get_next_fire_time(None, self.clock())

    def run_now(self, path: Path) -> None:
        """Run a scenario as soon as the scheduler's worker is free."""
        self.scheduler.add_job(self.runner.run, DateTrigger(run_date=datetime.now(UTC)), args=[path],
                               id=f"now:{path.name}", replace_existing=True)

    def cancel(self) -> None:
        """End the current run between steps (the next run finishes its work)."""
        if self.runner is not None:
            self.runner.cancel.set()
