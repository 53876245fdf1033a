"""The editor window, driven through its widgets: build section 1 by hand, undo and redo it,
copy between windows, live problems, counts equal to the command line's, files, CRM dialog."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QMessageBox, QPushButton, QSpinBox

from app.prefs import Prefs
from connectors.demo_crm import build_demo_crm
from editor.badges import decor_of
from editor.conditions_editor import ConditionList, ConditionRow
from editor.form_widgets import TemplateEdit
from editor.forms import NodeForm
from editor.graph import node_by_id
from editor.settings_form import SettingsForm
from editor.window import MainWindow
from engine.scenario import dumps, from_dict, load
from tests.helpers import REACTIVATION, ROOT, churned_today, reactivation
from tests.windows import shown_window

AT = "2026-11-23T10:30:00+03:00"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def demo_crm(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo_crm(str(path), customers=800, seed=7, as_of=datetime.fromisoformat(AT))
    return f"sqlite:///{path}"


@pytest.fixture
def window(qtbot, user_dirs, demo_crm):
    with shown_window(qtbot, prefs=Prefs(crm=demo_crm), clock=lambda: datetime.fromisoformat(AT)) as made:
        yield made


def settle(qtbot, window: MainWindow) -> None:
    """Wait until the form follows the selection and the counts are in."""
    qtbot.wait(20)
    qtbot.waitUntil(window.counter.is_idle, timeout=20000)
    qtbot.wait(20)


def form(window: MainWindow) -> NodeForm:
    assert isinstance(window.form, NodeForm)
    return window.form


def add(qtbot, window: MainWindow, type_name: str, pos: tuple[float, float]):
    """Double-click a palette entry, then drag the new node to ``pos``."""
    palette = window.palette
    item = next(palette.item(i) for i in range(palette.count())
                if palette.item(i).data(Qt.ItemDataRole.UserRole) == type_name)
    where = palette.visualItemRect(item).center()
    qtbot.mouseClick(palette.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(palette.viewport(), Qt.MouseButton.LeftButton, pos=where)
    node = window.doc.graph.selected_nodes()[0]
    assert node.scenarist_type == type_name
    node.set_pos(*pos)
    qtbot.wait(5)
    return node


def connect(window: MainWindow, source, port: str, target) -> None:
    """What the canvas does when a port is dragged onto another: the viewer's signal."""
    viewer = window.doc.graph.viewer()
    viewer.connection_changed.emit([], [(source.get_output(port).view, target.get_input("in").view)])


def type_into(qtbot, widget: QLineEdit, text: str) -> None:
    """Type into a line edit and leave it (QTest cannot type characters such as ₽)."""
    widget.clear()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        widget.insert(text)
    widget.editingFinished.emit()


def set_title(qtbot, window: MainWindow, title: str) -> None:
    type_into(qtbot, form(window).findChild(QLineEdit, "param_title"), title)


def set_template(qtbot, window: MainWindow, name: str, text: str) -> None:
    edit = form(window).findChild(TemplateEdit, f"param_{name}")
    if isinstance(edit.editor, QLineEdit):
        edit.editor.clear()
        qtbot.keyClicks(edit.editor, text)
    else:
        edit.editor.setPlainText(text)
    edit.flush()


def choose(combo, value) -> None:
    combo.setCurrentIndex(combo.findData(value))


def fill_conditions(qtbot, window: MainWindow, conditions: list[dict]) -> None:
    """Add each condition with the builder's buttons and lists."""
    f = form(window)
    for cond in conditions:
        f.findChild(QPushButton, "add_condition").click()
        row = f.findChildren(ConditionRow)[-1]
        choose(row.kind, cond["kind"])
        w = row.widgets
        if cond["kind"] == "field":
            w["field"].setEditText(cond["field"])
            w["field"].lineEdit().editingFinished.emit()
            choose(w["op"], cond["op"])
        elif cond["kind"] == "orders":
            choose(w["agg"], cond["agg"])
            choose(w["op"], cond["op"])
            if "since" in cond:
                choose(w["since"], cond["since"])
            if "within_days" in cond:
                w["within_days"].setValue(cond["within_days"])
        elif cond["kind"] == "bonus_used":
            choose(w["node"], cond["node"])
            choose(w["op"], cond["op"])
        if "value" in cond:
            type_into(qtbot, w["value"], str(cond["value"]))
        assert row.value() == cond


