"""The scheduler's panel: the workspace's scenarios with an enabled switch, their next and last
runs, the run history, "Run now" with progress and cancel. The scheduler is the one ``serve``
uses (:mod:`app.scheduling`, wrapped for Qt in :mod:`editor.scheduler_service`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
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
from app.scheduling import Published, RunRecord
from app.workspace import WorkspaceError
from connectors.texts import Text
from editor.badges import fmt
from editor.i18n import counted, interface_language, translate
from editor.messages import shown
from editor.run_questions import ask_run_now, ask_switch_on, offer_simulation
from editor.scheduler_service import SchedulerService
from engine.describe import titles_of
from engine.nodes import REGISTRY
from engine.problems import ScenarioError
from engine.scenario import load


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


def when(moment: datetime, zone: ZoneInfo | None = None, *, year: bool = False) -> str:
    """A moment with the zone it is in, where it can differ from the computer's: "02.12 10:00 MSK".
    A naive moment is the scenario's local time (``zone``)."""
    if moment.tzinfo is None and zone is not None:
        moment = moment.replace(tzinfo=zone)
    text = f"{moment:%d.%m.%Y %H:%M}" if year else f"{moment:%d.%m %H:%M}"
    return f"{text} {moment.tzname()}" if moment.tzinfo is not None else text


def _table(name: str, columns: int, stretch: int | None = None) -> QTableWidget:
    """A read-only table of whole rows; column ``stretch`` takes the room left."""
    table = QTableWidget(0, columns)
    table.setObjectName(name)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if stretch is not None:
        table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class SchedulerPanel(QWidget):
    """Scenarios of the workspace, their runs, and the buttons to run, cancel and publish.

    Signals:
        simulate_requested(Path): the user asked to simulate a scenario that is switched off.
    """

    simulate_requested = Signal(object)

    def __init__(self, service: SchedulerService) -> None:
        super().__init__()
        self.service = service
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.where = QLabel()
        self.where.setObjectName("formHelp")
        layout.addWidget(self.where)
        self.scenarios = _table("scenarios", 5, stretch=4)
        self.scenarios.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
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
        self.runs = _table("runs", 13, stretch=11)
        self.runs.itemSelectionChanged.connect(self._show_counts)
        self.node_counts = _table("run_node_counts", 2)
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
        self.titles: dict[str, str] = {}
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
            translate("SchedulerPanel", "Bonuses"), translate("SchedulerPanel", "Suppressed"),
            translate("SchedulerPanel", "Reached the goal"),
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
                scenario = load(path)
                name, zone = scenario.name, ZoneInfo(scenario.settings.get("timezone") or "Europe/Moscow")
            except ScenarioError:
                name, zone = path.name + " ⚠", None
            label = _item(name)
            label.setData(Qt.ItemDataRole.UserRole, str(path))
            label.setToolTip(str(path))
            self.scenarios.setItem(row, 1, label)
            nxt = service.next_run(path)
            off = translate("SchedulerPanel", "off: runs only when switched on")
            self.scenarios.setItem(row, 2, _item(when(nxt) if nxt else off if not service.is_enabled(path) else "–"))
            histories[path] = self._read_history(path)
            last = histories[path][0] if histories[path] else None
            self.scenarios.setItem(row, 3, _item(when(last.at, zone) if last else translate("SchedulerPanel",
                                                                                              "never yet")))
            result = self.results.get(path.name) or (
                translate("SchedulerPanel", "{status}: entered {entered}, queued {queued}, sent {sent}").format(
                    status=status_label(last.status), entered=fmt(last.entered), queued=fmt(last.queued),
                    sent=fmt(last.sent)) if last else "")
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
        self.titles = self._titles(path)
        zone = self._zone(path)
        self.runs.setRowCount(len(self.records))
        for row, r in enumerate(self.records):
            took = "–" if r.seconds is None else translate("SchedulerPanel", "{s} s").format(
                s=QLocale().toString(r.seconds, "f", 1))
            values = [when(r.at, zone, year=True), status_label(r.status), r.entered, r.queued, r.sent, r.failed,
                      r.skipped, r.capped, r.bonuses, r.suppressed, r.goal, took, r.error or ""]
            for col, value in enumerate(values):
                numeric = isinstance(value, int)
                self.runs.setItem(row, col, _item(fmt(value) if numeric else str(value), right=numeric))
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
            self.node_counts.setItem(row, 0, _item(self.titles.get(node, node)))
            self.node_counts.setItem(row, 1, _item(fmt(n), right=True))

    @staticmethod
    def _titles(path: Path | None) -> dict[str, str]:
        try:
            return titles_of(load(path), interface_language()) if path is not None else {}
        except ScenarioError:
            return {}

    @staticmethod
    def _zone(path: Path | None) -> ZoneInfo | None:
        try:
            return ZoneInfo(load(path).settings.get("timezone") or "Europe/Moscow") if path is not None else None
        except ScenarioError:
            return None

    def _switched(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 0:
            return
        path = Path(self.scenarios.item(item.row(), 1).data(Qt.ItemDataRole.UserRole))
        on = item.checkState() == Qt.CheckState.Checked
        try:
            if on and not ask_switch_on(self, self.service.plan(path, switching_on=True), self.service.first_run(path)):
                self.refresh()  # the switch goes back: nothing was published or scheduled
                return
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
        box.setObjectName("stranded")
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
        """Run the selected scenario now, for real, after saying what that would do; a scenario
        that is switched off is offered a simulation instead."""
        path = self.selected_path()
        if path is None or self.service.scheduler is None:
            return
        if not self.service.is_enabled(path):
            if offer_simulation(self, load(path).name):
                self.simulate_requested.emit(path)
            return
        try:
            plan = self.service.plan(path)
        except (ScenarioError, CrmError) as exc:
            QMessageBox.warning(self, translate("SchedulerPanel", "Cannot run"), shown(getattr(exc, "text", str(exc))))
            return
        if not ask_run_now(self, plan, self.service.host.clock()):
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
