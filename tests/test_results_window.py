"""The canvas's results badges, the split's control column and the scenario's control share, with
real input events."""

from __future__ import annotations

import json
from datetime import datetime

from PySide6.QtCore import Qt

from app.prefs import Prefs
from editor.badges import decor_of
from editor.form_widgets import BranchesEdit
from editor.graph import node_by_id
from engine.uplift import newcombe
from tests.test_editor_window import settle
from tests.test_report_uplift import ab_shop
from tests.test_uplift import AB
from tests.windows import shown_window


def open_ab(qtbot, tmp_path, url, clock: str):
    path = tmp_path / "ab.scenario.json"
    path.write_text(json.dumps(AB), encoding="utf-8")
    window = shown_window(qtbot, prefs=Prefs(crm=url), clock=lambda: datetime.fromisoformat(clock), scheduler=False)
    return path, window


def test_the_badges_switch_between_today_and_results_over_a_period(qtbot, user_dirs, tmp_path, sqlite_url):
    treated, control = ab_shop(sqlite_url)
    path, window = open_ab(qtbot, tmp_path, sqlite_url, "2026-03-20T12:00:00+03:00")
    with window as made:
        made.open_path(path, confirm=False)
        settle(qtbot, made)
        mail = decor_of(node_by_id(made.doc.graph, "m1").view)
        split = decor_of(node_by_id(made.doc.graph, "ab").view)
        today = mail.texts()
        qtbot.mouseClick(made.results_bar.results, Qt.MouseButton.LeftButton)
        # The last 30 days hold the run of 2 March: every message, the 25 treated buyers, 1 500 each.
        assert mail.texts() == [f"{len(treated)} sent", "25 converted", "₽37,500"]
        assert "No customer entered" not in made.statusBar().currentMessage()
        d, _, _ = newcombe(25, len(treated), 5, len(control))
        assert split.port_texts() == {"hold": f"control: {len(control)}",
                                      "mail": f"uplift +{round(d * 100, 1):g} pp"}
        d, low, high = newcombe(25, len(treated), 5, len(control))
        tip = node_by_id(made.doc.graph, "ab").view.toolTip()
        assert tip.split("<br>") == [
            f"mail: {len(treated)} customers, 25 converted ({100 * 25 / len(treated):.1f}%), "
            f"₽{round(25 * 1500 / len(treated)):,} per customer; uplift +{round(d * 100, 1):g} pp "
            f"(95%: +{round(low * 100, 1):g} to +{round(high * 100, 1):g})",
            f"hold: {len(control)} customers, 5 converted ({100 * 5 / len(control):.1f}%), "
            f"₽{round(5 * 1500 / len(control)):,} per customer"]
        made.results_bar.period.setFocus()
        qtbot.keyClick(made.results_bar.period, Qt.Key.Key_Up)  # the last 7 days: nothing was sent then
        assert made.results_bar.days() == 7
        assert mail.texts() == ["0 sent", "0 converted", "₽0"]
        assert made.statusBar().currentMessage() == ("No customer entered this scenario in the period: results "
                                                     "appear once it has run.")
        qtbot.mouseClick(made.results_bar.today, Qt.MouseButton.LeftButton)
        assert mail.texts() == today and not made.results_bar.period.isEnabled()


def test_a_branch_is_marked_control_in_the_split_form(qtbot, user_dirs, tmp_path, sqlite_url):
    ab_shop(sqlite_url, customers=4)
    path, window = open_ab(qtbot, tmp_path, sqlite_url, "2026-03-02T12:00:00+03:00")
    with window as made:
        made.open_path(path, confirm=False)
        settle(qtbot, made)
        made.focus_node("ab")
        settle(qtbot, made)
        table = made.form.findChild(BranchesEdit).table
        table.setFocus()
        for row in (1, 0):  # the control moves from "hold" to "mail"
            table.setCurrentCell(row, 2)
            qtbot.keyClick(table, Qt.Key.Key_Space)
        settle(qtbot, made)
        branches = made.scenario().node("ab").params["branches"]
        assert branches == [{"port": "mail", "weight": 50, "control": True}, {"port": "hold", "weight": 50}]
        # A control that leads to a message is refused, naming the split.
        assert any(p.node == "ab" and p.code == "node.split.control_acts" for p in made.problems)


