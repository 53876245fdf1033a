"""Simulate: the real engine, day by day, on a throwaway copy of the CRM, in the background.

The window's CRM is never written: :func:`app.simulation.run_simulation` copies it first. The
run can be cancelled between steps; the chart, the funnel and the table show the result, which
can be saved as CSV and goes into the client report.
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.charts import funnel_figure, timeline_figure
from app.settings import lenient_user_settings
from app.simulation import Response, SimulationCancelled, run_simulation, write_csv
from connectors.texts import TextError, money
from editor.badges import fmt
from editor.i18n import interface_language, translate
from editor.messages import shown
from editor.screen_fit import resize_within_screen
from engine.describe import titles_of
from engine.model import Scenario
from engine.problems import ScenarioError

COLUMNS = ("reached", "waiting", "messages", "bonuses", "orders", "revenue")



class SimulationWorker(QObject):
    """Runs one simulation in a worker thread; reports progress and the outcome by signals."""

    progress = Signal(int, int)
    finished = Signal(object)  # the result's JSON dict
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, scenario: Scenario, crm_url: str, days: int, start: datetime,
                 response: Response | None) -> None:
        super().__init__()
        self.scenario, self.crm_url, self.days, self.start, self.response = scenario, crm_url, days, start, response
        self.cancel = threading.Event()

    def run(self) -> None:
        """Simulate; exactly one of finished, failed or cancelled is emitted."""
        try:
            result = run_simulation(self.scenario, self.crm_url, lenient_user_settings(), self.days, self.start,
                                    response=self.response, progress=self.progress.emit, cancel=self.cancel)
        except SimulationCancelled:
            self.cancelled.emit()
        except TextError as exc:
            self.failed.emit(shown(exc.text))
        except (ScenarioError, ValueError) as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a database error must reach the user, not end the thread silently
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.finished.emit(result.to_json())
        finally:
            # Back to the window's thread, so that its deleteLater is carried out there once this
            # thread has stopped (a worker left on a finished thread is never deleted).
            self.moveToThread(QCoreApplication.instance().thread())


class SimulateDialog(QDialog):
    """Asks for days and a response model, runs the simulation and shows what it found.

    Attributes:
        result: The latest finished simulation (``SimulationResult.to_json()``), or None.
    """

    result_ready = Signal(object)  # the result's JSON dict, when a simulation finishes
    worker_done = Signal()  # a run ended, however (finished, failed or cancelled)

    def __init__(self, scenario: Scenario, crm_url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scenario, self.crm_url = scenario, crm_url
        self.currency = lenient_user_settings().currency
        self.titles = titles_of(scenario, interface_language())
        self.result: dict[str, Any] | None = None
        self.thread: QThread | None = None
        self.worker: SimulationWorker | None = None
        self.setWindowTitle(translate("SimulateDialog", "Simulate: {name}").format(name=scenario.name))
        resize_within_screen(self, 1100, 760)
        layout = QHBoxLayout(self)
        side = QWidget()
        side.setLayout(self._controls())
        side.setMaximumWidth(440)  # the Russian labels and a whole date and time fit
        layout.addWidget(side)
        layout.addWidget(self._results(), 1)
        self._headers()

    def _spin(self, box: QSpinBox | QDoubleSpinBox, low: float, high: float, value: float,
              suffix: str = "") -> QSpinBox | QDoubleSpinBox:
        box.setRange(low, high)
        box.setValue(value)
        if suffix:
            box.setSuffix(suffix)
        return box

    def _controls(self) -> QVBoxLayout:
        """The form (days, start, the response model), the buttons and the progress."""
        days = translate("SimulateDialog", " days")
        self.days = self._spin(QSpinBox(), 1, 365, 30, days)
        # naive: the scenario's local time, as the simulation reads it (not the computer's zone)
        zone = ZoneInfo(self.scenario.settings.get("timezone") or "Europe/Moscow")
        self.start = QDateTimeEdit(QDateTime(datetime.now(zone).replace(tzinfo=None, second=0, microsecond=0)))
        self.start.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.start.setCalendarPopup(True)
        self.forecast = QCheckBox(translate("SimulateDialog", "Forecast orders"))
        self.forecast.setChecked(True)
        rate = QDoubleSpinBox()
        rate.setDecimals(1)
        self.rate = self._spin(rate, 0, 100, 5, " %")
        baseline = QDoubleSpinBox()
        baseline.setDecimals(1)
        self.baseline = self._spin(baseline, 0, 100, 0, " %")
        self.baseline.setObjectName("simBaseline")
        self.baseline.setToolTip(translate("SimulateDialog", "Customers who order on their own within the same days, "
                                                             "message or not: a control converts at this rate"))
        self.within = self._spin(QSpinBox(), 1, 90, 7, days)
        average = QDoubleSpinBox()
        average.setDecimals(0)
        self.average = self._spin(average, 1, 10_000_000, 3000, f" {self.currency}")
        self.seed = self._spin(QSpinBox(), 1, 1_000_000, 1)
        self.seed.setToolTip(translate("SimulateDialog", "Which customers order is drawn by chance: the same number "
                                                         "draws the same ones again, another number draws others."))
        form = QFormLayout()
        for label, widget in ((translate("SimulateDialog", "Days"), self.days),
                              (translate("SimulateDialog", "Start"), self.start), (None, self._zone_note()),
                              (None, self.forecast),
                              (translate("SimulateDialog", "Chance to order after a message"), self.rate),
                              (translate("SimulateDialog", "Chance to order anyway"), self.baseline),
                              (translate("SimulateDialog", "Order comes within"), self.within),
                              (translate("SimulateDialog", "Average order"), self.average),
                              (translate("SimulateDialog", "Draw number"), self.seed)):
            form.addRow(widget) if label is None else form.addRow(label, widget)
        self.forecast.toggled.connect(self._response_toggled)
        self.run_button = QPushButton(translate("SimulateDialog", "Run simulation"))
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton(translate("SimulateDialog", "Cancel"))
        self.cancel_button.setEnabled(False)
        self.csv_button = QPushButton(translate("SimulateDialog", "Save CSV…"))
        self.csv_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel(translate("SimulateDialog", "The CRM is copied first: the simulation never changes it."))
        self.status.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.run_button.clicked.connect(self.start_run)
        self.cancel_button.clicked.connect(self.cancel_run)
        self.csv_button.clicked.connect(self.save_csv)
        buttons = QHBoxLayout()
        for button in (self.run_button, self.cancel_button, self.csv_button):
            buttons.addWidget(button)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addLayout(buttons)
        for widget in (self.progress, self.status, self.summary):
            left.addWidget(widget)
        left.addStretch(1)
        return left

    def _results(self) -> QTabWidget:
        """The tabs of a result: the chart over days, the funnel, the steps and the days."""
        self.tabs = QTabWidget()
        self.table = QTableWidget(0, len(COLUMNS) + 1)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.days_table = QTableWidget(0, 6)
        self.days_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.days_table.verticalHeader().setVisible(False)
        self.days_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.chart_tab = QWidget()
        self.chart_tab.setLayout(QVBoxLayout())
        self.funnel_tab = QWidget()
        self.funnel_tab.setLayout(QVBoxLayout())
        self.tabs.addTab(self.chart_tab, translate("SimulateDialog", "Chart"))
        self.tabs.addTab(self.funnel_tab, translate("SimulateDialog", "Funnel"))
        self.tabs.addTab(self.table, translate("SimulateDialog", "Steps"))
        self.tabs.addTab(self.days_table, translate("SimulateDialog", "Day by day"))
        return self.tabs

    def _headers(self) -> None:
        # Two-line headers: the columns stay as narrow as their numbers, the labels whole.
        names = {"reached": translate("SimulateDialog", "Customers\n(each once)"),
                 "waiting": translate("SimulateDialog", "Waiting\nat the end"),
                 "messages": translate("SimulateDialog", "Messages"),
                 "bonuses": translate("SimulateDialog", "Bonuses"), "orders": translate("SimulateDialog", "Orders"),
                 "revenue": translate("SimulateDialog", "Revenue")}
        self.table.setHorizontalHeaderLabels([translate("SimulateDialog", "Step"), *[names[c] for c in COLUMNS]])
        self.days_table.setHorizontalHeaderLabels([
            translate("SimulateDialog", "Day"), translate("SimulateDialog", "Entered"), names["messages"],
            names["bonuses"], names["orders"], names["revenue"]])

    def _zone_note(self) -> QLabel:
        note = QLabel(translate("SimulateDialog", "The start is in the scenario's time, {zone}.").format(
            zone=self.scenario.settings.get("timezone") or "Europe/Moscow"))
        note.setObjectName("formHelp")
        note.setWordWrap(True)
        return note

    def _response_toggled(self, on: bool) -> None:
        for widget in (self.rate, self.baseline, self.within, self.average, self.seed):
            widget.setEnabled(on)

    def response(self) -> Response | None:
        """The response model the form describes (None without a forecast)."""
        if not self.forecast.isChecked():
            return None
        return Response(rate=self.rate.value() / 100, within_days=self.within.value(),
                        average_order=self.average.value(), seed=self.seed.value(),
                        baseline=self.baseline.value() / 100)

    def start_run(self) -> None:
        """Start the simulation in a worker thread."""
        if self.thread is not None:
            return
        if not self.crm_url:
            QMessageBox.information(self, translate("SimulateDialog", "Simulate"),
                                    translate("SimulateDialog", "Connect a CRM first (CRM → Connect to a CRM…)."))
            return
        start = self.start.dateTime().toPython().replace(second=0, microsecond=0)
        self.worker = SimulationWorker(self.scenario, self.crm_url, self.days.value(), start, self.response())
        self.thread = QThread(self)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.progress.connect(self._progress)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)
        for signal in (self.worker.finished, self.worker.failed, self.worker.cancelled):
            signal.connect(self.thread.quit)
        self.thread.finished.connect(self._thread_done)
        self.progress.setRange(0, self.days.value())
        self.progress.setValue(0)
        self.status.setText(translate("SimulateDialog", "Copying the CRM and simulating…"))
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.thread.start()

    def cancel_run(self) -> None:
        """Ask the running simulation to stop at its next step."""
        if self.worker is not None:
            self.worker.cancel.set()
            self.status.setText(translate("SimulateDialog", "Cancelling…"))

    def _progress(self, done: int, days: int) -> None:
        self.progress.setRange(0, days)
        self.progress.setValue(done)
        self.status.setText(translate("SimulateDialog", "Day {done} of {days}").format(done=done, days=days))

    def _failed(self, message: str) -> None:
        self.status.setText(translate("SimulateDialog", "The simulation failed: {error}").format(error=message))

    def _cancelled(self) -> None:
        self.status.setText(translate("SimulateDialog", "Cancelled. The CRM was not changed."))

    def _thread_done(self) -> None:
        self.thread.deleteLater()
        self.worker.deleteLater()
        self.thread = self.worker = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.worker_done.emit()

    def _finished(self, result: dict[str, Any]) -> None:
        self.result = result
        totals = result["totals"]
        seconds = QLocale().toString(float(result["seconds"]), "f", 1)  # 1.7 in English, 1,7 in Russian
        self.status.setText(translate("SimulateDialog", "Done in {s} s.").format(s=seconds))
        self.summary.setText(translate(
            "SimulateDialog", "{days} days: {entered} customers entered, {messages} messages, {bonuses} bonuses, "
                              "{orders} orders, revenue {revenue}").format(
            days=fmt(result["days"]), entered=fmt(totals["entered"]), messages=fmt(totals["messages"]),
            bonuses=fmt(totals["bonuses"]), orders=fmt(totals["orders"]), revenue=self._money(totals["revenue"])))
        self._fill_table(result)
        self._fill_days(result)
        self._show_figure(self.chart_tab, timeline_figure(result, dark=True, lang=interface_language()))
        self._show_figure(self.funnel_tab, funnel_figure(result, dark=True, lang=interface_language()))
        self.csv_button.setEnabled(True)
        self.result_ready.emit(result)

    def _fill_table(self, result: dict[str, Any]) -> None:
        by_node = result["totals"]["nodes"]
        self.table.setRowCount(len(result["nodes"]))
        for row, node in enumerate(result["nodes"]):
            self.table.setItem(row, 0, QTableWidgetItem(self.titles.get(node["id"], node["title"])))
            for col, key in enumerate(COLUMNS, start=1):
                value = by_node[node["id"]][key]
                item = QTableWidgetItem(self._money(value) if key == "revenue" else fmt(value))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)

    def _fill_days(self, result: dict[str, Any]) -> None:
        self.days_table.setRowCount(len(result["daily"]))
        for row, day in enumerate(result["daily"]):
            t = day["totals"]
            values = [f"{date.fromisoformat(day['day']):%d.%m.%Y}", fmt(t["entered"]), fmt(t["messages"]),
                      fmt(t["bonuses"]), fmt(t["orders"]), self._money(t["revenue"])]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.days_table.setItem(row, col, item)

    def _money(self, amount: float) -> str:
        return money(float(amount), interface_language(), self.currency)

    @staticmethod
    def _show_figure(tab: QWidget, figure: Any) -> None:
        layout = tab.layout()
        while layout.count():
            old = layout.takeAt(0).widget()
            if old is not None:
                old.deleteLater()
        layout.addWidget(FigureCanvasQTAgg(figure))

    def save_csv(self, path: str | None = None) -> Path | None:
        """Write the per-day, per-node figures of the latest result as CSV."""
        if self.result is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, translate("SimulateDialog", "Save CSV"),
                                                  f"{self.scenario.name}.csv",
                                                  translate("SimulateDialog", "CSV files (*.csv)"))
            if not path:
                return None
        write_csv(self.result, path)
        return Path(path)

    def done(self, code: int) -> None:
        """Stop a running simulation before the dialog goes away."""
        if self.worker is not None:
            self.worker.cancel.set()
        if self.thread is not None:
            self.thread.quit()
            self.thread.wait(30_000)
        super().done(code)
