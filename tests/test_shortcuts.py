"""The window's shortcuts, pressed as a user presses them: real key events on the focused canvas,
each with the effect the README names (editing, undo, zoom, counting, saving, a new scenario,
closing the window)."""

from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication

from editor.graph import node_by_id
from editor.overview import ZOOM_STEP
from tests.helpers import REACTIVATION
from tests.test_editor_window import demo_crm, settle, window  # noqa: F401 - fixtures

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
NODES = 9  # the reactivation scenario's


def press(qtbot, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """One key press on the widget that has the keyboard focus, as the keyboard sends it."""
    qtbot.keyClick(QApplication.focusWidget(), key, modifiers)


def ids(win) -> list[str]:
    return sorted(n.get_property("node_id") for n in win.doc.graph.all_nodes())


def scale(win) -> float:
    return win.doc.graph.viewer().transform().m11()


def test_every_editing_and_view_shortcut_does_what_it_says(qtbot, window, tmp_path):  # noqa: F811
    path = tmp_path / "mine.scenario.json"
    shutil.copy(REACTIVATION, path)
    window.open_path(path, confirm=False)
    settle(qtbot, window)
    graph = window.doc.graph
    viewer = graph.viewer()
    viewer.setFocus()
    qtbot.waitUntil(viewer.hasFocus)
    original = ids(window)
    assert len(original) == NODES

    press(qtbot, Qt.Key.Key_A, CTRL)  # select all
    assert len(graph.selected_nodes()) == NODES
    press(qtbot, Qt.Key.Key_C, CTRL)  # copy: the nodes as scenario JSON text
    copied = json.loads(QGuiApplication.clipboard().text())
    assert sorted(n["id"] for n in copied["nodes"]) == original
    press(qtbot, Qt.Key.Key_Delete)  # delete
    assert ids(window) == []
    press(qtbot, Qt.Key.Key_Z, CTRL)  # undo
    assert ids(window) == original
    press(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)  # redo
    assert ids(window) == []
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert ids(window) == original
    if QKeySequence("Ctrl+Y") in window.actions_by_name["redo"].shortcuts():  # where the platform has it
        press(qtbot, Qt.Key.Key_Y, CTRL)  # redo, the other way
        assert ids(window) == []
        press(qtbot, Qt.Key.Key_Z, CTRL)
        assert ids(window) == original

    graph.select_only([node_by_id(graph, "mail1")])
    press(qtbot, Qt.Key.Key_D, CTRL)  # duplicate: one more node, with an id of its own, selected
    after = ids(window)
    (twin,) = set(after) - set(original)
    assert len(after) == NODES + 1 and [n.get_property("node_id") for n in graph.selected_nodes()] == [twin]
    press(qtbot, Qt.Key.Key_X, CTRL)  # cut the twin: gone, and on the clipboard
    assert ids(window) == original
    assert [n["id"] for n in json.loads(QGuiApplication.clipboard().text())["nodes"]] == [twin]
    press(qtbot, Qt.Key.Key_V, CTRL)  # paste it back: an id no other node has
    (pasted,) = set(ids(window)) - set(original)
    assert len(ids(window)) == NODES + 1 and window.doc.scenario().node(pasted).type == "message"

    press(qtbot, Qt.Key.Key_0, CTRL)  # zoom to fit
    fitted = scale(window)
    press(qtbot, Qt.Key.Key_Plus, CTRL)  # zoom in: a quarter larger (before, the action failed)
    assert scale(window) == pytest.approx(fitted * ZOOM_STEP, rel=1e-12)
    press(qtbot, Qt.Key.Key_Minus, CTRL)  # zoom out, twice
    press(qtbot, Qt.Key.Key_Minus, CTRL)
    assert scale(window) == pytest.approx(fitted / ZOOM_STEP, rel=1e-12)
    press(qtbot, Qt.Key.Key_0, CTRL)  # fitting again gives the same framing
    assert scale(window) == fitted

    settle(qtbot, window)
    with qtbot.waitSignal(window.counter.counted, timeout=20000):
        press(qtbot, Qt.Key.Key_F5)  # count again now

    assert window.isWindowModified()
    press(qtbot, Qt.Key.Key_S, CTRL)  # save: the file holds the pasted node too
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(n["id"] for n in saved["nodes"]) == ids(window) and len(saved["nodes"]) == NODES + 1
    assert not window.isWindowModified()

    press(qtbot, Qt.Key.Key_N, CTRL)  # new: an empty scenario, no file yet
    assert window.doc.path is None and len(ids(window)) == 1  # the new scenario's trigger
    press(qtbot, Qt.Key.Key_W, CTRL)  # close the window (nothing unsaved: no question)
    qtbot.waitUntil(lambda: not window.isVisible())
