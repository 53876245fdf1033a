"""The canvas, driven by real input: the search that adds a node (Tab, a right click), a node
dropped into an edge, new nodes that cover nothing, Arrange, the keys, the zoom controls and the
overview, and the zoom kept when the properties appear."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QCursor, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from app.prefs import Prefs
from editor.graph import node_by_id, type_key
from editor.nodegraph import MIME_TYPE, URN_SCHEME
from editor.placement import box_of
from tests.helpers import REACTIVATION, ROOT
from tests.test_intent import mouse_drag
from tests.windows import shown_window

TEMPLATES = ROOT / "resources" / "templates"


@pytest.fixture
def window(qtbot, user_dirs, tmp_path):
    """A window on no CRM (nothing to count), without the scheduler, as large as the issue's."""
    with shown_window(qtbot, prefs=Prefs(), workspace=tmp_path / "workspace", scheduler=False) as made:
        made.resize(1440, 880)
        qtbot.wait(20)
        yield made


def opened(qtbot, window, path=REACTIVATION):
    assert window.open_path(path, confirm=False)
    qtbot.wait(20)
    window.zoom_to_fit()
    return window.doc.graph


def empty_spot(viewer) -> QPoint:
    """A point of the canvas with nothing on it (no node, edge or note within 40 pixels)."""
    port = viewer.viewport()
    for y in range(port.height() - 60, 40, -20):
        for x in range(60, port.width() - 60, 20):
            if not viewer.items(x - 40, y - 40, 80, 80):
                return QPoint(x, y)
    raise AssertionError("the canvas has no empty spot")


def at_scene(viewer, point: QPointF) -> QPoint:
    return viewer.mapFromScene(point)


def ids(graph) -> set[str]:
    return {n.get_property("node_id") for n in graph.all_nodes()}


def overlapping(graph) -> list[tuple[str, str]]:
    nodes = graph.all_nodes()
    return [(a.name(), b.name()) for i, a in enumerate(nodes) for b in nodes[i + 1:]
            if box_of(a.view).overlaps(box_of(b.view))]


def test_tab_opens_a_search_of_node_types_and_the_chosen_one_lands_at_the_pointer(qtbot, window):
    graph = opened(qtbot, window)
    viewer = graph.viewer()
    spot = empty_spot(viewer)
    QCursor.setPos(viewer.viewport().mapToGlobal(spot))
    viewer.setFocus()
    before = ids(graph)
    qtbot.keyClick(viewer.viewport(), Qt.Key.Key_Tab)
    chooser = window.chooser
    assert chooser.isVisible() and chooser.search.hasFocus()
    qtbot.keyClicks(chooser.search, "wait")
    shown = [chooser.list.item(i).text() for i in range(chooser.list.count())]
    assert shown == ["Wait", "Wait for an event"]
    qtbot.keyClick(chooser.search, Qt.Key.Key_Return)
    assert not chooser.isVisible()
    (added,) = ids(graph) - before
    node = node_by_id(graph, added)
    assert node.scenarist_type == "wait" and graph.selected_nodes() == [node]
    title = node.view.sceneBoundingRect()
    pointer = viewer.mapToScene(spot)
    assert abs(title.center().x() - pointer.x()) < 1 and abs(title.top() + 17 - pointer.y()) < 1
    assert window.actions_by_name["undo"].text() == "&Undo add “Wait”"
    window.undo()
    assert ids(graph) == before


def test_the_search_speaks_the_interface_language_and_a_right_click_opens_it_too(qtbot, window):
    graph = opened(qtbot, window)
    window.set_language("ru")
    try:
        right_click_search_in_russian(qtbot, window, graph.viewer())
    finally:
        window.set_language("en")  # the translator is the application's: the next tests speak English


