"""What the canvas draws on top of a node: the count badge and the problem outline."""

from __future__ import annotations

import html

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from connectors.texts import number
from editor.i18n import counted, interface_language, translate

BADGE_H = 20.0
PROBLEM = QColor("#ff5c5c")
BADGE = QColor("#2f81f7")
BADGE_STALE = QColor("#4a5260")
WAITING = QColor("#3fb950")
PORT = QColor("#30363d")
NOT_COUNTED = QColor("#3b3f46")
RESULT = QColor("#8a63d2")


def fmt(n: int) -> str:
    """A count as the interface's language writes it: 12,345 in English, 12 345 in Russian."""
    return number(n, interface_language())


class NodeDecor(QGraphicsItem):
    """A child of a node's view: counts above the node, a red outline when it has problems."""

    def __init__(self, node_view: QGraphicsItem) -> None:
        super().__init__(node_view)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(10)
        self.reached: int | None = None
        self.waiting: int | None = None
        self.passed: int | None = None  # a filter's: who went on by "yes"
        self.ports: dict[str, int] = {}  # a deciding node's: who left by each port
        self.not_counted: str | None = None  # why the node has no counts yet
        self.stale = False
        self.problems: list[str] = []
        self.results: list[str] | None = None  # the "results" badges, shown instead of today's counts
        self.result_ports: dict[str, str] = {}
        self.font = QFont()
        self.font.setPointSizeF(9.0)
        self.font.setBold(True)

    def _node_rect(self) -> QRectF:
        return self.parentItem().boundingRect()

    def _badges(self) -> list[tuple[str, QColor]]:
        out = []
        if self.results is not None:
            return [(text, RESULT) for text in self.results]
        if self.not_counted is not None:
            return [(translate("Canvas", "not counted"), NOT_COUNTED)]
        if self.reached is not None and self.passed is not None:
            text = translate("Canvas", "{passed} of {entered} passed").format(
                passed=fmt(self.passed), entered=fmt(self.reached))
            out.append((text, BADGE_STALE if self.stale else BADGE))
        elif self.reached is not None:
            out.append((fmt(self.reached), BADGE_STALE if self.stale else BADGE))
        if self.waiting:
            # Plural forms by the count; the number itself keeps the thin-space thousands separators.
            text = counted().waiting(self.waiting).format(n=fmt(self.waiting))
            out.append((text, BADGE_STALE if self.stale else WAITING))
        return out

    def boundingRect(self) -> QRectF:
        # The counts of the ports stand right of the node: as wide as the widest of them, no wider (a
        # picture of the scenario, or zoom to fit, leaves no empty band for them).
        metrics = QFontMetricsF(self.font)
        beside = max((metrics.horizontalAdvance(t) + 24 for t in self.port_texts().values()), default=4.0)
        return self._node_rect().adjusted(-4, -BADGE_H - 8, beside, 4)

    def texts(self) -> list[str]:
        """The badge texts as drawn (for tests and tooltips)."""
        return [text for text, _ in self._badges()]

    def port_texts(self) -> dict[str, str]:
        """Port name -> the count drawn beside it."""
        if self.results is not None:
            return dict(self.result_ports)
        if self.not_counted is not None or self.stale:
            return {}
        return {port: fmt(n) for port, n in self.ports.items()}

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
        self._paint_ports(painter, metrics)
        painter.restore()

    def _paint_ports(self, painter: QPainter, metrics: QFontMetricsF) -> None:
        """Who left by each port, in a small pill just right of the port."""
        shown = self.port_texts()
        for item in getattr(self.parentItem(), "outputs", []):
            text = shown.get(item.name)
            if text is None:
                continue
            centre = self.mapFromItem(item, item.boundingRect().center())
            w = metrics.horizontalAdvance(text) + 10
            pill = QRectF(centre.x() + 10, centre.y() - BADGE_H / 2 + 2, w, BADGE_H - 4)
            path = QPainterPath()
            path.addRoundedRect(pill, 6, 6)
            painter.fillPath(path, PORT)
            painter.setPen(QColor("#e6edf3"))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)

    def set_counts(self, reached: int | None, waiting: int | None, stale: bool = False, *,
                   ports: dict[str, int] | None = None, passed: int | None = None) -> None:
        """Show the customers reaching the node today, those waiting at it, who leaves by each
        port and, for a filter, how many of those who reached it passed."""
        self.prepareGeometryChange()
        self.reached, self.waiting, self.stale = reached, waiting, stale
        self.ports, self.passed, self.not_counted = dict(ports or {}), passed, None
        self.update()

    def set_results(self, texts: list[str] | None, ports: dict[str, str] | None = None, tooltip: str = "") -> None:
        """Show results over a period instead of today's counts (None: today's counts again), with
        each group's figures in the node's tooltip when it has a control."""
        self.prepareGeometryChange()
        self.results, self.result_ports = (None, {}) if texts is None else (list(texts), dict(ports or {}))
        if tooltip:
            self.parentItem().setToolTip(tooltip)
        elif self.problems or self.not_counted is None:
            self.set_problems(self.problems)  # the problems' tooltip (or none) again
        self.update()

    def set_not_counted(self, reason: str) -> None:
        """The node cannot be counted yet (a problem, not connected): say so, with the reason."""
        self.prepareGeometryChange()
        self.reached, self.waiting, self.ports, self.passed, self.not_counted = None, None, {}, None, reason
        self.parentItem().setToolTip(f"<b>{html.escape(translate('Canvas', 'not counted'))}</b><br>"
                                     f"{html.escape(reason)}")
        self.update()

    def set_stale(self, stale: bool) -> None:
        """Grey the badge while the counts are being recomputed."""
        if stale != self.stale:
            self.prepareGeometryChange()  # stale counts of the ports are not drawn: the rect shrinks
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

