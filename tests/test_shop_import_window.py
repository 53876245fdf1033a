"""File → New shop from CSV/Excel…, driven with real clicks and keys (offscreen Qt)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWizard

from editor.i18n import install_translation
from editor.shop_import_dialog import ShopImportWizard
from tests.test_editor_window import ARTIFACTS, demo_crm, window  # noqa: F401 - fixtures

CUSTOMERS = ["Номер;Почта;Имя;Рассылка"] + [f"{i};c{i}@example.ru;Клиент {i};да" for i in range(1, 25_001)]
CUSTOMERS[3] = "3;c3@example.ru;Клиент 3;может быть"  # line 4: a bad row
ORDERS = "id;customer_id;created_at;total;status\n1;1;05.01.2026 10:00;1 234,50;completed\n" \
         "2;3;06.01.2026;99;completed\n3;2;07.01.2026;10;completed\n"


def _files(folder: Path) -> dict[str, Path]:
    paths = {"customers": folder / "clients.csv", "orders": folder / "orders.csv"}
    paths["customers"].write_bytes(("\r\n".join(CUSTOMERS) + "\r\n").encode("cp1251"))
    paths["orders"].write_text(ORDERS, encoding="utf-8")
    return paths


def _type(qtbot, line: QLineEdit, text: str) -> None:
    """Click into a field, replace its text by typing, and leave it with Tab (Enter would press Next)."""
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Backspace)
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Tab)


def _choose(qtbot, combo: QComboBox, text: str) -> None:
    """Pick an entry of a drop-down with the keyboard, as a user does: Home, then Down to it (typing
    its Cyrillic start is what QTest cannot send)."""
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.findText(text)):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text


def _click(qtbot, wizard: QWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    assert button.isEnabled(), which
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _fill_files(qtbot, wizard: ShopImportWizard, paths: dict[str, Path], out: Path) -> None:
    page = wizard.files_page
    _type(qtbot, page.paths["customers"], str(paths["customers"]))
    _type(qtbot, page.paths["orders"], str(paths["orders"]))
    _type(qtbot, page.out, str(out))


def _map_columns(qtbot, wizard: ShopImportWizard) -> None:
    page = wizard.columns_page
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()
    for column, header in (("id", "Номер"), ("email", "Почта"), ("first_name", "Имя"),
                           ("email_subscribed", "Рассылка")):
        page.tabs.setCurrentIndex(0)
        _choose(qtbot, page.combos[("customers", column)], header)
    assert page.missing.text() == ""


def test_a_shop_from_csv_files_in_the_window(qtbot, window, tmp_path):  # noqa: F811
    paths, out = _files(tmp_path), tmp_path / "shop.db"
    window.actions_by_name["new_shop"].trigger()
    wizard = window.shop_wizard
    qtbot.waitUntil(wizard.isVisible)
    wizard.resize(1280, 720)
    _fill_files(qtbot, wizard, paths, out)
    assert wizard.files_page.found["customers"].text() == (
        "clients.csv: encoding cp1251, delimiter semicolon (;) · columns: Номер, Почта, Имя, Рассылка")
    assert wizard.files_page.found["orders"].text().startswith("orders.csv: encoding utf-8, delimiter semicolon (;)")
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    columns = wizard.columns_page
    assert columns.missing.text() == "Still to choose: customers.id"
    assert columns.combos[("orders", "total")].currentText() == "total"  # the same name: chosen already
    sample = columns.samples["customers"]
    assert (sample.rowCount(), sample.item(2, 3).text(), sample.item(4, 2).text()) == (5, "может быть", "Клиент 5")
    _map_columns(qtbot, wizard)
    ARTIFACTS.mkdir(exist_ok=True)
    wizard.grab().save(str(ARTIFACTS / "shop-import-columns-en.png"))
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)

    page = wizard.import_page
    seen: list[int] = []
    page.progress.valueChanged.connect(seen.append)
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.thread is None and page.result is not None, timeout=30000)
    assert [page.bad.item(i).text() for i in range(page.bad.count())] == [
        "clients.csv, line 4: Рассылка: 'может быть' is not yes or no (yes/no, да/нет, 1/0, true/false)",
        "orders.csv, line 3: customer_id: customer 3 is on a bad row of the customers file"]
    assert page.status.text().startswith("Nothing was imported. Bad rows: 2, listed below by file, line and column.")
    assert not out.exists()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()

    qtbot.mouseClick(page.skip_bad, Qt.MouseButton.LeftButton, pos=QPoint(8, page.skip_bad.height() // 2))
    assert page.skip_bad.isChecked()
    seen.clear()
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.thread is None and page.result is not None, timeout=30000)
    assert seen[-1] == 1000 and len(seen) >= 3  # the bar moved while 25,000 rows were read, then filled
    assert page.status.text().splitlines()[:3] == ["customers: 24,999 added, 0 updated, 1 rejected",
                                                   "orders: 2 added, 0 updated, 1 rejected",
                                                   f"rejected rows: {tmp_path / 'shop.rejected-customers.csv'}"]
    wizard.grab().save(str(ARTIFACTS / "shop-import-done-en.png"))
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(lambda: window.prefs.crm == f"sqlite:///{out}")
    assert window.crm_label.text() == "CRM: shop.db"
    assert sqlite3.connect(out).execute("SELECT count(*), sum(email_subscribed) FROM customers").fetchone() == \
        (24_999, 24_999)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_wizard_at_1280_by_720_in_each_language(qtbot, tmp_path, language):
    app = QApplication.instance()
    install_translation(app, language)
    try:
        paths = _files(tmp_path)
        wizard = ShopImportWizard()
        qtbot.addWidget(wizard)
        wizard.resize(1280, 720)
        wizard.show()
        _fill_files(qtbot, wizard, paths, tmp_path / "shop.db")
        wizard.grab().save(str(ARTIFACTS / f"shop-import-files-{language}.png"))
        _click(qtbot, wizard, QWizard.WizardButton.NextButton)
        _map_columns(qtbot, wizard)
        wizard.grab().save(str(ARTIFACTS / f"shop-import-columns-{language}.png"))
        _click(qtbot, wizard, QWizard.WizardButton.NextButton)
        page = wizard.import_page
        qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: wizard.thread is None and page.result is not None, timeout=30000)
        wizard.grab().save(str(ARTIFACTS / f"shop-import-bad-{language}.png"))
        qtbot.mouseClick(page.skip_bad, Qt.MouseButton.LeftButton, pos=QPoint(8, page.skip_bad.height() // 2))
        qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: wizard.thread is None and page.result is not None, timeout=30000)
        assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
        wizard.grab().save(str(ARTIFACTS / f"shop-import-done-{language}.png"))
        if language == "ru":
            assert page.status.text().splitlines()[0] == "клиенты: добавлено 24\u202f999, обновлено 0, отклонено 1"
            assert wizard.windowTitle() == "Новый магазин из CSV/Excel"
            assert page.bad.item(0).text() == ("clients.csv, строка 4: Рассылка: «может быть» — не «да» или «нет» "
                                               "(да/нет, yes/no, 1/0, true/false)")
    finally:
        install_translation(app, "en")


def test_cancel_during_the_import_keeps_nothing(qtbot, tmp_path):
    paths, out = _files(tmp_path), tmp_path / "shop.db"
    paths["customers"].write_text("id,email\n" + "".join(f"{i},c{i}@example.ru\n" for i in range(1, 200_001)),
                                  encoding="utf-8")
    wizard = ShopImportWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    _fill_files(qtbot, wizard, paths, out)
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    qtbot.mouseClick(wizard.import_page.run_button, Qt.MouseButton.LeftButton)
    assert wizard.thread is not None
    _click(qtbot, wizard, QWizard.WizardButton.CancelButton)
    assert not wizard.isVisible() and wizard.url is None
    assert not out.exists()  # stopped at its next batch, the new file removed
