"""Over the canvas: the zoom controls with the zoom level (bottom left), and an overview of the
whole scenario (bottom right) with the part the canvas shows outlined; clicking or dragging in
the overview moves the canvas there."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QFrame, QGraphicsView, QHBoxLayout, QPushButton, QWidget

from editor.export import scenario_rect
from editor.i18n import translate

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.1, 3.0
MAP_SIZE = (184, 100)
MARGIN = 10
MAP_BACKGROUND = QColor(13, 17, 23, 235)
SEEN = QColor("#58a6ff")


def zoom_step(viewer: Any, steps: int) -> None:
    """Zoom the canvas in (steps > 0) or out by whole steps of 25 %, around its middle."""
    scale = viewer.transform().m11() * ZOOM_STEP ** steps
    viewer.scale_to(min(ZOOM_MAX, max(ZOOM_MIN, scale)))


class ZoomBar(QFrame):
    """−, the zoom level (a click shows 100 %), +, and Zoom to fit."""

    def __init__(self, viewer: Any, fit: Any) -> None:
        super().__init__(viewer)
        self.setObjectName("zoomBar")
        self.viewer = viewer
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 4, 4, 4)
        row.setSpacing(2)
        self.out_button, self.level, self.in_button, self.fit_button = (QPushButton() for _ in range(4))
        for name, button, slot in (("zoomOut", self.out_button, lambda: zoom_step(viewer, -1)),
                                   ("zoomLevel", self.level, lambda: viewer.scale_to(1.0)),
                                   ("zoomIn", self.in_button, lambda: zoom_step(viewer, 1)),
                                   ("zoomFit", self.fit_button, fit)):
            button.setObjectName(name)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the canvas
            button.clicked.connect(slot)
            row.addWidget(button)
        self.out_button.setText("−")
        self.in_button.setText("+")
        self.level.setMinimumWidth(56)
        for button in (self.out_button, self.in_button):
            button.setFixedWidth(30)
        viewer.view_changed.connect(self.show_level)
        self.retranslate()

    def retranslate(self) -> None:
        """Words in the current language."""
        self.out_button.setToolTip(translate("Canvas", "Zoom out"))
        self.in_button.setToolTip(translate("Canvas", "Zoom in"))
        self.level.setToolTip(translate("Canvas", "The zoom level: click for 100 %"))
        self.fit_button.setText(translate("Canvas", "Fit"))
        self.fit_button.setToolTip(translate("Canvas", "Zoom to fit (Ctrl+0)"))
        self.show_level()

    def show_level(self) -> None:
        """Say the zoom level."""
        self.level.setText(f"{round(self.viewer.transform().m11() * 100)} %")


class Overview(QGraphicsView):
    """The whole scenario, small; the canvas's view outlined. Click or drag to move the canvas."""

    def __init__(self, viewer: Any) -> None:
        super().__init__(viewer.scene(), viewer)
        self.setObjectName("overview")
        self.viewer = viewer
        self.setInteractive(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setFrameShape(QFrame.Shape.Box)
        self.setStyleSheet("QGraphicsView#overview { border: 1px solid #30363d; border-radius: 4px; }")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.resize(*MAP_SIZE)
        self._refit = QTimer(self, singleShot=True, interval=150)  # many scene changes, one refit
        self._refit.timeout.connect(self.fit)
        viewer.scene().changed.connect(lambda _rects: self._refit.start())
        viewer.view_changed.connect(self._follow)
        self.setToolTip(translate("Canvas", "The whole scenario: click to go there"))
        self.wanted = True

    def fit(self) -> None:
        """Show every node and note; shown only while part of them is beyond the canvas."""
        rect = scenario_rect(self.scene(), margin=60)
        self.setSceneRect(rect)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        self._follow()

    def _follow(self) -> None:
        whole = scenario_rect(self.scene(), margin=0)
        self.setVisible(self.wanted and not self.viewer.visible_rect().contains(whole))
        self.viewport().update()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, MAP_BACKGROUND)  # no grid: at this size it is only noise

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        seen = self.viewer.visible_rect()
        painter.setPen(QPen(SEEN, 2 / max(self.transform().m11(), 1e-6)))
        painter.setBrush(QColor(88, 166, 255, 30))
        painter.drawRect(seen)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._go(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._go(event.position())

    def _go(self, at: QPointF) -> None:
        self.viewer.centre_at(self.mapToScene(at.toPoint()))


class CanvasOverlay(QObject):
    """The zoom bar and the overview of one canvas, kept in its corners."""

    def __init__(self, viewer: Any, fit: Any) -> None:
        super().__init__(viewer)
        self.viewer = viewer
        self.zoom = ZoomBar(viewer, fit)
        self.overview = Overview(viewer)
        viewer.installEventFilter(self)
        self.place()
        self.zoom.show()
        QTimer.singleShot(0, self.overview.fit)


    def place(self) -> None:
        """Put the controls in the canvas's bottom corners."""
        size = self.viewer.size()
        self.zoom.adjustSize()
        self.zoom.move(MARGIN, size.height() - self.zoom.height() - MARGIN)
        self.overview.move(size.width() - self.overview.width() - MARGIN,
                           size.height() - self.overview.height() - MARGIN)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewer and event.type() == QEvent.Type.Resize:
            self.place()
        return False


def overlay_of(widget: QWidget) -> CanvasOverlay | None:
    """The overlay of a canvas, if it has one."""
    return widget.findChild(CanvasOverlay)
