"""The scheduler inside the window: the headless scheduler of the workspace
(:class:`app.scheduling.SchedulerHost`), its runs reported through Qt signals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal

from app.scheduling import Published, RunListener, RunPlan, RunRecord, SchedulerHost
from app.workspace import Workspace
from connectors.texts import Text
from editor.i18n import translate


class SchedulerService(QObject, RunListener):
    """The embedded scheduler of a workspace (:class:`app.scheduling.SchedulerHost`); its runs
    report through Qt signals.

    Signals:
        status(str): what the scheduler does, for the status bar.
        progress(str, int, int): file name, steps done, steps in all.
        run_finished(str, object, bool): file name, summary (a Text), whether the run completed.
    """

    status = Signal(str)
    progress = Signal(str, int, int)
    run_finished = Signal(str, object, bool)

    def __init__(self, folder: Path, settings_path: str | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        QObject.__init__(self)
        self.host = SchedulerHost(folder, settings_path, clock, listener=self)
        self.folder = self.host.folder
        self.running: str | None = None
        self.said: tuple[str, dict] = ("", {})  # the last status, untranslated, for announce()

    # -- life ------------------------------------------------------------------------------------
    @property
    def error(self) -> str | None:
        """Why the workspace cannot be served, or None."""
        return self.host.error

    @property
    def workspace(self) -> Workspace | None:
        """The workspace being served."""
        return self.host.workspace

    @property
    def scheduler(self) -> BackgroundScheduler | None:
        """The scheduler itself."""
        return self.host.scheduler

    def start(self) -> bool:
        """Start the scheduler; False (with ``error`` set) when the workspace cannot be served."""
        if not self.host.start():
            self._say(QT_TRANSLATE_NOOP("SchedulerService", "Scheduler off: {e}"), e=self.host.error)
            return False
        self._idle()
        return True

    def shutdown(self) -> None:
        """Stop after the current step and wait for the scheduler's thread."""
        self.host.shutdown()

    # -- what the panel asks ----------------------------------------------------------------------
    def scenario_files(self) -> list[Path]:
        """Every scenario file of the workspace folder."""
        return self.host.scenario_files()

    def is_enabled(self, path: Path) -> bool:
        """Whether the scheduler runs this file."""
        return self.host.is_enabled(path)

    def next_run(self, path: Path) -> datetime | None:
        """When the daily job of this file runs next."""
        return self.host.next_run(path)

    def history(self, path: Path) -> list[RunRecord]:
        """The latest runs of a scenario file."""
        return self.host.history(path)

    def set_enabled(self, path: Path, enabled: bool) -> Published | None:
        """Enable (publishing the file as the version to run) or disable a scenario.

        Raises:
            ScenarioError: the file is broken; nothing changes.
            CrmError: the CRM cannot take it; nothing changes.
        """
        published = self.host.set_enabled(path, enabled)
        self._idle()
        return published

    def end_stranded(self, path: Path, nodes: list[str]) -> int:
        """End the enrolments of customers waiting at nodes the published version deleted."""
        return self.host.end_stranded(path, nodes)

    def move_stranded(self, path: Path, nodes: list[str], to_node: str) -> int:
        """Move the customers waiting at deleted nodes to a node of the published version."""
        return self.host.move_stranded(path, nodes, to_node)

    def plan(self, path: Path, *, switching_on: bool = False) -> RunPlan:
        """What a run of ``path`` now would do, changing nothing."""
        return self.host.plan(path, switching_on=switching_on)

    def first_run(self, path: Path) -> datetime:
        """When ``path`` switched on now would first run by itself."""
        return self.host.first_run(path)

    def run_now(self, path: Path) -> None:
        """Run a scenario as soon as the scheduler's worker is free."""
        self.host.run_now(path)
        self._say(QT_TRANSLATE_NOOP("SchedulerService", "Scheduler: {name} will run now"), name=path.name)

    def cancel(self) -> None:
        """End the current run between steps (the next run finishes its work)."""
        self.host.cancel()

    # -- RunListener (called in the scheduler's thread; signals cross to the GUI) ----------------------
    def started(self, path: Path, steps: int) -> None:
        self.running = path.name
        self.progress.emit(path.name, 0, steps)
        self._say(QT_TRANSLATE_NOOP("SchedulerService", "Scheduler: running {name}"), name=path.name)

    def step(self, path: Path, done: int, steps: int) -> None:
        self.progress.emit(path.name, done, steps)
        self._say(QT_TRANSLATE_NOOP("SchedulerService", "Scheduler: running {name}, step {done} of {steps}"),
                  name=path.name, done=done, steps=steps)

    def finished(self, path: Path, summary: Text, ok: bool) -> None:
        self.running = None
        self.run_finished.emit(path.name, summary, ok)
        self._idle()

    def _idle(self) -> None:
        if self.scheduler is None:
            return
        found = self.host.next_job()
        if found is None:
            self._say(QT_TRANSLATE_NOOP("SchedulerService", "Scheduler: on, no scenario enabled"))
            return
        name, at = found
        self._say(QT_TRANSLATE_NOOP("SchedulerService", "Scheduler: on, next {name} at {at}"),
                  name=name, at=f"{at:%d.%m %H:%M} {at.tzname()}")

    def _say(self, source: str, **args: object) -> None:
        """Emit a status line (``source`` is the English text, marked for lupdate where it is written)."""
        self.said = (source, args)
        self.status.emit(translate("SchedulerService", source).format(**args))

    def announce(self) -> None:
        """Emit the last status again, in the current language."""
        if self.said[0]:
            source, args = self.said
            self._say(source, **args)
