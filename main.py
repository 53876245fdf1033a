"""Scenarist from a clone: ``python main.py`` is the ``scenarist`` command (see scenarist/launch.py)."""

from __future__ import annotations

import sys

from scenarist.launch import main

if __name__ == "__main__":
    sys.exit(main())
