"""The scheduler inside the window: the workspace's scenarios with an enabled switch, their next
and last runs, the run history, "Run now" with progress and cancel, and a status line.

The scheduler is the one ``serve`` uses (app/serve.py); this module only shows it and feeds it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.crm import CrmError
from app.scheduling import Published, RunListener, RunRecord, SchedulerHost
from app.workspace import Workspace, WorkspaceError
from connectors.texts import Text
from editor.i18n import counted, translate
from editor.messages import shown
from engine.nodes import REGISTRY
from engine.problems import ScenarioError
from engine.scenario import load


class SchedulerService(QObject, RunListener):
    """The embedded scheduler of a workspace (:class:`app.scheduling.SchedulerHost`); its runs
    report through Qt signals.

    Signals:
        status(str): what the scheduler does, for the status bar.
        progress(str, int, int): file name, steps done, steps in all.
        run_finished(str, object, bool): file name, summary (a Text), whether the run completed.
    """

    status = Signal(str)
    progress = Signal(str, int, int)
    run_finished = Signal(str, object, bool)

    def __init__(self, folder: Path, settings_path: str | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        QObject.__init__(self)
        self.host = SchedulerHost(folder, settings_path, clock, listener=self)
        self.folder = self.host.folder
        self.running: str | None = None
        self.said: tuple[str, dict] = ("", {})  # the last status, untranslated, for announce()

    # -- life ------------------------------------------------------------------------------------
    @property
    def error(self) -> str | None:
        """Why the workspace cannot be served, or None."""
        return self.host.error

    @property
    def workspace(self) -> Workspace | None:
        """The workspace being served."""
        return self.host.workspace

    @property
    def scheduler(self) -> BackgroundScheduler | None:
        """The scheduler itself."""
        return self.host.scheduler

    def start(self) -> bool:
        """Start the scheduler; False (with ``error`` set) when the workspace cannot be served."""
        if not self.host.start():
            self._say(QT_TRANSLATE_NOOP("SchedulerService", "Scheduler off: {e}"), e=self.host.error)
            return False
        self._idle()
        return True

    def shutdown(self) -> None:
        """Stop after the current step and wait for the scheduler's thread."""
        self.host.shutdown()

    # -- what the panel asks ----------------------------------------------------------------------
    def scenario_files(self) -> list[Path]:
        """Every scenario file of the workspace folder."""
        return self.host.scenario_files()

    def is_enabled(self, path: Path) -> bool:
        """Whether the scheduler runs this file."""
        return self.host.is_enabled(path)

    def next_run(self, path: Path) -> datetime | None:
        """When the daily job of this file runs next."""
        return self.host.next_run(path)

    def history(self, path: Path) -> list[RunRecord]:
        """The latest runs of a scenario file."""
        return self.host.history(path)

    def set_enabled(self, path: Path, enabled: bool) -> Published | None:
        """Enable (publishing the file as the version to run) or disable a scenario.

        Raises:
            ScenarioError: the file is broken; nothing changes.
            CrmError: the CRM cannot take it; nothing changes.
        """
        published = self.host.set_enabled(path, enabled)
        self._idle()
        return published

    def end_stranded(self, path: Path, nodes: list[str]) -> int:
        """End the enrolments of customers waiting at nodes the published version deleted."""
        return self.host.end_stranded(path, nodes)

    def move_stranded(self, path: Path, nodes: list[str], to_node: str) -> int:
        """Move the customers waiting at deleted nodes to a node of the published version."""
        return self.host.move_stranded(path, nodes, to_node)

    def run_now(self, path: Path) -> None:
        """Run a scenario as soon as the scheduler's worker is free."""
        self.host.run_now(path)
        self._say(QT_TRANSLATE_NOOP("SchedulerService", "Scheduler: {name} will run now"), name=path.name)

    def cancel(self) -> None:
        """End the current run between steps (the next run finishes its work)."""
        self.host.cancel()

    # -- RunListener (called in the scheduler's thread; signals cross to the GUI) ----------------------
    def started(self, path: Path, steps: int) -> None:
        self.running = path.name
        self.progress.emit(path.name, 0, steps)
        self._say(QT_TRANSLATE_NOOP("SchedulerService", "Scheduler: running {name}"), name=path.name)

    def step(self, path: Path, done: int, steps: int) -> None:
        self.progress.emit(path.name, done, steps)
        self._say(QT_TRANSLATE_NOOP("SchedulerService", "Scheduler: running {name}, step {done} of {steps}"),
                  name=path.name, done=done, steps=steps)

    def finished(self, path: Path, summary: Text, ok: bool) -> None:
        self.running = None
        self.run_finished.emit(path.name, summary, ok)
        self._idle()

    def _idle(self) -> None:
        if self.scheduler is None:
            return
        found = self.host.next_job()
        if found is None:
            self._say(QT_TRANSLATE_NOOP("SchedulerService", "Scheduler: on, no scenario enabled"))
            return
        name, at = found
        self._say(QT_TRANSLATE_NOOP("SchedulerService", "Scheduler: on, next {name} at {at}"),
                  name=name, at=f"{at:%d.%m %H:%M}")

    def _say(self, source: str, **args: object) -> None:
        """Emit a status line (``source`` is the English text, marked for lupdate where it is written)."""
        self.said = (source, args)
        self.status.emit(translate("SchedulerService", source).format(**args))

    def announce(self) -> None:
        """Emit the last status again, in the current language."""
        if self.said[0]:
            source, args = self.said
            self._say(source, **args)


