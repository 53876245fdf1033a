"""Help → Keyboard shortcuts: every key of the window's menus, and the canvas's own keys."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout

from editor.i18n import translate
from editor.screen_fit import resize_within_screen

# The keys the canvas reads itself (they are no menu's): key, what it does.
CANVAS_KEYS = (
    (QT_TRANSLATE_NOOP("Shortcuts", "Tab"),
     QT_TRANSLATE_NOOP("Shortcuts", "Add a node at the pointer: type part of its name, Enter")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Right click on the canvas"),
     QT_TRANSLATE_NOOP("Shortcuts", "The same search, to add a node where you clicked")),
    (QT_TRANSLATE_NOOP("Shortcuts", "← → ↑ ↓"),
     QT_TRANSLATE_NOOP("Shortcuts", "Go to the next node (→), the one before (←), another branch of the same "
                                    "decision (↑ ↓)")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Enter"),
     QT_TRANSLATE_NOOP("Shortcuts", "Open the selected node's form (or write in the selected note)")),
    (QT_TRANSLATE_NOOP("Shortcuts", "F2"), QT_TRANSLATE_NOOP("Shortcuts", "Rename the selected node on the canvas")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Double click on a note"), QT_TRANSLATE_NOOP("Shortcuts", "Write in it")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Ctrl+Enter"), QT_TRANSLATE_NOOP("Shortcuts", "Keep what you wrote in a note")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Escape"),
     QT_TRANSLATE_NOOP("Shortcuts", "Close the search, or leave a note as it was")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Mouse wheel"), QT_TRANSLATE_NOOP("Shortcuts", "Zoom in and out")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Middle button drag, or Alt+drag"),
     QT_TRANSLATE_NOOP("Shortcuts", "Move around the canvas")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Drag a node onto an edge"),
     QT_TRANSLATE_NOOP("Shortcuts", "Insert it into the edge (a node without edges yet)")),
)


def shortcut_rows(actions: list[tuple[str, QAction]]) -> list[tuple[str, str]]:
    """(keys, what they do) of every menu action with a shortcut (given with its words), then the
    canvas's own keys."""
    rows = []
    for words, action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()
                if k[0].key() < Qt.Key.Key_Back]  # not the keyboards' own New, Open, Find... keys
        if keys:
            rows.append((", ".join(keys), words.replace("&", "").rstrip("…")))
    return rows + [(translate("Shortcuts", keys), translate("Shortcuts", what)) for keys, what in CANVAS_KEYS]


class ShortcutsDialog(QDialog):
    """A table of every shortcut, in the interface language."""

    def __init__(self, actions: list[tuple[str, QAction]], parent: object = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(translate("Shortcuts", "Keyboard shortcuts"))
        rows = shortcut_rows(actions)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels([translate("Shortcuts", "Keys"), translate("Shortcuts", "What they do")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for row, (keys, what) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.table)
        column.addWidget(buttons)
        resize_within_screen(self, 720, 620)
        self.table.setFocus()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
