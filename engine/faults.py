"""Injected crash points, so tests can kill a real process between any two steps.

Set ``SCENARIST_CRASH_AT`` to a point name (``entry``, ``step:<node>``,
``before-commit:step:<node>``, ``render:<batch>``...) and the process kills itself there
with SIGKILL, as a power cut would. Unset, each check is one string comparison.
"""

from __future__ import annotations

import os
import signal

_CRASH_AT = os.environ.get("SCENARIST_CRASH_AT") or None


def checkpoint(name: str) -> None:
    """Die at once if the crash point ``name`` was asked for."""
    if _CRASH_AT is not None and name == _CRASH_AT:
        os.kill(os.getpid(), signal.SIGKILL)