UI_IDS = {"start": "trigger1", "churned": "filter1", "mail1": "message1", "wait7": "wait1",
          "promo": "bonus1", "mail2": "message2", "wait12": "wait2", "used": "filter2", "mail3": "message3"}


def expected_file() -> str:
    """Section 1 written by the engine's API, with the ids the editor gives new nodes."""
    data = reactivation()
    data.pop("id")
    data.pop("notes")  # the template's notes for a client: built by hand are the nodes and edges
    for node in data["nodes"]:
        node["id"] = UI_IDS[node["id"]]
        for cond in node["params"].get("conditions", []):
            if cond.get("kind") == "bonus_used":
                cond["node"] = UI_IDS[cond["node"]]
    for edge in data["edges"]:
        edge["source"], edge["target"] = UI_IDS[edge["source"]], UI_IDS[edge["target"]]
    return dumps(from_dict(data))


def build_section_one(qtbot, window: MainWindow) -> None:
    """Section 1 of SCENARIOS.md, built only through the window."""
    spec = {n["id"]: n for n in reactivation()["nodes"]}
    graph = window.doc.graph
    trigger = node_by_id(graph, "trigger1")
    graph.select_only([trigger])
    settle(qtbot, window)
    set_title(qtbot, window, spec["start"]["title"])
    made = {"start": trigger}
    for key in ("churned", "mail1", "wait7", "promo", "mail2", "wait12", "used", "mail3"):
        node = spec[key]
        made[key] = add(qtbot, window, node["type"], tuple(node["position"]))
        settle(qtbot, window)
        set_title(qtbot, window, node["title"])
        p, f = node["params"], form(window)
        if node["type"] == "filter":
            conditions = [dict(c, node=UI_IDS[c["node"]]) if c["kind"] == "bonus_used" else c
                          for c in p["conditions"]]
            fill_conditions(qtbot, window, conditions)
        elif node["type"] == "message":
            set_template(qtbot, window, "subject", p["subject"])
            set_template(qtbot, window, "body", p["body"])
        elif node["type"] == "wait":
            f.findChild(QSpinBox, "param_duration_amount").setValue(p["days"])
        elif node["type"] == "bonus":
            f.findChild(QSpinBox, "param_expires_in_days").setValue(p["expires_in_days"])
            type_into(qtbot, f.findChild(QLineEdit, "param_discount"), p["discount"])
    trigger.set_pos(0, 0)
    for edge in reactivation()["edges"]:
        connect(window, made[edge["source"]], edge["port"], made[edge["target"]])
    graph.clear_selection()
    settle(qtbot, window)
    settings = window.form
    assert isinstance(settings, SettingsForm)
    type_into(qtbot, settings.name, "Reactivation by orders")
    settings.description.setPlainText(reactivation()["description"])
    settings.flush()
    settings.findChild(QCheckBox, "setting_reenter").setChecked(True)
    settings.findChild(QSpinBox, "setting_reentry_days").setValue(180)
    goal = settings.findChild(ConditionList, "setting_goal")  # the goal: a completed order since entering
    qtbot.mouseClick(goal.findChild(QPushButton, "add_condition"), Qt.MouseButton.LeftButton)
    row = goal.rows[0]
    row.kind.setCurrentIndex(row.kind.findData("orders"))
    row.widgets["since"].setCurrentIndex(row.widgets["since"].findData("entry"))
    settle(qtbot, window)


