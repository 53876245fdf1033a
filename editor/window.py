"""The main window: palette, canvas, properties, preview and problems, menus and toolbar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from NodeGraphQt import BaseNode
from PySide6.QtCore import QLocale, QRectF, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.prefs import Prefs
from app.preview import TickResult
from app.reporting import gather_report, save_report
from app.session import EditingSession
from app.templates import Template, instantiate
from app.workspace import create_workspace, default_workspace
from editor.badges import decor_of
from editor.conditions_editor import ConditionContext
from editor.counts import Counter
from editor.crm_dialog import CrmDialog
from editor.document import Document, new_scenario
from editor.export import export_png, export_svg, scenario_png_bytes
from editor.forms import NodeForm, SettingsForm
from editor.gallery import TemplateGallery
from editor.graph import node_by_id, params_of
from editor.i18n import LANGUAGE_NAMES, LANGUAGES, counted, install_translation, interface_language, translate
from editor.messages import shown
from editor.panes import Palette, PreviewPane, ProblemsPane
from editor.scheduler_panel import SchedulerPanel, SchedulerService
from editor.simulate_dialog import SimulateDialog
from editor.theme import BACKGROUND, GRID, ICONS
from engine.describe import titles_of
from engine.model import Scenario
from engine.nodes import REGISTRY, NodeType
from engine.problems import Problem, ScenarioError


def file_filter() -> str:
    """The file dialogs' filter, in the current language."""
    return translate("MainWindow", "Scenarist scenarios (*.scenario.json *.json);;All files (*)")


