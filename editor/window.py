"""The main window: palette, canvas, properties, preview and problems, menus and toolbar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QIcon, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.prefs import Prefs
from app.preview import TickResult
from app.session import EditingSession
from app.workspace import default_workspace
from editor import wheel_guard
from editor.canvas_keys import CanvasKeys
from editor.counts import Counter
from editor.document import Document, new_scenario
from editor.i18n import install_translation, interface_language, translate
from editor.lookup_pane import LookupPane
from editor.messages import shown
from editor.open_offer import OpenOffer
from editor.overview import CanvasOverlay
from editor.panes import Palette, PreviewPane, ProblemsPane
from editor.scheduler_service import SchedulerService
from editor.settings_form import SettingsForm
from editor.simulate_dialog import SimulateDialog
from editor.theme import BACKGROUND, GRID, ICONS
from editor.window_canvas import CanvasCommands
from editor.window_checks import CheckWiring
from editor.window_crm import CrmCommands
from editor.window_edit import EditCommands
from editor.window_files import FileCommands
from editor.window_menus import MenuWiring
from editor.window_results import ResultsCommands
from editor.window_scenario import ScenarioCommands
from engine.describe import titles_of
from engine.model import Scenario
from engine.problems import Problem


class MainWindow(MenuWiring, CheckWiring, FileCommands, EditCommands, CanvasCommands, CrmCommands, ScenarioCommands,
                 ResultsCommands, QMainWindow):
    """One window, one scenario document. This class builds and wires the window; what its menus
    and panes do lives in the mixins, one concern each (editor/window_*.py)."""

    open_windows: ClassVar[list[MainWindow]] = []

    def __init__(self, doc: Document | None = None, prefs: Prefs | None = None,
                 clock: Callable[[], datetime] | None = None, workspace: Path | None = None,
                 scheduler: bool = True) -> None:
        super().__init__()
        wheel_guard.install(QApplication.instance())
        self.workspace = Path(workspace) if workspace else Path(default_workspace())
        self.prefs = prefs or Prefs.load()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.session = EditingSession(new_scenario(), clock=self.clock)
        self.last_result: TickResult | None = None
        self.last_simulation: dict | None = None  # the latest simulation's result, for the client report
        self.simulation_dialog: SimulateDialog | None = None
        self.form: QWidget | None = None
        self._selection_timer = QTimer(self, singleShot=True, interval=0)
        self._selection_timer.timeout.connect(self._selection_changed)
        self.counter = Counter(clock=self.clock)
        self.counter.busy.connect(self._counting)
        self.counter.counted.connect(self._counted)
        self.counter.failed.connect(self._count_failed)
        self.canvas_keys = CanvasKeys(self)
        self.resize(1440, 880)
        # Destroyed by the event loop once closed, not whenever Python's collector gets to it.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowIcon(QIcon(str(ICONS / "app.svg")))
        self._build_docks()
        holder = QWidget()
        self.canvas_box = QVBoxLayout(holder)
        self.canvas_box.setContentsMargins(0, 0, 0, 0)
        self.setCentralWidget(holder)
        self._build_actions()
        self._build_results_bar()
        self._build_status()
        self._translate_chrome()
        self.doc: Document = None  # type: ignore[assignment]
        self.set_document(doc or Document())
        self.connect_crm(self.prefs.crm, remember=False)
        self.scheduler: SchedulerService | None = None
        if scheduler and not MainWindow.open_windows:  # one scheduler per process, in the first window
            self._start_scheduler()
        MainWindow.open_windows.append(self)

    # -- building ---------------------------------------------------------------------------------
    def _build_docks(self) -> None:
        self.palette = Palette()
        self.palette.add_requested.connect(self.add_node_at_centre)
        self.properties = QScrollArea()
        self.properties.setWidgetResizable(True)
        self.properties.setMinimumWidth(400)
        # Sideways only when a form is wider than half the window (the pane widens for it until then).
        self.properties.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.preview = PreviewPane()
        self.preview.node_chosen.connect(self.focus_node)
        self.problems_pane = ProblemsPane()
        self.problems_pane.node_chosen.connect(self.focus_node)
        self.lookup = LookupPane(lambda: self.session, self.scenario)
        self.docks: dict[str, QDockWidget] = {}
        for key, widget, area in (
                ("palette", self.palette, Qt.DockWidgetArea.LeftDockWidgetArea),
                ("properties", self.properties, Qt.DockWidgetArea.RightDockWidgetArea),
                ("preview", self.preview, Qt.DockWidgetArea.BottomDockWidgetArea),
                ("problems", self.problems_pane, Qt.DockWidgetArea.BottomDockWidgetArea),
                ("lookup", self.lookup, Qt.DockWidgetArea.BottomDockWidgetArea)):
            dock = QDockWidget(self)
            dock.setObjectName(f"dock_{key}")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            self.docks[key] = dock
        # The canvas gets most of the window: the side panes take the full height, the preview and the
        # problems share one tabbed pane under the canvas only, and the properties appear with a selection.
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.docks["preview"], self.docks["problems"])
        self.tabifyDockWidget(self.docks["problems"], self.docks["lookup"])
        self.docks["preview"].raise_()
        self.docks["palette"].setMinimumWidth(170)
        self._panes_sized = False
        self.properties_wanted = False  # the user asked for the scenario's form with nothing selected
        self.docks["properties"].toggleViewAction().triggered.connect(self._properties_toggled)
        self.docks["properties"].hide()

    def _build_status(self) -> None:
        self.crm_label = QLabel()
        self.crm_label.setObjectName("crmLabel")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setMaximumHeight(14)
        self.busy.hide()
        self.scheduler_label = QLabel()
        self.scheduler_label.setObjectName("schedulerLabel")
        self.statusBar().addPermanentWidget(self.scheduler_label)
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().addPermanentWidget(self.crm_label)
        self.open_offer = OpenOffer(self.statusBar())  # "Open …" after a picture or a report is saved


    # -- language ---------------------------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        """Switch the interface language ("auto", "en" or "ru"): kept in the preferences and shown at
        once in every open window."""
        self.prefs.language = language
        self.prefs.save()
        install_translation(QApplication.instance(), language)
        for window in MainWindow.open_windows or [self]:
            window.prefs.language = language
            window.retranslate()

    def retranslate(self) -> None:
        """Show every text of the window in the current language (after the translators changed)."""
        self.setLocale(QLocale())  # number and date widgets made from now on follow the new language
        self.statusBar().clearMessage()  # a passing message in the old language
        self._translate_chrome()
        for action in self.language_actions.actions():
            action.setChecked(action.data() == self.prefs.language)
        self.palette.retranslate()
        self.canvas_overlay.zoom.retranslate()
        self._toolbar_words_width = None  # words of another length: measured again
        self.fit_toolbar()
        self.preview.retranslate()
        self.lookup.retranslate()
        self.results_bar.retranslate()
        self.doc.graph.retranslate()
        if self.last_result is not None:
            stale = self.preview.stale
            self.preview.show_result(self.scenario(), self.last_result, getattr(self, "not_counted", {}))
            self.preview.set_stale(stale)
        self.problems_pane.show_problems(self.session.problems, titles_of(self.scenario(), interface_language()))
        self._show_crm()
        if self.scheduler is not None:
            self.scheduler.announce()
            self.scheduler_panel.retranslate()
        elif self.scheduler_label.property("off"):
            self.scheduler_label.setText(translate("MainWindow", "Scheduler off: connect a CRM first"))
        self._show_form()
        self._update_title()

    # -- the document -------------------------------------------------------------------------------
    def set_document(self, doc: Document) -> None:
        """Show a document in this window (the previous one is dropped)."""
        old = self.doc
        self.doc = doc
        graph = doc.graph
        graph.set_background_color(*BACKGROUND)
        graph.set_grid_color(*GRID)
        # The canvas changes inside one central holder: a new central widget asks for little room,
        # and the docks would take it all.
        if old is not None:
            self.canvas_box.removeWidget(old.graph.widget)
            old.graph.widget.deleteLater()
        self.canvas_box.addWidget(graph.widget)
        self.canvas_keys.watch(graph)
        self.canvas_overlay = CanvasOverlay(graph.viewer(), self.zoom_to_fit)
        graph.notes.on_edit = self.edit_note
        graph.connection_refused.connect(lambda text: self.statusBar().showMessage("⛔ " + text, 8000))
        graph.connection_moved.connect(lambda text: self.statusBar().showMessage("↪ " + text, 10000))
        graph.clear_selection()
        # The scene's own signal also sees selections made in code (problems list, paste, undo).
        graph.viewer().scene().selectionChanged.connect(self._selection_timer.start)
        doc.changed.connect(self._flow_changed)
        doc.undo_stack.indexChanged.connect(lambda _i: self._name_undo())
        doc.modified_changed.connect(lambda _m: self._update_title())
        doc.meta_changed.connect(self._meta_changed)
        if old is not None:
            self._release(old)
        self._update_title()
        self._show_form()
        self._edited()
        self._name_undo()
        QTimer.singleShot(0, self.zoom_to_fit)

    @staticmethod
    def _release(doc: Document) -> None:
        """Drop a document: its signals first, so that tearing down its undo stack reaches no one."""
        scene = doc.graph.viewer().scene()
        signals = (doc.changed, doc.modified_changed, doc.meta_changed, doc.graph.connection_refused,
                   doc.graph.connection_moved,
                   doc.undo_stack.indexChanged, doc.undo_stack.cleanChanged, scene.selectionChanged)
        for signal in signals:
            signal.disconnect()
        # Undo commands hold canvas items: drop them while the scene that owns the items exists.
        # Left to the garbage collector after the window is gone, they crash the interpreter.
        doc.undo_stack.clear()
        doc.deleteLater()

    def _update_title(self) -> None:
        name = self.doc.path.name if self.doc.path else translate("MainWindow", "untitled")
        self.setWindowTitle(f"{self.doc.meta.name} — {name}[*] — Scenarist")
        self.setWindowModified(self.doc.is_modified())

    def _meta_changed(self) -> None:
        self._update_title()
        if isinstance(self.form, SettingsForm) and self.form.name.text() != self.doc.meta.name:
            self._show_form()

    def scenario(self) -> Scenario:
        """The scenario as drawn now."""
        return self.doc.scenario()

    @property
    def problems(self) -> list[Problem]:
        """The scenario's problems against the connected CRM."""
        return self.session.problems

    # -- reacting to edits ------------------------------------------------------------------------------


    # -- properties -----------------------------------------------------------------------------------


    # -- CRM ----------------------------------------------------------------------------------------------


    # -- editing ------------------------------------------------------------------------------------------


    # -- files --------------------------------------------------------------------------------------------


    # -- simulation, pictures and the client report -------------------------------------------------------


    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._panes_sized:  # the first time, at the window's size: a fifth of it for the preview
            self._panes_sized = True
            self.resizeDocks([self.docks["preview"]], [max(130, self.height() // 5)], Qt.Orientation.Vertical)
            self.resizeDocks([self.docks["palette"]], [self.palette.fitting_width()], Qt.Orientation.Horizontal)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_toolbar()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._confirm_discard():
            event.ignore()
            return
        self.counter.shutdown()
        if self.scheduler is not None:
            self.scheduler.shutdown()
        self._release(self.doc)
        self.session.close()
        MainWindow.open_windows[:] = [w for w in MainWindow.open_windows if w is not self]
        event.accept()


def _problem_line(problem: Problem | OSError) -> str:
    """One line of a refused file's problems: where, then what, in the interface language."""
    if isinstance(problem, OSError):
        return str(problem)
    where = ", ".join(x for x in (f"line {problem.line}" if problem.line else None, problem.node, problem.field) if x)
    return f"{where}: {shown(problem)}" if where else shown(problem)
