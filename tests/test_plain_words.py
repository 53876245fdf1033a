"""Words for a shop owner in the window: titles, not ids; a default title follows its parameters
until the user gives the node a title of their own."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox

from editor.graph import node_by_id
from tests.helpers import REACTIVATION
from tests.test_editor_window import demo_crm, settle, window  # noqa: F401 - fixtures


def type_number(qtbot, spin: QAbstractSpinBox, value: int) -> None:
    """Click into a number field, select what it shows, type a number and press Enter."""
    qtbot.mouseClick(spin, Qt.MouseButton.LeftButton)
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, str(value))
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def test_a_default_title_follows_its_parameters_and_undo_brings_both_back(qtbot, window):  # noqa: F811
    window.open_path(REACTIVATION, confirm=False)
    settle(qtbot, window)
    graph = window.doc.graph
    wait7 = node_by_id(graph, "wait7")
    graph.select_only([wait7])
    settle(qtbot, window)
    type_number(qtbot, window.form.findChild(QAbstractSpinBox, "param_duration_amount"), 14)
    settle(qtbot, window)
    assert wait7.name() == "Wait 14 days"
    window.undo()
    settle(qtbot, window)
    assert wait7.name() == "Wait 7 days" and window.doc.scenario().node("wait7").params["days"] == 7
    # A title of the user's own stays as it is.
    window.doc.set_title(wait7, "Give them a week")
    settle(qtbot, window)
    graph.select_only([wait7])
    settle(qtbot, window)
    type_number(qtbot, window.form.findChild(QAbstractSpinBox, "param_duration_amount"), 10)
    settle(qtbot, window)
    assert wait7.name() == "Give them a week" and window.doc.scenario().node("wait7").params["days"] == 10


def test_people_read_titles_where_they_read(qtbot, window):  # noqa: F811
    window.open_path(REACTIVATION, confirm=False)
    settle(qtbot, window)
    preview = window.preview
    steps = [preview.item(r, 0).text() for r in range(preview.rowCount())]
    assert steps[:3] == ["Every day at 10:00", "Churned for 180 days", "We miss you"]
    assert not {"start", "churned", "mail1"} & set(steps)
