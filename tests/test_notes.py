"""Sticky notes and frames: in the file (optional, checked, in the schema; a file without them keeps
its bytes), on the canvas by real input (added, written in, moved, a frame dragged with what it
holds, resized, copied and pasted, deleted, all undoable), in both languages, and in the pictures
and the client report."""

from __future__ import annotations

import base64
import copy
import json
import re
from datetime import datetime

import jsonschema
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QCursor, QImage

from app.prefs import Prefs
from editor.document import Document
from editor.export import render_image, scenario_svg_bytes
from editor.graph import node_by_id
from engine.model import dumps
from engine.problems import ScenarioError
from engine.scenario import from_dict, load, parse_text
from engine.schema import build_schema
from tests.helpers import REACTIVATION, reactivation
from tests.test_canvas import TEMPLATES, at_scene, empty_spot, opened, window  # noqa: F401 - the fixture
from tests.test_editor_window import AT, demo_crm, settle  # noqa: F401 - the CRM fixture
from tests.test_intent import mouse_drag
from tests.windows import shown_window


def without_notes() -> dict:
    data = reactivation()
    data.pop("notes")
    return data


def test_a_file_without_notes_keeps_its_bytes_through_the_editor(qtbot, tmp_path):
    text = dumps(from_dict(without_notes()))
    path = tmp_path / "plain.scenario.json"
    path.write_text(text, encoding="utf-8")
    doc = Document.open(path)
    doc.save(tmp_path / "again.scenario.json")
    again = (tmp_path / "again.scenario.json").read_text(encoding="utf-8")
    assert again == text and '"notes"' not in again


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.scenario.json")), ids=lambda p: p.name)
def test_a_file_with_notes_keeps_its_bytes_through_the_editor(qtbot, path):
    text = path.read_text(encoding="utf-8")
    assert '"notes"' in text  # every template explains itself
    assert Document.open(path).text() == text


def test_each_broken_note_is_refused_naming_its_place():
    data = reactivation()
    good = copy.deepcopy(data["notes"][0])
    data["notes"] = [
        {**good, "id": "a", "kind": "sticker"},
        {**good, "id": "note1", "size": [0, 50]},
        {**good, "id": "note1"},
        {**good, "id": "b", "text": 7, "translations": {"Russian": "да"}},
        {**good, "id": "c", "position": [1], "colour": "red"},
        "a note",
    ]
    with pytest.raises(ScenarioError) as refused:
        from_dict(data)
    found = [(p.field, p.code) for p in refused.value.problems]
    assert found == [("notes[0].kind", "note.kind"), ("notes[1].size", "note.size"), ("notes[2].id", "note.twice"),
                     ("notes[3].text", "value.text_plain"), ("notes[3].translations.Russian", "note.language"),
                     ("notes[4].colour", "file.unknown_key"), ("notes[4].position", "node.position"),
                     ("notes[5]", "note.not_object")]
    data["notes"] = "none"
    with pytest.raises(ScenarioError) as refused:
        from_dict(data)
    assert [(p.field, p.code) for p in refused.value.problems] == [("notes", "notes.not_list")]


def test_the_schema_knows_notes():
    schema = build_schema()
    for path in TEMPLATES.glob("*.scenario.json"):
        jsonschema.validate(parse_text(path.read_text(encoding="utf-8")), schema)
    data = reactivation()
    data["notes"][0]["kind"] = "sticker"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def notes_of(window) -> list:  # noqa: F811 - any window, not the fixture
    return window.doc.scenario().notes


def test_a_note_added_from_the_search_is_written_in_and_undone_step_by_step(qtbot, window):  # noqa: F811
    graph = opened(qtbot, window, TEMPLATES / "anniversary.scenario.json")
    viewer = graph.viewer()
    spot = empty_spot(viewer)
    QCursor.setPos(viewer.viewport().mapToGlobal(spot))
    viewer.setFocus()
    count = len(notes_of(window))
    qtbot.keyClick(viewer.viewport(), Qt.Key.Key_Tab)
    qtbot.keyClicks(window.chooser.search, "note")
    qtbot.keyClick(window.chooser.search, Qt.Key.Key_Return)
    editor = window.note_editor
    assert editor.isVisible() and editor.hasFocus()
    qtbot.keyClicks(editor, "VIP customers get 1000 points")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not editor.isVisible()
    added = notes_of(window)[-1]
    assert len(notes_of(window)) == count + 1
    assert (added.id, added.kind, added.text, added.translations) == ("note2", "note", "VIP customers get 1000 points",
                                                                      {})
    assert window.actions_by_name["undo"].text() == "&Undo edit “VIP customers get 1000 points”"
    window.undo()
    assert notes_of(window)[-1].text == ""
    window.undo()
    assert len(notes_of(window)) == count


