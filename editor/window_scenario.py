"""The Scenario menu and the scheduler: simulation, pictures, the client report, the workspace."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QFrame,
    QMessageBox,
    QScrollArea,
)

from app.reporting import gather_report, save_report
from app.workspace import create_workspace
from editor.export import export_png, export_svg, scenario_png_bytes
from editor.i18n import interface_language, translate
from editor.scheduler_panel import SchedulerPanel
from editor.scheduler_service import SchedulerService
from editor.simulate_dialog import SimulateDialog
from engine.model import Scenario
from engine.scenario import load


class ScenarioCommands:
    """Mixed into the main window (:class:`editor.window.MainWindow`), whose document, session,
    preferences and widgets it uses."""

    def simulate(self, scenario: Scenario | None = None, crm_url: str | None = None) -> SimulateDialog:
        """Open the simulation of the scenario as drawn now, or of ``scenario`` on ``crm_url`` (a
        workspace's), in a window of its own."""
        if self.form is not None:
            self.form.flush()
        dialog = SimulateDialog(scenario or self.scenario(), crm_url or self.prefs.crm, self)
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
        self.open_offer.offer(path, translate("MainWindow", "Picture saved: {path}").format(path=path))
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
        data = gather_report(self.scenario(), self.session.crm, self.last_result, self.last_simulation,
                             currency=self.session.settings().currency,
                             cost_per_part=self.session.settings().cost_per_part)
        save_report(path, data, scenario_png_bytes(self.doc.graph, scale=1.5), self.clock(), interface_language())
        self.open_offer.offer(path, translate("MainWindow", "Report saved: {path}").format(path=path))
        return Path(path)

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
        self.scheduler_panel.simulate_requested.connect(
            lambda path: self.simulate(load(path), self.scheduler.workspace.crm_url))
        dock = QDockWidget(self)
        dock.setObjectName("dock_scheduler")
        scroll = QScrollArea()  # the pane under the canvas may be lower than the panel: it scrolls then
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.scheduler_panel)
        dock.setWidget(scroll)
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
