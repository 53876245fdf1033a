"""Writing in a note or a frame's title on the canvas: a text field laid over it, at the canvas's
zoom. Ctrl+Enter (Enter for a frame's title) or clicking elsewhere keeps the text as one undo
step; Escape leaves the note as it was."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFocusEvent, QFont, QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit

from editor.notes import BAND, NoteItem


class NoteEditor(QPlainTextEdit):
    """The text field over one note; it goes away once the text is kept or dropped."""

    def __init__(self, viewer: Any, item: NoteItem) -> None:
        super().__init__(viewer.viewport())
        self.setObjectName("noteEditor")
        self.item, self.done = item, False
        scale = viewer.transform().m11()
        rect = item.sceneBoundingRect()
        frame = item.note.kind == "frame"
        if frame:
            rect.setHeight(BAND)
        top_left = viewer.mapFromScene(rect.topLeft())
        width = max(160, round(rect.width() * scale))
        height = max(34, round(rect.height() * scale))
        self.setGeometry(top_left.x(), top_left.y(), width, height)
        font = QFont()
        font.setPointSizeF(max(9.0, (15.0 if frame else 11.5) * scale))
        font.setBold(frame)
        self.setFont(font)
        self.setPlainText(item.shown_text())
        self.selectAll()
        self.setStyleSheet("QPlainTextEdit#noteEditor { background: #fff6d5; color: #1f1d18; "
                           "border: 2px solid #58a6ff; border-radius: 4px; }")
        self.show()
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if event.key() == Qt.Key.Key_Escape:
            self.finish(keep=False)
        elif enter and (self.item.note.kind == "frame" or event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.finish(keep=True)
        else:
            super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.finish(keep=True)

    def finish(self, keep: bool) -> None:
        """Keep the text (one undo step, when it changed) or drop it, and go."""
        if self.done:
            return
        self.done = True
        if keep and self.item.scene() is not None:
            self.item.board.set_text(self.item, self.toPlainText().strip())
        parent = self.parentWidget()
        self.hide()
        self.deleteLater()
        if parent is not None:
            parent.parentWidget().setFocus()  # the canvas takes the keys again
