"""The scheduler inside the window: the enabled switch publishes, Run now runs and is recorded
with its counts, a run can be cancelled between steps and the next one finishes the work, and a
scenario due in a few seconds runs once by itself."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

import engine.faults as faults
from app.prefs import Prefs
from app.settings import default_path
from editor.window import MainWindow
from engine.scenario import load
from tests.helpers import REACTIVATION, checksum, make_crm, rows
from tests.test_serve import ORDERS, PEOPLE
from tests.windows import answer


@pytest.fixture
def shop(user_dirs, tmp_path):
    """A small CRM, the reactivation scenario in the user's workspace, and a file channel."""
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    make_crm(url, PEOPLE, ORDERS)
    workspace = user_dirs / "data" / "Scenarist" / "workspace"
    workspace.mkdir(parents=True)
    (workspace / "reactivation.scenario.json").write_text(REACTIVATION.read_text(encoding="utf-8"), encoding="utf-8")
    (workspace / "workspace.toml").write_text(f'crm = "{url}"\nenabled = []\nreconcile_minutes = 60\n',
                                              encoding="utf-8")
    outbox = tmp_path / "outbox"
    default_path().parent.mkdir(parents=True, exist_ok=True)
    default_path().write_text(f'[channels.email]\nkind = "file"\nfolder = "{outbox}"\nformat = "jsonl"\n',
                              encoding="utf-8")
    return url, workspace, outbox


_QTBOT: list = []
MSK = ZoneInfo("Europe/Moscow")
# The window's moment, whatever the hour the suite runs at: 11:00 in Moscow, an hour after the
# scenario's trigger time (the tests failed before 07:00 UTC while the window read the wall clock).
NOW = datetime(2026, 3, 2, 11, 0, tzinfo=MSK)
MOMENT = [NOW]  # the window's clock reads it; a test moves it on


@pytest.fixture
def window(qtbot, shop):
    _QTBOT[:] = [qtbot]
    MOMENT[:] = [NOW]
    made = MainWindow(prefs=Prefs(crm=shop[0]), clock=lambda: MOMENT[0])
    made.show()
    yield made
    if shiboken6.isValid(made) and made.isVisible():
        made.form = None
        made.doc.undo_stack.setClean()
        made.close()
    qtbot.wait(10)


def switch(window: MainWindow, on: bool, qtbot=None) -> None:
    """Tick or untick the first scenario's switch; switching on is confirmed in the question it asks."""
    if on:
        answer(qtbot or _QTBOT[0], "confirm_switch_on")
    window.scheduler_panel.scenarios.item(0, 0).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def run_now(qtbot, panel) -> None:
    """Click Run now and confirm the question it asks."""
    answer(qtbot, "confirm_run")
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)



def sent_lines(outbox: Path) -> list[dict]:
    return [json.loads(line) for f in outbox.glob("*.jsonl") for line in f.read_text(encoding="utf-8").splitlines()]


