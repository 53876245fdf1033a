"""*CRM → Suppressions…*: the addresses no scenario sends to, with search, add, remove and CSV
import and export, through :mod:`app.suppressions` on the connected CRM."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.suppressions import SuppressionError, add_address, export_csv, import_csv, list_suppressed, remove_address
from editor.channel_page import known
from editor.i18n import translate
from editor.messages import shown

CHANNELS = ("email", "sms", "webhook")


class SuppressionsDialog(QDialog):
    """The suppression list of one CRM: a table, a search box, and buttons that change it at once."""

    def __init__(self, crm: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.crm = crm
        self.setWindowTitle(translate("Suppressions", "Suppressions"))
        self.resize(760, 460)
        column = QVBoxLayout(self)
        intro = QLabel(translate("Suppressions", "No scenario sends to these addresses. A server's refusal "
                                                 "that names the recipient (an unknown mailbox, a bad number) "
                                                 "adds one by itself."))
        intro.setWordWrap(True)
        column.addWidget(intro)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("suppress_search")
        self.search.setPlaceholderText(translate("Suppressions", "Search addresses"))
        self.search.textChanged.connect(self.refresh)
        self.channel = QComboBox()
        self.channel.setObjectName("suppress_channel")
        self.channel.addItem(translate("Suppressions", "all channels"), None)
        for name in CHANNELS:
            self.channel.addItem(known(f"delivery.channel.{name}", name), name)
        self.channel.currentIndexChanged.connect(self.refresh)
        top.addWidget(self.search, 3)
        top.addWidget(self.channel, 1)
        column.addLayout(top)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("suppress_table")
        self.table.setHorizontalHeaderLabels([translate("Suppressions", "Channel"),
                                              translate("Suppressions", "Address"),
                                              translate("Suppressions", "Reason"), translate("Suppressions", "Source"),
                                              translate("Suppressions", "Added")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        column.addWidget(self.table, 1)
        self.empty = QLabel(translate("Suppressions", "No address is on the list: every scenario sends to everyone "
                                                      "who agreed to its channel."))
        self.empty.setObjectName("suppress_empty")
        self.empty.setWordWrap(True)
        column.addWidget(self.empty)
        column.addLayout(self._add_row())
        self.status = QLabel("")
        self.status.setObjectName("suppress_status")
        self.status.setWordWrap(True)
        column.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self.refresh()

    def _add_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.new_channel = QComboBox()
        self.new_channel.setObjectName("suppress_new_channel")
        for name in CHANNELS:
            self.new_channel.addItem(known(f"delivery.channel.{name}", name), name)
        self.address = QLineEdit()
        self.address.setObjectName("suppress_address")
        self.address.setPlaceholderText(translate("Suppressions", "email or phone to add"))
        self.address.returnPressed.connect(self.add)
        for name, text, slot in (("suppress_add", translate("Suppressions", "Add"), self.add),
                                 ("suppress_remove", translate("Suppressions", "Remove selected"), self.remove),
                                 ("suppress_import", translate("Suppressions", "Import CSV…"), self._import_dialog),
                                 ("suppress_export", translate("Suppressions", "Export CSV…"), self._export_dialog)):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            if name == "suppress_add":
                row.addWidget(self.new_channel)
                row.addWidget(self.address, 2)
            row.addWidget(button)
        return row

    def refresh(self, *_args: Any) -> None:
        """Fill the table again from the CRM, with the search and the channel applied."""
        found = list_suppressed(self.crm, self.channel.currentData(), self.search.text())
        self.table.setRowCount(len(found))
        for i, entry in enumerate(found):
            for j, text in enumerate((entry.channel, entry.address, entry.reason, entry.source,
                                      f"{entry.at:%Y-%m-%d %H:%M}")):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.resizeColumnToContents(1)
        # Said only when the list itself is empty, not when a search finds nothing.
        self.empty.setVisible(not found and not self.search.text() and self.channel.currentData() is None)

    def shown_addresses(self) -> list[tuple[str, str]]:
        """(channel, address) of each row as shown."""
        return [(self.table.item(i, 0).text(), self.table.item(i, 1).text()) for i in range(self.table.rowCount())]

    def add(self) -> None:
        """Put the typed address on the list of the chosen channel."""
        try:
            added = add_address(self.crm, self.new_channel.currentData(), self.address.text(),
                                datetime.now().replace(microsecond=0),
                                reason=translate("Suppressions", "added by hand"))
        except SuppressionError as exc:
            self.status.setText("⚠ " + shown(exc.text))
            return
        self.status.setText(translate("Suppressions", "Added.") if added
                            else translate("Suppressions", "It was on the list already."))
        self.address.clear()
        self.refresh()

    def remove(self) -> None:
        """Take the selected rows off the list."""
        picked = sorted({index.row() for index in self.table.selectedIndexes()})
        pairs = [self.shown_addresses()[i] for i in picked]
        for channel, address in pairs:
            remove_address(self.crm, channel, address)
        self.status.setText(translate("Suppressions", "Addresses removed: {n}.").format(n=len(pairs)))
        self.refresh()

    def import_file(self, path: str | Path) -> None:
        """Put every address of a CSV file on the list; the bad lines are named and change nothing."""
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            self.status.setText("⚠ " + str(exc))
            return
        report = import_csv(self.crm, text, datetime.now().replace(microsecond=0), self.new_channel.currentData(),
                            source=f"import {Path(path).name}")
        lines = [translate("Suppressions", "Added {added}, already on the list {already}, refused {bad}.").format(
            added=report.added, already=report.already, bad=len(report.bad))]
        lines += [translate("Suppressions", "Line {line}: {why}").format(line=line, why=shown(why))
                  for line, why in report.bad]
        self.status.setText("\n".join(lines))
        self.refresh()

    def export_file(self, path: str | Path) -> int:
        """Write the rows as shown (search and channel applied) to a CSV file; returns how many."""
        n = export_csv(self.crm, path, self.channel.currentData(), self.search.text())
        self.status.setText(translate("Suppressions", "Addresses saved: {n}.").format(n=n))
        return n

    def _import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, translate("Suppressions", "Import CSV"), "", "CSV (*.csv *.txt)")
        if path:
            self.import_file(path)

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, translate("Suppressions", "Export CSV"), "suppressions.csv",
                                              "CSV (*.csv)")
        if path:
            try:
                self.export_file(path)
            except OSError as exc:
                self.status.setText("⚠ " + str(exc))
