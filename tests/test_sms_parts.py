"""SMS parts by the GSM-7 / UCS-2 rules, counted by hand on Latin, Cyrillic and emoji texts."""

from __future__ import annotations

import pytest

from connectors.crm import Crm
from engine.runner import preview
from engine.scenario import from_dict
from engine.sms import sms_parts
from tests.helpers import make_crm, rows, simulate_url
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
