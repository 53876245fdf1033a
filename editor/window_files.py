"""The File menu: new, open, save, import a shared scenario, templates, recent files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
)

from app.templates import Template, instantiate
from editor.document import Document
from editor.gallery import TemplateGallery
from editor.i18n import translate
from editor.messages import shown
from engine.problems import Problem, ScenarioError


def file_filter() -> str:
    """The file dialogs' filter, in the current language."""
    return translate("MainWindow", "Scenarist scenarios (*.scenario.json *.json);;All files (*)")


def _problem_line(problem: Problem | OSError) -> str:
    """One line of a refused file's problems: where, then what, in the interface language."""
    if isinstance(problem, OSError):
        return str(problem)
    where = ", ".join(x for x in (f"line {problem.line}" if problem.line else None, problem.node, problem.field) if x)
    return f"{where}: {shown(problem)}" if where else shown(problem)


class FileCommands:
    """Mixed into the main window (:class:`editor.window.MainWindow`), whose document, session,
    preferences and widgets it uses."""

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

    def new_window(self) -> Any:
        """Open another window (copy and paste work between windows)."""
        window = type(self)(prefs=self.prefs, clock=self.clock)
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
