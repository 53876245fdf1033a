"""Start-up without sub-command: the demo CRM and the reactivation scenario, ready to look at.

The window (the editor) arrives with its own issue; until then this shows, in the terminal,
what the editor's badges will show: the counts of the demo scenario on the demo CRM.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from app.cli import _print_table
from app.settings import data_dir
from connectors.crm import Crm
from engine.runner import preview
from engine.scenario import load

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
DEMO_SCENARIO = RESOURCES / "templates" / "reactivation.scenario.json"




def ensure_demo() -> tuple[Path, Path]:
    """The demo CRM and scenario in the data folder, made on first start."""
    from connectors.demo_crm import build_demo_crm

    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    crm_path = folder / "demo-crm.db"
    scenario_path = folder / "reactivation.scenario.json"
    if not crm_path.exists():
        print(f"Creating the demo CRM in {crm_path} ...")
        build_demo_crm(str(crm_path), customers=5000, seed=42)
    if not scenario_path.exists():
        shutil.copyfile(DEMO_SCENARIO, scenario_path)
    return crm_path, scenario_path


def start(argv: list[str]) -> int:
    """Show the demo (or the given scenario file) with its counts on the demo CRM."""
    crm_path, scenario_path = ensure_demo()
    scenario = load(argv[0] if argv else scenario_path)
    crm = Crm.open(f"sqlite:///{crm_path}")
    try:
        _print_table(scenario, preview(scenario, crm, datetime.now(UTC)))
    finally:
        crm.dispose()
    print("\nThe canvas editor is not built yet; the command line works: python main.py --help")
    return 0
