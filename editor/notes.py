"""Sticky notes and titled frames on the canvas: their items, and the board that keeps them.

They are not NodeGraphQt nodes (every part of the editor that walks the graph's nodes would have
to skip them): they are items of the same scene, kept by a :class:`NoteBoard` beside the graph,
and every change to them is a command on the graph's own undo stack. A frame is dragged by its
title band; its body lets clicks through to the canvas (a rubber band can start inside it), and a
drag of the band moves the nodes and notes inside it too, as one step with their moves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QUndoCommand
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QGraphicsSceneMouseEvent, QStyleOptionGraphicsItem

from editor.i18n import interface_language, translate
from editor.nodegraph import track_drag
from engine.model import Note

NOTE_SIZE = (240.0, 120.0)
FRAME_PAD = 40.0  # between a frame's border and the nodes it was drawn around
BAND = 40.0  # a frame's title band, which is what takes the mouse
EDGE = 6.0  # a frame's border, which takes the mouse too (to pick a frame with no band in view)
HANDLE = 16.0  # the resize corner
MIN_SIZE = (120.0, 60.0)
NOTE_FILL, NOTE_INK = QColor("#e8c96a"), QColor("#1f1d18")
FRAME_FILL, FRAME_LINE, FRAME_INK = QColor(139, 148, 158, 26), QColor(139, 148, 158, 150), QColor("#c9d1d9")
SELECTED = QColor("#58a6ff")


NOTE_POINTS, FRAME_POINTS = 11.5, 15.0
NOTE_MARGIN = (12.0, 10.0)


def note_font(kind: str) -> QFont:
    """The font a note's text (or a frame's title) is drawn in."""
    font = QFont()
    font.setPointSizeF(FRAME_POINTS if kind == "frame" else NOTE_POINTS)
    font.setBold(kind == "frame")
    return font


def fitting_height(note: Note) -> float:
    """The height a note needs to show all of its text, in every language it has (at its width)."""
    if note.kind == "frame":
        return note.size[1]
    metrics = QFontMetricsF(note_font("note"))
    inner = QRectF(0, 0, note.size[0] - 2 * NOTE_MARGIN[0], 100_000)
    flags = int(Qt.TextFlag.TextWordWrap)
    texts = [note.text, *note.translations.values()]
    tallest = max(metrics.boundingRect(inner, flags, text).height() for text in texts)
    return max(MIN_SIZE[1], round(tallest + 2 * NOTE_MARGIN[1] + 4))


class NoteItem(QGraphicsObject):
    """One note or frame on the canvas; its :attr:`note` holds everything but the position,
    which is the item's own."""

    def __init__(self, board: NoteBoard, note: Note) -> None:
        super().__init__()
        self.board, self.note = board, note
        flags = QGraphicsItem.GraphicsItemFlag
        self.setFlags(flags.ItemIsSelectable | flags.ItemIsMovable)
        self.setAcceptHoverEvents(True)
        self.setZValue(-10 if note.kind == "frame" else 0.5)  # frames under the edges, notes under the nodes
        self.setPos(QPointF(*note.position))
        self._resizing: tuple[QPointF, tuple[float, float]] | None = None

    # -- drawing ------------------------------------------------------------------------------
    def size(self) -> tuple[float, float]:
        """Width and height."""
        return self.note.size

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, *self.note.size).adjusted(-2, -2, 2, 2)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        w, h = self.note.size
        if self.note.kind == "note":
            path.addRect(QRectF(0, 0, w, h))
            return path
        path.addRect(QRectF(0, 0, w, BAND))  # a frame: its band, its border and its corner only
        for strip in (QRectF(0, 0, EDGE, h), QRectF(w - EDGE, 0, EDGE, h), QRectF(0, h - EDGE, w, EDGE),
                      self._handle()):
            path.addRect(strip)
        return path

    def _handle(self) -> QRectF:
        w, h = self.note.size
        return QRectF(w - HANDLE, h - HANDLE, HANDLE, HANDLE)

    def shown_text(self) -> str:
        """The text as drawn: its translation in the interface language, when it has one."""
        return self.note.shown(interface_language())

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Any = None) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(0, 0, *self.note.size)
        pen = QPen(SELECTED, 3) if self.isSelected() else QPen(Qt.PenStyle.NoPen)
        font = note_font(self.note.kind)
        if self.note.kind == "frame":
            painter.setBrush(FRAME_FILL)
            painter.setPen(pen if self.isSelected() else QPen(FRAME_LINE, 1.5, Qt.PenStyle.DashLine))
            painter.drawRoundedRect(rect, 10, 10)
            painter.setFont(font)
            painter.setPen(FRAME_INK)
            band = QRectF(16, 0, rect.width() - 32, BAND)
            text = painter.fontMetrics().elidedText(self.shown_text(), Qt.TextElideMode.ElideRight, int(band.width()))
            painter.drawText(band, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        else:
            painter.setBrush(NOTE_FILL)
            painter.setPen(pen)
            painter.drawRoundedRect(rect, 4, 4)
            painter.setFont(font)
            painter.setPen(NOTE_INK)
            mx, my = NOTE_MARGIN
            painter.drawText(rect.adjusted(mx, my, -mx, -my), int(Qt.TextFlag.TextWordWrap), self.shown_text())
        painter.setPen(QPen(FRAME_INK if self.note.kind == "frame" else NOTE_INK, 1.2))
        handle = self._handle()
        for i in (4, 8):  # the resize corner's grip
            painter.drawLine(QPointF(handle.right() - i, handle.bottom() - 3), QPointF(handle.right() - 3,
                                                                                      handle.bottom() - i))
        painter.restore()

    def set_note(self, note: Note) -> None:
        """Show another state of the note (a command's undo or redo)."""
        self.prepareGeometryChange()
        self.note = replace(note)
        self.setPos(QPointF(*note.position))
        self.setZValue(-10 if note.kind == "frame" else 0.5)
        self.update()

    def state(self) -> Note:
        """The note as the file keeps it, at the item's position."""
        return replace(self.note, position=(round(self.pos().x(), 2), round(self.pos().y(), 2)))

    # -- the mouse ------------------------------------------------------------------------------
    def hoverMoveEvent(self, event: Any) -> None:
        on_handle = self._handle().contains(event.pos())
        self.setCursor(Qt.CursorShape.SizeFDiagCursor if on_handle else Qt.CursorShape.ArrowCursor)
        super().hoverMoveEvent(event)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._handle().contains(event.pos()):
            self._resizing = (event.scenePos(), self.note.size)
            event.accept()
            return
        plain = event.modifiers() == Qt.KeyboardModifier.NoModifier
        if event.button() == Qt.MouseButton.LeftButton and self.note.kind == "frame" and plain:
            self.board.grab_frame(self)  # what is inside moves along
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._resizing is not None:
            start, (w, h) = self._resizing
            delta = event.scenePos() - start
            self.prepareGeometryChange()
            self.note = replace(self.note, size=(round(max(MIN_SIZE[0], w + delta.x())),
                                                 round(max(MIN_SIZE[1], h + delta.y()))))
            self.update()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._resizing is not None:
            self._resizing = None
            self.board.commit(translate("Canvas", "resize “{name}”").format(name=self.board.name_of(self)))
            return
        super().mouseReleaseEvent(event)
        self.board.commit(translate("Canvas", "move notes"))  # nothing, when a move of nodes took it along
        if self.note.kind == "frame":
            self.board.let_go()

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self.board.edit_requested(self)


class NotesCommand(QUndoCommand):
    """An undoable change of notes: each one's state before and after (None: not there)."""

    def __init__(self, board: NoteBoard, before: dict[str, Note | None], after: dict[str, Note | None],
                 order: tuple[list[str], list[str]], text: str) -> None:
        super().__init__(text)
        self.board, self.before, self.after, self.order = board, before, after, order

    def redo(self) -> None:
        self.board.apply(self.after, self.order[1])

    def undo(self) -> None:
        self.board.apply(self.before, self.order[0])


class NoteBoard:
    """The notes and frames of one canvas, in file order, and every change to them as a command
    on the graph's undo stack."""

    def __init__(self, graph: Any) -> None:
        self.graph = graph
        self.items: dict[str, NoteItem] = {}
        self.committed: dict[str, Note] = {}  # each note as the undo stack last left it
        self.on_edit: Any = None  # called with an item the user wants to write in (the window's editor)
        self.carried: list[Any] = []  # what a frame's band selected to take along while it is held

    @property
    def scene(self) -> Any:
        return self.graph.viewer().scene()

    # -- reading ------------------------------------------------------------------------------------
    def notes(self) -> list[Note]:
        """Every note as the file keeps it, in order."""
        return [item.state() for item in self.items.values()]

    def selected(self) -> list[NoteItem]:
        """The selected notes and frames."""
        return [item for item in self.items.values() if item.isSelected()]

    def name_of(self, item: NoteItem, text: str | None = None) -> str:
        """How an undo step names a note: the first words of its text (or of ``text``)."""
        words = (item.shown_text() if text is None else text).split("\n", 1)[0].strip()
        if not words:
            return translate("Canvas", "frame") if item.note.kind == "frame" else translate("Canvas", "note")
        return words if len(words) <= 30 else words[:29] + "…"

    def inside(self, frame: NoteItem) -> tuple[list[Any], list[NoteItem]]:
        """The nodes (their views) and the notes lying wholly inside a frame."""
        area = frame.sceneBoundingRect().adjusted(2, 2, -2, -2)
        nodes = [n.view for n in self.graph.all_nodes() if area.contains(n.view.sceneBoundingRect())]
        notes = [i for i in self.items.values() if i is not frame and area.contains(i.sceneBoundingRect())]
        return nodes, notes

    # -- changing without undo (loading, and the commands themselves) --------------------------------
    def load(self, notes: Iterable[Note]) -> None:
        """Show exactly these notes (no undo step)."""
        self.apply({nid: None for nid in self.items}, [])
        notes = list(notes)
        self.apply({n.id: n for n in notes}, [n.id for n in notes])

    def apply(self, states: dict[str, Note | None], order: list[str]) -> None:
        """Make each note of ``states`` that state (None removes it), then put them in ``order``."""
        for nid, note in states.items():
            item = self.items.get(nid)
            if note is None:
                if item is not None:
                    self.scene.removeItem(item)
                    del self.items[nid]
                self.committed.pop(nid, None)
                continue
            if item is None:
                item = self.items[nid] = NoteItem(self, note)
                self.scene.addItem(item)
            else:
                item.set_note(note)
            self.committed[nid] = replace(note)
        self.items = {nid: self.items[nid] for nid in order if nid in self.items} | \
            {nid: item for nid, item in self.items.items() if nid not in order}

    # -- changing, undoably -----------------------------------------------------------------------------
    def change(self, after: dict[str, Note | None], text: str, order: list[str] | None = None) -> None:
        """Push one undo step that gives notes new states (None deletes)."""
        before = {nid: (replace(self.committed[nid]) if nid in self.committed else None) for nid in after}
        old_order = list(self.items)
        new_order = order if order is not None else [*old_order, *(n for n in after if n not in self.items)]
        self.graph.undo_stack().push(NotesCommand(self, before, after, (old_order, new_order), text))

    def commit(self, text: str) -> bool:
        """Record what the mouse did to notes since the last step (a move, a resize) as one step."""
        moved = {nid: item.state() for nid, item in self.items.items() if item.state() != self.committed.get(nid)}
        if moved:
            self.change(moved, text)
        return bool(moved)

    def add(self, kind: str, text: str, position: tuple[float, float], size: tuple[float, float] = NOTE_SIZE,
            name: str | None = None) -> NoteItem:
        """Add a note or a frame in one undo step; returns its item."""
        note = Note(self.fresh_id(kind), kind, text, position, size)
        self.change({note.id: note}, name or translate("Canvas", "add a note"))
        return self.items[note.id]

    def set_text(self, item: NoteItem, text: str) -> None:
        """Give a note the user's words (its translations, of other words, go)."""
        if text != item.shown_text():
            state = replace(item.state(), text=text, translations={})
            state = replace(state, size=(state.size[0], max(state.size[1], fitting_height(state))))  # all in view
            name = self.name_of(item, text)
            self.change({item.note.id: state}, translate("Canvas", "edit “{name}”").format(name=name))

    def delete(self, items: list[NoteItem]) -> None:
        """Delete notes in one undo step."""
        if items:
            self.change({item.note.id: None for item in items}, translate("Canvas", "delete notes"))

    def fresh_id(self, kind: str, taken: set[str] | None = None) -> str:
        """An id no note has yet: note1, frame2..."""
        taken = set(self.items) | (taken or set())
        n = 1
        while f"{kind}{n}" in taken:
            n += 1
        return f"{kind}{n}"

    # -- the mouse ---------------------------------------------------------------------------------------
    def grab_frame(self, frame: NoteItem) -> None:
        """A frame's band was pressed: it is selected with everything inside, so that they move together."""
        nodes, notes = self.inside(frame)
        if not frame.isSelected():
            self.scene.clearSelection()
        frame.setSelected(True)
        self.carried = [item for item in [*nodes, *notes] if not item.isSelected()]
        for item in self.carried:
            item.setSelected(True)
        track_drag(self.graph, nodes)

    def let_go(self) -> None:
        """The band was let go: what was selected only to move along is deselected again, so that a
        click on a frame chooses the frame (Delete then removes the frame, not its nodes)."""
        for item in self.carried:
            item.setSelected(False)
        self.carried = []

    def edit_requested(self, item: NoteItem) -> None:
        """The user wants to write in a note (a double click, Enter, F2)."""
        if self.on_edit is not None:
            self.on_edit(item)

    def select(self, items: Iterable[NoteItem]) -> None:
        """Select exactly these notes (the nodes' selection stays as it is)."""
        chosen = set(map(id, items))
        for item in self.items.values():
            item.setSelected(id(item) in chosen)
