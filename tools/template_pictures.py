#!/usr/bin/env python3
"""Draw the picture of each template for the gallery: resources/templates/<name>.png.

Run after changing a template: ``QT_QPA_PLATFORM=offscreen .venv/bin/python tools/template_pictures.py``.
A test checks that every template has a picture that is not blank.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from editor.export import export_png  # noqa: E402
from editor.graph import load_into, new_graph  # noqa: E402
from editor.theme import apply_theme  # noqa: E402
from engine.scenario import load  # noqa: E402

TEMPLATES = ROOT / "resources" / "templates"


def main() -> None:
    """Write one PNG beside each template file."""
    app = QApplication.instance() or QApplication(sys.argv)
    apply_theme(app)
    for path in sorted(TEMPLATES.glob("*.scenario.json")):
        graph = new_graph()
        load_into(graph, load(path))
        export_png(graph, path.with_name(path.name.replace(".scenario.json", ".png")), scale=0.75)
        graph.clear_session()
        print(path.name)


if __name__ == "__main__":
    main()
