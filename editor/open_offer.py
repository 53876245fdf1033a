"""The status bar's offer to open a file just saved (a picture, a client report) in the system's
default application: the owner saves a report to send it, and the next thing they want is to see it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QPushButton, QStatusBar

from editor.i18n import translate

OFFER_MS = 20000  # the offer stays as long as the message that names the file


class OpenOffer(QPushButton):
    """An "Open …" button beside the status bar's message about a saved file; it goes with the message."""

    def __init__(self, status: QStatusBar) -> None:
        super().__init__()
        self.setObjectName("openOffer")
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.status = status
        self.path: Path | None = None
        self._message = ""
        self.hide()
        status.insertPermanentWidget(0, self)
        # A newer message (or the end of this one) means the offer is no longer about what is in view.
        status.messageChanged.connect(self._message_changed)
        self.clicked.connect(self.open_file)

    def offer(self, path: str | Path, message: str) -> None:
        """Show ``message`` (which names the saved file) with a button that opens ``path``."""
        self.path = Path(path).resolve()
        self._message = message
        self.setText(translate("MainWindow", "Open {name}").format(name=self.path.name))
        self.setToolTip(translate("MainWindow", "Open {path} in the application your system uses for it")
                        .format(path=self.path))
        self.status.showMessage(message, OFFER_MS)
        self.show()

    def open_file(self) -> bool:
        """Open the offered file in the system's default application; say so when none takes it."""
        if self.path is None:
            return False
        path, self.path = self.path, None
        self.hide()
        opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        if not opened:
            self.status.showMessage("⚠ " + translate(
                "MainWindow", "No application opened {path}: open it from your file manager.").format(path=path),
                10000)
        return opened

    def _message_changed(self, text: str) -> None:
        if text != self._message:
            self._message = ""
            self.hide()
