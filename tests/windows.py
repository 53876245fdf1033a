"""The main window as the widget tests open and close it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import shiboken6
from PySide6.QtCore import Qt

from editor.window import MainWindow


@contextmanager
def shown_window(qtbot: Any, **kwargs: Any) -> Iterator[MainWindow]:
    """A shown ``MainWindow(**kwargs)``, closed afterwards without an unsaved-changes prompt.

    The window is not given to qtbot: qtbot would close it before a test's own last steps.
    """
    made = MainWindow(**kwargs)
    made.show()
    try:
        yield made
    finally:
        if shiboken6.isValid(made) and made.isVisible():
            made.form = None  # nothing left to commit,
            made.doc.undo_stack.setClean()  # so no unsaved-changes prompt while tearing down
            made.close()
        qtbot.wait(10)  # closed windows are deleted by the event loop


def answer(qtbot: Any, name: str, accept: bool = True) -> None:
    """Click a button of the question box ``name`` as soon as it opens, as the user would: the
    action's button when ``accept``, else Cancel."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != name:
            QTimer.singleShot(10, click)
            return
        role = QMessageBox.ButtonRole.AcceptRole if accept else QMessageBox.ButtonRole.RejectRole
        button = next(b for b in box.buttons() if box.buttonRole(b) == role)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click)