def right_click_search_in_russian(qtbot, window, viewer) -> None:
    spot = empty_spot(viewer)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, spot, viewer.viewport().mapToGlobal(spot))
    QApplication.sendEvent(viewer.viewport(), event)
    chooser = window.chooser
    assert chooser.isVisible()
    qtbot.keyClicks(chooser.search, "mess")  # the type's own name finds it in any language
    assert [chooser.list.item(i).text() for i in range(chooser.list.count())] == ["Отправить сообщение"]
    chooser.search.clear()
    chooser.search.insert("подо")  # QTest types no Cyrillic: what a Russian keyboard would enter
    assert [chooser.list.item(i).text() for i in range(chooser.list.count())] == ["Подождать"]
    qtbot.keyClick(chooser.search, Qt.Key.Key_Escape)
    assert not chooser.isVisible()
    assert window.doc.undo_stack.count() == 0  # nothing was added


def edge_middle(graph, source: str, target: str) -> QPointF:
    """The middle of the edge between two nodes, in the scene."""
    a = node_by_id(graph, source).view.outputs[0].sceneBoundingRect().center()
    b = node_by_id(graph, target).view.inputs[0].sceneBoundingRect().center()
    return (a + b) / 2


def drop_from_palette(viewer, type_name: str, at: QPoint) -> None:
    """What the canvas gets when a palette entry is dragged onto it and let go at ``at``."""
    mime = QMimeData()
    mime.setData(MIME_TYPE, f"{URN_SCHEME}node:{type_key(type_name)}".encode())
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    for event in (QDragEnterEvent(at, *args), QDragMoveEvent(at, *args), QDropEvent(QPointF(at), *args)):
        QApplication.sendEvent(viewer.viewport(), event)


def outgoing_ids(graph, node_id: str) -> list[tuple[str, str]]:
    node = node_by_id(graph, node_id)
    return [(p.name(), t.node().get_property("node_id")) for p in node.output_ports() for t in p.connected_ports()]


def test_a_node_dropped_on_an_edge_goes_into_it_as_one_step_and_covers_no_node(qtbot, window):
    graph = opened(qtbot, window)
    viewer = graph.viewer()
    before = window.doc.text()
    drop_from_palette(viewer, "bonus", at_scene(viewer, edge_middle(graph, "mail1", "wait7")))
    (added,) = ids(graph) - {"start", "churned", "mail1", "wait7", "promo", "mail2", "wait12", "used",
                             "mail3"}
    assert outgoing_ids(graph, "mail1") == [("out", added)]
    assert outgoing_ids(graph, added) == [("out", "wait7")]
    assert overlapping(graph) == []  # the gap between the two was too narrow: it moved to a free spot
    assert window.actions_by_name["undo"].text() == \
        "&Undo insert 'Give a bonus' between 'We miss you' and 'Wait 7 days'"
    window.undo()
    assert window.doc.text() == before


def test_dropped_where_there_is_no_edge_a_node_only_lands_there(qtbot, window):
    graph = opened(qtbot, window)
    viewer = graph.viewer()
    spot = empty_spot(viewer)
    drop_from_palette(viewer, "exit", spot)
    node = graph.selected_nodes()[0]
    assert node.scenarist_type == "exit" and not any(p.connected_ports() for p in node.input_ports())
    assert node.view.sceneBoundingRect().contains(viewer.mapToScene(spot))


def test_a_node_without_edges_dragged_onto_an_edge_is_inserted_there(qtbot, window):
    graph = opened(qtbot, window)
    viewer = graph.viewer()
    window.add_node_at_centre("wait")
    node = graph.selected_nodes()[0]
    new_id = node.get_property("node_id")
    steps = window.doc.undo_stack.count()
    grip = at_scene(viewer, node.view.sceneBoundingRect().topLeft() + QPointF(60, 17))  # its title band
    target = edge_middle(graph, "churned", "mail1")
    mouse_drag(qtbot, viewer, grip, at_scene(viewer, target + QPointF(0, 0)))
    assert outgoing_ids(graph, "churned")[0] == ("yes", new_id)
    assert outgoing_ids(graph, new_id) == [("out", "mail1")]
    assert window.doc.undo_stack.count() == steps + 1
    assert window.actions_by_name["undo"].text() == \
        "&Undo insert 'Wait' between 'Churned for 180 days' and 'We miss you'"
    window.undo()
    assert outgoing_ids(graph, "churned")[0] == ("yes", "mail1") and outgoing_ids(graph, new_id) == []


