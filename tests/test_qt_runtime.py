"""The Qt binding itself: PySide6 6.12.0 drops a reference to None on every call of a method that
returns nothing, so a window that draws a few thousand edges dies with "deallocating None".
The pinned version must not."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen


def test_void_calls_keep_none_alive(qapp):
    pen = QPen()
    before = sys.getrefcount(None)
    for _ in range(20_000):
        pen.setWidth(2)
        pen.setColor(QColor(10, 20, 30))
        pen.setStyle(Qt.PenStyle.DashLine)
    assert abs(sys.getrefcount(None) - before) < 100  # 6.12.0: 60,000 fewer, or a crash first
