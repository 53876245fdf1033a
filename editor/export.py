"""Pictures of the whole scenario from the canvas: PNG (for the report, or to paste anywhere) and SVG.

The picture covers every node and note (the bounding rect of all nodes with their count badges,
the notes and frames, plus a margin), not the part of the canvas the window happens to show, and
it does not depend on the zoom: NodeGraphQt draws nodes as bare boxes when they are small on
screen (its "proxy mode") and caches items as pixmaps of the screen's size, so both are switched
off while the picture is drawn and restored afterwards. The selection is not drawn either.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView

from editor.nodegraph import GRID_NONE, NodeItem, PipeItem, full_detail
from editor.notes import NoteItem

MARGIN = 40.0
MAX_SIDE = 12000  # pixels: a 200-node scenario at scale 2 stays a picture, not a 2 GB allocation


def scene_of(source: Any) -> QGraphicsScene:
    """The canvas scene of a ScenarioGraph (any NodeGraph), its viewer, or a scene itself.

    Raises:
        TypeError: for anything else.
    """
    if isinstance(source, QGraphicsScene):
        return source
    if isinstance(source, QGraphicsView):
        return source.scene()
    if hasattr(source, "viewer"):  # NodeGraphQt's NodeGraph and our ScenarioGraph
        return source.viewer().scene()
    raise TypeError(f"not a canvas: {type(source).__name__}")


def _node_items(scene: QGraphicsScene) -> list[NodeItem]:
    return [item for item in scene.items() if isinstance(item, NodeItem) and item.isVisible()]


def scenario_rect(source: Any, margin: float = MARGIN) -> QRectF:
    """The scene rect that holds every node with its badges and edges, plus ``margin`` around it.

    An empty canvas gives a small rect around the origin, so that an export still makes a file.
    """
    scene = scene_of(source)
    rect = QRectF()
    for item in _node_items(scene):
        rect = rect.united(item.sceneBoundingRect())
        rect = rect.united(item.mapRectToScene(item.childrenBoundingRect()))  # count badges above the node
    for item in scene.items():  # edges may bulge beyond the nodes they join; notes and frames are drawn too
        if isinstance(item, NoteItem) and item.isVisible():
            rect = rect.united(item.sceneBoundingRect())
        elif isinstance(item, PipeItem) and item.isVisible():  # the curve itself, not its control points
            rect = rect.united(item.mapRectToScene(item.path().boundingRect()))
    if rect.isNull():
        rect = QRectF(0, 0, 1, 1)
    return rect.adjusted(-margin, -margin, margin, margin)


@contextmanager
def _drawn_for_export(scene: QGraphicsScene, background: bool) -> Iterator[None]:
    """Draw the scene as a picture: full-detail nodes, no pixmap cache, no selection, no grid."""
    items = scene.items()
    caches = [(item, item.cacheMode()) for item in items]
    nodes = _node_items(scene)
    selected = [item for item in items if item.isSelected()]
    grid = getattr(scene, "grid_mode", None)
    brush = scene.backgroundBrush()
    blocked = scene.blockSignals(True)  # deselecting for the picture is no selection change for the window
    try:
        for item, _ in caches:
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        for item in selected:
            item.setSelected(False)
        if grid is not None:
            scene.grid_mode = GRID_NONE
        if not background:
            scene.setBackgroundBrush(Qt.BrushStyle.NoBrush)
        with full_detail(nodes):
            yield
    finally:
        scene.setBackgroundBrush(brush)
        if grid is not None:
            scene.grid_mode = grid
        for item in selected:
            item.setSelected(True)
        for item, mode in caches:
            item.setCacheMode(mode)
        scene.blockSignals(blocked)
        scene.update()


def render_image(source: Any, scale: float = 2.0, *, transparent: bool = False, margin: float = MARGIN) -> QImage:
    """The whole scenario as an image.

    Args:
        source: A ScenarioGraph (or any NodeGraph), its viewer, or its scene.
        scale: Pixels per scene unit (2.0 is sharp on paper and high-density screens); lowered
            when the picture would exceed ``MAX_SIDE`` pixels on a side.
        transparent: Leave the background transparent instead of the canvas's colour.
        margin: Scene units around the nodes.
    """
    scene = scene_of(source)
    rect = scenario_rect(scene, margin)
    scale = min(scale, MAX_SIDE / max(rect.width(), rect.height()))
    image = QImage(max(1, math.ceil(rect.width() * scale)), max(1, math.ceil(rect.height() * scale)),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(0, 0, 0, 0) if transparent else scene.backgroundBrush().color())
    with _drawn_for_export(scene, background=not transparent):
        painter = QPainter(image)
        try:
            painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                                   | QPainter.RenderHint.SmoothPixmapTransform)
            scene.render(painter, QRectF(image.rect()), rect)
        finally:
            painter.end()
    return image


def scenario_png_bytes(source: Any, scale: float = 2.0, *, transparent: bool = False) -> bytes:
    """The whole scenario as PNG bytes (for embedding in a report).

    Args:
        source: A ScenarioGraph (or any NodeGraph), its viewer, or its scene.
        scale: Pixels per scene unit.
        transparent: Leave the background transparent instead of the canvas's colour.
    """
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not render_image(source, scale, transparent=transparent).save(buffer, "PNG"):
        raise OSError("Qt could not encode the picture as PNG")
    buffer.close()
    return bytes(data.data())


def _write_atomic(path: str | Path, data: bytes) -> None:
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(target)


def export_png(source: Any, path: str | Path, scale: float = 2.0, *, transparent: bool = False) -> None:
    """Save the whole scenario as a PNG file (written atomically).

    Args:
        source: A ScenarioGraph (or any NodeGraph), its viewer, or its scene.
        path: The file to write.
        scale: Pixels per scene unit.
        transparent: Leave the background transparent instead of the canvas's colour.

    Raises:
        OSError: when the file cannot be written.
    """
    _write_atomic(path, scenario_png_bytes(source, scale, transparent=transparent))


def scenario_svg_bytes(source: Any, *, title: str = "", transparent: bool = False) -> bytes:
    """The whole scenario as an SVG document (vector shapes and real text, so titles stay searchable).

    Args:
        source: A ScenarioGraph (or any NodeGraph), its viewer, or its scene.
        title: The SVG's ``<title>`` (the scenario's name).
        transparent: Leave out the canvas's background colour.
    """
    scene = scene_of(source)
    rect = scenario_rect(scene)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    size = QSize(math.ceil(rect.width()), math.ceil(rect.height()))
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(title)
    generator.setDescription("Scenarist scenario")
    with _drawn_for_export(scene, background=not transparent):
        painter = QPainter(generator)
        try:
            painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
            scene.render(painter, QRectF(0, 0, size.width(), size.height()), rect)
        finally:
            painter.end()
    buffer.close()
    return bytes(data.data())


def export_svg(source: Any, path: str | Path, *, title: str = "", transparent: bool = False) -> None:
    """Save the whole scenario as an SVG file (written atomically).

    Args:
        source: A ScenarioGraph (or any NodeGraph), its viewer, or its scene.
        path: The file to write.
        title: The SVG's ``<title>`` (the scenario's name).
        transparent: Leave out the canvas's background colour.

    Raises:
        OSError: when the file cannot be written.
    """
    _write_atomic(path, scenario_svg_bytes(source, title=title, transparent=transparent))