class MainWindow(QMainWindow):
    """One window, one scenario document."""

    open_windows: ClassVar[list[MainWindow]] = []

    def __init__(self, doc: Document | None = None, prefs: Prefs | None = None,
                 clock: Callable[[], datetime] | None = None, workspace: Path | None = None,
                 scheduler: bool = True) -> None:
        super().__init__()
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
        self.properties.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.preview = PreviewPane()
        self.preview.node_chosen.connect(self.focus_node)
        self.problems_pane = ProblemsPane()
        self.problems_pane.node_chosen.connect(self.focus_node)
        self.docks: dict[str, QDockWidget] = {}
        for key, widget, area in (
                ("palette", self.palette, Qt.DockWidgetArea.LeftDockWidgetArea),
                ("properties", self.properties, Qt.DockWidgetArea.RightDockWidgetArea),
                ("preview", self.preview, Qt.DockWidgetArea.BottomDockWidgetArea),
                ("problems", self.problems_pane, Qt.DockWidgetArea.BottomDockWidgetArea)):
            dock = QDockWidget(self)
            dock.setObjectName(f"dock_{key}")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            self.docks[key] = dock
        self.docks["palette"].setMinimumWidth(190)
        self.resizeDocks([self.docks["preview"]], [230], Qt.Orientation.Vertical)

    def _action(self, slot: Callable, shortcut: QKeySequence.StandardKey | str | None = None,
                icon: QStyle.StandardPixmap | None = None) -> QAction:
        action = QAction(self)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)  # every binding of the platform (Redo: Ctrl+Shift+Z and Ctrl+Y)
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        K = QKeySequence.StandardKey
        SP = QStyle.StandardPixmap
        a = self.actions_by_name = {
            "new": self._action(self.new_file, K.New, SP.SP_FileIcon),
            "new_window": self._action(self.new_window, "Ctrl+Shift+N"),
            "open": self._action(self.open_dialog, K.Open, SP.SP_DialogOpenButton),
            "save": self._action(self.save, K.Save, SP.SP_DialogSaveButton),
            "save_as": self._action(self.save_as, K.SaveAs),
            "close": self._action(self.close, K.Close),
            "quit": self._action(QApplication.closeAllWindows, K.Quit),
            "undo": self._action(self.undo, K.Undo, SP.SP_ArrowBack),
            "redo": self._action(self.redo, K.Redo, SP.SP_ArrowForward),
            "cut": self._action(self.cut, K.Cut),
            "copy": self._action(self.copy, K.Copy),
            "paste": self._action(self.paste, K.Paste),
            "duplicate": self._action(self.duplicate, "Ctrl+D"),
            "delete": self._action(self.delete, K.Delete),
            "select_all": self._action(self.select_all, K.SelectAll),
            "fit": self._action(self.zoom_to_fit, "Ctrl+0"),
            "zoom_in": self._action(lambda: self.doc.graph.viewer().zoom(1), K.ZoomIn),
            "zoom_out": self._action(lambda: self.doc.graph.viewer().zoom(-1), K.ZoomOut),
            "crm": self._action(self.crm_dialog, None, SP.SP_DriveNetIcon),
            "map": self._action(self.map_columns, None),
            "recount": self._action(self.recount, "F5", SP.SP_BrowserReload),
            "add_to_workspace": self._action(self.add_to_workspace),
            "from_template": self._action(self.new_from_template, "Ctrl+Shift+T"),
            "import": self._action(self.import_dialog, "Ctrl+I"),
            "simulate": self._action(self.simulate, "Ctrl+R", SP.SP_MediaPlay),
            "export_png": self._action(lambda: self.export_picture("png")),
            "export_svg": self._action(lambda: self.export_picture("svg")),
            "report": self._action(self.report_dialog),
            "about": self._action(self.about),
        }
        bar = self.menuBar()
        m = self.menus = {name: bar.addMenu("") for name in ("file", "edit", "view", "scenario", "crm", "scheduler",
                                                             "help")}
        for name in ("new", "from_template", "new_window", "open", "import"):
            m["file"].addAction(a[name])
        self.recent_menu = m["file"].addMenu("")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        for name in ("save", "save_as", None, "close", "quit"):
            m["file"].addSeparator() if name is None else m["file"].addAction(a[name])
        for name in ("undo", "redo", None, "cut", "copy", "paste", "duplicate", "delete", None, "select_all"):
            m["edit"].addSeparator() if name is None else m["edit"].addAction(a[name])
        view = self.view_menu = m["view"]
        for name in ("fit", "zoom_in", "zoom_out", None, "recount"):
            view.addSeparator() if name is None else view.addAction(a[name])
        view.addSeparator()
        for dock in self.docks.values():
            view.addAction(dock.toggleViewAction())
        self.language_separator = view.addSeparator()
        self.language_menu = view.addMenu("")
        self.language_menu.setObjectName("language_menu")
        self.language_actions = QActionGroup(self)
        for code in LANGUAGES:
            action = self.language_menu.addAction("")
            action.setCheckable(True)
            action.setData(code)
            action.setChecked(code == self.prefs.language)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            self.language_actions.addAction(action)
        for name in ("simulate", None, "export_png", "export_svg", "report"):
            m["scenario"].addSeparator() if name is None else m["scenario"].addAction(a[name])
        m["crm"].addAction(a["crm"])
        m["crm"].addAction(a["map"])
        m["scheduler"].addAction(a["add_to_workspace"])
        m["help"].addAction(a["about"])
        self.toolbar = self.addToolBar("")
        self.toolbar.setObjectName("toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for name in ("new", "open", "save", None, "undo", "redo", None, "fit", None, "crm", "recount", "simulate"):
            self.toolbar.addSeparator() if name is None else self.toolbar.addAction(a[name])

    def _translate_chrome(self) -> None:
        """Menus, actions, dock titles and the toolbar in the current language."""
        texts = {
            "new": translate("MainWindow", "&New"),
            "new_window": translate("MainWindow", "New &window"),
            "open": translate("MainWindow", "&Open…"),
            "save": translate("MainWindow", "&Save"),
            "save_as": translate("MainWindow", "Save &as…"),
            "close": translate("MainWindow", "&Close window"),
            "quit": translate("MainWindow", "&Quit"),
            "undo": translate("MainWindow", "&Undo"),
            "redo": translate("MainWindow", "&Redo"),
            "cut": translate("MainWindow", "Cu&t"),
            "copy": translate("MainWindow", "&Copy"),
            "paste": translate("MainWindow", "&Paste"),
            "duplicate": translate("MainWindow", "&Duplicate"),
            "delete": translate("MainWindow", "De&lete"),
            "select_all": translate("MainWindow", "Select &all"),
            "fit": translate("MainWindow", "Zoom to &fit"),
            "zoom_in": translate("MainWindow", "Zoom &in"),
            "zoom_out": translate("MainWindow", "Zoom &out"),
            "crm": translate("MainWindow", "&Connect to a CRM…"),
            "map": translate("MainWindow", "&Map CRM columns…"),
            "recount": translate("MainWindow", "&Recount now"),
            "add_to_workspace": translate("MainWindow", "&Add this scenario to the workspace"),
            "about": translate("MainWindow", "&About Scenarist"),
            "from_template": translate("MainWindow", "New from &template…"),
            "import": translate("MainWindow", "&Import a shared scenario…"),
            "simulate": translate("MainWindow", "&Simulate…"),
            "export_png": translate("MainWindow", "Export picture as &PNG…"),
            "export_svg": translate("MainWindow", "Export picture as S&VG…"),
            "report": translate("MainWindow", "Client &report (HTML)…"),
        }
        for name, text in texts.items():
            self.actions_by_name[name].setText(text)
        menus = {
            "file": translate("MainWindow", "&File"),
            "edit": translate("MainWindow", "&Edit"),
            "view": translate("MainWindow", "&View"),
            "scenario": translate("MainWindow", "Sce&nario"),
            "crm": translate("MainWindow", "&CRM"),
            "scheduler": translate("MainWindow", "&Scheduler"),
            "help": translate("MainWindow", "&Help"),
        }
        for name, text in menus.items():
            self.menus[name].setTitle(text)
        self.recent_menu.setTitle(translate("MainWindow", "Open &recent"))
        self.language_menu.setTitle(translate("MainWindow", "&Language"))
        for action in self.language_actions.actions():
            code = action.data()
            action.setText(translate("MainWindow", "System language") if code == "auto" else LANGUAGE_NAMES[code])
        docks = {
            "palette": translate("MainWindow", "Nodes"),
            "properties": translate("MainWindow", "Properties"),
            "preview": translate("MainWindow", "Preview: today"),
            "problems": translate("MainWindow", "Problems ({n})").format(n=len(self.session.problems)),
            "scheduler": translate("MainWindow", "Scheduler"),
        }
        for name, dock in self.docks.items():
            dock.setWindowTitle(docks[name])
        self.toolbar.setWindowTitle(translate("MainWindow", "Main"))
        self.busy.setToolTip(translate("MainWindow", "Counting customers…"))

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

    def _start_scheduler(self) -> None:
        if not (self.workspace / "workspace.toml").exists():
            if not self.prefs.crm:
                self.scheduler_label.setText(translate("MainWindow", "Scheduler off: connect a CRM first"))
                self.scheduler_label.setProperty("off", True)  # re-translated by retranslate()
                return
            create_workspace(self.workspace, self.prefs.crm)
        self.scheduler = SchedulerService(self.workspace, clock=self.clock)
        self.scheduler.status.connect(self.scheduler_label.setText)
        self.scheduler.start()
        self.scheduler_panel = SchedulerPanel(self.scheduler)
        dock = QDockWidget(self)
        dock.setObjectName("dock_scheduler")
        dock.setWidget(self.scheduler_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.tabifyDockWidget(self.docks["preview"], dock)
        self.docks["preview"].raise_()
        self.docks["scheduler"] = dock
        self.view_menu.insertAction(self.language_separator, dock.toggleViewAction())
        self._translate_chrome()

    def add_to_workspace(self) -> None:
        """Save this scenario into the workspace folder, where the scheduler can run it."""
        if self.scheduler is None:
            QMessageBox.information(self, translate("MainWindow", "Scheduler"), self.scheduler_label.text())
            return
        name = (self.doc.path.name if self.doc.path else f"{self.doc.meta.name}.scenario.json").replace("/", "-")
        target = self.workspace / name
        if target.exists() and (self.doc.path is None or target.resolve() != self.doc.path.resolve()):
            answer = QMessageBox.question(
                self, translate("MainWindow", "Add to the workspace"),
                translate("MainWindow", "{name} is already in the workspace. Replace it?").format(name=name))
            if answer != QMessageBox.StandardButton.Yes:
                return
        if self._write(target):
            self.scheduler_panel.refresh()
            self.docks["scheduler"].raise_()

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
        self.preview.retranslate()
        self.doc.graph.retranslate()
        if self.last_result is not None:
            stale = self.preview.stale
            self.preview.show_result(self.scenario(), self.last_result)
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
        graph.connection_refused.connect(lambda text: self.statusBar().showMessage("⛔ " + text, 8000))
        graph.clear_selection()
        # The scene's own signal also sees selections made in code (problems list, paste, undo).
        graph.viewer().scene().selectionChanged.connect(self._selection_timer.start)
        doc.changed.connect(self._edited)
        doc.modified_changed.connect(lambda _m: self._update_title())
        doc.meta_changed.connect(self._meta_changed)
        if old is not None:
            self._release(old)
        self._update_title()
        self._show_form()
        self._edited()
        QTimer.singleShot(0, self.zoom_to_fit)

    @staticmethod
    def _release(doc: Document) -> None:
        """Drop a document: its signals first, so that tearing down its undo stack reaches no one."""
        scene = doc.graph.viewer().scene()
        signals = (doc.changed, doc.modified_changed, doc.meta_changed, doc.graph.connection_refused,
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
    def _edited(self) -> None:
        scenario = self.scenario()
        problems = self.session.set_scenario(scenario)
        titles = titles_of(scenario, interface_language())
        by_node: dict[str, list[str]] = {}
        for p in problems:
            if p.node:
                by_node.setdefault(p.node, []).append(f"{p.field + ': ' if p.field else ''}{shown(p, titles)}")
        for node in self.doc.graph.all_nodes():
            decor = decor_of(node.view)
            decor.set_problems(by_node.get(node.get_property("node_id"), []))
            decor.set_stale(True)
        self.problems_pane.show_problems(problems, titles)
        self.docks["problems"].setWindowTitle(translate("MainWindow", "Problems ({n})").format(n=len(problems)))
        self.preview.set_stale(True)
        self._refresh_form()
        self._update_title()
        if self.session.errors():
            self.counter.request(scenario, None)
            self.statusBar().showMessage(translate("MainWindow", "Counts wait until the problems are fixed."), 5000)
        else:
            self.counter.request(scenario, self.prefs.crm or None)

    def _counting(self, busy: bool) -> None:
        self.busy.setVisible(busy)

    def _counted(self, result: TickResult) -> None:
        self.last_result = result
        for node in self.doc.graph.all_nodes():
            nid = node.get_property("node_id")
            # Waits hold customers, and so do waits for an event, delayed messages and messages
            # held for the sending window: every node shows who sits at it.
            holds = REGISTRY[node.scenarist_type].hold_until is not NodeType.hold_until or \
                REGISTRY[node.scenarist_type].sends
            decor_of(node.view).set_counts(result.reached.get(nid, 0), result.waiting.get(nid, 0) if holds else None)
        self.preview.show_result(self.scenario(), result)
        seconds = QLocale().toString(result.seconds, "f", 2)  # 0.17 in English, 0,17 in Russian
        self.statusBar().showMessage(translate("MainWindow", "Counted in {s} s").format(s=seconds), 4000)

    def _count_failed(self, message: object) -> None:
        self.statusBar().showMessage("⚠ " + translate("MainWindow", "Counts unavailable: {m}").format(
            m=shown(message)), 10000)

    def recount(self) -> None:
        """Count again now (the CRM's data may have changed)."""
        if not self.session.errors():
            self.counter.request(self.scenario(), self.prefs.crm or None, now=True)

    # -- properties -----------------------------------------------------------------------------------
    def _selection_changed(self) -> None:
        selected = self.doc.graph.selected_nodes()
        current = self.form.node if isinstance(self.form, NodeForm) else None
        if (len(selected) == 1 and selected[0] is not current) or (len(selected) != 1 and current is not None) \
                or self.form is None:
            self._show_form()

    def _show_form(self) -> None:
        if self.form is not None:
            self.form.flush()
        selected = self.doc.graph.selected_nodes()
        if len(selected) == 1:
            self.form = NodeForm(self.doc, selected[0], self._condition_context(), self._sample, self._customers)
        else:
            self.form = SettingsForm(self.doc)
        holder = QWidget()  # keeps the form at the top of the pane
        column = QVBoxLayout(holder)
        column.addWidget(self.form)
        column.addStretch(1)
        self.properties.setWidget(holder)

    def _refresh_form(self) -> None:
        """After undo or redo, a form showing other values than the document is rebuilt."""
        form = self.form
        if isinstance(form, NodeForm):
            gone = form.node.id not in self.doc.graph.model.nodes
            if gone or params_of(form.node) != form.shown or form.title.text() != form.node.name():
                self._show_form()  # an undo or redo changed what the form shows
        elif isinstance(form, SettingsForm):
            meta = self.doc.meta
            shown = (form.name.text(), form.reenter.isChecked(), form.timezone.currentText())
            if shown != (meta.name, meta.settings.get("reentry_days") is not None, meta.settings.get("timezone")):
                self._show_form()

    def _condition_context(self) -> ConditionContext:
        def node_ids(flag: str | None) -> list[str]:
            return [n.get_property("node_id") for n in self.doc.graph.all_nodes()
                    if flag is None or getattr(REGISTRY[n.scenarist_type], flag)]
        return ConditionContext(self.session.field_names, node_ids)

    def _sample(self, params: dict, customer_id: int) -> tuple[str, str]:
        try:
            return self.session.render_sample(params, customer_id)
        except LookupError as exc:
            raise LookupError(translate("MainWindow", "no CRM connected")) from exc

    def _customers(self) -> list[tuple[int, str]]:
        if self.session.crm is None:
            reason = shown(self.session.crm_error) if self.session.crm_error \
                else translate("MainWindow", "not connected")
            raise LookupError(reason)
        return self.session.sample_customers()

    # -- CRM ----------------------------------------------------------------------------------------------
    def connect_crm(self, url: str, remember: bool = True) -> bool:
        """Use the CRM at ``url`` for counts, field lists and message previews."""
        self.counter.reset()
        ok = self.session.connect(url)
        self.prefs.crm = url
        if remember:
            self.prefs.save()
        self._show_crm()
        if not ok:
            self.statusBar().showMessage(
                "⚠ " + translate("MainWindow", "The CRM cannot be used: {e}").format(e=shown(self.session.crm_error)),
                15000)
        if self.doc is not None:
            self._show_form()
            self._edited()
        return ok

    def _show_crm(self) -> None:
        """The CRM's name in the status bar (its error, if any, in the tooltip)."""
        url = self.prefs.crm
        label = self._crm_name(url) if url else translate("MainWindow", "no CRM")
        text = translate("MainWindow", "CRM: {name}").format(name=label)
        error = self.session.crm_error
        self.crm_label.setText(("⚠ " if error else "") + text)
        self.crm_label.setToolTip(shown(error) if error else url)

    @staticmethod
    def _crm_name(url: str) -> str:
        if url.startswith("sqlite:///"):
            return Path(url[10:]).name
        return url.split("@")[-1]

    def crm_dialog(self) -> None:
        """Choose the CRM."""
        dialog = CrmDialog(self.prefs.crm, self)
        if dialog.exec():
            self.connect_crm(dialog.url())

    def map_columns(self, fields: list[str] | tuple[str, ...] = ()) -> None:
        """Open the column-mapping dialog for the connected CRM (with ``fields``, customer fields a
        scenario uses that the CRM lacks) and keep its result."""
        if not self.prefs.crm:
            self.crm_dialog()
            return
        from editor.map_crm import map_crm

        try:
            if map_crm(self.prefs.crm, None, run=lambda d: bool(d.exec()), fields=fields):
                self.connect_crm(self.prefs.crm)
        except Exception as exc:
            QMessageBox.warning(self, translate("MainWindow", "Map CRM columns"), str(exc))

    # -- editing ------------------------------------------------------------------------------------------
    def _view_centre(self) -> tuple[float, float]:
        viewer = self.doc.graph.viewer()
        centre = viewer.mapToScene(viewer.viewport().rect().center())
        return centre.x() - 80, centre.y() - 30

    def add_node_at_centre(self, type_name: str) -> BaseNode:
        """Add a node of a type in the middle of the visible canvas."""
        node = self.doc.add_node(type_name, self._view_centre())
        self.doc.graph.select_only([node])
        return node

    def undo(self) -> None:
        """Undo the last edit (a pending typed edit is committed first)."""
        if self.form is not None:
            self.form.flush()
        self.doc.undo_stack.undo()

    def redo(self) -> None:
        """Redo the last undone edit."""
        self.doc.undo_stack.redo()

    def copy(self) -> bool:
        """Copy the selected nodes (with the edges between them) to the clipboard."""
        text = self.doc.copy_selected()
        if text is None:
            self.statusBar().showMessage(translate("MainWindow", "Select nodes to copy."), 4000)
            return False
        QGuiApplication.clipboard().setText(text)
        return True

    def cut(self) -> None:
        """Copy, then delete, the selected nodes."""
        if self.copy():
            self.doc.delete_selected()

    def paste(self) -> None:
        """Paste nodes copied in this or another window, with new ids."""
        try:
            made = self.doc.paste(QGuiApplication.clipboard().text())
        except ValueError as exc:
            self.statusBar().showMessage("⛔ " + str(exc), 6000)
            return
        self.doc.graph.select_only(made)
        self.statusBar().showMessage(counted().pasted(len(made)).format(n=len(made)), 4000)

    def duplicate(self) -> None:
        """Copy and paste the selection in one step."""
        text = self.doc.copy_selected()
        if text:
            self.doc.graph.select_only(self.doc.paste(text))

    def delete(self) -> None:
        """Delete the selected nodes, or the selected edges."""
        graph = self.doc.graph
        pipes = graph.selected_pipes()
        if graph.selected_nodes():
            self.doc.delete_selected()
        elif pipes:
            self.doc.undo_stack.beginMacro(translate("MainWindow", "delete edges"))
            for a, b in pipes:
                a.disconnect_from(b)
            self.doc.undo_stack.endMacro()

    def select_all(self) -> None:
        """Select every node."""
        self.doc.graph.select_all()

    def zoom_to_fit(self) -> None:
        """Frame every node."""
        nodes = self.doc.graph.all_nodes()
        if not nodes:
            return
        rect = QRectF()
        for node in nodes:
            rect = rect.united(node.view.sceneBoundingRect())
        viewer = self.doc.graph.viewer()
        # NodeGraphQt's zoom_to_nodes does the same through an item group, 250 ms for 200 nodes.
        viewer._scene_range = rect.adjusted(-40, -60, 40, 40)
        viewer._update_scene()
        if viewer.get_zoom() > 0.1:  # never blow a small scenario up beyond its natural size
            viewer.reset_zoom(rect.center())

    def focus_node(self, node_id: str) -> None:
        """Select a node and centre the canvas on it."""
        node = node_by_id(self.doc.graph, node_id)
        if node is None:
            return
        self.doc.graph.select_only([node])
        self.doc.graph.center_on([node])

    # -- files --------------------------------------------------------------------------------------------
    def _confirm_discard(self) -> bool:
        """Ask what to do with unsaved changes; False means the user cancelled."""
        if self.form is not None:
            self.form.flush()
        if not self.doc.is_modified():
            return True
        answer = QMessageBox.question(
            self, translate("MainWindow", "Unsaved changes"),
            translate("MainWindow", "“{name}” has unsaved changes. Save them?").format(name=self.doc.meta.name),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_file(self) -> None:
        """Start a new scenario in this window."""
        if self._confirm_discard():
            self.set_document(Document())

    def new_from_template(self, template: Template | None = None) -> bool:
        """Start a new scenario from a template chosen in the gallery (or the one given)."""
        if template is None:
            gallery = TemplateGallery(self)
            if not gallery.exec() or gallery.chosen is None:
                return False
            template = gallery.chosen
        if not self._confirm_discard():
            return False
        self.set_document(Document(instantiate(template)))
        self.zoom_to_fit()
        self.offer_mapping()
        return True

    def import_dialog(self) -> None:
        """Ask for a shared scenario file and import it."""
        path, _ = QFileDialog.getOpenFileName(self, translate("MainWindow", "Import a shared scenario"), "",
                                              file_filter())
        if path:
            self.import_path(path)

    def import_path(self, path: str | Path, ask: bool = True) -> list[str]:
        """Open a file someone shared as a new, unsaved scenario (saving asks where to keep it):
        it is validated first, and the customer fields it uses that the connected CRM lacks are
        listed with an offer to map them. Returns those fields."""
        if not self._confirm_discard():
            return []
        try:
            doc = Document.open(path)
        except (ScenarioError, OSError) as exc:
            problems = exc.problems[:30] if isinstance(exc, ScenarioError) else [exc]
            QMessageBox.critical(self, translate("MainWindow", "Cannot import the file"),
                                 translate("MainWindow", "{path} cannot be imported:").format(path=path) + "\n\n"
                                 + "\n".join(_problem_line(p) for p in problems))
            return []
        doc.path = None
        self.set_document(doc)
        self.zoom_to_fit()
        return self.offer_mapping(ask=ask)

    def missing_fields(self) -> list[str]:
        """Customer fields the scenario uses that the connected CRM does not have."""
        self.session.set_scenario(self.scenario())
        return self.session.missing_fields()

    def offer_mapping(self, ask: bool = True) -> list[str]:
        """List the fields the CRM lacks and offer the column mapping for them."""
        missing = self.missing_fields()
        if missing and ask:
            box = QMessageBox(QMessageBox.Icon.Warning, translate("MainWindow", "Fields missing in the CRM"),
                              translate("MainWindow", "This scenario uses customer fields your CRM does not have:")
                              + "\n\n" + "\n".join(f"• {name}" for name in missing) + "\n\n"
                              + translate("MainWindow", "Map them to your CRM's columns, or change the conditions "
                                                        "that use them (see Problems)."), parent=self)
            box.setObjectName("missing_fields")
            mapping = box.addButton(translate("MainWindow", "Map columns…"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(translate("MainWindow", "Later"), QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is mapping:
                self.map_columns(missing)
        return missing

    # -- simulation, pictures and the client report -------------------------------------------------------
    def simulate(self) -> SimulateDialog:
        """Open the simulation of the scenario as drawn now (a window of its own)."""
        if self.form is not None:
            self.form.flush()
        dialog = SimulateDialog(self.scenario(), self.prefs.crm, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.result_ready.connect(self._keep_simulation)  # the latest one goes into the client report
        dialog.show()
        self.simulation_dialog = dialog
        return dialog

    def _keep_simulation(self, result: dict) -> None:
        self.last_simulation = result

    def export_picture(self, kind: str, path: str | Path | None = None) -> Path | None:
        """Save the whole scenario as a PNG or SVG picture."""
        if path is None:
            name = f"{self.doc.meta.name}.{kind}"
            path, _ = QFileDialog.getSaveFileName(self, translate("MainWindow", "Export picture"), name,
                                                  f"{kind.upper()} (*.{kind})")
            if not path:
                return None
        if kind == "png":
            export_png(self.doc.graph, path)
        else:
            export_svg(self.doc.graph, path, title=self.doc.meta.name)
        self.statusBar().showMessage(translate("MainWindow", "Picture saved: {path}").format(path=path), 8000)
        return Path(path)

    def report_dialog(self, path: str | Path | None = None) -> Path | None:
        """Save a one-file HTML report for a client: picture, steps in plain words, counts and,
        when one was run, the latest simulation."""
        if self.form is not None:
            self.form.flush()
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, translate("MainWindow", "Client report"),
                                                  f"{self.doc.meta.name}.html", "HTML (*.html)")
            if not path:
                return None
        data = gather_report(self.scenario(), self.session.crm, self.last_result, self.last_simulation)
        save_report(path, data, scenario_png_bytes(self.doc.graph, scale=1.5), self.clock(), interface_language())
        self.statusBar().showMessage(translate("MainWindow", "Report saved: {path}").format(path=path), 8000)
        return Path(path)

    def new_window(self) -> MainWindow:
        """Open another window (copy and paste work between windows)."""
        window = MainWindow(prefs=self.prefs, clock=self.clock)
        window.show()
        return window

    def open_dialog(self) -> None:
        """Ask for a file and open it."""
        if not self._confirm_discard():
            return
        start = str(Path(self.doc.path).parent) if self.doc.path else ""
        path, _ = QFileDialog.getOpenFileName(self, translate("MainWindow", "Open a scenario"), start, file_filter())
        if path:
            self.open_path(path, confirm=False)

    def open_path(self, path: str | Path, confirm: bool = True) -> bool:
        """Open a scenario file; a broken file is refused with every problem listed."""
        if confirm and not self._confirm_discard():
            return False
        try:
            doc = Document.open(path)
        except ScenarioError as exc:
            QMessageBox.critical(self, translate("MainWindow", "Cannot open the file"),
                                 translate("MainWindow", "{path} cannot be opened:").format(path=path) + "\n\n"
                                 + "\n".join(str(p) for p in exc.problems[:30]))
            return False
        except OSError as exc:
            QMessageBox.critical(self, translate("MainWindow", "Cannot open the file"), str(exc))
            return False
        self.set_document(doc)
        self.prefs.add_recent(path)
        self.prefs.save()
        return True

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.prefs.recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        if not self.prefs.recent:
            self.recent_menu.addAction(translate("MainWindow", "(none yet)")).setEnabled(False)

    def save(self) -> bool:
        """Save to the document's file (asking for a name the first time)."""
        if self.form is not None:
            self.form.flush()
        if self.doc.path is None:
            return self.save_as()
        return self._write(self.doc.path)

    def save_as(self) -> bool:
        """Save under a new name."""
        if self.form is not None:
            self.form.flush()
        suggested = self.doc.path or Path.home() / f"{self.doc.meta.name}.scenario.json"
        path, _ = QFileDialog.getSaveFileName(self, translate("MainWindow", "Save the scenario"), str(suggested),
                                              file_filter())
        return bool(path) and self._write(Path(path))

    def _write(self, path: Path) -> bool:
        try:
            self.doc.save(path)
        except OSError as exc:
            QMessageBox.critical(self, translate("MainWindow", "Cannot save"), str(exc))
            return False
        self.prefs.add_recent(path)
        self.prefs.save()
        self._update_title()
        self.statusBar().showMessage(translate("MainWindow", "Saved {path}").format(path=path), 4000)
        return True

    def about(self) -> None:
        """A short word about the application."""
        QMessageBox.about(self, translate("MainWindow", "About Scenarist"),
                          translate("MainWindow", "Scenarist draws customer scenarios and runs them every day against "
                                  "your shop's CRM."))

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
