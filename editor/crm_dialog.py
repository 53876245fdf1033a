"""Connecting the editor to a CRM: an SQLite file or a PostgreSQL server, tested before use.
The password goes to the keyring (or, if the keyring cannot keep it safely and the user
agrees, to this session only), never to a file."""

from __future__ import annotations

import sqlalchemy as sa
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.crm import CrmError, KeyringUnavailable, keep_password, open_crm, password_storage, shop_size
from app.settings import lenient_user_settings
from connectors.texts import Text
from editor.i18n import translate
from editor.messages import shown


def check_crm(url: str, password: str | None = None) -> Text:
    """Connect and run the pre-flight check; returns a one-line summary.

    Raises:
        CrmError: naming what is missing or why the connection failed.
    """
    with open_crm(url, lenient_user_settings(), password=password) as crm:
        customers, orders = shop_size(crm)
    return Text("crm.connected", {"customers": customers, "orders": orders})


class CrmDialog(QDialog):
    """Choose and test the CRM the counts and previews use."""

    def __init__(self, current: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("CrmDialog", "Connect to a CRM"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        kinds = QHBoxLayout()
        self.sqlite = QRadioButton(translate("CrmDialog", "SQLite file"))
        self.postgres = QRadioButton(translate("CrmDialog", "PostgreSQL server"))
        group = QButtonGroup(self)
        group.addButton(self.sqlite)
        group.addButton(self.postgres)
        kinds.addWidget(self.sqlite)
        kinds.addWidget(self.postgres)
        kinds.addStretch(1)
        layout.addLayout(kinds)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._sqlite_page())
        self.pages.addWidget(self._postgres_page())
        layout.addWidget(self.pages)
        self.sqlite.toggled.connect(lambda on: self.pages.setCurrentIndex(0 if on else 1))
        test_row = QHBoxLayout()
        self.test_button = QPushButton(translate("CrmDialog", "Test connection"))
        self.test_button.clicked.connect(self.test)
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        layout.addLayout(test_row)
        self.result = QLabel()
        self.result.setObjectName("crmResult")
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._fill(current)

    def _sqlite_page(self) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        self.file = QLineEdit()
        self.file.setObjectName("crm_file")
        self.file.setPlaceholderText(translate("CrmDialog", "path to the shop's .db file"))
        browse = QPushButton(translate("CrmDialog", "Browse…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.file, 1)
        row.addWidget(browse)
        return page

    def _postgres_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        self.host = QLineEdit("127.0.0.1")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit()
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(translate("CrmDialog", "kept in the keyring, never in a file"))
        for name, widget in (("host", self.host), ("port", self.port), ("database", self.database),
                             ("user", self.user), ("password", self.password)):
            widget.setObjectName(f"crm_{name}")
        form.addRow(translate("CrmDialog", "Host"), self.host)
        form.addRow(translate("CrmDialog", "Port"), self.port)
        form.addRow(translate("CrmDialog", "Database"), self.database)
        form.addRow(translate("CrmDialog", "User"), self.user)
        form.addRow(translate("CrmDialog", "Password"), self.password)
        status = password_storage()
        self.session_only = QCheckBox(translate("CrmDialog", "Keep the password for this session only"))
        self.session_only.setObjectName("crm_session_only")
        if not status.usable:
            note = QLabel(translate("CrmDialog", "The password cannot be stored safely: {why}.").format(
                why=shown(status.problem)))
            note.setWordWrap(True)
            note.setObjectName("formHelp")
            form.addRow(note)
        else:
            self.session_only.hide()
        form.addRow(self.session_only)
        return page

    def _fill(self, url: str) -> None:
        try:
            parsed = sa.make_url(url) if url else None
        except sa.exc.ArgumentError:
            parsed = None
        if parsed is not None and parsed.get_backend_name() == "postgresql":
            self.postgres.setChecked(True)
            self.host.setText(parsed.host or "")
            self.port.setValue(parsed.port or 5432)
            self.database.setText(parsed.database or "")
            self.user.setText(parsed.username or "")
        else:
            self.sqlite.setChecked(True)
            self.file.setText(parsed.database if parsed is not None else "")

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, translate("CrmDialog", "The shop's SQLite database"), self.file.text(),
            translate("CrmDialog", "SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)"))
        if path:
            self.file.setText(path)

    def url(self) -> str:
        """The CRM URL as chosen (never with the password)."""
        if self.sqlite.isChecked():
            return f"sqlite:///{self.file.text().strip()}"
        return sa.URL.create("postgresql", username=self.user.text().strip() or None,
                             host=self.host.text().strip() or None, port=self.port.value(),
                             database=self.database.text().strip() or None).render_as_string()

    def test(self) -> bool:
        """Try the connection and the CRM check; shows the outcome in the dialog."""
        if self.sqlite.isChecked() and not self.file.text().strip():
            self.result.setText("⚠ " + translate("CrmDialog", "Choose the SQLite file first."))
            return False
        try:
            summary = check_crm(self.url(), self.password.text() or None if self.postgres.isChecked() else None)
        except CrmError as exc:
            self.result.setText("⚠ " + shown(exc.text))
            return False
        self.result.setText("✓ " + shown(summary))
        return True

    def accept(self) -> None:
        """Keep the password (keyring or session) and close, if the connection works."""
        if not self.test():
            return
        if self.postgres.isChecked() and self.password.text():
            try:
                where = keep_password(self.url(), self.password.text(), session_only=self.session_only.isChecked())
            except KeyringUnavailable as exc:
                self.result.setText("⚠ " + shown(exc.text))
                self.session_only.show()
                return
            self.result.setText(translate("CrmDialog", "Password kept {where}.").format(where=shown(where)))
        super().accept()
