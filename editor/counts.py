"""Counts on the nodes, computed off the GUI thread: the engine's preview, run in a worker
thread shortly after each edit; a result that an edit has overtaken is dropped."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from app.preview import PreviewSource, TickResult
from connectors.texts import Text, TextError
from engine.model import Scenario
from engine.problems import ScenarioError

DEBOUNCE_MS = 400


class _Worker(QObject):
    """Lives in the worker thread; keeps the CRM open between counts."""

    done = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self) -> None:
        super().__init__()
        self.source = PreviewSource()

    @Slot(int, object, str, object)
    def count(self, generation: int, scenario: Scenario, url: str, now: datetime) -> None:
        try:
            self.done.emit(generation, self.source.count(scenario, url, now))
        except TextError as exc:
            self.failed.emit(generation, exc.text)
        except ScenarioError as exc:
            self.failed.emit(generation, str(exc))
        except Exception as exc:  # a broken connection must not kill the counting thread
            self.failed.emit(generation, Text("crm.cannot_connect", {"reason": f"{type(exc).__name__}: {exc}"}))

    @Slot()
    def close(self) -> None:
        self.source.close()


class Counter(QObject):
    """Asks for counts; emits ``counted`` with the latest scenario's result only.

    Signals:
        busy(bool): counting started or ended.
        counted(TickResult): fresh counts for the scenario last asked about.
        failed(object): why the counts could not be computed (a Text, or the scenario's problems as text).
    """

    busy = Signal(bool)
    counted = Signal(object)
    failed = Signal(object)
    _ask = Signal(int, object, str, object)
    _close = Signal()

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.thread = QThread()
        self.thread.setObjectName("counts")
        self.worker = _Worker()
        self.worker.moveToThread(self.thread)
        self._ask.connect(self.worker.count)
        self._close.connect(self.worker.close)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.thread.start()
        self.generation = 0
        self.running = False
        self.waiting: tuple[Scenario, str] | None = None
        self.timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.timer.timeout.connect(self._send)

    def request(self, scenario: Scenario, url: str | None, now: bool = False) -> None:
        """Count ``scenario`` on the CRM at ``url`` shortly (or ``now``), replacing any earlier ask."""
        self.generation += 1
        if not url:
            self.waiting = None
            return
        self.waiting = (scenario, url)
        if now:
            self._send()
        else:
            self.timer.start()

    def _send(self) -> None:
        self.timer.stop()
        if self.running or self.waiting is None:
            return
        scenario, url = self.waiting
        self.waiting = None
        self.running = True
        self.busy.emit(True)
        self._ask.emit(self.generation, scenario, url, self.clock())

    def _finish(self) -> bool:
        self.running = False
        if self.waiting is not None:
            self._send()
            return False
        self.busy.emit(False)
        return True

    def _done(self, generation: int, result: TickResult) -> None:
        if self._finish() and generation == self.generation:
            self.counted.emit(result)

    def _failed(self, generation: int, message: object) -> None:
        if self._finish() and generation == self.generation:
            self.failed.emit(message)

    def is_idle(self) -> bool:
        """Nothing asked and nothing counting."""
        return not self.running and self.waiting is None and not self.timer.isActive()

    def reset(self) -> None:
        """Reopen the CRM on the next count (its mapping or password changed)."""
        self._close.emit()

    def shutdown(self) -> None:
        """Close the CRM and stop the thread (waits for a count in progress)."""
        self.timer.stop()
        self.waiting = None
        self._close.emit()
        self.thread.quit()
        self.thread.wait()
