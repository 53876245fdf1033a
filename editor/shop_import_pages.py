"""The first two pages of File → New shop from CSV/Excel… (:mod:`editor.shop_import_dialog`): the
files, with what was detected in each, and the columns, with five sample rows of each file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.shop_import import SPECS, TableFile, auto_mapping, detected, inspect_file
from connectors.texts import TextError
from editor.i18n import translate
from editor.messages import shown

TABLES = ("customers", "orders", "events")
NONE = ""  # the combo entry for "not imported"
FILES = "CSV, Excel (*.csv *.txt *.tsv *.xlsx *.xlsm);;*"


def table_words(key: str) -> str:
    """Whole phrases per table: Russian declines the table's name differently in each."""
    return {
        "customers": translate("ShopImportWizard", "Customers:"),
        "orders": translate("ShopImportWizard", "Orders:"),
        "events": translate("ShopImportWizard", "Site events (optional):"),
        "customers.tab": translate("ShopImportWizard", "Customers"),
        "orders.tab": translate("ShopImportWizard", "Orders"),
        "events.tab": translate("ShopImportWizard", "Site events"),
    }[key]


class FilesPage(QWizardPage):
    """The exported files and the shop file to make."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(translate("ShopImportWizard", "Your exported files"))
        self.setSubTitle(translate("ShopImportWizard", "CSV (any encoding and delimiter a spreadsheet uses) or Excel "
                                                       ".xlsx; the first line names the columns."))
        self.paths: dict[str, QLineEdit] = {}
        self.found: dict[str, QLabel] = {}
        self.files: dict[str, TableFile] = {}
        grid = QGridLayout(self)
        for row, table in enumerate(TABLES):
            self._file_row(grid, 2 * row, table)
        self.out = QLineEdit()
        self.out.setObjectName("out")
        self.out.textChanged.connect(self.completeChanged)
        grid.addWidget(QLabel(translate("ShopImportWizard", "Save the shop as:")), 6, 0)
        grid.addWidget(self.out, 6, 1)
        choose = QPushButton(translate("ShopImportWizard", "Choose…"))
        choose.clicked.connect(self._choose_out)
        grid.addWidget(choose, 6, 2)
        note = QLabel(translate("ShopImportWizard", "An SQLite file. Choose one made here before to refresh it "
                                                    "from a newer export: customers and orders are updated by "
                                                    "id, nothing is deleted, running scenarios go on."))
        note.setWordWrap(True)
        grid.addWidget(note, 7, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(8, 1)

    def _file_row(self, grid: QGridLayout, row: int, table: str) -> None:
        path = self.paths[table] = QLineEdit()
        path.setObjectName(f"file_{table}")
        path.editingFinished.connect(lambda t=table: self.inspect(t))
        path.textChanged.connect(lambda text, t=table: self.inspect(t) if Path(text.strip()).is_file() else None)
        choose = QPushButton(translate("ShopImportWizard", "Choose…"))
        choose.clicked.connect(lambda _c=False, t=table: self._choose(t))
        found = self.found[table] = QLabel()
        found.setObjectName(f"found_{table}")
        found.setWordWrap(True)
        grid.addWidget(QLabel(table_words(table)), row, 0)
        grid.addWidget(path, row, 1)
        grid.addWidget(choose, row, 2)
        grid.addWidget(found, row + 1, 1, 1, 2)

    def _choose(self, table: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, table_words(table).rstrip(":"), "", FILES)
        if path:
            self.paths[table].setText(path)
            self.inspect(table)

    def _choose_out(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, translate("ShopImportWizard", "Save the shop as"), "shop.db",
                                              "SQLite (*.db *.sqlite)", options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.out.setText(path)

    def inspect(self, table: str) -> None:
        """Read a file's head: what was detected, or why it cannot be read."""
        self.files.pop(table, None)
        text = self.paths[table].text().strip()
        label = self.found[table]
        if not text:
            label.setText("")
        else:
            try:
                self.files[table] = inspect_file(text)
            except TextError as exc:
                label.setText("⚠ " + shown(exc.text))
            else:
                source = self.files[table]
                label.setText(shown(detected(source)) + " · " + translate(
                    "ShopImportWizard", "columns: {headers}").format(headers=", ".join(source.headers)))
                if not self.out.text():
                    self.out.setText(str(source.path.with_name("shop.db")))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        """Customers, orders and the shop's file are given; a file given is readable."""
        given = [t for t in TABLES if self.paths[t].text().strip()]
        return {"customers", "orders"} <= set(self.files) and all(t in self.files for t in given) \
            and bool(self.out.text().strip())


class ColumnsPage(QWizardPage):
    """For each of Scenarist's columns, a header of the file; five sample rows beside."""

    def __init__(self, files: FilesPage) -> None:
        super().__init__()
        self.files_page = files
        self.setTitle(translate("ShopImportWizard", "Columns"))
        self.setSubTitle(translate("ShopImportWizard", "Headers named as Scenarist's columns are chosen already; "
                                                       "choose the others. Columns left empty are not imported."))
        self.combos: dict[tuple[str, str], QComboBox] = {}
        self.samples: dict[str, QTableWidget] = {}
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        self.missing = QLabel()
        self.missing.setObjectName("missing")
        self.missing.setWordWrap(True)
        layout.addWidget(self.missing)

    def initializePage(self) -> None:
        """Build a tab per file, the automatic matches preselected."""
        self.tabs.clear()
        self.combos.clear()
        for table, source in self.files_page.files.items():
            self.tabs.addTab(self._tab(table, source), table_words(f"{table}.tab"))
        self._refresh()

    def _tab(self, table: str, source: TableFile) -> QWidget:
        tab = QWidget()
        row = QHBoxLayout(tab)
        form = QFormLayout()
        chosen = auto_mapping(table, source.headers)
        for spec in SPECS[table]:
            combo = QComboBox()
            combo.setObjectName(f"column_{table}_{spec.name}")
            combo.addItems([NONE, *(h for h in source.headers if h)])
            combo.setCurrentText(chosen.get(spec.name, NONE))
            combo.currentTextChanged.connect(self._refresh)
            self.combos[(table, spec.name)] = combo
            form.addRow(spec.name + (" *" if spec.required else ""), combo)
        form.addRow(QLabel(translate("ShopImportWizard", "* every row needs it")))
        row.addLayout(form)
        sample = self.samples[table] = QTableWidget(len(source.sample), len(source.headers))
        sample.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        sample.setHorizontalHeaderLabels(source.headers)
        for r, cells in enumerate(source.sample):
            for c, value in enumerate(cells[:len(source.headers)]):
                sample.setItem(r, c, QTableWidgetItem(value))
        sample.resizeColumnsToContents()
        row.addWidget(sample, 1)
        return tab

    def mapping(self) -> dict[str, dict[str, str]]:
        """Per table, canonical column -> header, as chosen."""
        chosen: dict[str, dict[str, str]] = {t: {} for t in self.files_page.files}
        for (table, column), combo in self.combos.items():
            if combo.currentText():
                chosen[table][column] = combo.currentText()
        return chosen

    def _unchosen(self) -> list[str]:
        return [f"{t}.{s.name}" for t in self.files_page.files for s in SPECS[t]
                if s.required and not self.combos[(t, s.name)].currentText()]

    def _refresh(self) -> None:
        missing = self._unchosen()
        self.missing.setText(translate("ShopImportWizard", "Still to choose: {columns}").format(
            columns=", ".join(missing)) if missing else "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        """Every column each row needs has a header."""
        return not self._unchosen()