def status_label(status: str) -> str:
    """A run's status as the user reads it."""
    labels = {"running": translate("SchedulerPanel", "running"), "done": translate("SchedulerPanel", "done"),
              "stopped": translate("SchedulerPanel", "stopped"),
              "interrupted": translate("SchedulerPanel", "interrupted")}
    return labels.get(status, status)


def _item(text: str, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class SchedulerPanel(QWidget):
    """Scenarios of the workspace, their runs, and the buttons to run, cancel and publish."""

    def __init__(self, service: SchedulerService) -> None:
        super().__init__()
        self.service = service
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.where = QLabel()
        self.where.setObjectName("formHelp")
        layout.addWidget(self.where)
        self.scenarios = QTableWidget(0, 5)
        self.scenarios.setObjectName("scenarios")
        self.scenarios.verticalHeader().hide()
        self.scenarios.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.scenarios.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.scenarios.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.scenarios.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.scenarios.itemChanged.connect(self._switched)
        self.scenarios.itemSelectionChanged.connect(self.show_history)
        buttons = QHBoxLayout()
        self.run_button = QPushButton()
        self.run_button.setObjectName("run_now")
        self.run_button.clicked.connect(self.run_now)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancel_run")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(service.cancel)
        self.progress = QProgressBar()
        self.progress.setObjectName("run_progress")
        self.progress.setFormat("%v / %m")
        self.progress.hide()
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        for w in (self.run_button, self.cancel_button, self.refresh_button):
            buttons.addWidget(w)
        buttons.addWidget(self.progress, 1)
        layout.addLayout(buttons)
        self.runs = QTableWidget(0, 11)
        self.runs.setObjectName("runs")
        self.runs.verticalHeader().hide()
        self.runs.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.runs.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.runs.horizontalHeader().setSectionResizeMode(9, QHeaderView.ResizeMode.Stretch)
        self.runs.itemSelectionChanged.connect(self._show_counts)
        self.node_counts = QTableWidget(0, 2)
        self.node_counts.setObjectName("run_node_counts")
        self.node_counts.verticalHeader().hide()
        self.node_counts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        below = QSplitter()
        below.addWidget(self.runs)
        below.addWidget(self.node_counts)
        below.setSizes([800, 220])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.scenarios)
        split.addWidget(below)
        split.setSizes([90, 160])
        layout.addWidget(split, 1)
        self.records: list[RunRecord] = []
        self.results: dict[str, str] = {}
        service.progress.connect(self._progress)
        service.run_finished.connect(self._finished)
        self._filling = False
        self._translate_labels()
        QTimer.singleShot(0, self.refresh)

    def _translate_labels(self) -> None:
        self.scenarios.setHorizontalHeaderLabels([
            translate("SchedulerPanel", "On"), translate("SchedulerPanel", "Scenario"),
            translate("SchedulerPanel", "Next run"), translate("SchedulerPanel", "Last run"),
            translate("SchedulerPanel", "Result")])
        self.run_button.setText(translate("SchedulerPanel", "Run now"))
        self.cancel_button.setText(translate("SchedulerPanel", "Cancel run"))
        self.refresh_button.setText(translate("SchedulerPanel", "Refresh"))
        self.runs.setHorizontalHeaderLabels([
            translate("SchedulerPanel", "Run at"), translate("SchedulerPanel", "Status"),
            translate("SchedulerPanel", "Entered"), translate("SchedulerPanel", "Queued"),
            translate("SchedulerPanel", "Sent"), translate("SchedulerPanel", "Failed"),
            translate("SchedulerPanel", "Skipped"), translate("SchedulerPanel", "Over the cap"),
            translate("SchedulerPanel", "Bonuses"),
            translate("SchedulerPanel", "Duration"), translate("SchedulerPanel", "Error")])
        self.node_counts.setHorizontalHeaderLabels([translate("SchedulerPanel", "Node"),
                                                    translate("SchedulerPanel", "Reached")])

    def retranslate(self) -> None:
        """Show the panel in the current language."""
        self._translate_labels()
        self.refresh()

    def selected_path(self) -> Path | None:
        """The scenario file of the selected row."""
        rows = self.scenarios.selectionModel().selectedRows() if self.scenarios.selectionModel() else []
        if not rows:
            return None
        return Path(self.scenarios.item(rows[0].row(), 1).data(Qt.ItemDataRole.UserRole))

    def refresh(self) -> None:
        """Re-read the workspace's files, next runs and last results."""
        service = self.service
        self.where.setText(translate("SchedulerPanel", "Workspace: {folder}").format(folder=service.folder)
                           + ("" if service.error is None else "  ⚠ " + service.error))
        chosen = self.selected_path()
        self._filling = True  # selecting rows below must not read the history again
        histories: dict[Path, list[RunRecord]] = {}
        files = service.scenario_files()
        self.scenarios.setRowCount(len(files))
        for row, path in enumerate(files):
            switch = QTableWidgetItem()
            switch.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            switch.setCheckState(Qt.CheckState.Checked if service.is_enabled(path) else Qt.CheckState.Unchecked)
            self.scenarios.setItem(row, 0, switch)
            try:
                name = load(path).name
            except ScenarioError:
                name = path.name + " ⚠"
            label = _item(name)
            label.setData(Qt.ItemDataRole.UserRole, str(path))
            label.setToolTip(str(path))
            self.scenarios.setItem(row, 1, label)
            nxt = service.next_run(path)
            self.scenarios.setItem(row, 2, _item(f"{nxt:%d.%m %H:%M}" if nxt else "–"))
            histories[path] = self._read_history(path)
            last = histories[path][0] if histories[path] else None
            self.scenarios.setItem(row, 3, _item(f"{last.at:%d.%m %H:%M}" if last else "–"))
            result = self.results.get(path.name) or (
                translate("SchedulerPanel", "{status}: entered {entered}, queued {queued}, sent {sent}").format(
                    status=status_label(last.status), entered=last.entered, queued=last.queued, sent=last.sent)
                if last else "")
            self.scenarios.setItem(row, 4, _item(result))
            if chosen == path:
                self.scenarios.selectRow(row)
            if chosen is None and row == 0:
                self.scenarios.selectRow(0)
        self.scenarios.resizeColumnsToContents()
        self._filling = False
        self.show_history(histories.get(self.selected_path()))

    def _read_history(self, path: Path) -> list[RunRecord]:
        """The runs of a scenario; a broken file or an unreachable CRM shows as none, with the reason."""
        if self.service.workspace is None:
            return []
        try:
            return self.service.history(path)
        except Exception as exc:  # the panel must stay usable whatever the CRM does
            self.where.setText("⚠ " + str(exc))
            return []

    def show_history(self, records: list[RunRecord] | None = None) -> None:
        """Fill the run history of the selected scenario (``records`` when just read)."""
        if self._filling:
            return
        path = self.selected_path()
        if records is None:
            records = self._read_history(path) if path is not None else []
        self.records = records
        self.runs.setRowCount(len(self.records))
        for row, r in enumerate(self.records):
            took = "–" if r.seconds is None else translate("SchedulerPanel", "{s} s").format(
                s=QLocale().toString(r.seconds, "f", 1))
            values = [f"{r.at:%Y-%m-%d %H:%M}", status_label(r.status), r.entered, r.queued, r.sent, r.failed,
                      r.skipped, r.capped, r.bonuses, took,
                      r.error or ""]
            for col, value in enumerate(values):
                self.runs.setItem(row, col, _item(str(value), right=isinstance(value, int)))
        self.runs.resizeColumnsToContents()
        if self.records:
            self.runs.selectRow(0)
        self._show_counts()

    def _show_counts(self) -> None:
        rows = self.runs.selectionModel().selectedRows() if self.runs.selectionModel() else []
        record = self.records[rows[0].row()] if rows and rows[0].row() < len(self.records) else None
        counts = list(record.reached.items()) if record else []
        self.node_counts.setRowCount(len(counts))
        for row, (node, n) in enumerate(counts):
            self.node_counts.setItem(row, 0, _item(node))
            self.node_counts.setItem(row, 1, _item(str(n), right=True))

    def _switched(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 0:
            return
        path = Path(self.scenarios.item(item.row(), 1).data(Qt.ItemDataRole.UserRole))
        on = item.checkState() == Qt.CheckState.Checked
        try:
            published = self.service.set_enabled(path, on)
        except (ScenarioError, CrmError, WorkspaceError) as exc:
            QMessageBox.warning(self, translate("SchedulerPanel", "Cannot enable"), str(exc))
            self.refresh()
            return
        if published is not None and published.stranded:
            self._ask_stranded(path, published)
        self.refresh()

    def _ask_stranded(self, path: Path, published: Published) -> None:
        lines = "\n".join(
            counted().stranded(n).format(n=n, node=node)
            for node, n in published.stranded.items())
        box = QMessageBox(QMessageBox.Icon.Question, translate("SchedulerPanel", "Customers at deleted nodes"),
                          translate("SchedulerPanel", "Version {v} deleted nodes where customers wait:\n{lines}\n\n"
                                    "End their way through the scenario now, or leave them to decide later?").format(
                              v=published.version, lines=lines), parent=self)
        move = box.addButton(translate("SchedulerPanel", "Move them to…"), QMessageBox.ButtonRole.AcceptRole)
        end = box.addButton(translate("SchedulerPanel", "End them"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(translate("SchedulerPanel", "Decide later"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is end:
            self.service.end_stranded(path, list(published.stranded))
        elif box.clickedButton() is move:
            targets = [n.id for n in load(path).nodes if REGISTRY[n.type].has_input]
            target, ok = QInputDialog.getItem(self, translate("SchedulerPanel", "Move customers"),
                                              translate("SchedulerPanel", "Move them to node:"), targets, 0, False)
            if ok and target:
                self.service.move_stranded(path, list(published.stranded), target)

    def run_now(self) -> None:
        """Run the selected scenario now."""
        path = self.selected_path()
        if path is None or self.service.scheduler is None:
            return
        self.results.pop(path.name, None)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.service.run_now(path)

    def _progress(self, name: str, done: int, steps: int) -> None:
        self.progress.show()
        self.progress.setRange(0, steps)
        self.progress.setValue(done)
        self.cancel_button.setEnabled(True)

    def _finished(self, name: str, summary: Text, ok: bool) -> None:
        self.progress.hide()
        self.cancel_button.setEnabled(False)
        self.results[name] = ("" if ok else "⚠ ") + shown(summary)
        self.refresh()
