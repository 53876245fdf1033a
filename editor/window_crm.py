"""The CRM menu and the status bar's CRM: connecting, mapping columns; the delivery settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QMessageBox,
)

from editor.crm_dialog import CrmDialog
from editor.delivery_dialog import DeliveryDialog
from editor.i18n import translate
from editor.messages import shown


class CrmCommands:
    """Mixed into the main window (:class:`editor.window.MainWindow`), whose document, session,
    preferences and widgets it uses."""

    def connect_crm(self, url: str, remember: bool = True) -> bool:
        """Use the CRM at ``url`` for counts, field lists and message previews."""
        self.counter.reset()
        ok = self.session.connect(url)
        self.prefs.crm = url
        if remember:
            self.prefs.save()
        self._show_crm()
        if not ok:
            self.statusBar().showMessage(
                "⚠ " + translate("MainWindow", "The CRM cannot be used: {e}").format(e=shown(self.session.crm_error)),
                15000)
        if self.doc is not None:
            self._show_form()
            self._edited()
        return ok

    def _show_crm(self) -> None:
        """The CRM's name in the status bar (its error, if any, in the tooltip)."""
        url = self.prefs.crm
        label = self._crm_name(url) if url else translate("MainWindow", "no CRM")
        text = translate("MainWindow", "CRM: {name}").format(name=label)
        error = self.session.crm_error
        self.crm_label.setText(("⚠ " if error else "") + text)
        self.crm_label.setToolTip(shown(error) if error else url)

    @staticmethod
    def _crm_name(url: str) -> str:
        if url.startswith("sqlite:///"):
            return Path(url[10:]).name
        return url.split("@")[-1]

    def crm_dialog(self) -> None:
        """Choose the CRM."""
        dialog = CrmDialog(self.prefs.crm, self)
        if dialog.exec():
            self.connect_crm(dialog.url())

    def new_shop_from_files(self) -> None:
        """File → New shop from CSV/Excel…: a wizard that imports exports into an SQLite shop and,
        when it has kept the rows, connects the window to it."""
        from editor.shop_import_dialog import shop_import_wizard

        self.shop_wizard = shop_import_wizard(self, self.connect_crm)

    def map_columns(self, fields: list[str] | tuple[str, ...] = ()) -> None:
        """Open the column-mapping dialog for the connected CRM (with ``fields``, customer fields a
        scenario uses that the CRM lacks) and keep its result."""
        if not self.prefs.crm:
            self.crm_dialog()
            return
        from editor.map_crm import map_crm

        try:
            if map_crm(self.prefs.crm, None, run=lambda d: bool(d.exec()), fields=fields):
                self.connect_crm(self.prefs.crm)
        except Exception as exc:
            QMessageBox.warning(self, translate("MainWindow", "Map CRM columns"), str(exc))

    def delivery_dialog(self, path: Path | None = None) -> DeliveryDialog:
        """Open *Settings → Delivery…* on the user's settings file (or ``path``); returns the dialog,
        which says in the status bar where it saved them. The counts and the scheduler read the file
        anew, so they follow at once."""
        dialog = DeliveryDialog(path, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.statusBar().showMessage(
            translate("MainWindow", "Delivery settings saved in {path}").format(path=dialog.path), 8000))
        dialog.open()
        return dialog

    def suppressions_dialog(self) -> None:
        """Open the connected CRM's suppression list (the CRM dialog first, when none is connected)."""
        if self.session.crm is None:
            self.crm_dialog()
            return
        from editor.suppressions_dialog import SuppressionsDialog

        self.suppressions = SuppressionsDialog(self.session.crm, self)
        self.suppressions.open()
