"""Canvas export: the whole section-1 scenario from the real window as PNG and SVG, whatever the
zoom and the selection, and the window left as it was."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QByteArray
from PySide6.QtGui import QColor, QImage, QTransform

from app.prefs import Prefs
from editor.export import (
    export_png,
    export_svg,
    render_image,
    scenario_png_bytes,
    scenario_rect,
    scene_of,
)
from engine.nodes import REGISTRY
from tests.helpers import REACTIVATION, reactivation
from tests.windows import shown_window


@pytest.fixture
def window(qtbot, user_dirs, tmp_path):
    with shown_window(qtbot, prefs=Prefs(crm=""), workspace=tmp_path / "workspace", scheduler=False) as made:
        assert made.open_path(REACTIVATION, confirm=False)
        qtbot.wait(20)
        yield made


def zoom(graph, factor: float) -> None:
    """Show the canvas at ``factor`` times its natural size, as the window's zoom does."""
    graph.viewer().setTransform(QTransform.fromScale(factor, factor))
    redraw(graph)


def redraw(graph) -> None:
    """What painting the view does to every node, shown or not: pick its level of detail for the zoom."""
    graph.viewer().grab()
    for node in graph.all_nodes():
        node.view.auto_switch_mode()


def colours(image: QImage, step: int = 3) -> dict[int, int]:
    """Pixel counts per colour (RGB), on a grid of every ``step``-th pixel."""
    counts: dict[int, int] = {}
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            rgb = image.pixel(x, y) & 0xFFFFFF
            counts[rgb] = counts.get(rgb, 0) + 1
    return counts


def near(counts: dict[int, int], colour: str, tolerance: int = 10) -> int:
    """How many sampled pixels are within ``tolerance`` of ``colour`` in every channel."""
    want = QColor(colour)
    total = 0
    for rgb, n in counts.items():
        r, g, b = (rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF
        if abs(r - want.red()) <= tolerance and abs(g - want.green()) <= tolerance \
                and abs(b - want.blue()) <= tolerance:
            total += n
    return total


def test_png_shows_every_node_whatever_the_view(window, tmp_path, qtbot) -> None:
    graph = window.doc.graph
    zoom(graph, 0.2)  # zoomed far out: NodeGraphQt would draw bare boxes without titles
    graph.viewer().centerOn(5000, 5000)  # and looking at an empty part of the canvas
    redraw(graph)
    path = tmp_path / "scenario.png"
    export_png(graph, path)

    image = QImage(str(path))
    assert not image.isNull()
    rect = scenario_rect(graph)
    # The whole scenario at scale 2, not the viewport: nodes span 1200 x 300 scene units.
    assert (image.width(), image.height()) == (math.ceil(rect.width() * 2), math.ceil(rect.height() * 2))
    assert rect.width() > 1200 and rect.height() > 300
    counts = colours(image)
    assert len(counts) > 200, "a real picture has many colours (antialiased text and edges)"
    for type_name in ("trigger", "filter", "message", "wait", "bonus"):
        assert near(counts, REGISTRY[type_name].color) > 200, f"no {type_name}-coloured node in the picture"
    background = QColor(*graph.background_color())
    assert near(counts, background.name(), tolerance=2) > sum(counts.values()) * 0.3  # the canvas around them
    assert not (tmp_path / "scenario.png.tmp").exists()


def test_picture_ignores_zoom_and_selection_and_leaves_the_window_alone(window, qtbot) -> None:
    graph = window.doc.graph
    zoom(graph, 1.0)
    assert not any(n.view._proxy_mode for n in graph.all_nodes())  # nodes drawn in full on screen
    reference = render_image(graph, scale=1.0)
    graph.select_all()
    zoom(graph, 0.2)  # tiny nodes on screen: NodeGraphQt draws them as bare boxes
    assert all(n.view._proxy_mode for n in graph.all_nodes())
    undo_steps = window.doc.undo_stack.count()
    selected = {n.id for n in graph.selected_nodes()}
    with qtbot.assertNotEmitted(graph.viewer().scene().selectionChanged):
        zoomed_out_and_selected = render_image(graph, scale=1.0)
    assert zoomed_out_and_selected == reference  # titles drawn, no selection highlight
    assert {n.id for n in graph.selected_nodes()} == selected == {n.id for n in graph.all_nodes()}
    assert window.doc.undo_stack.count() == undo_steps
    assert not window.isWindowModified()
    redraw(graph)
    assert all(n.view._proxy_mode for n in graph.all_nodes())  # the view draws as it did


def test_png_scale_and_transparency(window) -> None:
    graph = window.doc.graph
    small, large = render_image(graph, scale=1.0), render_image(graph, scale=3.0)
    assert abs(large.width() - 3 * small.width()) <= 3 and abs(large.height() - 3 * small.height()) <= 3
    clear = render_image(graph, scale=1.0, transparent=True)
    assert clear.pixelColor(0, 0).alpha() == 0  # the margin is see-through
    assert near(colours(clear), REGISTRY["message"].color) > 50
    data = scenario_png_bytes(graph.viewer(), scale=1.0)  # the viewer (or the scene) will do too
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert QImage.fromData(QByteArray(data)).convertToFormat(small.format()) == small


def test_svg_is_xml_with_every_title_as_text(window, tmp_path) -> None:
    path = tmp_path / "scenario.svg"
    export_svg(window.doc.graph, path, title="Reactivation & co")
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    rect = scenario_rect(window.doc.graph)
    assert root.attrib["viewBox"].split() == ["0", "0", str(math.ceil(rect.width())), str(math.ceil(rect.height()))]
    texts = {"".join(t.itertext()).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")}
    titles = {n["title"] for n in reactivation()["nodes"]}
    assert titles <= texts
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Reactivation & co"


def test_empty_canvas_and_wrong_source(window, tmp_path) -> None:
    window.new_file()
    image = render_image(window.doc.graph)
    rect = scenario_rect(window.doc.graph)  # the new scenario's start node and the margin, at scale 2
    assert (image.width(), image.height()) == (math.ceil(rect.width() * 2), math.ceil(rect.height() * 2))
    with pytest.raises(TypeError):
        scene_of("not a canvas")
    assert scene_of(window.doc.graph) is scene_of(window.doc.graph.viewer()) is window.doc.graph.scene()
