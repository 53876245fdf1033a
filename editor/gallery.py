"""The template gallery: "New from template", each template with its picture and description."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.templates import TEMPLATES, Template, templates
from editor.i18n import translate, type_title
from editor.screen_fit import resize_within_screen

PICTURE = QSize(620, 400)  # the largest a template's picture is shown


class TemplateGallery(QDialog):
    """Lists the templates; the chosen one is in :attr:`chosen` after ``exec()`` accepts."""

    def __init__(self, parent: QWidget | None = None, folder: Path = TEMPLATES) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("TemplateGallery", "New from template"))
        resize_within_screen(self, 1000, 620)
        self.items = templates(folder)
        self.chosen: Template | None = None
        self.list = QListWidget()
        self.list.setIconSize(QSize(72, 36))
        self.list.setMinimumWidth(360)
        self.list.setSpacing(2)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        for template in self.items:
            item = QListWidgetItem(template.scenario.name)
            if template.picture.exists():
                item.setIcon(QPixmap(str(template.picture)).scaled(
                    72, 36, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
            item.setToolTip(template.scenario.description)
            self.list.addItem(item)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.description.setMinimumHeight(self.description.fontMetrics().lineSpacing() * 5)
        self.description.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = QLabel()
        self.facts.setStyleSheet("color: #9aa0a6;")
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(PICTURE.width() // 2, PICTURE.height() // 2)
        detail = QVBoxLayout()
        detail.addWidget(self.title)
        detail.addWidget(self.description)
        detail.addWidget(self.facts)
        detail.addWidget(self.picture, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create = buttons.addButton(translate("TemplateGallery", "Create"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.list)
        body.addLayout(detail, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self._show)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        if self.items:
            self.list.setCurrentRow(0)
        self.create.setEnabled(bool(self.items))

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.items):
            return
        template = self.items[row]
        self.title.setText(template.scenario.name)
        self.description.setText(template.scenario.description)
        types = dict.fromkeys(type_title(n.type) for n in template.scenario.topological_order())
        self.facts.setText(translate("TemplateGallery", "{n} steps: {types}").format(
            n=len(template.scenario.nodes), types=", ".join(types)))
        pixmap = QPixmap(str(template.picture)) if template.picture.exists() else QPixmap()
        if not pixmap.isNull() and (pixmap.width() > PICTURE.width() or pixmap.height() > PICTURE.height()):
            # The whole scenario in view, however long or tall it is.
            pixmap = pixmap.scaled(PICTURE, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        self.picture.setPixmap(pixmap)

    def accept(self) -> None:
        """Keep the highlighted template and close."""
        row = self.list.currentRow()
        if 0 <= row < len(self.items):
            self.chosen = self.items[row]
            super().accept()