def test_a_connected_node_dragged_over_an_edge_only_moves(qtbot, window):
    graph = opened(qtbot, window)
    viewer = graph.viewer()
    mail3 = node_by_id(graph, "mail3")
    edges = window.doc.scenario().edges
    grip = at_scene(viewer, mail3.view.sceneBoundingRect().topLeft() + QPointF(60, 17))
    mouse_drag(qtbot, viewer, grip, at_scene(viewer, edge_middle(graph, "mail1", "wait7")))
    assert window.doc.scenario().edges == edges
    assert window.actions_by_name["undo"].text() == "&Undo move nodes"


def test_new_nodes_never_land_on_top_of_others(qtbot, window):
    graph = opened(qtbot, window)
    for _ in range(3):  # three double clicks in the palette: each new node beside the last
        window.add_node_at_centre("message")
    assert overlapping(graph) == []
    graph.select_only([node_by_id(graph, "churned"), node_by_id(graph, "mail1")])
    window.copy()
    window.paste()
    window.paste()
    assert overlapping(graph) == []
    assert len(graph.all_nodes()) == 9 + 3 + 4


def relative_positions(graph) -> dict[str, tuple[float, float]]:
    """Each node's corner, from the trigger's."""
    start = next(n for n in graph.all_nodes() if n.scenarist_type == "trigger").pos()
    return {n.get_property("node_id"): (round(n.pos()[0] - start[0], 1), round(n.pos()[1] - start[1], 1))
            for n in graph.all_nodes()}


@pytest.mark.parametrize("template", ["segment-offers", "rf-lifecycle", "churn-cascade-parallel", "welcome"])
def test_arrange_lays_a_scrambled_template_out_by_its_flow_as_one_undo_step(qtbot, window, template):
    graph = opened(qtbot, window, TEMPLATES / f"{template}.scenario.json")
    tidy = relative_positions(graph)  # the shipped templates are arranged already
    for i, node in enumerate(graph.all_nodes()):
        node.set_pos(((i * 7) % 5) * 170.0, ((i * 3) % 4) * 150.0)  # a mess
    messy, steps = window.doc.text(), window.doc.undo_stack.count()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert relative_positions(graph) == tidy
    assert window.doc.undo_stack.count() == steps + 1
    assert window.actions_by_name["undo"].text() == "&Undo arrange the scenario"
    scenario = window.doc.scenario()
    place = {n.id: n.position for n in scenario.nodes}
    assert all(place[e.source][0] < place[e.target][0] for e in scenario.edges)  # every edge goes right
    window.undo()
    assert window.doc.text() == messy


def test_arrange_stacks_a_decisions_branches_in_port_order(qtbot, window):
    graph = opened(qtbot, window, TEMPLATES / "rf-lifecycle.scenario.json")
    rules = node_by_id(graph, "rules")
    for node in graph.all_nodes():
        node.set_pos(0, 0)
    window.arrange()
    targets = [t.node() for port in rules.output_ports() for t in port.connected_ports()]
    assert [t.get_property("node_id") for t in targets] == [
        "m_new", "m_promising", "m_wandering", "m_dormant", "m_loyal", "m_at_risk", "m_lost"]
    tops = [t.pos()[1] for t in targets]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    assert tops[0] == rules.pos()[1]  # the first branch goes straight on
    assert overlapping(graph) == []


