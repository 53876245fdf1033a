"""The demo shop of the first start: a demo CRM in the user's data folder and the reactivation
scenario in the user's workspace (switched off), made once."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.settings import data_dir
from app.workspace import create_workspace, default_workspace
from connectors.demo_crm import build_demo_crm

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
DEMO_TEMPLATE = RESOURCES / "templates" / "reactivation.scenario.json"
DEMO_CUSTOMERS = 5000


def ensure_demo() -> tuple[Path, Path]:
    """The demo CRM and the demo scenario, made on first start; returns their paths."""
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    crm_path = folder / "demo-crm.db"
    workspace = default_workspace()
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
