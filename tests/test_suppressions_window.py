"""CRM → Suppressions… in the real window, with real typing and clicks on the demo shop's CRM."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTableWidget

from tests.helpers import rows
from tests.test_editor_window import demo_crm, settle, window  # noqa: F401 - fixtures


def click(qtbot, dialog, name: str) -> None:
    qtbot.mouseClick(dialog.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def test_the_suppressions_dialog_adds_searches_imports_exports_and_removes(qtbot, window, demo_crm, tmp_path):  # noqa: F811
    settle(qtbot, window)
    window.suppressions_dialog()
    dialog = window.suppressions
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.shown_addresses() == []
    empty = dialog.findChild(QLabel, "suppress_empty")
    assert empty.isVisible() and empty.text().startswith("No address is on the list")
    address = dialog.findChild(QLineEdit, "suppress_address")
    status = dialog.findChild(QLabel, "suppress_status")
    qtbot.keyClicks(address, "no-at-sign")
    click(qtbot, dialog, "suppress_add")
    assert status.text() == "⚠ 'no-at-sign' is not an email address" and dialog.shown_addresses() == []
    address.clear()
    qtbot.keyClicks(address, "Gone@Example.com")
    qtbot.keyClick(address, Qt.Key.Key_Return)
    assert dialog.shown_addresses() == [("email", "gone@example.com")] and address.text() == ""
    assert not empty.isVisible()
    source = tmp_path / "bounces.csv"
    source.write_text("address,reason\nold@example.com,bounced\nbad line\nnew@example.com,\n", encoding="utf-8")
    dialog.import_file(source)
    assert status.text() == ("Added 2, already on the list 0, refused 1.\n"
                             "Line 3: 'bad line' is not an email address")
    assert sorted(dialog.shown_addresses()) == [("email", "gone@example.com"), ("email", "new@example.com"),
                                                ("email", "old@example.com")]
    qtbot.keyClicks(dialog.findChild(QLineEdit, "suppress_search"), "old")
    assert dialog.shown_addresses() == [("email", "old@example.com")]
    out = tmp_path / "out.csv"
    assert dialog.export_file(out) == 1
    with out.open(encoding="utf-8") as f:
        (row,) = list(csv.DictReader(f))
    assert (row["channel"], row["address"], row["reason"], row["source"]) == (
        "email", "old@example.com", "bounced", "import bounces.csv")
    dialog.findChild(QLineEdit, "suppress_search").clear()
    table = dialog.findChild(QTableWidget, "suppress_table")
    target = next(i for i, (_, a) in enumerate(dialog.shown_addresses()) if a == "gone@example.com")
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualItemRect(table.item(target, 1)).center())
    click(qtbot, dialog, "suppress_remove")
    assert sorted(a for _, a in dialog.shown_addresses()) == ["new@example.com", "old@example.com"]
    assert rows(demo_crm, "SELECT channel, address FROM scenarist_suppressions ORDER BY address") == [
        ("email", "new@example.com"), ("email", "old@example.com")]
    dialog.close()
