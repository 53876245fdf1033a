"""File → New shop from CSV/Excel…: a wizard over :mod:`app.shop_import`.

Three pages: the files (what was detected in each is shown), the columns (for each of
Scenarist's columns a header of the file, with five sample rows), and the import itself (a
progress bar, the bad rows, *Import the rest*). The import runs in a worker thread; when it has
kept the rows, *Finish* connects the window to the new shop.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.shop_import import ImportCancelled, ImportResult, TableFile, import_shop
from connectors.texts import Text, TextError, words
from editor.badges import fmt
from editor.i18n import interface_language, translate
from editor.messages import shown
from editor.screen_fit import resize_within_screen
from editor.shop_import_pages import ColumnsPage, FilesPage, table_words


class ImportRelay(QObject):
    """Brings an import's progress and outcome from its Python thread to the window's thread: a
    signal emitted in another thread reaches the wizard's slots queued, in the window's thread.
    (A plain thread rather than a moved QObject: nothing of Qt's is created or deleted off the
    window's thread.)"""

    progress = Signal(str, float, int)
    finished = Signal(object)  # the ImportResult
    failed = Signal(str)

    def run(self, out: str, files: dict[str, TableFile], mapping: dict[str, dict[str, str]], skip_bad: bool,
            cancel: threading.Event, lang: str) -> None:
        """Import (in the worker thread); exactly one of finished or failed is emitted."""
        try:
            result = import_shop(out, files, mapping, skip_bad=skip_bad, progress=self.progress.emit,
                                 cancel=cancel, lang=lang)
        except ImportCancelled:
            self.failed.emit(translate("ShopImportWizard", "Cancelled: nothing was imported."))
        except TextError as exc:
            self.failed.emit(words(exc.text, lang))
        except Exception as exc:  # a database error must reach the user, not end the thread silently
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.finished.emit(result)


class ImportPage(QWizardPage):
    """The import: a progress bar, then what it did or the bad rows."""

    def __init__(self, wizard: ShopImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(translate("ShopImportWizard", "Import"))
        self.setSubTitle(translate("ShopImportWizard", "Every row is checked first: a file with a bad row imports "
                                                       "nothing unless you import the rest."))
        self.result: ImportResult | None = None
        layout = QVBoxLayout(self)
        self.skip_bad = QCheckBox(translate("ShopImportWizard", "Import the rest, and keep the rejected rows in a "
                                                                "CSV file beside the shop"))
        self.skip_bad.setObjectName("skip_bad")
        self.run_button = QPushButton(translate("ShopImportWizard", "Import"))
        self.run_button.setObjectName("run_import")
        self.run_button.clicked.connect(wizard.start_import)
        top = QHBoxLayout()
        top.addWidget(self.skip_bad, 1)
        top.addWidget(self.run_button)
        layout.addLayout(top)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        layout.addWidget(self.progress)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.bad = QListWidget()
        self.bad.setObjectName("bad_rows")
        layout.addWidget(self.bad, 1)

    def initializePage(self) -> None:
        """A fresh start each time the page is reached."""
        self.result = None
        self.progress.setValue(0)
        self.status.setText("")
        self.bad.clear()

    def isComplete(self) -> bool:
        """Finished once an import has kept its rows."""
        return self.result is not None and self.result.kept


class ShopImportWizard(QWizard):
    """File → New shop from CSV/Excel…; :attr:`url` is the new shop's once it finished.

    Attributes:
        url: The SQLAlchemy URL of the shop the import wrote (None until it kept its rows).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shop_import")
        self.setWindowTitle(translate("ShopImportWizard", "New shop from CSV/Excel"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.url: str | None = None
        self.thread: threading.Thread | None = None
        self.cancel = threading.Event()
        self.relay = ImportRelay(self)
        self.relay.progress.connect(self._progress)
        self.relay.finished.connect(self._finished)
        self.relay.failed.connect(self._failed)
        self.files_page = FilesPage()
        self.columns_page = ColumnsPage(self.files_page)
        self.import_page = ImportPage(self)
        for page in (self.files_page, self.columns_page, self.import_page):
            self.addPage(page)
        resize_within_screen(self, 1000, 640)

    def start_import(self) -> None:
        """Run the import in a worker thread."""
        if self.thread is not None:
            return
        page = self.import_page
        page.initializePage()
        self.cancel = threading.Event()
        self.thread = threading.Thread(target=self.relay.run, name="shop-import", daemon=True, args=(
            self.files_page.out.text().strip(), dict(self.files_page.files), self.columns_page.mapping(),
            page.skip_bad.isChecked(), self.cancel, interface_language()))
        page.status.setText(translate("ShopImportWizard", "Reading and checking every row…"))
        page.run_button.setEnabled(False)
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        self.thread.start()

    def _progress(self, table: str, done: float, rows: int) -> None:
        page = self.import_page
        page.progress.setValue(int(done * 1000))
        page.status.setText(translate("ShopImportWizard", "{table}: rows read: {rows}").format(
            table=table_words(f"{table}.tab"), rows=fmt(rows)))

    def _finished(self, result: ImportResult) -> None:
        self._thread_done()
        page = self.import_page
        page.result = result
        page.progress.setValue(1000)
        page.bad.addItems([shown(row.text()) for row in result.bad])
        if result.bad_total > len(result.bad):
            page.bad.addItem(shown(Text("import.more_bad", {"n": result.bad_total - len(result.bad)})))
        if result.kept:
            self.url = result.url
            page.status.setText("\n".join(shown(line) for line in result.summary()) + "\n" + translate(
                "ShopImportWizard", "Finish connects the window to {path}.").format(path=result.path))
        else:
            page.status.setText(translate("ShopImportWizard", "Nothing was imported. Bad rows: {n}, listed below by "
                                                              "file, line and column. Correct the files, or import "
                                                              "the rest.").format(n=fmt(result.bad_total)))
        page.completeChanged.emit()

    def _failed(self, message: str) -> None:
        self._thread_done()
        self.import_page.status.setText("⚠ " + message)

    def _thread_done(self) -> None:
        if self.thread is not None:
            self.thread.join()  # it has emitted its last signal: it ends now
        self.thread = None
        self.import_page.run_button.setEnabled(True)
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)

    def reject(self) -> None:
        """Cancel: a running import is stopped first, keeping nothing."""
        self.stop()
        super().reject()

    def stop(self) -> None:
        """Stop a running import and wait for its thread."""
        self.cancel.set()
        if self.thread is not None:
            self.thread.join(30)

    def done_path(self) -> Path | None:
        """The shop file written, once the import kept its rows."""
        result = self.import_page.result
        return result.path if result is not None and result.kept else None


def shop_import_wizard(parent: QWidget, on_done: Any) -> ShopImportWizard:
    """Open the wizard (window-modal, not blocking); ``on_done(url)`` when it finished with a shop."""
    wizard = ShopImportWizard(parent)
    wizard.accepted.connect(lambda: wizard.url and on_done(wizard.url))
    wizard.open()
    return wizard
