"""SMS parts by the GSM-7 / UCS-2 rules, counted by hand on Latin, Cyrillic and emoji texts."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from PySide6.QtWidgets import QLabel

from app.report import build_report
from app.run_once import RunPlan
from connectors.crm import Crm
from editor.run_questions import effects
from engine.runner import TickResult, preview
from engine.scenario import from_dict
from engine.sms import sms_parts
from tests.helpers import make_crm, rows, simulate_url
from tests.test_cli import cli
from tests.test_editor_window import add, demo_crm, form, settle, window  # noqa: F401 - fixtures
from tests.test_engine_events import at, run, scenario


@pytest.mark.parametrize(("text", "expected"), [
    ("", ("GSM-7", 0, 0)),
    ("a" * 160, ("GSM-7", 160, 1)),  # one part holds 160 septets
    ("a" * 161, ("GSM-7", 161, 2)),  # then 153 a part
    ("a" * 306, ("GSM-7", 306, 2)),
    ("a" * 307, ("GSM-7", 307, 3)),
    ("€" * 80, ("GSM-7", 160, 1)),  # an extension character takes two septets
    ("a" * 152 + "€" + "a" * 8, ("GSM-7", 162, 2)),  # the € does not straddle: 152 + (2 + 8)
    ("a" * 152 + "€" + "a" * 152, ("GSM-7", 306, 3)),  # 152 | 2 + 151 | 1
    ("Привет" * 11 + "Прив", ("UCS-2", 70, 1)),  # Cyrillic: 70 characters in one part
    ("П" * 71, ("UCS-2", 71, 2)),  # then 67 a part
    ("П" * 134, ("UCS-2", 134, 2)),
    ("П" * 135, ("UCS-2", 135, 3)),
    ("Hello, Анна", ("UCS-2", 11, 1)),  # one Cyrillic letter makes the whole text UCS-2
    ("😀" * 35, ("UCS-2", 70, 1)),  # an emoji is two UTF-16 units
    ("😀" * 36, ("UCS-2", 72, 2)),
    ("a" * 66 + "😀" + "a", ("UCS-2", 69, 1)),
    ("a" * 66 + "😀" + "a" * 4, ("UCS-2", 72, 2)),  # 66 | 2 + 4: the emoji is not split
    ("Ça coûte 10 €", ("UCS-2", 13, 1)),  # û is not in GSM-7
    ("Ça coute 10 € ñ", ("GSM-7", 16, 1)),  # Ç, ñ are; € takes 2
])
def test_parts_follow_the_gsm7_and_ucs2_rules(text, expected):
    found = sms_parts(text)
    assert (found.encoding, found.characters, found.parts) == expected


def sms_people() -> list[dict]:
    return [{"id": i, "email": None, "phone": f"+7900000000{i}", "sms_subscribed": True, "first_name": name}
            for i, name in ((1, "Ян"), (2, "Анна"), (3, "Liz"))]


SMS = {"id": "s", "type": "message", "params": {
    "channel": "sms", "body": "Привет, {{ customer.first_name }}! " + "Х" * 58}}  # 68 + the name


def test_preview_run_and_simulate_count_the_parts_each_customers_text_takes(crm_url):
    make_crm(crm_url, sms_people(), [])
    data = scenario({}, [SMS], [("start", "out", "s")])
    crm = Crm.open(crm_url)
    try:
        foreseen = preview(from_dict(data), crm, at(0)).to_json()
    finally:
        crm.dispose()
    assert (foreseen["parts"], foreseen["nodes"]["s"]["parts"]) == (5, 5)  # Ян 70: 1; Анна 72: 2; Liz 71: 2
    done = run(crm_url, data, at(0))
    assert (done["parts"], done["nodes"]["s"]["parts"], done["queued"]) == (5, 5, 3)
    again = run(crm_url, data, at(0))  # the same moment: the history's figures
    assert (again["parts"], again["nodes"]["s"]["parts"]) == (5, 5)
    assert rows(crm_url, "SELECT parts FROM scenarist_runs") == [(5,)]


def test_a_simulation_counts_parts_per_node_and_day(sqlite_url):
    make_crm(sqlite_url, sms_people(), [])
    data = scenario({}, [SMS, {"id": "w", "type": "wait", "params": {"days": 1}},
                         {"id": "s2", "type": "message",
                          "params": {"channel": "sms", "body": "Hi {{ customer.first_name }}"}}],
                    [("start", "out", "s"), ("s", "out", "w"), ("w", "out", "s2")])
    result = simulate_url(from_dict(data), sqlite_url, 2, at(0)).to_json()
    assert [(d["nodes"]["s"]["parts"], d["nodes"]["s2"]["parts"], d["totals"]["parts"]) for d in result["daily"]] \
        == [(5, 0, 5), (0, 3, 3)]  # "Hi Анна" is one UCS-2 part, "Hi Liz" one GSM-7 part
    assert result["by_node"]["s"]["parts"] == 5 and result["totals"]["parts"] == 8
    assert "parts" not in result["by_node"]["w"]


def test_cost_per_part_turns_parts_into_money_on_the_command_line_and_in_the_report(sqlite_url, tmp_path):
    make_crm(sqlite_url, sms_people(), [])
    settings = tmp_path / "settings.toml"
    settings.write_text('[channels.sms]\nkind = "webhook"\nurl = "http://127.0.0.1:9/send"\ncost_per_part = 1.25\n',
                        encoding="utf-8")
    path = tmp_path / "s.scenario.json"
    path.write_text(json.dumps(scenario({}, [SMS], [("start", "out", "s")])), encoding="utf-8")
    seen = cli("preview", str(path), "--crm", sqlite_url, "--at", at(0).isoformat(), "--settings", str(settings),
               "--json")
    assert json.loads(seen.stdout)["cost"] == {"sms_parts": 5, "cost_per_part": 1.25, "sms_cost": 6.25,
                                               "points": 0, "bonuses": 0}
    table = cli("preview", str(path), "--crm", sqlite_url, "--at", at(0).isoformat(), "--settings", str(settings))
    assert "  cost: SMS parts 5 × 1.25 = 6.25 ₽; bonuses 0 (0 points)" in table.stdout.splitlines()
    simulated = json.loads(cli("simulate", str(path), "--crm", sqlite_url, "--days", "2", "--at",
                               at(0).isoformat(), "--settings", str(settings), "--json").stdout)
    assert simulated["cost"]["sms_cost"] == 6.25
    page = build_report(from_dict(json.loads(path.read_text())), picture_png=None, counts=None,
                        simulation=simulated, generated_at=datetime(2026, 3, 4), cost_per_part=1.25)
    assert '<div class="label">SMS parts</div><div class="value">5</div>' in page
    assert '<div class="label">SMS cost</div><div class="value">₽6.25</div>' in page
    ru = build_report(from_dict(json.loads(path.read_text())), picture_png=None, counts=None, lang="ru",
                      simulation=simulated, generated_at=datetime(2026, 3, 4), cost_per_part=1.25)
    assert '<div class="label">Стоимость SMS</div><div class="value">6,25\u00a0₽</div>' in ru


def test_the_run_question_says_what_the_sms_would_cost(qtbot):
    data = from_dict(scenario({}, [SMS], [("start", "out", "s")]))
    tick = TickResult("test", datetime(2026, 3, 2, 10), True, ["start", "s"], {}, {},
                      counts={"entered": 3, "queued": 3, "queued.sms": 3, "parts": 5})
    plan = RunPlan(data, 1, True, tick, cost_per_part=1.25, currency="₽")
    assert "SMS parts: 5, costing ₽6.25." in effects(plan).splitlines()
    assert "SMS parts: 5." in effects(RunPlan(data, 1, True, tick)).splitlines()
    tick.counts["tasks"] = 2
    assert "Tasks for managers: 2." in effects(RunPlan(data, 1, True, tick)).splitlines()


def test_the_message_form_shows_the_sms_encoding_characters_and_parts(qtbot, window):  # noqa: F811
    node = add(qtbot, window, "message", (300, 0))
    params = {"channel": "sms", "body": "Привет, {{ customer.first_name }}! " + "Х" * 60}
    window.doc.set_params(node, params)
    settle(qtbot, window)
    shown = form(window).findChild(QLabel, "sms_parts").text()
    _, body = window.session.render_sample(params, form(window).customer.currentData())
    found = sms_parts(body)
    assert found.encoding == "UCS-2" and found.parts == 2  # 70 + the name: over one part
    assert shown == (f"Cyrillic or emoji: 70 characters fit one SMS (67 a part when longer) · {found.characters} "
                     "characters · 2 part(s)")
    window.doc.set_params(node, {"channel": "sms", "body": "Hi"})
    settle(qtbot, window)
    assert form(window).findChild(QLabel, "sms_parts").text() == \
        "Latin letters: 160 characters fit one SMS (153 a part when longer) · 2 characters · 1 part(s)"
    window.doc.set_params(node, {"channel": "email", "subject": "Hi", "body": "Hi"})
    settle(qtbot, window)
    assert form(window).findChild(QLabel, "sms_parts").text() == ""