def test_section_one_built_by_hand_saves_the_engine_file_and_undoes_to_the_start(qtbot, window, tmp_path):
    doc = window.doc
    seen = {doc.undo_stack.index(): doc.text()}
    doc.undo_stack.indexChanged.connect(lambda index: seen.__setitem__(index, doc.text()))
    build_section_one(qtbot, window)
    assert not window.problems
    (tmp_path / "got.json").write_text(doc.text())
    (tmp_path / "want.json").write_text(expected_file())
    assert doc.text() == expected_file()
    top = doc.undo_stack.count()
    assert top > 40
    for index in range(top - 1, -1, -1):  # every step back to the start, each as it was
        window.undo()
        assert doc.undo_stack.index() == index
        assert doc.text() == seen[index], f"undo to step {index}"
    assert len(doc.scenario().nodes) == 1
    for index in range(1, top + 1):  # and forward again
        window.redo()
        assert doc.text() == seen[index], f"redo to step {index}"
    assert doc.text() == expected_file()

    assert window._write(tmp_path / "built.scenario.json")
    written = (tmp_path / "built.scenario.json").read_text(encoding="utf-8")
    assert written == expected_file()
    assert not window.isWindowModified()
    assert window.open_path(tmp_path / "built.scenario.json")
    assert window.doc.text() == written  # reopened: the same file
    assert window.doc.undo_stack.count() == 0


def test_copy_and_paste_between_two_windows_gives_new_ids(qtbot, window):
    assert window.open_path(REACTIVATION, confirm=False)
    graph = window.doc.graph
    graph.select_only([node_by_id(graph, "churned"), node_by_id(graph, "mail1")])
    assert window.copy()
    other = window.new_window()
    other.paste()
    pasted = other.doc.scenario()
    assert sorted(n.id for n in pasted.nodes) == ["filter1", "message1", "trigger1"]
    source = window.doc.scenario()
    assert pasted.node("filter1").params == source.node("churned").params
    assert pasted.node("message1").params == source.node("mail1").params
    assert [(e.source, e.port, e.target) for e in pasted.edges] == [("filter1", "yes", "message1")]
    other.duplicate()  # the pasted pair is selected: duplicating gives two more, again new ids
    assert sorted(n.id for n in other.doc.scenario().nodes) == ["filter1", "filter2", "message1", "message2",
                                                                "trigger1"]
    other.undo()
    other.undo()
    assert [n.id for n in other.doc.scenario().nodes] == ["trigger1"]
    other.doc.undo_stack.setClean()
    other.close()


def test_second_edge_on_an_output_and_a_loop_are_refused_with_a_message(qtbot, window):
    window.open_path(REACTIVATION, confirm=False)
    graph = window.doc.graph
    before = window.doc.text()
    connect(window, node_by_id(graph, "churned"), "yes", node_by_id(graph, "promo"))
    assert "already has an edge" in window.statusBar().currentMessage()
    connect(window, node_by_id(graph, "used"), "yes", node_by_id(graph, "churned"))
    assert "loop" in window.statusBar().currentMessage()
    assert window.doc.text() == before
    assert not window.doc.is_modified()
    connect(window, node_by_id(graph, "churned"), "no", node_by_id(graph, "mail3"))  # a free output: fine
    assert ("churned", "no", "mail3") in [(e.source, e.port, e.target) for e in window.doc.scenario().edges]
    assert window.doc.is_modified()
    graph.clear_selection()
    node_by_id(graph, "churned").get_output("no").view.connected_pipes[0].setSelected(True)
    window.delete()  # a selected edge goes, undoably
    assert window.doc.text() == before
    window.undo()
    assert ("churned", "no", "mail3") in [(e.source, e.port, e.target) for e in window.doc.scenario().edges]


def test_problems_are_outlined_listed_and_lead_to_their_node(qtbot, window):
    window.open_path(REACTIVATION, confirm=False)
    settle(qtbot, window)
    graph = window.doc.graph
    graph.select_only([node_by_id(graph, "mail2")])
    settle(qtbot, window)
    edit = form(window).findChild(TemplateEdit, "param_body")
    edit.editor.setPlainText("Your code {{ bonus.code ")
    assert edit.error.isVisible() is False or "line 1" in edit.error.text()
    qtbot.waitUntil(lambda: "line 1" in edit.error.text())  # shown while typing, before any commit
    edit.flush()
    assert [p.node for p in window.problems] == ["mail2"]
    assert decor_of(node_by_id(graph, "mail2").view).problems
    assert not decor_of(node_by_id(graph, "mail1").view).problems
    assert "line 1" in node_by_id(graph, "mail2").view.toolTip()
    item = window.problems_pane.item(0)
    assert "Your bonus" in item.text() and "mail2" not in item.text() and "params.body" in item.text()  # its title
    graph.clear_selection()
    window.problems_pane.itemClicked.emit(item)
    settle(qtbot, window)
    assert [n.get_property("node_id") for n in graph.selected_nodes()] == ["mail2"]
    assert form(window).node.get_property("node_id") == "mail2"
    window.undo()
    assert not window.problems
    assert not decor_of(node_by_id(graph, "mail2").view).problems


