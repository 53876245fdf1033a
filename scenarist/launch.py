"""Scenarist: no arguments (or a scenario file) open the editor; sub-commands run headless.

This is where the layers meet: the command line (``app.cli``) knows nothing of the window, so
the one command that opens a window (``map-crm``) is handed to it from here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _window_cannot_start() -> bool:
    """Before Qt is imported: say what keeps a window from showing (missing system libraries, with
    the command that installs them) instead of showing nothing."""
    from app.startup import window_platform_problem

    problem = window_platform_problem()
    if problem:
        print(problem, file=sys.stderr)
    return problem is not None


def _map_crm(args: argparse.Namespace) -> int:
    if _window_cannot_start():
        return 2
    from editor.map_crm import map_crm

    saved = map_crm(args.crm, args.settings)
    print(f"mapping kept in {saved}" if saved else "cancelled: nothing changed")
    return 0


def program_name() -> str:
    """How the user started Scenarist, for the usage lines: ``scenarist`` or ``main.py``."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    if getattr(sys, "frozen", False) or name in ("scenarist", "scenarist.exe"):
        return "scenarist"
    return "main.py"


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``main.py``, the ``scenarist`` command and the bundle."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and not argv[0].endswith(".json"):
        from app.cli import main as cli_main

        return cli_main(argv, windows={"map-crm": _map_crm}, prog=program_name())
    if _window_cannot_start():
        return 2
    from editor.gui import run

    return run(argv)
