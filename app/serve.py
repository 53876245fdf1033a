"""``python main.py serve``: the daily scheduler of a workspace without a window.

The scheduler itself is :mod:`app.scheduling` (the window runs the same one). Here: start-up
checks, logging to ``logs/serve.log`` in the workspace and stderr, and SIGTERM or Ctrl-C, which
stop the run at once (the statement in flight is cancelled); the next start finishes the work.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from app.scheduling import ScenarioRunner, build_scheduler, log
from app.settings import load_settings
from app.workspace import Workspace
from engine.scenario import load


def serve(folder: str | Path, settings_path: str | None = None) -> int:
    """Serve a workspace until SIGTERM or Ctrl-C; returns the exit code.

    Raises:
        WorkspaceError: ``workspace.toml`` is missing or wrong.
        SettingsError: the settings file is wrong.
        ScenarioError: an enabled scenario file is broken.
    """
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
        log.info("stopping (%s): the current run stops at once", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, ask_to_stop)
    signal.signal(signal.SIGINT, ask_to_stop)
    scheduler.start()
    log.info("serving %d scenario(s) from %s", len(workspace.enabled), workspace.folder)
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
