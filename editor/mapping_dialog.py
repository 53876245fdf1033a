"""The column-mapping dialog: a shop's own tables and columns onto Scenarist's canonical schema.

It lists the database's tables with five sample rows, offers the columns of the chosen tables
for each canonical column (same names preselected), lets the user tick which order statuses
count as completed purchases, and says what is still missing before it lets the user accept.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.mapping import OPTIONAL, REQUIRED, Mapping, ShopTables
from editor.i18n import translate
from editor.screen_fit import resize_within_screen

NONE = ""  # the combo entry for "not mapped"


class MappingDialog(QDialog):
    """Maps the canonical customers and orders tables onto a database's own names."""

    def __init__(self, shop: ShopTables, current: Mapping | None = None, parent: QWidget | None = None,
                 fields: list[str] | tuple[str, ...] = ()):
        """``fields``: customer fields a scenario uses that the CRM lacks, offered for mapping too."""
        super().__init__(parent)
        self.setWindowTitle(translate("MappingDialog", "Map your CRM's tables and columns"))
        self.shop = shop
        self.tables = shop.tables()
        current = current or Mapping()
        self.table_combos: dict[str, QComboBox] = {}
        self.column_combos: dict[tuple[str, str], QComboBox] = {}
        self.samples: dict[str, QTableWidget] = {}

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        previews = QTabWidget()
        forms = QHBoxLayout()
        # Whole phrases per table: Russian declines the table's name differently in each.
        texts = {"customers": (translate("MappingDialog", "Customers table:"),
                               translate("MappingDialog", "Customers: five rows"),
                               translate("MappingDialog", "Customers columns")),
                 "orders": (translate("MappingDialog", "Orders table:"),
                            translate("MappingDialog", "Orders: five rows"),
                            translate("MappingDialog", "Orders columns"))}
        for canonical, (table_label, rows_label, columns_label) in texts.items():
            combo = QComboBox()
            combo.addItems(list(self.tables))
            combo.setCurrentText(current.table(canonical) if current.table(canonical) in self.tables else
                                 next((t for t in self.tables if t == canonical), combo.currentText()))
            combo.currentTextChanged.connect(lambda _t, c=canonical: self._table_changed(c))
            self.table_combos[canonical] = combo
            top.addWidget(QLabel(table_label))
            top.addWidget(combo)
            sample = QTableWidget()
            sample.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            sample.verticalHeader().setDefaultSectionSize(24)
            sample.setMinimumHeight(24 * 5 + 40)  # all five sample rows in view
            self.samples[canonical] = sample
            previews.addTab(sample, rows_label)
            forms.addWidget(self._columns_box(canonical, columns_label, fields))
        layout.addLayout(top)
        layout.addWidget(previews)
        layout.addLayout(forms)
        status_box = QGroupBox(translate("MappingDialog", "Order statuses that count as a completed purchase"))
        self.statuses = QListWidget()
        self.statuses.setMaximumHeight(110)
        QVBoxLayout(status_box).addWidget(self.statuses)
        layout.addWidget(status_box)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        layout.addWidget(self.missing)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._current = current
        for canonical in self.table_combos:
            self._table_changed(canonical)
        resize_within_screen(self, 900, 700)

    def _columns_box(self, canonical: str, title: str, fields: list[str] | tuple[str, ...]) -> QGroupBox:
        """A chooser of the shop's column for each canonical column of a table (and, for the
        customers, each field the scenario uses that the CRM lacks)."""
        box = QGroupBox(title)
        form = QFormLayout(box)
        extra = tuple(f for f in fields if f not in REQUIRED[canonical] + OPTIONAL[canonical]) \
            if canonical == "customers" else ()
        for column in REQUIRED[canonical] + OPTIONAL[canonical] + extra:
            cc = QComboBox()
            cc.setObjectName(f"column_{canonical}_{column}")
            cc.currentTextChanged.connect(self._refresh_state)
            self.column_combos[(canonical, column)] = cc
            note = (translate("MappingDialog", " (optional)") if column in OPTIONAL[canonical]
                    else translate("MappingDialog", " (used by the scenario)") if column in extra else "")
            form.addRow(column + note, cc)
        return box

    def _table_changed(self, canonical: str) -> None:
        table = self.table_combos[canonical].currentText()
        columns = self.tables.get(table, [])
        names, rows = self.shop.sample(table) if table else ([], [])
        sample = self.samples[canonical]
        sample.setColumnCount(len(names))
        sample.setRowCount(len(rows))
        sample.setHorizontalHeaderLabels(names)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sample.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        sample.resizeColumnsToContents()
        for (table_name, column), combo in self.column_combos.items():
            if table_name != canonical:
                continue
            wanted = self._current.column(canonical, column)
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([NONE, *columns])
            combo.setCurrentText(wanted if wanted in columns else NONE)
            combo.blockSignals(False)
        self._refresh_state()

    def _refresh_statuses(self) -> None:
        table = self.table_combos["orders"].currentText()
        column = self.column_combos[("orders", "status")].currentText()
        checked = set(self._checked_statuses()) or set(self._current.completed_statuses)
        self.statuses.clear()
        if not table or not column:
            return
        for value in self.shop.values(table, column):
            item = QListWidgetItem(value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if value in checked else Qt.CheckState.Unchecked)
            self.statuses.addItem(item)

    def _checked_statuses(self) -> list[str]:
        return [self.statuses.item(i).text() for i in range(self.statuses.count())
                if self.statuses.item(i).checkState() == Qt.CheckState.Checked]

    def _refresh_state(self) -> None:
        if self.sender() is self.column_combos.get(("orders", "status")) or not self.statuses.count():
            self._refresh_statuses()
        missing = [f"{t}.{c}" for t in REQUIRED for c in REQUIRED[t]
                   if not self.column_combos[(t, c)].currentText()]
        self.missing.setText(translate("MappingDialog", "Still to map: {columns}").format(columns=", ".join(missing))
                             if missing else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not missing)

    def mapping(self) -> Mapping:
        """The mapping as chosen; identity entries are left out."""
        tables = {c: combo.currentText() for c, combo in self.table_combos.items() if combo.currentText() != c}
        columns: dict[str, dict[str, str]] = {"customers": {}, "orders": {}}
        for (table, column), combo in self.column_combos.items():
            if combo.currentText() and combo.currentText() != column:
                columns[table][column] = combo.currentText()
        return Mapping(tables=tables, columns=columns,
                       completed_statuses=self._checked_statuses() or ["completed"])
