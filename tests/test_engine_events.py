"""What the templates need from the engine, on a real SQLite file and the real PostgreSQL:
event and date triggers, a split by condition, a wait for an order, an action delay,
sending windows, the frequency cap and conversions."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from connectors.crm import Crm
from connectors.schema import canonical_metadata
from engine.conversions import branch_results, conversions
from engine.limits import FrequencyCap, SendWindow
from engine.problems import ScenarioError
from engine.runner import preview, tick
from engine.scenario import from_dict
from engine.validation import validate
from tests.helpers import engine_for, make_crm, rows

MSK = ZoneInfo("Europe/Moscow")
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=MSK)  # a Monday; 2026 is not a leap year


def at(days: float, hour: int = 10) -> datetime:
    return MONDAY.replace(hour=hour) + timedelta(days=days)


def local(days: float, hour: int = 10) -> datetime:
    return at(days, hour).replace(tzinfo=None)


def scenario(trigger: dict, nodes: list[dict], edges: list[tuple[str, str, str]], id: str = "test",
             **settings) -> dict:
    """A scenario file object: the trigger "start", then ``nodes`` joined by ``edges``."""
    return {"format": "scenarist.scenario", "version": 1, "id": id, "name": id,
            "settings": {"timezone": "Europe/Moscow", "reentry_days": None, **settings},
            "nodes": [{"id": "start", "type": "trigger", "params": {"kind": "schedule", "at": "10:00", **trigger}},
                      *nodes],
            "edges": [{"source": s, "port": p, "target": t} for s, p, t in edges]}


def mail(node_id: str, **params) -> dict:
    return {"id": node_id, "type": "message",
            "params": {"channel": "email", "subject": "Hi", "body": "Hello {{ customer.first_name }}", **params}}


def add(url: str, table: str, values: list[dict]) -> None:
    md, _, _ = canonical_metadata()
    engine = engine_for(url)
    with engine.begin() as conn:
        conn.execute(md.tables[table].insert(), values)
    engine.dispose()


def run(url: str, data: dict, when: datetime, **kw) -> dict:
    crm = Crm.open(url)
    try:
        return tick(from_dict(data), crm, when, **kw).to_json()
    finally:
        crm.dispose()


def outbox(url: str) -> list[tuple]:
    return rows(url, "SELECT node_id, customer_id, status FROM scenarist_outbox ORDER BY node_id, customer_id")


def measured(url: str, data: dict) -> dict:
    """The conversions of each message node of ``data``, read from the CRM at ``url``."""
    crm = Crm.open(url)
    try:
        crm.reflect()  # before the transaction: reflection takes a connection of its own
        with crm.connect(read_only=True) as conn:
            return conversions(conn, crm, from_dict(data))
    finally:
        crm.dispose()


def people(n: int, **extra) -> list[dict]:
    return [{"id": i, "email": f"c{i}@example.com", "first_name": f"C{i}", **extra} for i in range(1, n + 1)]


def test_event_triggers_admit_who_had_the_event_since_the_previous_entry(crm_url):
    make_crm(crm_url, people(6), [])
    add(crm_url, "events", [
        {"customer_id": 1, "name": "cart_abandoned", "created_at": local(-0.5)},   # within a day before day 0
        {"customer_id": 2, "name": "cart_abandoned", "created_at": local(-3)},     # before the first window
        {"customer_id": 3, "name": "product_viewed", "created_at": local(-0.5)},   # another event
        {"customer_id": 4, "name": "cart_abandoned", "created_at": local(0.5)},    # between day 0 and day 1
        {"customer_id": 5, "name": "cart_abandoned", "created_at": local(3, 9)},   # after day 1's entry
    ])
    data = scenario({"kind": "event", "event": "cart_abandoned"}, [mail("m")], [("start", "out", "m")])
    assert run(crm_url, data, at(0))["nodes"]["m"]["reached"] == 1
    assert run(crm_url, data, at(1))["nodes"]["m"]["reached"] == 1
    assert [c for _, c, _ in outbox(crm_url)] == [1, 4]
    # Customer 5's event is seen on the next entry, though days passed without one.
    assert run(crm_url, data, at(4))["nodes"]["m"]["reached"] == 1
    assert [c for _, c, _ in outbox(crm_url)] == [1, 4, 5]


def test_new_customer_and_new_order_triggers(crm_url):
    make_crm(crm_url, [*people(2, registered_at=local(-400)),
                       {"id": 3, "email": "n@example.com", "registered_at": local(-0.2)},
                       {"id": 4, "email": "m@example.com", "registered_at": local(0.5)}],
             [{"customer_id": 1, "created_at": local(-0.3), "total": 2500},
              {"customer_id": 2, "created_at": local(-0.3), "status": "cancelled"},
              {"customer_id": 2, "created_at": local(-30)}])
    welcome = scenario({"kind": "new_customer"}, [mail("m")], [("start", "out", "m")], id="welcome")
    thanks = scenario({"kind": "new_order"}, [mail("m")], [("start", "out", "m")], id="thanks")
    run(crm_url, welcome, at(0))
    run(crm_url, welcome, at(1))
    run(crm_url, thanks, at(0))
    sent = rows(crm_url, "SELECT scenario, customer_id FROM scenarist_outbox ORDER BY scenario, customer_id")
    assert sent == [("thanks", 1), ("welcome", 3), ("welcome", 4)]


def test_date_trigger_birthdays_days_before_and_first_order_anniversary(crm_url):
    make_crm(crm_url, [
        {"id": 1, "email": "a@example.com", "birthday": datetime(1990, 3, 5).date()},   # in 3 days
        {"id": 2, "email": "b@example.com", "birthday": datetime(1990, 3, 2).date()},   # today
        {"id": 3, "email": "c@example.com", "birthday": datetime(1988, 2, 29).date()},  # leap-day child
        {"id": 4, "email": "d@example.com"},                                             # no birthday
    ], [{"customer_id": 1, "created_at": local(-365 * 2)},   # first order two years ago today: anniversary
        {"customer_id": 2, "created_at": local(-1)},          # first order yesterday: no anniversary
        {"customer_id": 4, "created_at": local(0, 8)}])       # ordered today: not a year yet
    soon = scenario({"kind": "date", "field": "birthday", "days_before": 3}, [mail("m")], [("start", "out", "m")],
                    id="soon")
    today = scenario({"kind": "date", "field": "birthday"}, [mail("m")], [("start", "out", "m")], id="today")
    first = scenario({"kind": "date", "field": "first_order"}, [mail("m")], [("start", "out", "m")], id="first")
    leap = scenario({"kind": "date", "field": "birthday"}, [mail("m")], [("start", "out", "m")], id="leap")
    run(crm_url, soon, at(0))
    run(crm_url, today, at(0))
    run(crm_url, first, at(0))
    run(crm_url, leap, at(-2))  # Feb 28 of a year that is not a leap year: Feb 29 birthdays too
    sent = rows(crm_url, "SELECT scenario, customer_id FROM scenarist_outbox ORDER BY scenario, customer_id")
    assert sent == [("first", 1), ("leap", 3), ("soon", 1), ("today", 2)]


def test_event_trigger_needs_an_events_table_and_the_date_trigger_a_real_field(crm_url):
    make_crm(crm_url, people(1), [])
    engine = engine_for(crm_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE events")
    engine.dispose()
    crm = Crm.open(crm_url)
    try:
        crm.reflect()
        problems = validate(scenario({"kind": "event", "event": "cart_abandoned"}, [mail("m")],
                                     [("start", "out", "m")]), set(crm.customer_fields()), crm.has)
        assert [(p.node, p.field) for p in problems] == [("start", "params.event")]
        assert "no events table" in problems[0].message
        problems = validate(scenario({"kind": "date", "field": "name_day"}, [mail("m")], [("start", "out", "m")]),
                            set(crm.customer_fields()), crm.has)
        assert [(p.node, p.field, p.message) for p in problems] == [
            ("start", "params.field", "the CRM has no customer field 'name_day'")]
        with pytest.raises(ScenarioError):
            tick(from_dict(scenario({"kind": "event", "event": "x"}, [mail("m")], [("start", "out", "m")])),
                 crm, at(0))
    finally:
        crm.dispose()
    assert validate(scenario({"kind": "schedule", "event": "x"}, [], []))[0].field == "params.event"
    assert validate(scenario({"kind": "event"}, [], []))[0].message == "a 'event' start needs 'event'"


def test_switch_sends_each_customer_down_the_first_branch_that_holds(crm_url):
    spent = {1: 1000, 2: 3000, 3: 20000, 4: 60000}
    make_crm(crm_url, people(5), [{"customer_id": c, "created_at": local(-40), "total": t} for c, t in spent.items()])

    def total(op: str, value: int) -> dict:
        return {"kind": "orders", "agg": "sum", "op": op, "value": value}

    tiers = {"id": "tiers", "type": "switch", "params": {"branches": [
        {"port": "vip", "match": "all", "conditions": [total("gt", 50000)]},
        {"port": "increased", "match": "all", "conditions": [total("ge", 3000)]},
        {"port": "regular", "match": "all", "conditions": [total("gt", 0)]}]}}
    data = scenario({}, [tiers, mail("vip"), mail("inc"), mail("reg"), mail("none")],
                    [("start", "out", "tiers"), ("tiers", "vip", "vip"), ("tiers", "increased", "inc"),
                     ("tiers", "regular", "reg"), ("tiers", "other", "none")])
    crm = Crm.open(crm_url)
    try:
        seen = preview(from_dict(data), crm, at(0)).reached
    finally:
        crm.dispose()
    result = run(crm_url, data, at(0))["nodes"]
    assert {n: result[n]["reached"] for n in ("tiers", "vip", "inc", "reg", "none")} == \
        {"tiers": 5, "vip": 1, "inc": 2, "reg": 1, "none": 1}
    assert {n: seen.get(n, 0) for n in ("vip", "inc", "reg", "none")} == {"vip": 1, "inc": 2, "reg": 1, "none": 1}
    assert [(n, c) for n, c, _ in outbox(crm_url)] == [("inc", 2), ("inc", 3), ("none", 5), ("reg", 1), ("vip", 4)]


def test_switch_checks_name_the_branch():
    def problems(branches: list) -> list[tuple[str, str]]:
        data = scenario({}, [{"id": "sw", "type": "switch", "params": {"branches": branches}}],
                        [("start", "out", "sw")])
        return [(p.field, p.message) for p in validate(data)]

    good = {"port": "a", "match": "all", "conditions": []}
    assert problems([good]) == []
    assert problems([]) == [("params.branches", "a split by condition needs at least one branch")]
    assert problems([good, good]) == [("params.branches[1].port", "port 'a' appears twice")]
    assert problems([{**good, "port": "other"}])[0][0] == "params.branches[0].port"
    assert problems([{**good, "conditions": [{"kind": "orders", "agg": "avg", "op": "eq", "value": 1}]}])[0][0] \
        == "params.branches[0].conditions[0].agg"


def test_wait_for_an_order_leaves_by_event_at_once_or_by_timeout(crm_url):
    make_crm(crm_url, people(3), [{"customer_id": c, "created_at": local(-100)} for c in (1, 2, 3)])
    data = scenario({}, [{"id": "w", "type": "wait_event", "params": {"event": "order", "days": 3}},
                         mail("thanks"), mail("nudge")],
                    [("start", "out", "w"), ("w", "event", "thanks"), ("w", "timeout", "nudge")])
    first = run(crm_url, data, at(0))
    assert first["nodes"]["w"]["waiting"] == 3
    add(crm_url, "orders", [{"customer_id": 1, "created_at": local(1, 9), "total": 900, "status": "completed"},
                            {"customer_id": 2, "created_at": local(1, 9), "total": 900, "status": "cancelled"}])
    second = run(crm_url, data, at(1))
    assert (second["nodes"]["thanks"]["reached"], second["nodes"]["w"]["waiting"]) == (1, 2)
    assert run(crm_url, data, at(2))["nodes"]["nudge"]["reached"] == 0
    last = run(crm_url, data, at(3))
    assert (last["nodes"]["nudge"]["reached"], last["nodes"]["w"]["waiting"]) == (2, 0)
    assert [(n, c) for n, c, _ in outbox(crm_url)] == [("nudge", 2), ("nudge", 3), ("thanks", 1)]


def test_action_delay_holds_the_message_for_its_days(crm_url):
    make_crm(crm_url, people(2), [])
    data = scenario({}, [mail("m", delay_days=6)], [("start", "out", "m")])
    assert run(crm_url, data, at(0))["nodes"]["m"]["waiting"] == 2
    assert run(crm_url, data, at(5))["queued"] == 0
    assert run(crm_url, data, at(6))["queued"] == 2
    created = rows(crm_url, "SELECT created_at FROM scenarist_outbox")
    assert [str(r[0])[:16] for r in created] == ["2026-03-08 10:00"] * 2


def test_messages_due_outside_the_sending_window_wait_for_its_opening(crm_url):
    make_crm(crm_url, people(2), [])
    window = {"weekdays": [1, 2, 3, 4, 5], "from": "12:00", "to": "20:00"}
    data = scenario({}, [{"id": "w", "type": "wait", "params": {"days": 5}}, mail("m")],
                    [("start", "out", "w"), ("w", "out", "m")], send_window=window)
    run(crm_url, data, at(0, 12))
    saturday = run(crm_url, data, at(5, 12))  # the wait is over on Saturday: the window is shut
    assert (saturday["queued"], saturday["nodes"]["m"]["waiting"]) == (0, 2)
    assert run(crm_url, data, at(7, 11))["queued"] == 0  # Monday before noon
    assert run(crm_url, data, at(7, 12))["queued"] == 2
    assert rows(crm_url, "SELECT count(*) FROM scenarist_outbox") == [(2,)]


def test_send_window_arithmetic():
    office = SendWindow.parse({"weekdays": [1, 2, 3, 4, 5], "from": "09:00", "to": "21:00"})
    saturday = datetime(2026, 3, 7, 15, 0)
    assert not office.is_open(saturday)
    assert office.next_open(saturday) == datetime(2026, 3, 9, 9, 0)
    assert office.next_open(datetime(2026, 3, 9, 21, 0)) == datetime(2026, 3, 10, 9, 0)
    night = SendWindow.parse({"weekdays": [5], "from": "20:00", "to": "02:00"})  # Friday night
    assert night.is_open(datetime(2026, 3, 7, 1, 0))  # Saturday 01:00 belongs to Friday's evening
    assert not night.is_open(datetime(2026, 3, 8, 1, 0))
    problems = validate(scenario({}, [], [], send_window={"weekdays": [0, 1], "from": "9"}))
    assert {p.field for p in problems} == {"settings.send_window.weekdays", "settings.send_window.from"}


def test_frequency_cap_across_scenarios_counts_the_rest_as_capped(crm_url):
    make_crm(crm_url, people(3), [])
    first = scenario({}, [mail("m")], [("start", "out", "m")], id="first")
    second = scenario({}, [mail("m"), mail("m2")], [("start", "out", "m"), ("m", "out", "m2")], id="second")
    cap = FrequencyCap(messages=2, days=7)
    run(crm_url, first, at(0), frequency_cap=cap)
    result = run(crm_url, second, at(0), frequency_cap=cap)
    assert (result["queued"], result["capped"]) == (3, 3)
    assert rows(crm_url, "SELECT scenario, node_id, status, count(*) FROM scenarist_outbox "
                         "GROUP BY scenario, node_id, status ORDER BY 1, 2") == \
        [("first", "m", "pending", 3), ("second", "m", "pending", 3), ("second", "m2", "capped", 3)]
    assert rows(crm_url, "SELECT capped FROM scenarist_runs WHERE scenario = 'second'") == [(3,)]
    assert rows(crm_url, "SELECT count(*) FROM scenarist_outbox WHERE status = 'capped' AND body IS NOT NULL") \
        == [(0,)]


def test_conversions_credit_the_latest_message_within_its_window(crm_url):
    make_crm(crm_url, people(4), [{"customer_id": c, "created_at": local(-100)} for c in (1, 2, 3, 4)])
    data = scenario({}, [mail("m1", conversion_days=3), {"id": "w", "type": "wait", "params": {"days": 2}},
                         mail("m2", conversion_days=7)],
                    [("start", "out", "m1"), ("m1", "out", "w"), ("w", "out", "m2")])
    run(crm_url, data, at(0))
    add(crm_url, "orders", [{"customer_id": 1, "created_at": local(1), "total": 1000, "status": "completed"},
                            {"customer_id": 1, "created_at": local(1, 12), "total": 500, "status": "cancelled"}])
    run(crm_url, data, at(2))
    add(crm_url, "orders", [{"customer_id": 2, "created_at": local(2, 12), "total": 2000, "status": "completed"},
                            {"customer_id": 3, "created_at": local(9, 12), "total": 700, "status": "completed"},
                            {"customer_id": 4, "created_at": local(8, 9), "total": 300, "status": "completed"}])
    found = measured(crm_url, data)
    assert found["m1"].to_json() == {"messages": 4, "customers": 1, "orders": 1, "revenue": 1000.0, "rate": 0.25}
    # Customer 2 ordered within both windows: the later message gets it; customer 3 too late.
    assert found["m2"].to_json() == {"messages": 4, "customers": 2, "orders": 2, "revenue": 2300.0, "rate": 0.5}


def test_branch_results_of_an_ab_split(crm_url):
    make_crm(crm_url, people(40), [])
    data = scenario({}, [{"id": "ab", "type": "split", "params": {"branches": [
        {"port": "a", "weight": 50}, {"port": "b", "weight": 50}]}}, mail("ma"), mail("mb"),
        {"id": "w", "type": "wait", "params": {"days": 3}}, mail("after")],
        [("start", "out", "ab"), ("ab", "a", "ma"), ("ab", "b", "mb"), ("ma", "out", "w"), ("mb", "out", "w"),
         ("w", "out", "after")])
    run(crm_url, data, at(0))
    got = {n: c for n, c in rows(crm_url, "SELECT node_id, min(customer_id) FROM scenarist_outbox "
                                          "WHERE node_id IN ('ma', 'mb') GROUP BY node_id")}
    add(crm_url, "orders", [{"customer_id": got["ma"], "created_at": local(1), "total": 800, "status": "completed"}])
    run(crm_url, data, at(3))
    per_node = measured(crm_url, data)
    branches = branch_results(from_dict(data), per_node)["ab"]
    assert branches["a"].messages + branches["b"].messages == 40
    assert (branches["a"].orders, branches["a"].revenue, branches["b"].orders) == (1, 800.0, 0)
    # Where the branches meet again belongs to neither; it came after the order, so it gets none.
    assert (per_node["after"].messages, per_node["after"].orders) == (40, 0)


def test_customer_fields_used_come_from_conditions_branches_and_the_date_start():
    from engine.validation import customer_fields_used

    def field(name: str) -> dict:
        return {"kind": "field", "field": name, "op": "is_set"}

    switch = {"id": "sw", "type": "switch", "params": {"branches": [
        {"port": "a", "match": "all", "conditions": [{"kind": "group", "match": "any",
                                                      "conditions": [field("tier"), field("city")]}]}]}}
    filt = {"id": "f", "type": "filter", "params": {"match": "all", "conditions": [field("city"), field("email")]}}
    data = scenario({"kind": "date", "field": "birthday"}, [switch, filt], [("start", "out", "sw"), ("sw", "a", "f")])
    assert customer_fields_used(from_dict(data)) == ["birthday", "tier", "city", "email"]
    anniversary = scenario({"kind": "date", "field": "first_order"}, [], [])
    assert customer_fields_used(from_dict(anniversary)) == []