def test_enable_publishes_and_run_now_is_recorded_with_its_counts(qtbot, window, shop):
    url, workspace, outbox = shop
    panel = window.scheduler_panel
    assert panel.scenarios.rowCount() == 1 and panel.scenarios.item(0, 1).text() == "Reactivation by orders"
    assert "no scenario enabled" in window.scheduler_label.text()
    assert [panel.scenarios.item(0, c).text() for c in (2, 3)] == ["off: runs only when switched on", "never yet"]
    switch(window, True)
    assert 'enabled = ["reactivation.scenario.json"]' in (workspace / "workspace.toml").read_text(encoding="utf-8")
    assert rows(url, "SELECT scenario, version FROM scenarist_versions") == [("reactivation-by-orders", 1)]
    assert panel.scenarios.item(0, 2).text() != "–"  # the next daily run is scheduled
    assert "next Reactivation by orders" in window.scheduler_label.text()
    # the scenario runs on Moscow time; the times say so, whatever the computer's zone
    assert panel.scenarios.item(0, 2).text().endswith(" MSK") and window.scheduler_label.text().endswith(" MSK")

    panel.scenarios.selectRow(0)
    with qtbot.waitSignal(window.scheduler.run_finished, timeout=30000) as done:
        run_now(qtbot, panel)
    name, summary, ok = done.args
    assert ok and name == "reactivation.scenario.json" and "entered 30" in str(summary)
    messages = sent_lines(outbox)
    assert len(messages) == 30
    qtbot.waitUntil(lambda: panel.runs.rowCount() == 1)
    record = panel.records[0]
    assert (record.status, record.entered, record.queued, record.sent) == ("done", 30, 30, 30)
    assert panel.runs.item(0, 4).text() == "30" and panel.runs.item(0, 1).text() == "done"
    assert panel.runs.item(0, 0).text().endswith(" MSK")
    # The duration is the tick's wall time as the history keeps it, shown to a tenth of a second.
    ((stored,),) = rows(url, "SELECT seconds FROM scenarist_runs")
    assert record.seconds == stored and panel.runs.item(0, 11).text() == f"{stored:.1f} s"
    heads = [panel.runs.horizontalHeaderItem(c).text() for c in (9, 10)]
    assert heads == ["Suppressed", "Reached the goal"] and [panel.runs.item(0, c).text() for c in (9, 10)] == [
        str(record.suppressed), str(record.goal)]
    shown = {panel.node_counts.item(r, 0).text(): int(panel.node_counts.item(r, 1).text())
             for r in range(panel.node_counts.rowCount())}
    titles = {n.id: n.title for n in load(REACTIVATION).nodes}  # the panel names nodes as the canvas does
    assert shown == {titles[node]: n for node, n in rows(url, "SELECT node_id, reached FROM scenarist_run_counts")}
    assert shown[titles["mail1"]] == 30

    with qtbot.waitSignal(window.scheduler.run_finished, timeout=30000):
        run_now(qtbot, panel)  # the same day again: nothing to do, nothing sent twice
    assert len(sent_lines(outbox)) == 30
    switch(window, False)
    assert "enabled = []" in (workspace / "workspace.toml").read_text(encoding="utf-8")
    assert panel.scenarios.item(0, 2).text() == "off: runs only when switched on"


def test_a_cancelled_run_stops_at_once_and_the_next_one_finishes(qtbot, window, shop, monkeypatch):
    url, _workspace, outbox = shop
    panel = window.scheduler_panel
    switch(window, True)
    panel.scenarios.selectRow(0)
    monkeypatch.setattr(faults, "_PAUSE_AT", "step:churned")  # hold the run after its first steps
    monkeypatch.setenv("SCENARIST_PAUSE_SECONDS", "1.5")
    run_now(qtbot, panel)
    qtbot.waitUntil(lambda: panel.progress.isVisible() and panel.progress.value() >= 1, timeout=20000)
    assert panel.cancel_button.isEnabled()
    with qtbot.waitSignal(window.scheduler.run_finished, timeout=30000) as done:
        panel.cancel_button.click()
    _name, summary, ok = done.args
    assert not ok and "stopped" in str(summary)
    assert not panel.progress.isVisible()
    assert rows(url, "SELECT status, error FROM scenarist_runs") == [
        ("stopped", "RunStopped: the run was stopped; the next run finishes the work")]
    assert rows(url, "SELECT count(*) FROM scenarist_outbox") == [(0,)]  # stopped before the message step
    assert "⚠" in panel.scenarios.item(0, 4).text()

    monkeypatch.setattr(faults, "_PAUSE_AT", None)
    MOMENT[0] = NOW + timedelta(minutes=5)  # the user runs it again a few minutes later
    with qtbot.waitSignal(window.scheduler.run_finished, timeout=30000) as done:
        run_now(qtbot, panel)
    assert done.args[2]
    assert rows(url, "SELECT count(*), count(DISTINCT customer_id) FROM scenarist_outbox") == [(30, 30)]
    assert len(sent_lines(outbox)) == 30
    # The history tells both: the stopped run admitted everyone, the next one sent the messages.
    assert rows(url, "SELECT status, entered, queued FROM scenarist_runs ORDER BY id") == [
        ("stopped", 30, 0), ("done", 0, 30)]