def test_the_scenario_form_holds_out_a_share(qtbot, user_dirs, tmp_path, sqlite_url):
    ab_shop(sqlite_url, customers=4)
    path, window = open_ab(qtbot, tmp_path, sqlite_url, "2026-03-02T12:00:00+03:00")
    with window as made:
        made.open_path(path, confirm=False)
        settle(qtbot, made)
        made.show_scenario_settings()
        qtbot.wait(20)
        form = made.form
        assert form.control_on.isVisible()
        qtbot.mouseClick(form.control_on, Qt.MouseButton.LeftButton)
        form.control_share.setFocus()
        form.control_share.selectAll()
        qtbot.keyClicks(form.control_share, "15")
        qtbot.keyClick(form.control_share, Qt.Key.Key_Tab)  # a typed number is one change, when complete
        assert made.scenario().settings["control_share"] == 0.15
        form = made.form
        form.conversion_days.setFocus()
        for _ in range(14):  # from "7 days (the default)" up to 14 days, one arrow at a time
            qtbot.keyClick(form.conversion_days, Qt.Key.Key_Up)
        assert made.scenario().settings["conversion_days"] == 14
        form = made.form
        qtbot.mouseClick(form.control_on, Qt.MouseButton.LeftButton)
        assert made.scenario().to_dict()["settings"].get("control_share") is None


def test_the_simulate_window_takes_a_baseline_rate(qtbot, user_dirs, tmp_path, sqlite_url):
    from tests.helpers import make_crm

    make_crm(sqlite_url, [{"id": i, "email": f"c{i}@example.com"} for i in range(1, 201)], [])
    path, window = open_ab(qtbot, tmp_path, sqlite_url, "2026-03-02T09:00:00+03:00")
    with window as made:
        made.open_path(path, confirm=False)
        settle(qtbot, made)
        dialog = made.simulate()
        dialog.activateWindow()
        qtbot.waitActive(dialog)  # typing goes to the window that has the focus
        dialog.days.setValue(10)
        for box, typed in ((dialog.rate, "0"), (dialog.baseline, "100")):  # nobody answers; everyone orders anyway
            box.setFocus()
            qtbot.waitUntil(box.hasFocus)
            box.selectAll()
            qtbot.keyClicks(box, typed)
            qtbot.keyClick(box, Qt.Key.Key_Tab)
        assert dialog.response().baseline == 1.0 and dialog.response().rate == 0.0
        with qtbot.waitSignals([dialog.result_ready, dialog.worker_done], timeout=120_000):
            dialog.start_run()
        branches = made.last_simulation["branches"]["ab"]
        assert branches["hold"]["conversion_rate"] == 1.0 and branches["mail"]["conversion_rate"] == 1.0
        assert branches["mail"]["vs_control"]["uplift"] == 0.0
        assert made.last_simulation["response"]["baseline"] == 1.0
        dialog.close()


def test_the_start_shows_the_scenario_against_its_held_out_share(qtbot, user_dirs, tmp_path, sqlite_url):
    from datetime import timedelta

    from connectors.crm import Crm
    from engine.runner import tick
    from engine.scenario import from_dict
    from tests.helpers import make_crm, query
    from tests.test_engine_events import add
    from tests.test_engine_events import scenario as scenario_of
    from tests.test_uplift import START

    data = scenario_of({}, [{"id": "m1", "type": "message", "title": "Hello",
                             "params": {"channel": "email", "subject": "Hi", "body": "Hi"}}],
                       [("start", "out", "m1")], id="whole", control_share=0.5)
    make_crm(sqlite_url, [{"id": i, "email": f"c{i}@example.com"} for i in range(1, 121)], [])
    crm = Crm.open(sqlite_url)
    try:
        tick(from_dict(data), crm, START)
    finally:
        crm.dispose()
    held = sorted(r[0] for r in query(sqlite_url, "SELECT customer_id FROM scenarist_enrolments "
                                                  "WHERE exit_port = 'control'"))
    got = sorted(set(range(1, 121)) - set(held))
    add(sqlite_url, "orders", [{"customer_id": c, "created_at": START.replace(tzinfo=None) + timedelta(days=1),
                                "total": 100, "status": "completed"} for c in got[:20] + held[:6]])
    path = tmp_path / "whole.scenario.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with shown_window(qtbot, prefs=Prefs(crm=sqlite_url), scheduler=False,
                      clock=lambda: datetime.fromisoformat("2026-03-10T12:00:00+03:00")) as made:
        made.open_path(path, confirm=False)
        settle(qtbot, made)
        qtbot.mouseClick(made.results_bar.results, Qt.MouseButton.LeftButton)
        d, _, _ = newcombe(20, len(got), 6, len(held))
        assert decor_of(node_by_id(made.doc.graph, "start").view).texts() == [
            "120 entered", f"control: {len(held)}", f"uplift +{round(d * 100, 1):g} pp"]
