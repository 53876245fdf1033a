"""``python main.py map-crm --crm URL``: open the column-mapping dialog and keep its result."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from app.mapping import keep_mapping, shop_tables


def map_crm(url: str, settings_path: str | None, run: Callable | None = None,
            fields: list[str] | tuple[str, ...] = ()) -> Path | None:
    """Show the mapping dialog for a CRM; on OK, save the mapping in the settings file.

    Args:
        url: The CRM URL as given to ``--crm``.
        settings_path: The settings file, or None for the user's.
        run: Runs the dialog and returns whether it was accepted (tests drive it through this).
        fields: Customer fields a scenario uses that the CRM lacks, to map as well.

    Returns:
        The settings file written, or None when the user cancelled.
    """
    from PySide6.QtWidgets import QApplication, QDialog

    from editor import wheel_guard
    from editor.mapping_dialog import MappingDialog

    if QApplication.instance() is None:
        QApplication(sys.argv[:1])
    wheel_guard.install(QApplication.instance())
    with shop_tables(url, settings_path) as (shop, current):
        dialog = MappingDialog(shop, current=current, fields=fields)
        try:
            accepted = run(dialog) if run else dialog.exec() == QDialog.DialogCode.Accepted
            return keep_mapping(url, dialog.mapping(), settings_path) if accepted else None
        finally:
            dialog.deleteLater()
