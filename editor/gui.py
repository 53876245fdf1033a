"""Starting the window: the Qt application, theme, translation, and the demo on first start."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from app.prefs import Prefs
from app.settings import data_dir
from editor.i18n import install_translation
from editor.theme import apply_theme

if TYPE_CHECKING:
    from editor.window import MainWindow

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
__all__ = ["build_window", "ensure_demo", "install_translation", "run"]
DEMO_TEMPLATE = RESOURCES / "templates" / "reactivation.scenario.json"
DEMO_CUSTOMERS = 5000


def ensure_demo() -> tuple[Path, Path]:
    """The demo CRM in the user's data folder and the reactivation scenario in the user's workspace
    (not enabled), made on first start."""
    from app.cli import default_workspace
    from app.serve import create_workspace
    from connectors.demo_crm import build_demo_crm

    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    crm_path = folder / "demo-crm.db"
    workspace = Path(default_workspace())
    scenario_path = workspace / "reactivation.scenario.json"
    if not crm_path.exists():
        partial = crm_path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        build_demo_crm(str(partial), customers=DEMO_CUSTOMERS, seed=42)
        partial.rename(crm_path)  # an interrupted first start leaves no half-built CRM behind
    create_workspace(workspace, f"sqlite:///{crm_path}")  # the scheduler's list shows it, switched off
    if not scenario_path.exists():
        shutil.copyfile(DEMO_TEMPLATE, scenario_path)
    return crm_path, scenario_path


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
    return window
