"""The engine on a real SQLite file and the real PostgreSQL: the section-1 scenario over 30
days, idempotency, preview, bonuses, rendering, and hostile values."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from connectors.crm import Crm
from engine.problems import CrmError, ScenarioError
from engine.runner import preview, tick
from engine.scenario import from_dict
from tests.helpers import checksum, engine_for, make_crm, reactivation, rows

MSK = ZoneInfo("Europe/Moscow")
START = datetime(2026, 3, 2, 10, 0, tzinfo=MSK)


def day(n: int, hour: int = 10) -> datetime:
    return START.replace(hour=hour) + timedelta(days=n)


def naive(n: int, hour: int = 12) -> datetime:
    return (START + timedelta(days=n)).replace(tzinfo=None, hour=hour)


# Customers of the section-1 story; comments say what each must live through.
CUSTOMERS = [
    {"id": 1, "email": "anna@example.ru", "first_name": "Анна"},       # full chain: 3 emails
    {"id": 2, "email": "boris@example.ru", "first_name": "Борис"},     # orders during the first wait: the goal
    {"id": 3, "email": "clara@example.com", "first_name": "Clara"},    # orders with the promo code: the goal
    {"id": 4, "email": "dan@example.com", "first_name": "Dan", "email_subscribed": False},
    {"id": 5, "email": "broken-at-example.com", "first_name": "Eve"},  # invalid email
    {"id": 6, "email": "fresh@example.com", "first_name": "Fred"},     # ordered recently
    {"id": 7, "email": "new@example.com", "first_name": "Gleb", "registered_at": naive(-100)},
    {"id": 8, "email": "late@example.com", "first_name": "Hanna"},     # churns on day 5
    {"id": 9, "email": "never@example.com", "first_name": "Ivan"},     # never ordered
]
HISTORY = [
    {"customer_id": 1, "created_at": naive(-200)},
    {"customer_id": 2, "created_at": naive(-300)},
    {"customer_id": 3, "created_at": naive(-250)},
    {"customer_id": 4, "created_at": naive(-400)},
    {"customer_id": 5, "created_at": naive(-400)},
    {"customer_id": 6, "created_at": naive(-30)},
    {"customer_id": 6, "created_at": naive(-400)},
    {"customer_id": 8, "created_at": naive(-175)},
    {"customer_id": 3, "created_at": naive(-260), "status": "cancelled"},
]


def add_order(url: str, customer_id: int, created_at: datetime, promo_code: str | None = None) -> None:
    from connectors.schema import canonical_metadata

    _, _, orders = canonical_metadata()
    engine = engine_for(url)
    with engine.begin() as conn:
        conn.execute(orders.insert().values(customer_id=customer_id, created_at=created_at, total=2500,
                                            status="completed", promo_code=promo_code))
    engine.dispose()


def outbox(url: str) -> list[tuple]:
    return rows(url, "SELECT customer_id, node_id, status, subject, body FROM scenarist_outbox ORDER BY id")


def test_section1_over_30_days(crm_url):
    make_crm(crm_url, CUSTOMERS, HISTORY)
    scenario = from_dict(reactivation())
    crm = Crm.open(crm_url)
    reached_by_day, left_by_day = {}, {}
    for n in range(30):
        if n == 3:
            add_order(crm_url, 2, naive(3))
        if n == 10:  # Clara spends her code on day 10
            code = rows(crm_url, "SELECT code FROM scenarist_bonuses WHERE customer_id = 3")[0][0]
            add_order(crm_url, 3, naive(10, hour=9), promo_code=code)
        if n == 7:
            predicted = preview(scenario, crm, day(n))
        result = tick(scenario, crm, day(n))
        reached_by_day[n] = result.reached
        left_by_day[n] = result.goal
        if n == 7:
            assert predicted.reached == result.reached
            assert predicted.waiting == result.waiting
    crm.dispose()

    sent = Counter((c, node) for c, node, *_ in outbox(crm_url))
    assert sent == Counter({
        (1, "mail1"): 1, (1, "mail2"): 1, (1, "mail3"): 1,
        (2, "mail1"): 1,
        (3, "mail1"): 1, (3, "mail2"): 1,
        (8, "mail1"): 1, (8, "mail2"): 1, (8, "mail3"): 1,
    })
    assert reached_by_day[0]["start"] == 9
    assert reached_by_day[0]["mail1"] == 3
    assert reached_by_day[5].get("mail1") == 1  # Hanna churns on day 5
    # The goal (an order since entry): Boris leaves from the first wait, Clara from the second
    assert {n: left for n, left in left_by_day.items() if left} == {3: {"wait7": 1}, 10: {"wait12": 1}}
    assert reached_by_day[7]["promo"] == 2 and "wait7" not in reached_by_day[7]  # Anna and Clara
    assert reached_by_day[19]["used"] == 1 and reached_by_day[19]["mail3"] == 1  # Anna

    enrolments = rows(crm_url, "SELECT customer_id, status, node_id, exit_port FROM scenarist_enrolments "
                               "ORDER BY customer_id")
    assert enrolments == [(1, "finished", "mail3", "out"), (2, "finished", "wait7", "goal"),
                          (3, "finished", "wait12", "goal"), (8, "finished", "mail3", "out")]

    mails = {(c, node): (subject, body) for c, node, status, subject, body in outbox(crm_url)}
    assert mails[(1, "mail1")][0] == "Анна, we miss you"
    codes = rows(crm_url, "SELECT customer_id, code FROM scenarist_bonuses ORDER BY customer_id")
    assert [c for c, _ in codes] == [1, 3, 8]
    assert len({code for _, code in codes}) == 3 and all(code.startswith("BACK") for _, code in codes)
    anna_code = dict(codes)[1]
    assert f"Your personal code {anna_code} gives 500 ₽ off" in mails[(1, "mail2")][1]
    assert all(status == "pending" for _, _, status, *_ in outbox(crm_url))


def test_second_tick_at_the_same_time_changes_nothing(crm_url):
    make_crm(crm_url, CUSTOMERS, HISTORY)
    scenario = from_dict(reactivation())
    crm = Crm.open(crm_url)
    tick(scenario, crm, day(0))
    first = tick(scenario, crm, day(7))
    before = checksum(crm_url)
    again = tick(scenario, crm, day(7))
    assert checksum(crm_url) == before
    assert again.reached == first.reached and again.counts == first.counts
    later_same_day = tick(scenario, crm, day(7, hour=18))  # entry happened today already
    assert later_same_day.reached == {}
    crm.dispose()


def test_preview_changes_nothing_and_matches_the_run(crm_url):
    make_crm(crm_url, CUSTOMERS, HISTORY)
    scenario = from_dict(reactivation())
    crm = Crm.open(crm_url)
    untouched = checksum(crm_url)
    first = preview(scenario, crm, day(0))
    assert checksum(crm_url) == untouched  # not even the engine's own tables were created
    assert first.reached == {"start": 9, "churned": 9, "mail1": 3, "wait7": 3}
    assert first.waiting == {"wait7": 3}
    tick(scenario, crm, day(0))
    before = checksum(crm_url)
    ahead = preview(scenario, crm, day(7))
    assert checksum(crm_url) == before
    assert ahead.reached["promo"] == 3 and ahead.goal == {}  # nobody ordered; and Hanna, churned by day 7, enters:
    assert ahead.waiting == {"wait12": 3, "wait7": 1}
    crm.dispose()


def test_preview_before_trigger_time_still_shows_the_entry(crm_url):
    make_crm(crm_url, CUSTOMERS, HISTORY)
    crm = Crm.open(crm_url)
    early = preview(from_dict(reactivation()), crm, day(0, hour=6))
    assert early.reached["mail1"] == 3
    assert tick(from_dict(reactivation()), crm, day(0, hour=6)).reached == {}  # a run waits for 10:00
    crm.dispose()


def points_scenario(amount: int = 100) -> dict:
    return {
        "format": "scenarist.scenario", "version": 1, "name": "Points for subscribers",
        "settings": {"timezone": "Europe/Moscow", "reentry_days": None},
        "nodes": [
            {"id": "start", "type": "trigger", "params": {"kind": "schedule", "at": "10:00"}},
            {"id": "subscribed", "type": "filter", "params": {"match": "all", "conditions": [
                {"kind": "field", "field": "email_subscribed", "op": "is_true"}]}},
            {"id": "gift", "type": "bonus", "params": {"kind": "points", "amount": amount}},
            {"id": "tell", "type": "message", "params": {
                "channel": "email", "subject": "{{ bonus.amount }} points for you",
                "body": "{{ customer.first_name }}, your balance grew by {{ bonus.amount }}."}},
            {"id": "later", "type": "wait", "params": {"days": 1}},
            {"id": "again", "type": "message", "params": {
                "channel": "sms", "body": "Points are waiting, {{ customer.first_name }}"}},
        ],
        "edges": [
            {"source": "start", "port": "out", "target": "subscribed"},
            {"source": "subscribed", "port": "yes", "target": "gift"},
            {"source": "gift", "port": "out", "target": "tell"},
            {"source": "tell", "port": "out", "target": "later"},
            {"source": "later", "port": "out", "target": "again"},
        ],
    }


def test_points_are_credited_exactly_once(crm_url):
    make_crm(crm_url, [
        {"id": 1, "email": "a@example.com", "first_name": "A", "bonus_points": 50, "phone": "+79001"},
        {"id": 2, "email": "b@example.com", "first_name": "B", "email_subscribed": False},
        {"id": 3, "email": "c@example.com", "first_name": "C", "sms_subscribed": True, "phone": "+79003"},
    ], [])
    scenario = from_dict(points_scenario())
    crm = Crm.open(crm_url)
    for when in (day(0), day(0), day(0, hour=20), day(1), day(2)):
        tick(scenario, crm, when)
    crm.dispose()
    assert rows(crm_url, "SELECT id, bonus_points FROM customers ORDER BY id") == [(1, 150), (2, 0), (3, 100)]
    assert rows(crm_url, "SELECT customer_id, amount FROM scenarist_bonuses ORDER BY customer_id") == \
        [(1, 100), (3, 100)]
    sms = rows(crm_url, "SELECT customer_id, status, error FROM scenarist_outbox "
                        "WHERE node_id = 'again' ORDER BY customer_id")
    assert sms == [(1, "skipped", "no consent or no valid phone"), (3, "pending", None)]
    tell = rows(crm_url, "SELECT subject FROM scenarist_outbox WHERE node_id = 'tell' AND customer_id = 1")
    assert tell == [("100.00 points for you",)]


def test_a_template_error_fails_that_customer_only(crm_url):
    make_crm(crm_url, [
        {"id": 1, "email": "a@example.com", "first_name": "Anna"},
        {"id": 2, "email": "b@example.com", "first_name": "Evil\r\nBcc: all@example.com"},
    ], [])
    data = points_scenario()
    data["nodes"][3]["params"]["subject"] = "Hi {{ customer.first_name }}"
    crm = Crm.open(crm_url)
    result = tick(from_dict(data), crm, day(0))
    crm.dispose()
    assert result.counts["failed"] == 1 and result.counts["queued"] == 2
    got = rows(crm_url, "SELECT customer_id, status, subject, error FROM scenarist_outbox ORDER BY customer_id")
    assert got == [(1, "pending", "Hi Anna", None), (2, "failed", None, "the subject contains a line break")]


HOSTILE = ["O'Brien", "100%", "a_b", "' OR 1=1 --", "Robert'); DROP TABLE customers;--", "Москва", "moscow"]


@pytest.mark.parametrize(("condition", "expected"), [
    ({"op": "eq", "value": "' OR 1=1 --"}, {4}),
    ({"op": "eq", "value": "O'Brien"}, {1}),
    ({"op": "contains", "value": "%"}, {2}),
    ({"op": "contains", "value": "_"}, {3}),
    ({"op": "contains", "value": "drop table"}, {5}),
    ({"op": "contains", "value": "МОСК"}, {6}),
    ({"op": "in", "value": ["100%", "a_b", "nobody'"]}, {2, 3}),
    ({"op": "ne", "value": "moscow"}, {1, 2, 3, 4, 5, 6, 8}),
    ({"op": "is_empty"}, {8}),
], ids=["or-1-1", "quote", "percent", "underscore", "drop-table", "cyrillic", "in", "ne-null", "empty"])
def test_hostile_values_select_exactly_the_right_customers(crm_url, condition, expected):
    people = [{"id": i + 1, "email": f"c{i}@example.com", "city": city} for i, city in enumerate(HOSTILE)]
    people.append({"id": 8, "email": "nocity@example.com", "city": None})
    make_crm(crm_url, people, [])
    data = points_scenario()
    data["nodes"][1]["params"]["conditions"] = [{"kind": "field", "field": "city", **condition}]
    crm = Crm.open(crm_url)
    before = checksum(crm_url)
    preview(from_dict(data), crm, day(0))
    assert checksum(crm_url) == before
    tick(from_dict(data), crm, day(0))
    crm.dispose()
    got = {c for (c,) in rows(crm_url, "SELECT customer_id FROM scenarist_enrolments")}
    assert got == expected
    assert len(rows(crm_url, "SELECT id FROM customers")) == 8


def test_split_is_stable_and_weighted(crm_url):
    make_crm(crm_url, [{"id": i, "email": f"c{i}@example.com"} for i in range(1, 401)], [])
    data = points_scenario()
    data["nodes"][2] = {"id": "gift", "type": "split", "params": {"branches": [
        {"port": "a", "weight": 70}, {"port": "b", "weight": 30}]}}
    data["edges"][2] = {"source": "gift", "port": "a", "target": "tell"}
    data["edges"].append({"source": "gift", "port": "b", "target": "later"})
    scenario = from_dict(data)
    crm = Crm.open(crm_url)
    predicted = preview(scenario, crm, day(0))
    result = tick(scenario, crm, day(0))
    crm.dispose()
    assert predicted.reached == result.reached
    a, b = result.reached["tell"], result.reached["later"] - result.reached["tell"]
    assert a + b == 400 and 240 <= a <= 320


def test_missing_table_or_column_is_named_before_anything_runs(crm_url):
    engine = engine_for(crm_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE customers (id INTEGER PRIMARY KEY, email VARCHAR(100))")
    engine.dispose()
    crm = Crm.open(crm_url)
    with pytest.raises(CrmError) as caught:
        tick(from_dict(reactivation()), crm, day(0))
    crm.dispose()
    text = str(caught.value)
    assert "table 'customers' has no column 'registered_at'" in text
    assert "the CRM has no table 'orders'" in text
    # Refused before anything was written: the CRM holds the one table it had, no engine table.
    import sqlalchemy as sa

    engine = engine_for(crm_url)
    assert sa.inspect(engine).get_table_names() == ["customers"]
    engine.dispose()


def test_unknown_field_is_refused_against_the_crm(crm_url):
    make_crm(crm_url, CUSTOMERS, HISTORY)
    data = reactivation()
    data["nodes"][1]["params"]["conditions"].append({"kind": "field", "field": "vip_level", "op": "ge", "value": 2})
    crm = Crm.open(crm_url)
    before = checksum(crm_url)
    with pytest.raises(ScenarioError, match="the CRM has no customer field 'vip_level'"):
        tick(from_dict(data), crm, day(0))
    crm.dispose()
    assert checksum(crm_url) == before


def test_extra_customer_column_is_usable(crm_url):
    make_crm(crm_url, [{"id": 1, "email": "a@example.com", "city": "Казань"},
                       {"id": 2, "email": "b@example.com", "city": "Пермь"}], [])
    data = points_scenario()
    data["nodes"][1]["params"]["conditions"] = [{"kind": "field", "field": "city", "op": "eq", "value": "Казань"}]
    crm = Crm.open(crm_url)
    assert preview(from_dict(data), crm, day(0)).reached["gift"] == 1
    crm.dispose()


@pytest.mark.parametrize("stored", ["2025-08-01 09:30:00", "2025-08-01T09:30:00", "2025-08-01",
                                    "2025-08-01 09:30:00.000000"])
def test_sqlite_dates_as_text_in_the_usual_forms(sqlite_url, stored):
    make_crm(sqlite_url, [{"id": 1, "email": "a@example.com"}, {"id": 2, "email": "b@example.com"}], [])
    engine = engine_for(sqlite_url)
    with engine.begin() as conn:  # what another program may have written into the shop's database
        conn.exec_driver_sql("UPDATE customers SET registered_at = ? WHERE id = 1", (stored,))
        conn.exec_driver_sql("UPDATE customers SET registered_at = '2025-08-03 00:00:00' WHERE id = 2")
        conn.exec_driver_sql("INSERT INTO orders (customer_id, created_at, total, status) "
                             "VALUES (1, ?, 10, 'completed')", (stored,))
    engine.dispose()
    data = points_scenario()
    conditions = data["nodes"][1]["params"]["conditions"]
    crm = Crm.open(sqlite_url)
    # 2026-03-02 is 213 days after 2025-08-01 and 211 days after 2025-08-03.
    for condition, expected in [
        ({"kind": "field", "field": "registered_at", "op": "older_than_days", "value": 212}, 1),
        ({"kind": "field", "field": "registered_at", "op": "older_than_days", "value": 211}, 1),
        ({"kind": "field", "field": "registered_at", "op": "older_than_days", "value": 210}, 2),
        ({"kind": "field", "field": "registered_at", "op": "lt", "value": "2025-08-02"}, 1),
        ({"kind": "orders", "agg": "days_since_last", "op": "eq", "value": 213}, 1),
        ({"kind": "orders", "agg": "count", "within_days": 213, "op": "eq", "value": 0}, 2),
        ({"kind": "orders", "agg": "count", "within_days": 214, "op": "eq", "value": 0}, 1),
    ]:
        conditions[:] = [condition]
        assert preview(from_dict(data), crm, day(0)).reached.get("gift", 0) == expected, condition
    crm.dispose()


@pytest.mark.parametrize(("op", "expected"), [("ne", {2}), ("eq", {1}), ("gt", {2}), ("lt", set()), ("le", {1})])
def test_days_since_last_order_operators(crm_url, op, expected):
    make_crm(crm_url, [{"id": 1, "email": "a@example.com"}, {"id": 2, "email": "b@example.com"}],
             [{"customer_id": 1, "created_at": naive(-5)}, {"customer_id": 2, "created_at": naive(-9)}])
    data = points_scenario()
    data["nodes"][1]["params"]["conditions"] = [{"kind": "orders", "agg": "days_since_last", "op": op, "value": 5}]
    crm = Crm.open(crm_url)
    tick(from_dict(data), crm, day(0))
    crm.dispose()
    assert {c for (c,) in rows(crm_url, "SELECT customer_id FROM scenarist_enrolments")} == expected