def band_of(frame) -> QPointF:
    """A point of a frame's title band (what the mouse takes it by)."""
    return frame.sceneBoundingRect().topLeft() + QPointF(60, 20)


def test_a_frame_around_nodes_moves_with_them_in_one_step_and_undo_puts_all_back(qtbot, window):  # noqa: F811
    graph = opened(qtbot, window)
    viewer = graph.viewer()
    churned, mail1, wait7 = (node_by_id(graph, n) for n in ("churned", "mail1", "wait7"))
    graph.select_only([mail1, wait7])  # the two with no note above them
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.note_editor, "First contact")
    qtbot.keyClick(window.note_editor, Qt.Key.Key_Return)  # a frame's title ends with Enter
    frame = graph.notes.items[notes_of(window)[-1].id]
    assert frame.note.kind == "frame" and frame.note.text == "First contact"
    area = frame.sceneBoundingRect()
    assert area.contains(mail1.view.sceneBoundingRect()) and area.contains(wait7.view.sceneBoundingRect())
    before = {n.get_property("node_id"): tuple(n.pos()) for n in graph.all_nodes()}
    corner, text, steps = frame.pos(), window.doc.text(), window.doc.undo_stack.count()
    graph.clear_selection()
    start = at_scene(viewer, band_of(frame))
    mouse_drag(qtbot, viewer, start, start + QPoint(0, 160))
    delta = frame.pos() - corner
    assert delta.y() > 100 and abs(delta.x()) < 1
    for node in (mail1, wait7):
        was = before[node.get_property("node_id")]
        assert (node.pos()[0] - was[0], node.pos()[1] - was[1]) == pytest.approx((delta.x(), delta.y()), abs=0.01)
    assert tuple(churned.pos()) == before["churned"]  # outside the frame: stays
    assert window.doc.undo_stack.count() == steps + 1
    window.undo()
    assert window.doc.text() == text


def test_a_note_is_moved_resized_and_deleted_by_the_mouse_and_the_keys_each_undoable(qtbot, window):  # noqa: F811
    graph = opened(qtbot, window)
    viewer = graph.viewer()
    note = graph.notes.items["note1"]
    text = window.doc.text()
    start = at_scene(viewer, note.sceneBoundingRect().center())
    mouse_drag(qtbot, viewer, start, start + QPoint(-40, -30))
    moved = notes_of(window)[0]
    assert moved.position[0] < 325 and window.actions_by_name["undo"].text() == "&Undo move notes"
    corner = at_scene(viewer, note.sceneBoundingRect().bottomRight() - QPointF(6, 6))  # the resize grip
    mouse_drag(qtbot, viewer, corner, corner + QPoint(60, 40))
    resized = notes_of(window)[0]
    assert resized.size[0] > moved.size[0] + 60 and resized.position == moved.position
    graph.notes.select([note])
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    assert [n.id for n in notes_of(window)] == ["note2", "frame3"]
    for _ in range(3):
        window.undo()
    assert window.doc.text() == text


def test_notes_are_copied_and_pasted_with_nodes_and_get_new_ids(qtbot, window):  # noqa: F811
    graph = opened(qtbot, window)
    graph.select_only([node_by_id(graph, "churned")])
    graph.notes.select([graph.notes.items["note1"]])
    assert window.copy()
    window.paste()
    pasted = notes_of(window)[-1]
    assert (pasted.id, pasted.text) == ("note3", notes_of(window)[0].text)  # note1, note2 and frame3 are taken
    assert pasted.translations == {"ru": notes_of(window)[0].translations["ru"]}
    assert len(graph.all_nodes()) == 11
    assert window.actions_by_name["undo"].text() == "&Undo paste 2 items"
    window.undo()
    assert [n.id for n in notes_of(window)] == ["note1", "note2", "frame3"] and len(graph.all_nodes()) == 10


