"""A small search box that pops up over the canvas: type a few letters, pick with the arrows and
Enter (or a click). The canvas uses it to add a node by its type's name (Tab, a right click) and
to find a node by its title (Ctrl+F)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget


@dataclass
class Choice:
    """One line of the list: what it shows, what else finds it, and what choosing it gives back."""

    text: str
    value: Any
    icon: QIcon | None = None
    also: list[str] = field(default_factory=list)  # other words that find it (the type's own name)
    hint: str = ""  # its tooltip

    def matches(self, typed: str) -> bool:
        """Whether every word typed is found in its text or its other words."""
        haystack = " ".join([self.text, *self.also]).casefold()
        return all(word in haystack for word in typed.casefold().split())

    def rank(self, typed: str) -> int:
        """0 when its text holds every word typed, 1 when only its other words do (so "note" lists
        Note before a type whose other words say note)."""
        text = self.text.casefold()
        return 0 if all(word in text for word in typed.casefold().split()) else 1


class Chooser(QFrame):
    """A popup of a search field over a list; :attr:`chosen` is called with the picked value."""

    def __init__(self, parent: QWidget, title: str, placeholder: str, choices: list[Choice],
                 chosen: Callable[[Any], None]) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("chooser")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.choices, self.chosen = choices, chosen
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 6, 6, 6)
        column.setSpacing(4)
        heading = QLabel(title)
        heading.setObjectName("chooserTitle")
        self.search = QLineEdit()
        self.search.setObjectName("chooserSearch")
        self.search.setPlaceholderText(placeholder)
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("chooserList")
        self.list.setIconSize(QSize(22, 22))
        self.list.setMinimumWidth(280)
        for widget in (heading, self.search, self.list):
            column.addWidget(widget)
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.list.itemActivated.connect(self._pick)
        self.list.itemClicked.connect(self._pick)
        self._filter("")

    def _filter(self, typed: str) -> None:
        self.list.clear()
        found = [choice for choice in self.choices if choice.matches(typed)]
        for choice in sorted(found, key=lambda c: c.rank(typed)):  # sorted() keeps the order within a rank
            item = QListWidgetItem(choice.icon or QIcon(), choice.text)
            item.setData(Qt.ItemDataRole.UserRole, choice)
            item.setToolTip(choice.hint)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        rows = min(max(self.list.count(), 1), 10)
        self.list.setFixedHeight(rows * max(self.list.sizeHintForRow(0), 26) + 6)
        self.adjustSize()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The arrows and Enter work on the list while the typing goes to the search field."""
        if watched is self.search and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if key == Qt.Key.Key_Down else -1
                row = self.list.currentRow() + step
                if 0 <= row < self.list.count():
                    self.list.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
                if self.list.currentItem() is not None:
                    self._pick(self.list.currentItem())
                return True
        return super().eventFilter(watched, event)

    def _pick(self, item: QListWidgetItem) -> None:
        choice: Choice = item.data(Qt.ItemDataRole.UserRole)
        self.close()
        self.chosen(choice.value)

    def open_at(self, where: QPoint) -> None:
        """Show the box with its corner at ``where`` (global), inside the screen, typing into it."""
        self.adjustSize()
        screen = QGuiApplication.screenAt(where) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        x = min(max(where.x(), area.left()), area.right() - self.width())
        y = min(max(where.y(), area.top()), area.bottom() - self.height())
        self.move(x, y)
        self.show()
        self.search.setFocus()
