"""The main window as the widget tests open and close it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import shiboken6

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
