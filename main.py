"""Scenarist: no arguments open the editor; sub-commands run headless (see app/cli.py)."""

from __future__ import annotations

import sys


def main() -> int:
    """Entry point."""
    if len(sys.argv) > 1 and not sys.argv[1].endswith(".json"):
        from app.cli import main as cli_main

        return cli_main(sys.argv[1:])
    from app.start import start

    return start(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