def test_notes_survive_save_and_open(qtbot, window, tmp_path):  # noqa: F811
    graph = opened(qtbot, window, TEMPLATES / "anniversary.scenario.json")
    window.add_note()
    qtbot.keyClicks(window.note_editor, "Ask the owner about the gift")
    qtbot.keyClick(window.note_editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window._write(tmp_path / "kept.scenario.json")
    kept = load(tmp_path / "kept.scenario.json")
    assert [n.text for n in kept.notes][-1] == "Ask the owner about the gift"
    assert window.open_path(tmp_path / "kept.scenario.json")
    assert [n.text for n in notes_of(window)] == [n.text for n in kept.notes]
    assert graph is not window.doc.graph and window.doc.graph.notes.items


def test_a_template_note_speaks_the_interface_language_until_someone_rewrites_it(qtbot, window):  # noqa: F811
    graph = opened(qtbot, window)
    note = graph.notes.items["note1"]
    assert note.shown_text().startswith("Who enters")
    window.set_language("ru")
    try:
        assert note.shown_text().startswith("Кто входит")
        graph.notes.set_text(note, "Свои слова")
        kept = notes_of(window)[0]
        assert (kept.text, kept.translations) == ("Свои слова", {})
    finally:
        window.set_language("en")
    assert note.shown_text() == "Свои слова"  # the user's words, whatever the language


def test_pictures_and_the_client_report_show_the_notes(qtbot, window, tmp_path):  # noqa: F811
    graph = opened(qtbot, window)
    svg = scenario_svg_bytes(graph).decode("utf-8")
    assert "Second chance: a promo code worth 500" in svg
    width = render_image(graph, scale=1.0).width()
    far = graph.notes.add("note", "Far to the right", (4000, 0))
    assert render_image(graph, scale=1.0).width() > width + 2000  # the picture takes the note in
    report = window.report_dialog(tmp_path / "report.html").read_text(encoding="utf-8")
    picture = re.search(r'src="data:image/png;base64,([^"]+)"', report).group(1)
    image = QImage.fromData(base64.b64decode(picture))
    assert image.width() > 1.5 * (4000 + far.note.size[0])  # drawn at 1.5 px a unit: the note is in it
    assert json.loads(window.doc.text())["notes"][-1]["text"] == "Far to the right"


def test_a_click_on_a_frame_chooses_the_frame_and_delete_removes_it_not_its_nodes(qtbot, window):  # noqa: F811
    graph = opened(qtbot, window)
    viewer = graph.viewer()
    frame = graph.notes.items["frame3"]
    qtbot.mouseClick(viewer.viewport(), Qt.MouseButton.LeftButton, pos=at_scene(viewer, band_of(frame)))
    assert frame.isSelected() and graph.selected_nodes() == []
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    assert "frame3" not in graph.notes.items and len(graph.all_nodes()) == 10
    assert window.actions_by_name["undo"].text() == "&Undo delete notes"


@pytest.fixture
def counted_window(qtbot, user_dirs, demo_crm):  # noqa: F811 - the fixture imported above
    with shown_window(qtbot, prefs=Prefs(crm=demo_crm), clock=lambda: datetime.fromisoformat(AT)) as made:
        yield made


def test_writing_a_note_leaves_the_counts_as_they_are(qtbot, counted_window):
    window = counted_window  # noqa: F811 - a window on the demo CRM, not the canvas's
    window.open_path(REACTIVATION, confirm=False)
    settle(qtbot, window)
    asked = window.counter.generation
    window.add_note()
    qtbot.keyClicks(window.note_editor, "Only for the spring")
    qtbot.keyClick(window.note_editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(50)
    assert window.counter.generation == asked and not window.preview.stale  # nothing counted again, nothing greyed
    assert notes_of(window)[-1].text == "Only for the spring"
    window.doc.set_params(node_by_id(window.doc.graph, "wait7"), {"days": 8})  # an edit of the flow:
    assert window.counter.generation > asked  # checked and counted again


def test_every_template_note_reads_in_each_interface_language():
    """A consultant showing a template in Russian sees Russian notes: every note and frame of every
    template has its Russian words, and they are not the English ones."""
    seen = 0
    for path in sorted(TEMPLATES.glob("*.scenario.json")):
        for note in load(path).notes:
            seen += 1
            russian = note.shown("ru")
            assert russian != note.text and re.search("[а-яА-Я]", russian), (path.name, note.id)
    assert seen == sum(len(json.loads(p.read_text(encoding="utf-8")).get("notes", []))
                       for p in TEMPLATES.glob("*.scenario.json"))
