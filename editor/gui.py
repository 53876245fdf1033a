"""Starting the window: the Qt application, theme, translation, and the demo on first start."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from app.demo import ensure_demo
from app.prefs import Prefs
from editor.i18n import install_translation
from editor.theme import apply_theme

if TYPE_CHECKING:
    from editor.window import MainWindow

__all__ = ["build_window", "ensure_demo", "install_translation", "run"]


def run(argv: list[str]) -> int:
    """Open the window and run the application until it is closed."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    build_window(argv).show()
    return app.exec()


def build_window(argv: list[str]) -> MainWindow:
    """The window: the file given, else a new scenario on the last CRM, or on first start the
    demo CRM with the reactivation scenario (SCENARIOS.md section 1)."""
    from editor.window import MainWindow

    app = QApplication.instance()
    app.setApplicationName("Scenarist")
    app.setOrganizationName("Scenarist")
    # The window's class (X11) is the application's name, and on Wayland the desktop entry's name
    # ties the window to the entry that `scenarist --install-desktop-entry` writes, with its icon.
    app.setDesktopFileName("scenarist")
    apply_theme(app)
    prefs = Prefs.load()
    install_translation(app, prefs.language)
    first_start = not prefs.crm
    if first_start:
        crm_path, scenario_path = ensure_demo()
        prefs.crm = f"sqlite:///{crm_path}"
        prefs.save()
    window = MainWindow(prefs=prefs)
    if argv:
        window.open_path(argv[0], confirm=False)
    elif first_start:
        window.open_path(scenario_path, confirm=False)
    elif prefs.recent and Path(prefs.recent[0]).is_file():  # where the user left off
        window.open_path(prefs.recent[0], confirm=False)
    return window
