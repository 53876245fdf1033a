"""Start-up without a sub-command: the editor window (``python main.py [FILE]``)."""

from __future__ import annotations


def start(argv: list[str]) -> int:
    """Open the editor on ``argv[0]`` if given."""
    from app.gui import run

    return run(argv)
