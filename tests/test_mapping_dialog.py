"""The column-mapping dialog, driven as a user drives it (offscreen Qt)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.mapping import ShopTables
from app.settings import load_settings, save_mapping
from connectors.crm import Crm
from editor.mapping_dialog import MappingDialog
from engine.runner import preview
from engine.scenario import from_dict
from tests.helpers import ROOT, engine_for, make_crm, reactivation
from tests.test_engine import CUSTOMERS, HISTORY, day
from tests.test_mapping import MAPPING, own_crm

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def dialog(qtbot, sqlite_url):
    own_crm(sqlite_url)
    engine = engine_for(sqlite_url)
    shown = MappingDialog(ShopTables(engine))
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    engine.dispose()


def choose(dialog: MappingDialog, table: str, column: str, actual: str) -> None:
    dialog.column_combos[(table, column)].setCurrentText(actual)


def test_a_user_maps_clients_and_sales_and_gets_the_canonical_counts(dialog, sqlite_url, tmp_path):
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert set(dialog.tables) == {"clients", "sales"}
    dialog.table_combos["customers"].setCurrentText("clients")
    dialog.table_combos["orders"].setCurrentText("sales")
    assert dialog.samples["customers"].rowCount() == 5
    assert dialog.samples["customers"].horizontalHeaderItem(1).text() == "mail"
    assert not ok.isEnabled() and "customers.id" in dialog.missing.text()
    for (table, column), actual in {("customers", c): a for c, a in MAPPING.columns["customers"].items()}.items():
        choose(dialog, table, column, actual)
    for column, actual in MAPPING.columns["orders"].items():
        choose(dialog, "orders", column, actual)
    assert dialog.column_combos[("customers", "phone")].currentText() == "phone"  # same name, preselected
    statuses = {dialog.statuses.item(i).text(): dialog.statuses.item(i) for i in range(dialog.statuses.count())}
    assert set(statuses) == {"paid", "void"}
    statuses["paid"].setCheckState(Qt.CheckState.Checked)
    assert ok.isEnabled() and dialog.missing.text() == ""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = dialog.grab()
    shot.save(str(ARTIFACTS / "mapping-dialog.png"))
    image = shot.toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20

    mapping = dialog.mapping()
    assert mapping.tables == MAPPING.tables
    assert mapping.columns == MAPPING.columns
    assert mapping.completed_statuses == ["paid"]
    settings = save_mapping(sqlite_url, mapping, tmp_path / "settings.toml")
    canonical_url = f"sqlite:///{tmp_path / 'canonical.db'}"
    make_crm(canonical_url, CUSTOMERS, HISTORY)
    mapped = Crm.open(sqlite_url, mapping=load_settings(settings).mapping_for(sqlite_url))
    plain = Crm.open(canonical_url)
    scenario = from_dict(reactivation())
    assert preview(scenario, mapped, day(0)).reached == preview(scenario, plain, day(0)).reached
    mapped.dispose()
    plain.dispose()
    assert Path(settings).read_text(encoding="utf-8").count("[[crm]]") == 1


def test_map_crm_command_keeps_the_mapping_and_reopens_with_it(qtbot, sqlite_url, tmp_path):
    from editor.map_crm import map_crm

    own_crm(sqlite_url)
    settings = tmp_path / "settings.toml"

    def fill_and_accept(dialog: MappingDialog) -> bool:
        dialog.table_combos["customers"].setCurrentText("clients")
        dialog.table_combos["orders"].setCurrentText("sales")
        for table in ("customers", "orders"):
            for column, actual in MAPPING.columns[table].items():
                choose(dialog, table, column, actual)
        return True

    assert map_crm(sqlite_url, str(settings), run=lambda d: False) is None
    assert not settings.exists()
    assert map_crm(sqlite_url, str(settings), run=fill_and_accept) == settings
    seen = {}

    def look(dialog: MappingDialog) -> bool:
        seen["orders"] = dialog.table_combos["orders"].currentText()
        seen["created_at"] = dialog.column_combos[("orders", "created_at")].currentText()
        return False

    map_crm(sqlite_url, str(settings), run=look)
    assert seen == {"orders": "sales", "created_at": "sold_at"}
