"""One dark theme for the whole window: Fusion with a dark palette, and a few style rules."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
BACKGROUND = (24, 27, 32)
GRID = (38, 42, 50)

STYLE = """
QMainWindow, QDialog { background: #1b1f24; }
QDockWidget::title { background: #22272e; padding: 5px 8px; font-weight: bold; }
QToolBar { background: #22272e; border: 0; spacing: 4px; padding: 3px; }
QStatusBar { background: #22272e; }
QLabel#formHeading { font-size: 14px; padding: 4px 0; }
QLabel#formHelp { color: #8b949e; }
QLabel#templateError { color: #ff7b72; }
QFrame#conditionRow { background: #22272e; border: 1px solid #30363d; border-radius: 4px; }
QFrame#conditionGroup { background: #1c2128; border: 1px solid #3d444d; border-left: 3px solid #d9a13d;
                        border-radius: 4px; }
QListWidget#palette::item { padding: 6px; border-radius: 4px; }
QListWidget#palette::item:hover { background: #2d333b; }
QTableWidget { gridline-color: #30363d; }
QHeaderView::section { background: #22272e; padding: 4px; border: 0; border-bottom: 1px solid #30363d; }
QPlainTextEdit, QLineEdit, QTextBrowser, QComboBox, QSpinBox, QDoubleSpinBox, QDateEdit {
    background: #0d1117; border: 1px solid #30363d; border-radius: 3px; padding: 2px 4px; }
QPlainTextEdit:focus, QLineEdit:focus { border-color: #2f81f7; }
QFrame#zoomBar { background: rgba(34, 39, 46, 230); border: 1px solid #30363d; border-radius: 6px; }
QFrame#zoomBar QPushButton { padding: 2px 8px; }
QFrame#chooser { background: #22272e; border: 1px solid #3d444d; border-radius: 6px; }
QLabel#chooserTitle { color: #8b949e; padding: 0 2px; }
QToolBar QToolButton:checked { background: #1f6feb; color: #ffffff; border-radius: 3px; }
"""
# A styled spin box loses Fusion's arrows: its buttons are drawn here, with arrows of our own.
SPIN_BUTTONS = """
QSpinBox::up-button, QDoubleSpinBox::up-button {
    subcontrol-origin: border; subcontrol-position: top right; width: 16px;
    border-left: 1px solid #30363d; background: #22272e; border-top-right-radius: 3px; }
QSpinBox::down-button, QDoubleSpinBox::down-button {
    subcontrol-origin: border; subcontrol-position: bottom right; width: 16px;
    border-left: 1px solid #30363d; background: #22272e; border-bottom-right-radius: 3px; }
QSpinBox::up-button:hover, QDoubleSpinBox::up-button:hover,
QSpinBox::down-button:hover, QDoubleSpinBox::down-button:hover { background: #2d333b; }
QSpinBox::up-arrow, QDoubleSpinBox::up-arrow { image: url(ICONS/arrow-up.svg); width: 8px; height: 5px; }
QSpinBox::down-arrow, QDoubleSpinBox::down-arrow { image: url(ICONS/arrow-down.svg); width: 8px; height: 5px; }
QSpinBox::up-arrow:disabled, QDoubleSpinBox::up-arrow:disabled,
QSpinBox::down-arrow:disabled, QDoubleSpinBox::down-arrow:disabled { image: none; }
"""


def apply_theme(app: QApplication) -> None:
    """Fusion, a dark palette and the style rules, for the whole application."""
    app.setStyle("Fusion")
    p = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#1b1f24", QPalette.ColorRole.WindowText: "#e6edf3",
        QPalette.ColorRole.Base: "#0d1117", QPalette.ColorRole.AlternateBase: "#161b22",
        QPalette.ColorRole.ToolTipBase: "#2d333b", QPalette.ColorRole.ToolTipText: "#e6edf3",
        QPalette.ColorRole.Text: "#e6edf3", QPalette.ColorRole.Button: "#2d333b",
        QPalette.ColorRole.ButtonText: "#e6edf3", QPalette.ColorRole.BrightText: "#ff7b72",
        QPalette.ColorRole.Highlight: "#1f6feb", QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#58a6ff", QPalette.ColorRole.PlaceholderText: "#6e7681",
    }
    for role, colour in colours.items():
        p.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6e7681"))
    app.setPalette(p)
    app.setStyleSheet(STYLE + SPIN_BUTTONS.replace("ICONS", ICONS.as_posix()))
    app.setWindowIcon(QIcon(str(ICONS / "app.svg")))


def node_icon(icon: str, colour: str, size: int = 28) -> QIcon:
    """A node type's icon: its glyph on a rounded tile of its colour."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(QColor(0, 0, 0, 0))
    painter.drawRoundedRect(0, 0, size, size, 6, 6)
    QSvgRenderer(str(ICONS / icon)).render(painter, pixmap.rect().adjusted(5, 5, -5, -5))
    painter.end()
    return QIcon(pixmap)


def node_glyph(icon: str, size: int = 22, sharpness: int = 3) -> QPixmap:
    """A node type's icon for the canvas, drawn at ``sharpness`` times its size so that it stays
    sharp when the canvas is zoomed in."""
    pixmap = QPixmap(size * sharpness, size * sharpness)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(ICONS / icon)).render(painter)
    painter.end()
    pixmap.setDevicePixelRatio(sharpness)
    return pixmap