def test_badges_show_what_the_command_line_preview_says(qtbot, window, demo_crm):
    window.open_path(REACTIVATION, confirm=False)
    settle(qtbot, window)
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "preview", str(REACTIVATION), "--crm", demo_crm,
                          "--at", AT, "--json"], capture_output=True, text=True, check=True, cwd=ROOT)
    nodes = json.loads(out.stdout)["nodes"]
    assert nodes["mail1"]["reached"] == churned_today(demo_crm, date(2026, 11, 23))  # counted by hand
    shown = window.preview.counts()
    for node_id, counts in nodes.items():
        decor = decor_of(node_by_id(window.doc.graph, node_id).view)
        assert decor.reached == counts["reached"], node_id
        assert not decor.stale
        assert shown[node_id] == (f"{counts['reached']:,}".replace(",", "\u2009"),
                                  f"{counts['waiting']:,}".replace(",", "\u2009"))
    assert decor_of(node_by_id(window.doc.graph, "wait7").view).waiting == nodes["wait7"]["waiting"]
    # An edit greys the badges until the recount, which follows by itself.
    graph = window.doc.graph
    graph.select_only([node_by_id(graph, "wait7")])
    settle(qtbot, window)
    form(window).findChild(QSpinBox, "param_duration_amount").setValue(3)
    assert decor_of(node_by_id(graph, "mail1").view).stale
    settle(qtbot, window)
    assert not decor_of(node_by_id(graph, "mail1").view).stale


def test_message_preview_renders_for_a_customer_of_the_crm(qtbot, window):
    window.open_path(REACTIVATION, confirm=False)
    graph = window.doc.graph
    graph.select_only([node_by_id(graph, "mail2")])
    settle(qtbot, window)
    f = form(window)
    assert f.customer.count() > 100
    text = f.rendered.toPlainText()
    assert "BACK-" in text and "500 ₽ off" in text and "{{" not in text


def test_unsaved_changes_prompt_on_close(qtbot, window, tmp_path):
    path = tmp_path / "mine.scenario.json"
    path.write_text(REACTIVATION.read_text(encoding="utf-8"), encoding="utf-8")
    window.open_path(path, confirm=False)
    window.doc.set_meta("name", "Changed")
    assert window.isWindowModified() and window.windowTitle().startswith("Changed")

    def answer(button: QMessageBox.StandardButton) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox), "the prompt did not appear"
        box.button(button).click()

    QTimer.singleShot(50, lambda: answer(QMessageBox.StandardButton.Cancel))
    window.close()
    assert window.isVisible()
    QTimer.singleShot(50, lambda: answer(QMessageBox.StandardButton.Save))
    window.close()
    assert not window.isVisible()
    assert load(path).name == "Changed"


def test_a_broken_file_is_refused_and_the_open_one_stays(qtbot, window, tmp_path):
    window.open_path(REACTIVATION, confirm=False)
    broken = tmp_path / "broken.scenario.json"
    broken.write_text('{"format": "scenarist.scenario", "version": 1,\n "name": "x",', encoding="utf-8")
    seen: list[str] = []

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        seen.append(box.text())
        box.close()

    QTimer.singleShot(50, close_box)
    assert not window.open_path(broken, confirm=False)
    assert "line" in seen[0]
    assert window.doc.meta.name == "Reactivation by orders"


