"""What the canvas draws on top of a node: the count badge and the problem outline."""

from __future__ import annotations

import html

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from editor.i18n import counted, translate

BADGE_H = 20.0
PROBLEM = QColor("#ff5c5c")
BADGE = QColor("#2f81f7")
BADGE_STALE = QColor("#4a5260")
WAITING = QColor("#3fb950")



def fmt(n: int) -> str:
    """A count with thin thousands separators: 12 345."""
    return f"{n:,}".replace(",", "\u2009")


class NodeDecor(QGraphicsItem):
    """A child of a node's view: counts above the node, a red outline when it has problems."""

    def __init__(self, node_view: QGraphicsItem) -> None:
        super().__init__(node_view)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(10)
        self.reached: int | None = None
        self.waiting: int | None = None
        self.stale = False
        self.problems: list[str] = []
        self.font = QFont()
        self.font.setPointSizeF(9.0)
        self.font.setBold(True)

    def _node_rect(self) -> QRectF:
        return self.parentItem().boundingRect()

    def _badges(self) -> list[tuple[str, QColor]]:
        out = []
        if self.reached is not None:
            out.append((fmt(self.reached), BADGE_STALE if self.stale else BADGE))
        if self.waiting:
            # Plural forms by the count; the number itself keeps the thin-space thousands separators.
            text = counted().waiting(self.waiting).format(n=fmt(self.waiting))
            out.append((text, BADGE_STALE if self.stale else WAITING))
        return out

    def boundingRect(self) -> QRectF:
        return self._node_rect().adjusted(-4, -BADGE_H - 8, 4, 4)

    def texts(self) -> list[str]:
        """The badge texts as drawn (for tests and tooltips)."""
        return [text for text, _ in self._badges()]

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        rect = self._node_rect()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.problems:
            pen = QPen(PROBLEM, 2.5)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), 6, 6)
        painter.setFont(self.font)
        metrics = QFontMetricsF(self.font)
        x = rect.left() + 2
        for text, colour in self._badges():
            w = metrics.horizontalAdvance(text) + 14
            pill = QRectF(x, rect.top() - BADGE_H - 4, w, BADGE_H)
            path = QPainterPath()
            path.addRoundedRect(pill, BADGE_H / 2, BADGE_H / 2)
            painter.fillPath(path, colour)
            painter.setPen(QColor("#9aa3ad") if self.stale else QColor("white"))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
            x += w + 4
        painter.restore()

    def set_counts(self, reached: int | None, waiting: int | None, stale: bool = False) -> None:
        """Show the customers reaching the node today and those waiting at it."""
        self.prepareGeometryChange()
        self.reached, self.waiting, self.stale = reached, waiting, stale
        self.update()

    def set_stale(self, stale: bool) -> None:
        """Grey the badge while the counts are being recomputed."""
        if stale != self.stale:
            self.stale = stale
            self.update()

    def set_problems(self, problems: list[str]) -> None:
        """Outline the node in red and list its problems in the node's tooltip."""
        self.problems = problems
        view = self.parentItem()
        if problems:
            listed = "<br>".join(html.escape(p) for p in problems)
            view.setToolTip("<b>" + translate("Canvas", "Problems") + "</b><br>" + listed)
        else:
            view.setToolTip("")
        self.update()


def decor_of(node_view: QGraphicsItem) -> NodeDecor:
    """The decoration of a node's view, made on first use."""
    for child in node_view.childItems():
        if isinstance(child, NodeDecor):
            return child
    return NodeDecor(node_view)