def test_arrow_keys_walk_the_flow_enter_opens_the_form_and_f2_renames(qtbot, window):
    graph = opened(qtbot, window, TEMPLATES / "segment-offers.scenario.json")
    viewer = graph.viewer()
    viewer.setFocus()

    def press(key) -> str:
        qtbot.keyClick(viewer.viewport(), key)
        (chosen,) = graph.selected_nodes()
        return chosen.get_property("node_id")

    assert press(Qt.Key.Key_Right) == "start"  # nothing chosen yet: the start
    assert [press(Qt.Key.Key_Right) for _ in range(3)] == ["reachable", "segment", "m_risk"]
    assert [press(Qt.Key.Key_Down) for _ in range(3)] == ["m_doubt", "m_sleep", "m_asleep"]
    assert press(Qt.Key.Key_Down) == "m_asleep"  # the last branch: nowhere further down
    assert press(Qt.Key.Key_Up) == "m_sleep"
    assert press(Qt.Key.Key_Left) == "segment"
    qtbot.keyClick(viewer.viewport(), Qt.Key.Key_Return)
    assert window.docks["properties"].isVisible()
    assert window.form.title.hasFocus() and window.form.title.selectedText() == "Segment"
    viewer.setFocus()
    qtbot.keyClick(viewer.viewport(), Qt.Key.Key_F2)
    qtbot.keyClicks(viewer.viewport(), "Who they are")
    qtbot.keyClick(viewer.viewport(), Qt.Key.Key_Return)
    assert node_by_id(graph, "segment").name() == "Who they are"
    assert window.doc.scenario().node("segment").title == "Who they are"
    assert window.actions_by_name["undo"].text() == "&Undo rename “Who they are”"


