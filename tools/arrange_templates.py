#!/usr/bin/env python3
"""Arrange each template on the canvas, as *Arrange* does in the window, and size its notes to
their texts in every language: the files then open tidy, and Arrange leaves them as they are.

Section 1 (reactivation) keeps its hand-drawn layout. Run after ``tools/build_templates.py``:
``QT_QPA_PLATFORM=offscreen .venv/bin/python tools/arrange_templates.py``.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from editor.arrange import arrange  # noqa: E402
from editor.document import Document  # noqa: E402
from editor.notes import fitting_height  # noqa: E402
from editor.theme import apply_theme  # noqa: E402

TEMPLATES = ROOT / "resources" / "templates"
HAND_DRAWN = ("reactivation.scenario.json",)


def main() -> None:
    """Arrange and save every template but the hand-drawn ones."""
    app = QApplication.instance() or QApplication(sys.argv)
    apply_theme(app)
    for path in sorted(TEMPLATES.glob("*.scenario.json")):
        doc = Document.open(path)
        board = doc.graph.notes
        board.load([replace(n, size=(n.size[0], fitting_height(n))) for n in board.notes()])
        if path.name not in HAND_DRAWN:
            arrange(doc.graph)
        doc.save(path)
        doc.undo_stack.clear()
        print(path.name)


if __name__ == "__main__":
    main()
