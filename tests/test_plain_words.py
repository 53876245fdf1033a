"""Words for a shop owner in the window: titles, not ids; a default title follows its parameters
until the user gives the node a title of their own."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox

from connectors.templates import TemplateError, compile_template
from editor.graph import node_by_id, params_of
from editor.messages import shown
from engine.problems import Problem
from engine.template_words import template_error
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


TEMPLATE_MISTAKES = {  # what a shop owner types -> what the window says, in plain words
    "Hi {{ customer.first_name ": "line 1: '}}' is missing at the end",
    "{% if x %}a": "line 1: 'if' is opened but never closed; close it with «elif», «else», «endif»",
    "{{ a b }}": "line 1: '}}' is missing before 'b'",
    "{% foo %}": "line 1: 'foo' is not a command a message knows",
    "{{ a | nosuch }}": "line 1: 'nosuch' after | is not a filter a message knows",
    "Hi {{ x }": "line 1: '}' does not belong here",
    "{{ a ! }}": "line 1: the character '!' cannot be used here (character 5)",
}


@pytest.mark.parametrize("source", list(TEMPLATE_MISTAKES))
def test_template_mistakes_are_said_without_the_template_library_s_words(source):
    with pytest.raises(TemplateError) as caught:
        compile_template(source)
    said = shown(Problem("template.error", {"reason": template_error(caught.value)}))
    assert said == f"the text has a mistake: {TEMPLATE_MISTAKES[source]}"
    assert not re.search(r"(?i)jinja|token|statement|encountered|template", said)


def test_the_condition_builder_names_fields_and_steps_in_words(qtbot, window):  # noqa: F811
    window.open_path(REACTIVATION, confirm=False)
    settle(qtbot, window)
    graph = window.doc.graph
    graph.select_only([node_by_id(graph, "used")])
    settle(qtbot, window)
    node = window.form.findChild(QComboBox, "cond_node")  # "Used the code?" looks at a bonus step
    assert node.currentText() == "Promo code 500" and node.currentData() == "promo"
    graph.select_only([node_by_id(graph, "churned")])
    settle(qtbot, window)
    form = window.form
    fields = form.findChildren(QComboBox, "cond_field")
    assert fields[0].currentText() == "email" and fields[1].currentText() == "email subscription"
    items = {fields[0].itemText(i): fields[0].itemData(i) for i in range(fields[0].count())}
    assert items["first name"] == "first_name" and items["registration date"] == "registered_at"
    assert "first_name" not in items
    combo = fields[0].lineEdit()  # the user types the words they read; the file keeps the column
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    qtbot.keyClick(combo, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(combo, "first name")
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    settle(qtbot, window)
    conditions = params_of(node_by_id(graph, "churned"))["conditions"]
    assert conditions[0]["field"] == "first_name"
    window.show_scenario_settings()  # the goal: a completed order since entering, said in words
    settle(qtbot, window)
    since = window.form.findChild(QComboBox, "cond_since")
    assert since.currentText() == "since entering"
    assert "since «Promo code 500»" in [since.itemText(i) for i in range(since.count())]


def test_a_long_subject_opens_at_its_start(qtbot, window):  # noqa: F811
    window.open_path(REACTIVATION, confirm=False)
    settle(qtbot, window)
    window.doc.graph.select_only([node_by_id(window.doc.graph, "mail2")])
    settle(qtbot, window)
    subject = window.form.templates[0].editor
    assert subject.text().startswith("{{ customer.first_name }}, a gift for you")
    assert subject.width() < subject.fontMetrics().horizontalAdvance(subject.text())  # too long to show whole
    assert subject.cursorPosition() == 0  # so the field shows its beginning, not its end
