"""Nothing changes without the user's intent: the wheel over a form, an edge dragged onto a busy
output, Run now and switching a scenario on (real widgets, real input events)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QScrollArea, QWidget

from editor.graph import node_by_id
from tests.helpers import REACTIVATION
from tests.test_editor_window import demo_crm, settle, window  # noqa: F401 - fixtures


def wheel(widget: QWidget, notches: int = -3) -> None:
    """Turn the mouse wheel over the middle of a widget, as a mouse does (one event per notch)."""
    centre = QPointF(widget.rect().center())
    for _ in range(abs(notches)):
        event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                            QPoint(0, 120 if notches > 0 else -120), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(widget, event)


def values(form: QWidget) -> list:
    fields = [w for w in form.findChildren(QWidget) if isinstance(w, QComboBox | QAbstractSpinBox)]
    return [(w.objectName(), w.currentText() if isinstance(w, QComboBox) else w.text()) for w in fields]


def test_the_wheel_over_any_form_field_changes_nothing(qtbot, window):  # noqa: F811
    window.open_path(REACTIVATION, confirm=False)
    settle(qtbot, window)
    graph = window.doc.graph
    for node_id in ("start", "churned", "mail1", "wait7", "promo", None):  # every kind of form, and the scenario's
        if node_id:
            graph.select_only([node_by_id(graph, node_id)])
        else:
            window.show_scenario_settings()  # with nothing selected, the scenario's form shows when asked for
        settle(qtbot, window)
        form = window.form
        before, undo = values(form), window.doc.undo_stack.count()
        fields = [w for w in form.findChildren(QWidget)
                  if isinstance(w, QComboBox | QAbstractSpinBox) and w.isVisible()]
        assert fields, node_id
        for field in fields:
            wheel(field)
            wheel(field, 3)
        settle(qtbot, window)
        assert values(window.form) == before, node_id
        assert window.doc.undo_stack.count() == undo, node_id


def test_the_wheel_scrolls_the_form_and_steps_a_field_the_user_clicked(qtbot, window):  # noqa: F811
    window.open_path(REACTIVATION, confirm=False)
    settle(qtbot, window)
    graph = window.doc.graph
    graph.select_only([node_by_id(graph, "churned")])
    settle(qtbot, window)
    area: QScrollArea = window.properties
    window.resize(1280, 620)  # a form taller than its pane
    settle(qtbot, window)
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0
    combo = next(w for w in window.form.findChildren(QComboBox) if w.isVisible() and w.objectName() == "cond_op")
    bar.setValue(0)
    wheel(combo, -2)
    # the form scrolled as the wheel scrolls any view: lines per notch times the bar's step, per notch
    assert bar.value() == min(bar.maximum(), 2 * QApplication.wheelScrollLines() * bar.singleStep())
    spin = graph.select_only([node_by_id(graph, "wait7")])
    settle(qtbot, window)
    spin = window.form.findChild(QAbstractSpinBox, "param_duration_amount")
    qtbot.mouseClick(spin, Qt.MouseButton.LeftButton)  # the user picks the field
    assert spin.hasFocus()
    wheel(spin, 1)
    settle(qtbot, window)
    assert spin.value() == 8 and window.doc.undo_stack.canUndo()


def _at(viewer, item) -> QPoint:
    """Where an item's centre is on the canvas widget."""
    return viewer.mapFromScene(item.sceneBoundingRect().center())


def mouse_drag(qtbot, viewer, start: QPoint, end: QPoint) -> None:
    """Press the left button at ``start`` on the canvas, move in steps to ``end``, release there."""
    port = viewer.viewport()
    qtbot.mousePress(port, Qt.MouseButton.LeftButton, pos=start)
    steps = 8
    for i in range(1, steps + 1):
        point = start + (end - start) * i / steps
        event = QMouseEvent(QEvent.Type.MouseMove, QPointF(point), QPointF(port.mapToGlobal(point)),
                            Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(port, event)
        qtbot.wait(5)
    qtbot.mouseRelease(port, Qt.MouseButton.LeftButton, pos=end)
    qtbot.wait(20)


def test_dragging_a_busy_output_to_another_node_moves_its_edge_as_one_named_undoable_step(qtbot, window):  # noqa: F811
    window.open_path(REACTIVATION, confirm=False)
    settle(qtbot, window)
    graph = window.doc.graph
    viewer = graph.viewer()
    window.zoom_to_fit()
    qtbot.wait(50)
    churned, mail1, wait7 = (node_by_id(graph, n) for n in ("churned", "mail1", "wait7"))
    assert [t.node() for t in churned.get_output("yes").connected_ports()] == [mail1]
    before = window.doc.scenario().to_dict()["edges"]
    yes_port = churned.view.outputs[[p.name for p in churned.view.outputs].index("yes")]
    mouse_drag(qtbot, viewer, _at(viewer, yes_port), _at(viewer, wait7.view.inputs[0]))
    settle(qtbot, window)
    assert [t.node() for t in churned.get_output("yes").connected_ports()] == [wait7]
    message = window.statusBar().currentMessage()
    assert "now leads to 'Wait 7 days' instead of 'We miss you'" in message, message
    assert window.actions_by_name["undo"].text() == "&Undo move the edge 'yes' of 'Churned for 180 days'"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one step back, by the keyboard
    settle(qtbot, window)
    assert window.doc.scenario().to_dict()["edges"] == before


def test_a_new_edge_dropped_on_a_busy_output_is_refused_with_the_reason(qtbot, window):  # noqa: F811
    window.open_path(REACTIVATION, confirm=False)
    settle(qtbot, window)
    graph = window.doc.graph
    viewer = graph.viewer()
    window.zoom_to_fit()
    qtbot.wait(50)
    mail1, wait12 = node_by_id(graph, "mail1"), node_by_id(graph, "wait12")
    before = window.doc.scenario().to_dict()["edges"]
    # From a node's input to an output that already leads elsewhere: the output keeps its edge.
    mouse_drag(qtbot, viewer, _at(viewer, wait12.view.inputs[0]), _at(viewer, mail1.view.outputs[0]))
    settle(qtbot, window)
    assert window.doc.scenario().to_dict()["edges"] == before
    assert "Output 'out' of 'We miss you' already has an edge" in window.statusBar().currentMessage()