def test_a_scenario_runs_once_by_itself_when_its_daily_job_comes(qtbot, window, shop):
    """The daily job at the trigger time in the scenario's timezone; when it comes (moved to now
    here, as the cron trigger would wake it at 10:00 Moscow time) the scenario runs once, at the
    window's moment, and the job waits for the next day's 10:00."""
    url, workspace, _outbox = shop
    path = workspace / "reactivation.scenario.json"
    before = datetime.now(UTC)
    switch(window, True)
    after = datetime.now(UTC)
    due = window.scheduler.next_run(path)
    assert due in {next_ten_msk(before), next_ten_msk(after)} and due.utcoffset() == timedelta(hours=3)
    assert rows(url, "SELECT count(*) FROM scenarist_runs") == [(0,)]
    job = window.scheduler.host.scheduler.get_job(f"daily:{path.name}")
    with qtbot.waitSignal(window.scheduler.run_finished, timeout=20000) as done:
        job.modify(next_run_time=datetime.now(UTC))
    assert done.args[2] and "entered 30" in str(done.args[1])
    assert rows(url, "SELECT at, entered, sent FROM scenarist_runs") == [("2026-03-02 11:00:00", 30, 30)]
    qtbot.waitUntil(lambda: window.scheduler_panel.runs.rowCount() == 1)
    assert window.scheduler.next_run(path) == next_ten_msk(datetime.now(UTC))


def next_ten_msk(moment: datetime) -> datetime:
    """The first 10:00 in Moscow after ``moment``."""
    ten = moment.astimezone(MSK).replace(hour=10, minute=0, second=0, microsecond=0)
    return ten if ten > moment else ten + timedelta(days=1)


def test_a_new_version_without_a_wait_offers_to_move_the_customers_waiting_there(qtbot, window, shop):
    from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

    url, workspace, _outbox = shop
    panel = window.scheduler_panel
    switch(window, True)
    panel.scenarios.selectRow(0)
    with qtbot.waitSignal(window.scheduler.run_finished, timeout=30000):
        run_now(qtbot, panel)
    assert rows(url, "SELECT node_id, count(*) FROM scenarist_enrolments GROUP BY node_id") == [("wait7", 30)]
    data = json.loads(REACTIVATION.read_text(encoding="utf-8"))  # version 2: no wait after the first email
    data["nodes"] = [n for n in data["nodes"] if n["id"] != "wait7"]
    data["edges"] = [e for e in data["edges"] if e["target"] != "wait7"]
    data["edges"] = [dict(e, source="mail1") if e["source"] == "wait7" else e for e in data["edges"]]
    (workspace / "reactivation.scenario.json").write_text(json.dumps(data), encoding="utf-8")
    seen: list[str] = []

    def answer_box() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "stranded":
            QTimer.singleShot(20, answer_box)  # switching on asks first
            return
        seen.append(box.text())
        QTimer.singleShot(50, answer_input)
        next(b for b in box.buttons() if b.text().startswith("Move")).click()

    def answer_input() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("promo")
        dialog.accept()

    switch(window, False)
    QTimer.singleShot(50, answer_box)
    switch(window, True)  # enabling again publishes version 2
    assert "30 customer(s) at node 'wait7'" in seen[0]
    assert rows(url, "SELECT max(version) FROM scenarist_versions") == [(2,)]
    assert rows(url, "SELECT node_id, count(*) FROM scenarist_enrolments WHERE status = 'active' "
                     "GROUP BY node_id") == [("promo", 30)]


def test_run_now_says_what_it_will_do_and_cancel_changes_nothing(qtbot, window, shop):
    url, workspace, outbox = shop
    panel = window.scheduler_panel
    panel.scenarios.selectRow(0)
    before = checksum(url)
    # Switched off: no real run from the window, a simulation is offered instead (declined here).
    answer(qtbot, "offer_simulation", accept=False)
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    assert checksum(url) == before
    # Switching on says which version runs and when, and Cancel leaves it off, unpublished.
    answer(qtbot, "confirm_switch_on", accept=False)
    panel.scenarios.item(0, 0).setCheckState(Qt.CheckState.Checked)
    qtbot.wait(50)
    assert 'enabled = []' in (workspace / "workspace.toml").read_text(encoding="utf-8")
    assert panel.scenarios.item(0, 0).checkState() == Qt.CheckState.Unchecked
    assert checksum(url) == before
    switch(window, True)
    after_switch_on = checksum(url)  # the published version is all that switching on wrote

    seen: list[str] = []

    def read_and_cancel() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "confirm_run":
            QTimer.singleShot(10, read_and_cancel)
            return
        seen.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc is Cancel

    QTimer.singleShot(0, read_and_cancel)
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen))
    qtbot.wait(200)
    assert "Version 1" in seen[0] and "30 customers would enter now." in seen[0]
    assert "Email: 30" in seen[0]  # the messages per channel, from a preview
    assert checksum(url) == after_switch_on and not outbox.exists()
