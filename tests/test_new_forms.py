"""The forms of what the templates brought: a split by condition's branches, a trigger's event and
date fields, optional numbers, and the scenario's sending window, in the real window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPushButton, QSpinBox, QWidget

from editor.conditions_editor import ConditionList
from editor.form_widgets import CasesEdit
from editor.graph import node_by_id, params_of
from editor.settings_form import SettingsForm
from tests.test_editor_window import ARTIFACTS, add, demo_crm, form, settle, window  # noqa: F401 - fixtures


def ports(node) -> list[str]:
    return [p.name() for p in node.output_ports()]


def test_split_by_condition_branches_become_ports_and_undo(qtbot, window):  # noqa: F811
    node = add(qtbot, window, "switch", (300, 0))
    settle(qtbot, window)
    cases = form(window).findChild(CasesEdit)
    assert ports(node) == ["first", "other"]
    port = cases.findChildren(QLineEdit, "case_port")[0]
    port.setText("vip")
    port.editingFinished.emit()
    qtbot.mouseClick(cases.findChild(ConditionList).findChild(QPushButton, "add_condition"), Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    params = params_of(node)
    assert params["branches"][0]["port"] == "vip" and len(params["branches"][0]["conditions"]) == 1
    assert ports(node) == ["vip", "other"]
    qtbot.mouseClick(form(window).findChild(QPushButton, "add_case"), Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert ports(node) == ["vip", "branch1", "other"]
    ARTIFACTS.mkdir(exist_ok=True)
    window.grab().save(str(ARTIFACTS / "switch-form.png"))
    for _ in range(3):
        window.undo()
    settle(qtbot, window)
    assert ports(node) == ["first", "other"]


def test_trigger_shows_the_fields_of_its_kind_and_writes_only_those(qtbot, window):  # noqa: F811
    start = node_by_id(window.doc.graph, next(n.id for n in window.scenario().nodes if n.type == "trigger"))
    window.doc.graph.select_only([start])
    settle(qtbot, window)
    node_form = form(window)
    kind = node_form.findChild(QComboBox, "param_kind")
    event = node_form.findChild(QLineEdit, "param_event")
    assert not event.isVisible() and not node_form.findChild(QLineEdit, "param_field").isVisible()
    kind.setCurrentIndex(kind.findData("event"))
    assert event.isVisible()
    event.setText("cart_abandoned")
    event.editingFinished.emit()
    assert params_of(start) == {"kind": "event", "at": "10:00", "event": "cart_abandoned"}
    kind.setCurrentIndex(kind.findData("date"))
    settle(qtbot, window)
    node_form = form(window)
    assert node_form.findChild(QSpinBox, "param_days_before").isVisible()
    assert params_of(start) == {"kind": "date", "at": "10:00"}  # the event went with its kind
    assert any("params.field" in str(p) for p in window.problems)  # a date start needs its date


def test_message_form_leaves_unset_numbers_out_of_the_file(qtbot, window):  # noqa: F811
    node = add(qtbot, window, "message", (300, 0))
    settle(qtbot, window)
    delay = form(window).findChild(QSpinBox, "param_delay_days")
    window_days = form(window).findChild(QSpinBox, "param_conversion_days")
    assert delay.text() == delay.specialValueText() and window_days.text() == window_days.specialValueText()
    form(window).commit()
    assert "delay_days" not in params_of(node) and "conversion_days" not in params_of(node)
    delay.setValue(6)
    assert params_of(node)["delay_days"] == 6
    delay.setValue(delay.minimum())
    assert "delay_days" not in params_of(node)


def test_sending_window_in_the_scenario_settings(qtbot, window):  # noqa: F811
    window.doc.graph.clear_selection()
    settle(qtbot, window)
    settings = window.form
    assert isinstance(settings, SettingsForm)
    settings.findChild(QCheckBox, "setting_send_window_on").setChecked(True)
    assert window.doc.meta.settings["send_window"] == {"weekdays": [1, 2, 3, 4, 5, 6, 7], "from": "09:00",
                                                       "to": "21:00"}
    for day in (6, 7):
        settings.findChild(QCheckBox, f"setting_weekday_{day}").setChecked(False)
    assert window.doc.meta.settings["send_window"]["weekdays"] == [1, 2, 3, 4, 5]
    assert '"send_window"' in window.doc.text()
    settings.findChild(QCheckBox, "setting_send_window_on").setChecked(False)
    assert window.doc.meta.settings["send_window"] is None and '"send_window"' not in window.doc.text()
    window.undo()
    assert window.doc.meta.settings["send_window"]["weekdays"] == [1, 2, 3, 4, 5]


def test_goal_in_the_scenario_settings_is_built_with_the_condition_builder(qtbot, window):  # noqa: F811
    assert not window.docks["properties"].isVisible()  # nothing selected: the pane is hidden
    window.show_scenario_settings()
    settle(qtbot, window)
    settings = window.form
    assert isinstance(settings, SettingsForm) and window.docks["properties"].isVisible()
    goal = settings.findChild(ConditionList, "setting_goal")
    assert goal.value() == [] and "goal" not in window.doc.meta.settings
    qtbot.mouseClick(goal.findChild(QPushButton, "add_condition"), Qt.MouseButton.LeftButton)
    row = goal.rows[0]
    row.kind.setCurrentIndex(row.kind.findData("orders"))
    since = row.widgets["since"]
    since.setCurrentIndex(since.findData("entry"))
    settle(qtbot, window)
    assert window.doc.meta.settings["goal"] == {"match": "all", "conditions": [
        {"kind": "orders", "agg": "count", "since": "entry", "op": "ge", "value": 1}]}
    assert '"goal"' in window.doc.text()
    match = settings.findChild(QComboBox, "setting_goal_match")
    match.setCurrentIndex(match.findData("any"))
    assert window.doc.meta.settings["goal"]["match"] == "any"
    window.undo()
    settle(qtbot, window)
    assert window.doc.meta.settings["goal"]["match"] == "all"
    row = window.form.findChild(ConditionList, "setting_goal").rows[0]
    row.action.emit("remove")
    settle(qtbot, window)
    assert window.doc.meta.settings["goal"] is None and '"goal"' not in window.doc.text()


def test_an_sms_has_no_subject_field_and_leaves_none_in_the_file(qtbot, window):  # noqa: F811
    node = add(qtbot, window, "message", (300, 0))
    settle(qtbot, window)
    subject = form(window).findChild(QWidget, "param_subject")
    assert subject.isVisible()  # an email's subject
    channel = form(window).findChild(QComboBox, "param_channel")
    channel.setFocus()
    qtbot.keyClick(channel, Qt.Key.Key_Down)  # email → SMS, as the keyboard chooses
    settle(qtbot, window)
    assert params_of(node)["channel"] == "sms"
    assert not form(window).findChild(QWidget, "param_subject").isVisible()
    assert "subject" not in params_of(node)
    channel = form(window).findChild(QComboBox, "param_channel")
    channel.setCurrentIndex(channel.findData("email"))
    settle(qtbot, window)
    assert form(window).findChild(QWidget, "param_subject").isVisible()
