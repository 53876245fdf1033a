"""Budgets (``daily_limit``) on both databases: over the limit customers wait at the node for the
next day, earliest arrivals first, never dropped; counts say how many the budget holds; the
simulation spreads 500 entrants over five days at 100 a day."""

from __future__ import annotations

from datetime import date

from connectors.crm import Crm
from editor.panes import PreviewPane
from engine.describe import describe_node
from engine.runner import preview
from engine.scenario import from_dict
from tests.helpers import engine_for, make_crm, rows, simulate_url
from tests.test_engine_events import add, at, mail, people, run, scenario


def test_over_the_daily_limit_customers_wait_for_the_next_day_earliest_first(crm_url):
    make_crm(crm_url, people(3), [])
    data = scenario({}, [mail("m", daily_limit=2)], [("start", "out", "m")])
    first = run(crm_url, data, at(0))
    assert (first["queued"], first["nodes"]["m"]["held"], first["nodes"]["m"]["waiting"]) == (2, 1, 1)
    add(crm_url, "customers", [{"id": i, "email": f"c{i}@example.com", "first_name": f"C{i}", "email_subscribed": True,
                                "sms_subscribed": False, "registered_at": at(-1).replace(tzinfo=None)}
                               for i in (4, 5)])
    second = run(crm_url, data, at(1))  # customer 3 waited since yesterday: they go before 4 and 5
    assert (second["entered"], second["queued"], second["nodes"]["m"]["held"]) == (2, 2, 1)
    third = run(crm_url, data, at(2))
    assert (third["queued"], third["nodes"]["m"]["held"], third["nodes"]["m"]["waiting"]) == (1, 0, 0)
    sent = [(c, str(d)[:10]) for c, d in rows(crm_url, "SELECT customer_id, created_at FROM scenarist_outbox "
                                                       "ORDER BY created_at, customer_id")]
    assert sent == [(1, "2026-03-02"), (2, "2026-03-02"), (3, "2026-03-03"), (4, "2026-03-03"), (5, "2026-03-04")]


def test_a_bonus_node_grants_no_more_than_its_daily_limit(crm_url):
    make_crm(crm_url, people(3), [])
    data = scenario({}, [{"id": "p", "type": "bonus", "params": {"kind": "points", "amount": 100,
                                                                 "expires_in_days": 30, "daily_limit": 2}}],
                    [("start", "out", "p")])
    assert (run(crm_url, data, at(0))["bonuses"], run(crm_url, data, at(0, 11))["nodes"]["p"]["held"]) == (2, 1)
    assert run(crm_url, data, at(1))["bonuses"] == 1
    assert rows(crm_url, "SELECT count(*), sum(amount) FROM scenarist_bonuses")[0][0] == 3


def test_a_limit_of_100_on_500_entrants_releases_100_a_day_over_five_days(sqlite_url):
    make_crm(sqlite_url, people(500), [])
    data = scenario({}, [mail("m", daily_limit=100)], [("start", "out", "m")])
    result = simulate_url(from_dict(data), sqlite_url, 6, at(0)).to_json()
    daily = [(d["day"], d["nodes"]["m"]["messages"]) for d in result["daily"]]
    assert daily == [(str(date(2026, 3, 2 + i)), 100 if i < 5 else 0) for i in range(6)]
    assert result["totals"]["entered"] == 500 and result["by_node"]["m"]["waiting"] == 0


def test_the_preview_pane_says_how_many_the_budget_holds_and_who_left_by_the_goal(qtbot, sqlite_url):
    make_crm(sqlite_url, people(5), [])
    data = scenario({}, [{"id": "w", "type": "wait", "params": {"days": 1}}, mail("m", daily_limit=2)],
                    [("start", "out", "w"), ("w", "out", "m")],
                    goal={"match": "all", "conditions": [{"kind": "field", "field": "email_subscribed",
                                                           "op": "is_false"}]})
    run(sqlite_url, data, at(0))
    engine = engine_for(sqlite_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE customers SET email_subscribed = 0 WHERE id = 5")
    engine.dispose()
    crm = Crm.open(sqlite_url)
    try:
        result = preview(from_dict(data), crm, at(1))
    finally:
        crm.dispose()
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.show_result(from_dict(data), result)
    assert pane.counts()["m"] == ("4", "2 (2 held by budget)")
    row = next(r for r in range(pane.rowCount()) if pane.node_id(r) == "w")
    assert pane.item(row, 3).text() == "reached the goal 1"


def test_a_daily_limit_is_said_in_the_steps_words():
    data = from_dict(scenario({}, [mail("m", daily_limit=100)], [("start", "out", "m")]))
    assert describe_node(data, data.node("m")) == \
        "Send an email 'Hi', at most 100 a day (the others wait for the next day)"
    assert describe_node(data, data.node("m"), lang="ru") == \
        "Отправить письмо «Hi», не больше 100 в день (остальные ждут следующего дня)"