def test_first_start_opens_the_demo_with_counts(qtbot, user_dirs):
    from editor.gui import build_window

    window = build_window([])  # closed below, not by qtbot: a closed window deletes itself
    window.show()
    settle(qtbot, window)
    assert window.prefs.crm.endswith("demo-crm.db")
    assert Prefs.load().crm == window.prefs.crm  # remembered in the user's preferences
    assert window.doc.meta.name == "Reactivation by orders"
    today = datetime.now(ZoneInfo("Europe/Moscow")).date()  # the demo shop is dated to today
    assert decor_of(node_by_id(window.doc.graph, "mail1").view).reached == churned_today(window.prefs.crm, today)
    window.resize(1440, 880)
    window.zoom_to_fit()
    qtbot.wait(50)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = window.grab()
    shot.save(str(ARTIFACTS / "main-window.png"))
    image = shot.toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 50
    window.close()
    again = build_window([])  # the next start opens where the user left off, the demo here
    assert again.doc.path == Path(Prefs.load().recent[0]) and again.doc.meta.name == "Reactivation by orders"
    again.close()


def test_a_file_on_the_command_line_opens(qtbot, user_dirs, tmp_path, demo_crm):
    from editor.gui import build_window

    Prefs(crm=demo_crm).save()
    window = build_window([str(REACTIVATION)])
    assert window.doc.path == Path(REACTIVATION)
    assert str(Path(REACTIVATION).resolve()) in Prefs.load().recent
    window.close()


def test_crm_dialog_tests_sqlite_and_postgresql(qtbot, user_dirs, demo_crm, pg_url):
    from editor.crm_dialog import CrmDialog

    dialog = CrmDialog(demo_crm)
    qtbot.addWidget(dialog)
    assert dialog.sqlite.isChecked() and dialog.url() == demo_crm
    assert dialog.test()
    assert "800 customers" in dialog.result.text()
    dialog.postgres.setChecked(True)
    dialog.database.setText("test")
    dialog.user.setText("postgres")
    assert dialog.url() == "postgresql://postgres@127.0.0.1:5432/test"
    dialog.test()  # the real server answers; its public schema is no shop
    assert "customers" in dialog.result.text()
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(1)
    assert not dialog.test()
    assert "connect" in dialog.result.text().lower()



def test_new_nodes_keep_no_title_until_renamed(qtbot, window):
    first = add(qtbot, window, "exit", (300, 0))
    second = add(qtbot, window, "exit", (300, 200))
    assert first.name() != second.name()  # the canvas tells them apart ("Exit", "Exit 1")...
    titles = {n.id: n.title for n in window.doc.scenario().nodes}
    assert titles == {"trigger1": None, "exit1": None, "exit2": None}  # ...the file does not need to
    settle(qtbot, window)
    set_title(qtbot, window, "Done")
    assert {n.id: n.title for n in window.doc.scenario().nodes}["exit2"] == "Done"


def test_condition_builder_adds_groups_reorders_and_removes_undoably(qtbot, window):
    from PySide6.QtWidgets import QComboBox, QToolButton

    from editor.conditions_editor import ConditionList, GroupBox

    window.open_path(REACTIVATION, confirm=False)
    graph = window.doc.graph
    churned = node_by_id(graph, "churned")
    graph.select_only([churned])
    settle(qtbot, window)
    before = window.doc.scenario().node("churned").params["conditions"]
    f = form(window)
    f.findChild(QPushButton, "add_group").click()
    group = f.findChildren(GroupBox)[-1]
    choose(group.findChild(QComboBox, "group_match"), "all")
    for _ in range(len(before)):  # up to the top
        next(b for b in group.findChildren(QToolButton) if b.objectName() == "condition_up"
             and b.parent() is group).click()
    conditions = window.doc.scenario().node("churned").params["conditions"]
    assert conditions[0] == {"kind": "group", "match": "all", "conditions": [
        {"kind": "field", "field": "email", "op": "is_valid_email"}]}
    assert conditions[1:] == before
    top = form(window).findChild(ConditionList, "param_conditions")
    assert top.rows[0] is group
    top.rows[-1].findChild(QToolButton, "condition_remove").click()
    assert window.doc.scenario().node("churned").params["conditions"] == conditions[:-1]
    while window.doc.undo_stack.canUndo():
        window.undo()
    assert window.doc.scenario().node("churned").params["conditions"] == before
