"""Injected faults, so tests can kill or stop a real process between any two steps.

Set ``SCENARIST_CRASH_AT`` to a point name (``entry``, ``step:<node>``,
``before-commit:step:<node>``, ``render:<batch>``...) and the process kills itself there
with SIGKILL, as a power cut would. Set ``SCENARIST_PAUSE_AT`` to a point name and the process
sleeps there for ``SCENARIST_PAUSE_SECONDS`` (default 5), so a signal can land mid-run.
Unset, each check is one string comparison.
"""

from __future__ import annotations

import os
import signal
import time

_CRASH_AT = os.environ.get("SCENARIST_CRASH_AT") or None
_PAUSE_AT = os.environ.get("SCENARIST_PAUSE_AT") or None


def checkpoint(name: str) -> None:
    """Die at once, or pause, if the point ``name`` was asked for."""
    if _CRASH_AT is not None and name == _CRASH_AT:
        os.kill(os.getpid(), signal.SIGKILL)
    if _PAUSE_AT is not None and name == _PAUSE_AT:
        time.sleep(float(os.environ.get("SCENARIST_PAUSE_SECONDS", "5")))
