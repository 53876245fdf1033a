"""The shortcuts that open a dialog, pressed as a user presses them: each opens its dialog, and what
the user then types or picks there reaches the scenario (open, save as, import, a template, a new
window, the simulation, the list of shortcuts, quit)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from editor.gallery import TemplateGallery
from editor.shortcuts import ShortcutsDialog
from editor.simulate_dialog import SimulateDialog
from editor.window import MainWindow
from tests.helpers import REACTIVATION
from tests.test_editor_window import demo_crm, settle, window  # noqa: F401 - fixtures

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def press(qtbot, win: MainWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """One key press on the focused canvas, as the keyboard sends it."""
    viewer = win.doc.graph.viewer()
    win.activateWindow()  # back from a dialog
    viewer.setFocus()
    qtbot.waitUntil(viewer.hasFocus)
    qtbot.keyClick(viewer, key, modifiers)


def when_open(kind: type[QWidget], act: Callable[[QWidget], None], seen: list[str]) -> None:
    """Act on the modal dialog of ``kind`` as soon as it opens (the shortcut's exec() blocks); its
    title goes into ``seen``."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind) or not dialog.isVisible():
            QTimer.singleShot(10, attempt)
            return
        seen.append(dialog.windowTitle())
        act(dialog)

    QTimer.singleShot(0, attempt)


def choose_file(path: Path) -> Callable[[QWidget], None]:
    """Pick ``path`` in a file dialog and confirm it (the dialog's own widgets are Qt's, not ours)."""

    def act(dialog: QWidget) -> None:
        dialog.selectFile(str(path))
        dialog.accept()

    return act


def node_ids(win: MainWindow) -> list[str]:
    return sorted(n.id for n in win.scenario().nodes)


def test_open_save_as_and_import_by_their_shortcuts(qtbot, window, tmp_path):  # noqa: F811
    mine = tmp_path / "mine.scenario.json"
    shutil.copy(REACTIVATION, mine)
    expected = sorted(n["id"] for n in json.loads(REACTIVATION.read_text(encoding="utf-8"))["nodes"])
    seen: list[str] = []

    when_open(QFileDialog, choose_file(mine), seen)
    press(qtbot, window, Qt.Key.Key_O, CTRL)  # open
    assert seen[-1] == "Open a scenario"
    assert window.doc.path == mine and node_ids(window) == expected

    copy = tmp_path / "copy.scenario.json"
    when_open(QFileDialog, choose_file(copy), seen)
    press(qtbot, window, Qt.Key.Key_S, CTRL | SHIFT)  # save as
    assert seen[-1] == "Save the scenario"
    assert window.doc.path == copy and sorted(n["id"] for n in json.loads(copy.read_text())["nodes"]) == expected

    press(qtbot, window, Qt.Key.Key_N, CTRL)  # an empty scenario, then import the shared file into it
    assert len(node_ids(window)) == 1
    when_open(QFileDialog, choose_file(mine), seen)
    press(qtbot, window, Qt.Key.Key_I, CTRL)
    assert seen[-1] == "Import a shared scenario"
    assert node_ids(window) == expected and window.doc.path is None  # imported: saving asks where


def test_a_template_a_new_window_the_simulation_and_help_by_their_shortcuts(qtbot, window):  # noqa: F811
    settle(qtbot, window)
    seen: list[str] = []

    when_open(TemplateGallery, lambda gallery: gallery.reject(), seen)
    press(qtbot, window, Qt.Key.Key_T, CTRL | SHIFT)  # the gallery; Cancel changes nothing
    assert len(seen) == 1 and len(node_ids(window)) == 1

    def pick_second(gallery: QWidget) -> None:
        gallery.list.setCurrentRow(1)
        qtbot.mouseClick(gallery.create, Qt.MouseButton.LeftButton)

    when_open(TemplateGallery, pick_second, seen)
    press(qtbot, window, Qt.Key.Key_T, CTRL | SHIFT)
    assert seen == ["New from template"] * 2
    chosen = TemplateGallery().items[1].scenario
    assert node_ids(window) == sorted(n.id for n in chosen.nodes) and window.scenario().name == chosen.name

    before = set(QApplication.topLevelWidgets())
    press(qtbot, window, Qt.Key.Key_N, CTRL | SHIFT)  # another window
    (other,) = [w for w in set(QApplication.topLevelWidgets()) - before if isinstance(w, MainWindow)]
    qtbot.waitUntil(other.isVisible)
    assert len(node_ids(other)) == 1 and node_ids(window) == sorted(n.id for n in chosen.nodes)
    other.close()

    press(qtbot, window, Qt.Key.Key_R, CTRL)  # the simulation of what is drawn, in a window of its own
    dialog = window.simulation_dialog
    assert isinstance(dialog, SimulateDialog) and dialog.isVisible()
    assert dialog.windowTitle() == f"Simulate: {chosen.name}"
    dialog.close()

    press(qtbot, window, Qt.Key.Key_F1)  # the shortcuts
    (shortcuts,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, ShortcutsDialog) and w.isVisible()]
    assert shortcuts.windowTitle() == "Keyboard shortcuts"
    table = shortcuts.table
    listed = {key: table.item(r, 1).text()
              for r in range(table.rowCount()) for key in table.item(r, 0).text().split(", ")}
    assert {key: listed[key] for key in ("Ctrl+O", "Ctrl+Shift+S", "Ctrl+I", "Ctrl+Shift+T", "Ctrl+R", "Ctrl+Q")} == {
        "Ctrl+O": "Open", "Ctrl+Shift+S": "Save as", "Ctrl+I": "Import a shared scenario",
        "Ctrl+Shift+T": "New from template", "Ctrl+R": "Simulate", "Ctrl+Q": "Quit"}
    shortcuts.close()

    window.doc.undo_stack.setClean()  # nothing to ask about on quitting
    press(qtbot, window, Qt.Key.Key_Q, CTRL)  # quit: every window closes
    qtbot.waitUntil(lambda: not window.isVisible())
