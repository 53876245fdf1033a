"""Windows sized for what they show, but never larger than the screen they open on."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FRAME = 48  # the title bar and borders the window manager adds around a window


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize ``widget`` to ``width`` × ``height``, or to what its screen has room for (a 1280×720
    laptop screen has about 680 pixels of height once the panels are drawn)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width, height = min(width, room.width() - FRAME // 2), min(height, room.height() - FRAME)
    widget.resize(width, height)