def test_ctrl_f_finds_a_node_by_its_title(qtbot, window):
    graph = opened(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    chooser = window.chooser
    assert chooser.isVisible()
    qtbot.keyClicks(chooser.search, "code")
    assert [chooser.list.item(i).text() for i in range(chooser.list.count())] == [
        "Promo code 500", "Used the code?", "Code expires soon"]
    qtbot.keyClick(chooser.search, Qt.Key.Key_Down)
    qtbot.keyClick(chooser.search, Qt.Key.Key_Return)
    assert [n.get_property("node_id") for n in graph.selected_nodes()] == ["used"]
    assert graph.viewer().visible_rect().contains(node_by_id(graph, "used").view.sceneBoundingRect())


def test_every_shortcut_is_listed_in_help(qtbot, window):
    dialog = window.show_shortcuts()
    rows = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    each = {key: what for keys, what in rows.items() for key in keys.split(", ")}
    for key in ("Ctrl+F", "Ctrl+L", "Ctrl+G", "Tab", "F2", "Enter", "← → ↑ ↓", "Ctrl+0", "Ctrl+Z", "F1"):
        assert key in each, key
    assert each["Ctrl+L"] == "Arrange" and each["Ctrl+F"] == "Find a node" and each["Ctrl+Z"] == "Undo"
    dialog.close()


def test_the_zoom_controls_show_the_level_and_the_overview_moves_the_canvas(qtbot, window):
    graph = opened(qtbot, window, TEMPLATES / "churn-cascade-chain.scenario.json")  # too long to fit
    viewer = graph.viewer()
    overlay = window.canvas_overlay
    qtbot.waitUntil(overlay.overview.isVisible)  # part of the scenario is beyond the canvas
    assert overlay.zoom.level.text() == "72 %"  # the smallest readable size
    qtbot.mouseClick(overlay.zoom.in_button, Qt.MouseButton.LeftButton)
    assert overlay.zoom.level.text() == "90 %"  # a step of 25 %
    qtbot.mouseClick(overlay.zoom.level, Qt.MouseButton.LeftButton)
    assert overlay.zoom.level.text() == "100 %" and viewer.transform().m11() == pytest.approx(1.0, abs=0.005)
    last = node_by_id(graph, "mail3").view.sceneBoundingRect().center()
    assert not viewer.visible_rect().contains(last)
    overview = overlay.overview
    qtbot.mouseClick(overview.viewport(), Qt.MouseButton.LeftButton, pos=overview.mapFromScene(last))
    centre, pixel = viewer.visible_rect().center(), 1 / overview.transform().m11()  # one pixel of the overview
    assert abs(centre.x() - last.x()) <= pixel and abs(centre.y() - last.y()) <= pixel
    qtbot.mouseClick(overlay.zoom.fit_button, Qt.MouseButton.LeftButton)
    assert overlay.zoom.level.text() == "72 %"


def test_the_properties_appear_with_a_selection_and_the_canvas_keeps_its_zoom(qtbot, window):
    graph = opened(qtbot, window)
    viewer = graph.viewer()
    assert not window.docks["properties"].isVisible()
    scale, corner = viewer.transform().m11(), viewer.mapToScene(0, 0)
    width = viewer.viewport().width()
    graph.select_only([node_by_id(graph, "churned")])
    qtbot.waitUntil(window.docks["properties"].isVisible)
    qtbot.wait(20)
    assert viewer.viewport().width() < width - 300  # the pane took room from the canvas,
    assert viewer.transform().m11() == pytest.approx(scale, rel=1e-3)  # which shows less, not smaller
    # and stays where it was: within a pixel or so each way (the pane may open in two steps when it
    # widens for its form, each rounding the view's anchor)
    assert (viewer.mapToScene(0, 0) - corner).manhattanLength() < 4
    graph.clear_selection()
    qtbot.waitUntil(lambda: not window.docks["properties"].isVisible())
    window.show_scenario_settings()
    assert window.docks["properties"].isVisible() and type(window.form).__name__ == "SettingsForm"


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_demo_at_1440_by_880_fits_whole_with_titles_of_11_px_or_more(qtbot, user_dirs, tmp_path, language):
    """The issue's window: the canvas takes most of it, the whole demo is in view after zoom to fit,
    and each title measures at least 11 px on screen from the top of a capital to the bottom of a "y"."""
    from PySide6.QtGui import QFontMetricsF

    from editor.i18n import install_translation

    install_translation(QApplication.instance(), language)
    try:
        with shown_window(qtbot, prefs=Prefs(), workspace=tmp_path / "workspace", scheduler=False) as window:
            window.resize(1440, 880)
            graph = opened(qtbot, window)
            window.zoom_to_fit()
            qtbot.wait(50)
            viewer = graph.viewer()
            area = viewer.viewport().width() * viewer.viewport().height()
            assert area / (window.width() * window.height()) >= 0.5  # the canvas has most of the window
            seen = viewer.mapToScene(viewer.viewport().rect()).boundingRect()
            for node in graph.all_nodes():
                assert seen.contains(node.view.sceneBoundingRect()), node.name()
                title = node.view._text_item
                metrics = QFontMetricsF(title.font())
                on_screen = (metrics.capHeight() + metrics.descent()) * viewer.transform().m11()
                assert on_screen >= 11.0, (node.name(), on_screen)
    finally:
        install_translation(QApplication.instance(), "en")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_toolbar_button_is_in_sight_at_1280_by_720_and_has_its_words_at_1920(qtbot, user_dirs, tmp_path,
                                                                                   language):
    """Nothing of the toolbar falls into its overflow menu on a small screen (it shows icons alone,
    their words in tooltips); a large screen shows the words too."""
    from editor.i18n import install_translation

    install_translation(QApplication.instance(), language)
    try:
        with shown_window(qtbot, prefs=Prefs(), workspace=tmp_path / "workspace", scheduler=False) as window:
            window.retranslate()
            bar = window.toolbar
            for size in ((1280, 720), (1920, 1080)):
                window.resize(*size)
                qtbot.waitUntil(lambda s=size: window.width() == s[0])
                qtbot.wait(20)
                shown = [a for a in bar.actions() if not a.isSeparator()]
                hidden = [a.text() or a for a in shown if not bar.widgetForAction(a).isVisible()]
                assert hidden == [], (size, hidden)
                assert all(bar.actionGeometry(a).right() <= bar.width() for a in shown)
            assert bar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon  # room for the words
    finally:
        install_translation(QApplication.instance(), "en")
