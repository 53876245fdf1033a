"""The main window's actions, menus and toolbar, and their words in the interface language.

Each action is one row of :data:`ACTIONS`: its name, the window method it calls, its shortcut,
its icon and its words; the menus and the toolbar list actions by name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QStyle

from editor.i18n import LANGUAGE_NAMES, LANGUAGES, translate
from editor.nodegraph import undo_step
from editor.overview import zoom_step

K = QKeySequence.StandardKey
FALLBACK_KEYS = {K.Quit: "Ctrl+Q"}
SP = QStyle.StandardPixmap

# name, the window's method (or a callable of the window), shortcut, icon, words
ACTIONS: tuple[tuple[str, Any, Any, Any, str], ...] = (
    ("new", "new_file", K.New, SP.SP_FileIcon, QT_TRANSLATE_NOOP("MainWindow", "&New")),
    ("new_window", "new_window", "Ctrl+Shift+N", None, QT_TRANSLATE_NOOP("MainWindow", "New &window")),
    ("open", "open_dialog", K.Open, SP.SP_DialogOpenButton, QT_TRANSLATE_NOOP("MainWindow", "&Open…")),
    ("save", "save", K.Save, SP.SP_DialogSaveButton, QT_TRANSLATE_NOOP("MainWindow", "&Save")),
    ("save_as", "save_as", K.SaveAs, None, QT_TRANSLATE_NOOP("MainWindow", "Save &as…")),
    ("close", "close", K.Close, None, QT_TRANSLATE_NOOP("MainWindow", "&Close window")),
    ("quit", lambda w: QApplication.closeAllWindows(), K.Quit, None, QT_TRANSLATE_NOOP("MainWindow", "&Quit")),
    ("undo", "undo", K.Undo, SP.SP_ArrowBack, QT_TRANSLATE_NOOP("MainWindow", "&Undo")),
    ("redo", "redo", K.Redo, SP.SP_ArrowForward, QT_TRANSLATE_NOOP("MainWindow", "&Redo")),
    ("cut", "cut", K.Cut, None, QT_TRANSLATE_NOOP("MainWindow", "Cu&t")),
    ("copy", "copy", K.Copy, None, QT_TRANSLATE_NOOP("MainWindow", "&Copy")),
    ("paste", "paste", K.Paste, None, QT_TRANSLATE_NOOP("MainWindow", "&Paste")),
    ("duplicate", "duplicate", "Ctrl+D", None, QT_TRANSLATE_NOOP("MainWindow", "&Duplicate")),
    ("delete", "delete", K.Delete, None, QT_TRANSLATE_NOOP("MainWindow", "De&lete")),
    ("select_all", "select_all", K.SelectAll, None, QT_TRANSLATE_NOOP("MainWindow", "Select &all")),
    ("quick_add", "quick_add", None, None, QT_TRANSLATE_NOOP("MainWindow", "Add a node by &name…")),
    ("find", "find_node", K.Find, None, QT_TRANSLATE_NOOP("MainWindow", "&Find a node…")),
    ("arrange", "arrange", "Ctrl+L", None, QT_TRANSLATE_NOOP("MainWindow", "A&rrange")),
    ("add_note", "add_note", None, None, QT_TRANSLATE_NOOP("MainWindow", "Add a n&ote")),
    ("frame", "frame_selection", "Ctrl+G", None, QT_TRANSLATE_NOOP("MainWindow", "F&rame the selection")),
    ("fit", "zoom_to_fit", "Ctrl+0", None, QT_TRANSLATE_NOOP("MainWindow", "Zoom to &fit")),
    ("zoom_in", lambda w: zoom_step(w.doc.graph.viewer(), 1), K.ZoomIn, None,
     QT_TRANSLATE_NOOP("MainWindow", "Zoom &in")),
    ("zoom_out", lambda w: zoom_step(w.doc.graph.viewer(), -1), K.ZoomOut, None,
     QT_TRANSLATE_NOOP("MainWindow", "Zoom &out")),
    ("crm", "crm_dialog", None, SP.SP_DriveNetIcon, QT_TRANSLATE_NOOP("MainWindow", "&Connect to a CRM…")),
    ("map", "map_columns", None, None, QT_TRANSLATE_NOOP("MainWindow", "&Map CRM columns…")),
    ("suppressions", "suppressions_dialog", None, None, QT_TRANSLATE_NOOP("MainWindow", "&Suppressions…")),
    ("delivery", "delivery_dialog", None, None, QT_TRANSLATE_NOOP("MainWindow", "&Delivery…")),
    ("recount", "recount", "F5", SP.SP_BrowserReload, QT_TRANSLATE_NOOP("MainWindow", "&Recount now")),
    ("add_to_workspace", "add_to_workspace", None, None,
     QT_TRANSLATE_NOOP("MainWindow", "&Add this scenario to the workspace")),
    ("from_template", "new_from_template", "Ctrl+Shift+T", None,
     QT_TRANSLATE_NOOP("MainWindow", "New from &template…")),
    ("import", "import_dialog", "Ctrl+I", None, QT_TRANSLATE_NOOP("MainWindow", "&Import a shared scenario…")),
    ("new_shop", "new_shop_from_files", None, None, QT_TRANSLATE_NOOP("MainWindow", "New shop from CSV/&Excel…")),
    ("simulate", "simulate", "Ctrl+R", SP.SP_MediaPlay, QT_TRANSLATE_NOOP("MainWindow", "&Simulate…")),
    ("settings", "show_scenario_settings", None, SP.SP_FileDialogDetailedView,
     QT_TRANSLATE_NOOP("MainWindow", "Scenario se&ttings")),
    ("export_png", lambda w: w.export_picture("png"), None, None,
     QT_TRANSLATE_NOOP("MainWindow", "Export picture as &PNG…")),
    ("export_svg", lambda w: w.export_picture("svg"), None, None,
     QT_TRANSLATE_NOOP("MainWindow", "Export picture as S&VG…")),
    ("report", "report_dialog", None, None, QT_TRANSLATE_NOOP("MainWindow", "Client &report (HTML)…")),
    ("shortcuts", "show_shortcuts", "F1", None, QT_TRANSLATE_NOOP("MainWindow", "&Keyboard shortcuts")),
    ("about", "about", None, None, QT_TRANSLATE_NOOP("MainWindow", "&About Scenarist")),
)
MENUS = (
    ("file", QT_TRANSLATE_NOOP("MainWindow", "&File"), ("new", "from_template", "new_window", "open", "import",
                                                        "recent", "save", "save_as", None, "new_shop", None,
                                                        "close", "quit")),
    ("edit", QT_TRANSLATE_NOOP("MainWindow", "&Edit"), ("undo", "redo", None, "cut", "copy", "paste", "duplicate",
                                                        "delete", None, "select_all", "find", None, "quick_add",
                                                        "add_note", "frame", "arrange")),
    ("view", QT_TRANSLATE_NOOP("MainWindow", "&View"), ("fit", "zoom_in", "zoom_out", None, "recount", None,
                                                        "docks", "languages")),
    ("scenario", QT_TRANSLATE_NOOP("MainWindow", "Sce&nario"), ("settings", None, "simulate", None, "export_png",
                                                                "export_svg", "report")),
    ("crm", QT_TRANSLATE_NOOP("MainWindow", "&CRM"), ("crm", "map", None, "suppressions")),
    ("scheduler", QT_TRANSLATE_NOOP("MainWindow", "&Scheduler"), ("add_to_workspace",)),
    ("preferences", QT_TRANSLATE_NOOP("MainWindow", "Se&ttings"), ("delivery",)),
    ("help", QT_TRANSLATE_NOOP("MainWindow", "&Help"), ("shortcuts", "about")),
)
TOOLBAR = ("new", "open", "save", None, "undo", "redo", None, "arrange", "settings", None, "crm", "recount",
           "simulate")
DOCKS = {
    "palette": QT_TRANSLATE_NOOP("MainWindow", "Nodes"),
    "properties": QT_TRANSLATE_NOOP("MainWindow", "Properties"),
    "preview": QT_TRANSLATE_NOOP("MainWindow", "Preview: today"),
    "problems": QT_TRANSLATE_NOOP("MainWindow", "Problems ({n})"),
    "lookup": QT_TRANSLATE_NOOP("MainWindow", "Customer lookup"),
    "scheduler": QT_TRANSLATE_NOOP("MainWindow", "Scheduler"),
}


STEP_WORDS = {
    "add": QT_TRANSLATE_NOOP("MainWindow", "add “{name}”"),
    "delete": QT_TRANSLATE_NOOP("MainWindow", "delete nodes"),
    "move": QT_TRANSLATE_NOOP("MainWindow", "move nodes"),
    "rename": QT_TRANSLATE_NOOP("MainWindow", "rename “{name}”"),
    "change": QT_TRANSLATE_NOOP("MainWindow", "change “{name}”"),
    "edges": QT_TRANSLATE_NOOP("MainWindow", "change edges"),
    "nodes": QT_TRANSLATE_NOOP("MainWindow", "add nodes"),
}


def step_words(text: str) -> str:
    """An undo step's name in the interface language (NodeGraphQt's own steps are named in English)."""
    step = undo_step(text)
    if step is None:
        return text
    kind, name = step
    return translate("MainWindow", STEP_WORDS[kind]).format(name=name)


class MenuWiring:
    """Mixed into the main window: builds its actions, menus and toolbar, and words them."""

    def _action(self, slot: Callable[[], Any], shortcut: Any = None, icon: Any = None) -> QAction:
        action = QAction(self)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        if isinstance(shortcut, QKeySequence.StandardKey) and QKeySequence.keyBindings(shortcut):
            action.setShortcuts(shortcut)  # every binding of the platform (Redo: Ctrl+Shift+Z and Ctrl+Y)
        elif isinstance(shortcut, QKeySequence.StandardKey):
            # Some platforms bind no key to a standard action (Quit on Windows and without a desktop theme).
            action.setShortcut(QKeySequence(FALLBACK_KEYS[shortcut]))
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.actions_by_name = {
            name: self._action(getattr(self, slot) if isinstance(slot, str) else (lambda s=slot: s(self)), key, icon)
            for name, slot, key, icon, _words in ACTIONS}
        bar = self.menuBar()
        self.menus = {}
        for name, _words, items in MENUS:
            menu = self.menus[name] = bar.addMenu("")
            for item in items:
                self._menu_item(menu, item)
        self.view_menu = self.menus["view"]
        self.toolbar = self.addToolBar("")
        self.toolbar.setObjectName("toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for name in TOOLBAR:
            self.toolbar.addSeparator() if name is None else self.toolbar.addAction(self.actions_by_name[name])

    def fit_toolbar(self) -> None:
        """Words beside the toolbar's icons when they all fit the window's width, else icons alone
        (each says its words in its tooltip): no button may fall into the overflow menu unseen."""
        styles = Qt.ToolButtonStyle
        if getattr(self, "_toolbar_words_width", None) is None:  # measured once per language, not per resize
            self.toolbar.setToolButtonStyle(styles.ToolButtonTextBesideIcon)
            self._toolbar_words_width = self.toolbar.sizeHint().width()
        fits = self._toolbar_words_width <= self.width()
        wanted = styles.ToolButtonTextBesideIcon if fits else styles.ToolButtonIconOnly
        if self.toolbar.toolButtonStyle() != wanted:
            self.toolbar.setToolButtonStyle(wanted)

    def _menu_item(self, menu: Any, item: str | None) -> None:
        if item is None:
            menu.addSeparator()
        elif item == "recent":
            self.recent_menu = menu.addMenu("")
            self.recent_menu.aboutToShow.connect(self._fill_recent)
        elif item == "docks":
            for dock in self.docks.values():
                menu.addAction(dock.toggleViewAction())
        elif item == "languages":
            self.language_separator = menu.addSeparator()
            self.language_menu = menu.addMenu("")
            self.language_menu.setObjectName("language_menu")
            self.language_actions = QActionGroup(self)
            for code in LANGUAGES:
                action = self.language_menu.addAction("")
                action.setCheckable(True)
                action.setData(code)
                action.setChecked(code == self.prefs.language)
                action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
                self.language_actions.addAction(action)
        else:
            menu.addAction(self.actions_by_name[item])

    def shortcut_entries(self) -> list[tuple[str, QAction]]:
        """Every action with its plain words in the interface language (for the list of shortcuts)."""
        return [(translate("MainWindow", words), self.actions_by_name[name]) for name, _s, _k, _i, words in ACTIONS]

    def _name_undo(self) -> None:
        """The Undo and Redo items say what they undo and redo: "Undo change “Wait 7 days”"."""
        stack = self.doc.undo_stack
        for name, text, plain in (("undo", stack.undoText(), "&Undo"), ("redo", stack.redoText(), "&Redo")):
            words = translate("MainWindow", plain)
            action = self.actions_by_name[name]
            action.setText(f"{words} {step_words(text)}" if text else words)
            # The toolbar's button keeps its short word (a long step name would shift the whole bar);
            # its tooltip says what it undoes.
            action.setIconText(words.replace("&", ""))
            action.setToolTip(action.text().replace("&", ""))

    def _translate_chrome(self) -> None:
        """Menus, actions, dock titles and the toolbar in the current language."""
        for name, _slot, _key, _icon, words in ACTIONS:
            self.actions_by_name[name].setText(translate("MainWindow", words))
        if getattr(self, "doc", None) is not None:
            self._name_undo()
        for name, words, _items in MENUS:
            self.menus[name].setTitle(translate("MainWindow", words))
        self.recent_menu.setTitle(translate("MainWindow", "Open &recent"))
        self.language_menu.setTitle(translate("MainWindow", "&Language"))
        for action in self.language_actions.actions():
            code = action.data()
            action.setText(translate("MainWindow", "System language") if code == "auto" else LANGUAGE_NAMES[code])
        for name, dock in self.docks.items():
            dock.setWindowTitle(translate("MainWindow", DOCKS[name]).format(n=len(self.session.problems)))
        self.toolbar.setWindowTitle(translate("MainWindow", "Main"))
        self.busy.setToolTip(translate("MainWindow", "Counting customers…"))
