"""The mouse wheel changes nothing the user did not pick.

Over a combo box, a spin box, a date or a time field that does not have keyboard focus, the wheel
scrolls the form (or dialog) around it instead of stepping the value: scrolling a filter's form
must never turn "Orders ≥ 1" into "Bonus used". A click (or Tab) into the field gives it focus,
and then the wheel steps it as usual.

A number typed into a spin box counts once it is complete (Enter, Tab, or leaving the field):
typing 14 is one change and one undo step, not 1 and then 14.

A text field too narrow for its text opens at the text's start, not its end ("Your code {{ bo"
rather than "…expires in two days"): Qt puts the cursor after the text it was made with.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QLineEdit, QWidget

GUARDED = (QComboBox, QAbstractSpinBox)


class WheelGuard(QObject):
    """An application-wide event filter: see the module's description."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, GUARDED):
            # Qt's default for these is WheelFocus: a wheel turn would give the field focus first.
            watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            if isinstance(watched, QAbstractSpinBox):
                watched.setKeyboardTracking(False)
        elif kind == QEvent.Type.Polish and isinstance(watched, QLineEdit) and not watched.hasFocus():
            watched.setCursorPosition(0)
        elif kind == QEvent.Type.Wheel and isinstance(watched, GUARDED) and not watched.hasFocus():
            area = _scroll_area(watched)
            if area is not None:
                QCoreApplication.sendEvent(area.verticalScrollBar(), event)
            return True
        return False


def _scroll_area(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


_guard: list[WheelGuard] = []


def install(app: QCoreApplication) -> WheelGuard:
    """Guard every widget of the application (once)."""
    if not _guard:
        _guard.append(WheelGuard(app))
        app.installEventFilter(_guard[0])
    return _guard[0]
