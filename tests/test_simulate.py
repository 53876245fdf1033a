"""Simulation on a real SQLite file and the real PostgreSQL: the CRM it was given never changes,
the section-1 scenario over 30 days gives the numbers a user would check, and the command line."""

from __future__ import annotations

import csv
import json
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from connectors.crm import Crm
from connectors.demo_crm import build_demo_crm
from engine.problems import ScenarioError
from engine.runner import tick
from engine.scenario import from_dict
from engine.simulate import (
    ResponseModel,
    SimulationCancelled,
    SimulationResult,
    simulate,
)
from tests.conftest import PG_ADMIN_URL, pg_schema_url
from tests.helpers import (
    REACTIVATION,
    checksum,
    churned_today,
    copy_of,
    engine_for,
    make_crm,
    query,
    reactivation,
    rows,
    simulate_url,
)
from tests.test_cli import cli

MSK = ZoneInfo("Europe/Moscow")
AS_OF = datetime(2026, 3, 2, 10, 0)  # naive Moscow time the demo data is dated to
START = AS_OF.replace(tzinfo=MSK)
TOP_KEYS = {"scenario", "name", "start", "days", "response", "nodes", "daily", "totals", "by_node", "seconds",
            "branches", "holdout"}
NODE_KEYS = {"reached", "waiting", "messages", "bonuses", "points", "orders", "revenue"}
TOTAL_KEYS = {"entered", "messages", "bonuses", "points", "orders", "revenue", "parts"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(request, tmp_path_factory) -> Iterator[str]:
    """A demo CRM of 1,500 customers without engine state, shared by a module's tests (a
    simulation never changes it), once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sim') / 'demo.db'}"
        build_demo_crm(url, customers=1500, seed=11, as_of=AS_OF)
        yield url
        return
    for url in pg_schema_url():
        build_demo_crm(url, customers=1500, seed=11, as_of=AS_OF)
        yield url


def scenario():
    return from_dict(reactivation())


def sim_schemas() -> set[str]:
    engine = engine_for(PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://"))
    with engine.connect() as conn:
        found = set(conn.execute(sa.text(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'scenarist\\_sim\\_%'")).scalars())
    engine.dispose()
    return found


def sequences(url: str) -> list[tuple]:
    """Where every sequence of the CRM's schema stands (PostgreSQL); nothing on SQLite."""
    if not url.startswith("postgresql"):
        return []
    return rows(url, "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema() "
                     "ORDER BY sequencename")


def where_copy_lives(copy: Crm) -> str:
    """The copy's PostgreSQL schema, or its SQLite file."""
    if copy.is_sqlite:
        return str(copy.engine.url.database)
    with copy.engine.connect() as conn:
        return conn.execute(sa.text("SELECT current_schema()")).scalar_one()


def assert_copy_gone(place: str) -> None:
    if place.startswith("scenarist_sim_"):
        assert place not in sim_schemas()
    else:
        assert not Path(place).exists() and not Path(place).parent.exists()


def cancel_at_step(monkeypatch, node_id: str, nth: int) -> threading.Event:
    """An event the user sets while a tick runs: right after the ``nth`` step of ``node_id``
    committed (each day ticks twice: at the trigger time and at 23:59)."""
    import engine.runner as runner

    cancel, seen, real = threading.Event(), [0], runner.checkpoint

    def watch(name: str) -> None:
        real(name)
        if name == f"step:{node_id}":
            seen[0] += 1
            if seen[0] == nth:
                cancel.set()

    monkeypatch.setattr(runner, "checkpoint", watch)
    return cancel


# --- the CRM never changes ----------------------------------------------------------------------------

def test_the_crm_it_was_given_never_changes(crm_url, monkeypatch):
    build_demo_crm(crm_url, customers=400, seed=3, as_of=AS_OF)
    crm = Crm.open(crm_url)
    real = tick(scenario(), crm, START)  # the engine's own tables now exist, with customers waiting
    crm.dispose()
    assert real.waiting["wait7"] == churned_today(crm_url)  # everybody the entry admitted waits there
    before, seqs = checksum(crm_url), sequences(crm_url)
    assert any(name.startswith("scenarist_") for name in before)
    files_before = _sqlite_files(crm_url)
    places: list[str] = []

    placed: list[int] = []

    def run(**kwargs: object) -> SimulationResult:
        with copy_of(crm_url) as copy:
            places.append(where_copy_lives(copy))
            first_order = query(crm_url, "SELECT MAX(id) FROM orders")[0][0] + 1
            result = simulate(scenario(), copy, 10, START + timedelta(days=1),
                              response=ResponseModel(0.5, 5, 2000, seed=2), **kwargs)
            with copy.engine.connect() as conn:  # the orders the response model wrote into the copy
                placed.append(conn.execute(sa.text("SELECT count(*) FROM orders WHERE id >= :first"),
                                           {"first": first_order}).scalar_one())
            return result

    result = run()
    assert checksum(crm_url) == before and sequences(crm_url) == seqs
    # The simulation went on from the CRM's state: the customers waiting since the real tick
    # reach the "ordered since entering?" filter on its seventh day (the real tick's day + 7).
    assert result.daily[6]["nodes"]["came_back"]["reached"] == real.waiting["wait7"]
    assert all(day["nodes"]["came_back"]["reached"] == 0 for day in result.daily[:6])
    assert result.to_json()["totals"]["orders"] == placed[0] >= 1  # half of those mailed answer within 5 days

    stopper = threading.Event()

    def press_cancel(done: int, _days: int) -> None:
        if done == 3:
            stopper.set()

    with pytest.raises(SimulationCancelled) as cancelled:  # between days
        run(progress=press_cancel, cancel=stopper)
    assert len(cancelled.value.result.daily) == 3
    assert checksum(crm_url) == before and sequences(crm_url) == seqs

    with pytest.raises(SimulationCancelled) as mid_tick:  # in the first tick of the second day
        run(cancel=cancel_at_step(monkeypatch, "churned", 3))
    assert len(mid_tick.value.result.daily) == 1
    monkeypatch.undo()
    assert checksum(crm_url) == before and sequences(crm_url) == seqs

    def fail(done: int, _days: int) -> None:
        if done == 4:
            raise RuntimeError("the report writer broke")

    with pytest.raises(RuntimeError, match="report writer"):
        run(progress=fail)
    assert checksum(crm_url) == before and sequences(crm_url) == seqs
    assert _sqlite_files(crm_url) == files_before
    assert len(places) == 4
    for place in places:
        assert_copy_gone(place)


def _sqlite_files(url: str) -> dict[str, bytes] | None:
    """The bytes of an SQLite CRM's files: not even a checkpoint may touch them."""
    if not url.startswith("sqlite"):
        return None
    path = Path(sa.make_url(url).database)
    return {p.name: p.read_bytes() for p in path.parent.glob(path.name + "*")}


def test_a_scenario_that_does_not_fit_leaves_nothing_behind(crm_url):
    build_demo_crm(crm_url, customers=50, seed=3, as_of=AS_OF)
    data = reactivation()
    data["nodes"][1]["params"]["conditions"].append({"kind": "field", "field": "vip_level", "op": "ge", "value": 2})
    before = checksum(crm_url)
    places: list[str] = []
    with pytest.raises(ScenarioError, match="vip_level"), copy_of(crm_url) as copy:
        places.append(where_copy_lives(copy))
        simulate(from_dict(data), copy, 3, START)
    assert checksum(crm_url) == before
    assert_copy_gone(places[0])


# --- the numbers a user would check ---------------------------------------------------------------------

def copy_facts(copy: Crm, first_synthetic_id: int) -> dict:
    """What a test reads from the copy before it is removed."""
    with copy.engine.connect() as conn:
        outbox = conn.execute(sa.text(
            "SELECT customer_id, node_id, created_at, status FROM scenarist_outbox ORDER BY id")).all()
        orders = conn.execute(sa.text(
            "SELECT customer_id, created_at, total, promo_code FROM orders WHERE id >= :first ORDER BY id"),
            {"first": first_synthetic_id}).all()
    return {"outbox": [tuple(r) for r in outbox], "orders": [tuple(r) for r in orders]}


def _as_datetime(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def test_thirty_days_of_reactivation(demo):
    expected = churned_today(demo)
    assert expected > 50
    first_new_order = query(demo, "SELECT MAX(id) FROM orders")[0][0] + 1
    before = checksum(demo)
    facts: dict = {}
    model = ResponseModel(0.5, 7, 3000, seed=7)
    result = simulate_url(scenario(), demo, 30, START, response=model,
                          inspect=lambda copy: facts.update(copy_facts(copy, first_new_order)))
    assert checksum(demo) == before
    data = result.to_json()
    assert set(data) == TOP_KEYS and len(data["daily"]) == 30
    assert [n["id"] for n in data["nodes"]][:4] == ["start", "churned", "mail1", "wait7"]
    assert all(set(day["nodes"]["mail1"]) == NODE_KEYS and set(day["totals"]) == TOTAL_KEYS for day in data["daily"])
    assert data["response"] == {"rate": 0.5, "within_days": 7, "average_order": 3000, "seed": 7, "baseline": 0.0}
    day1, day8 = data["daily"][0], data["daily"][7]
    assert day1["day"] == "2026-03-02" and day8["day"] == "2026-03-09"

    # Day 1: everyone the filter admits enters and gets the first email.
    assert day1["totals"]["entered"] == expected
    assert day1["nodes"]["mail1"]["reached"] == day1["nodes"]["mail1"]["messages"] == expected
    assert day1["nodes"]["wait7"]["waiting"] == expected

    # Day 8: the second email (with its promo code) goes to day 1's customers who did not order.
    outbox, orders = facts["outbox"], facts["orders"]
    first_mail = {c for c, node, at, _ in outbox if node == "mail1" and _as_datetime(at).date() == AS_OF.date()}
    assert len(first_mail) == expected
    day8_release = datetime(2026, 3, 9, 10, 0)
    ordered = {c for c, at, *_ in orders if _as_datetime(at) < day8_release}
    second = {c for c, node, at, _ in outbox if node == "mail2" and _as_datetime(at).date() == day8_release.date()}
    assert second == first_mail - ordered
    assert 0 < len(second) < expected
    assert day8["nodes"]["mail2"]["messages"] == day8["nodes"]["promo"]["bonuses"] == len(second)
    assert all(d["nodes"]["mail2"]["messages"] == 0 for d in data["daily"][:7])

    # Nobody gets the same message twice.
    assert max(Counter((c, node) for c, node, *_ in outbox).values()) == 1

    # The orders the response model placed are those counted, on the days they were placed.
    assert data["totals"]["orders"] == len(orders) > 0
    assert data["totals"]["revenue"] == pytest.approx(sum(float(t) for _, _, t, _ in orders))
    assert all(2100 <= float(t) <= 3900 for _, _, t, _ in orders)
    by_day = Counter(_as_datetime(at).date().isoformat() for _, at, *_ in orders)
    assert {d["day"]: d["totals"]["orders"] for d in data["daily"] if d["totals"]["orders"]} == dict(by_day)
    # Answers to the promo email carry its code, so "used the code?" sees them; answers to the last
    # call carry it while it is valid (it expires two days after the last call).
    coded = [code for _, _, _, code in orders if code]
    assert coded and all(code.startswith("BACK") for code in coded)
    by_node = data["totals"]["nodes"]
    assert by_node["mail2"]["orders"] <= len(coded) <= by_node["mail2"]["orders"] + by_node["mail3"]["orders"]
    assert by_node["mail1"]["orders"] + by_node["mail2"]["orders"] + by_node["mail3"]["orders"] == len(orders)
    last_call = {(c, _as_datetime(at)) for c, node, at, _ in outbox if node == "mail3"}
    assert last_call
    assert not any(c == who and _as_datetime(at) < when for who, when in last_call for c, at, _, code in orders if code)

    # The same seed gives the same simulation.
    again = simulate_url(scenario(), demo, 30, START, response=model).to_json()
    assert {**again, "seconds": 0} == {**data, "seconds": 0}


def test_everybody_answers_or_nobody(demo):
    always = simulate_url(scenario(), demo, 30, START, response=ResponseModel(1.0, 7, 1000)).to_json()
    daily = always["daily"]
    # Every customer emailed orders within the week, so all of them leave at "ordered since entering?".
    for d in range(23):
        assert daily[d + 7]["nodes"]["came_back"]["reached"] == daily[d]["nodes"]["mail1"]["messages"]
    totals = always["totals"]
    assert totals["nodes"]["mail2"]["messages"] == totals["nodes"]["promo"]["bonuses"] == 0
    assert sum(daily[d]["nodes"]["mail1"]["messages"] for d in range(23)) <= totals["orders"]
    assert totals["orders"] <= totals["messages"]
    assert totals["revenue"] == pytest.approx(sum(d["totals"]["revenue"] for d in daily))

    never = simulate_url(scenario(), demo, 30, START, response=ResponseModel(0.0, 7, 1000)).to_json()
    assert never["totals"]["orders"] == 0 and never["totals"]["revenue"] == 0
    assert all(d["totals"]["orders"] == 0 and d["totals"]["revenue"] == 0 for d in never["daily"])
    first = never["daily"][0]["nodes"]["mail1"]["messages"]
    assert never["daily"][7]["nodes"]["mail2"]["messages"] == first  # nobody came back
    assert never["daily"][0]["totals"] == always["daily"][0]["totals"] | {"orders": 0, "revenue": 0}


def test_csv_has_a_row_per_day_and_node(demo, tmp_path):
    result = simulate_url(scenario(), demo, 3, START)
    path = tmp_path / "sim.csv"
    result.to_csv(path)
    with path.open(encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    assert len(table) == 3 * len(result.scenario.nodes)
    assert list(table[0]) == ["day", "node_id", "node_type", "title", "reached", "waiting", "messages", "bonuses",
                              "points", "orders", "revenue"]
    row = next(r for r in table if r["day"] == "2026-03-02" and r["node_id"] == "mail1")
    assert int(row["messages"]) == result.to_json()["daily"][0]["nodes"]["mail1"]["messages"]
    assert row["title"] == "We miss you" and row["node_type"] == "message"
    assert result.to_json()["response"] is None


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="between 0 and 1"):
        ResponseModel(1.5, 7, 100)
    with pytest.raises(ValueError, match="response days"):
        ResponseModel(0.5, 0, 100)
    with pytest.raises(ValueError, match="average order"):
        ResponseModel(0.5, 7, -1)


# --- the command line ------------------------------------------------------------------------------------

def test_simulate_command(sqlite_url, tmp_path):
    build_demo_crm(sqlite_url, customers=300, seed=5, as_of=AS_OF)
    before = checksum(sqlite_url)
    out_csv = tmp_path / "days.csv"
    done = cli("simulate", str(REACTIVATION), "--crm", sqlite_url, "--days", "9", "--at", "2026-03-02T10:00",
               "--json", "--response-rate", "0.5", "--response-days", "3", "--seed", "4", "--csv", str(out_csv))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == TOP_KEYS | {"cost"}  # the command line adds what it costs
    assert data["scenario"] == "reactivation-by-orders" and data["days"] == 9
    assert data["start"] == "2026-03-02T10:00:00+03:00"
    assert data["response"]["rate"] == 0.5 and data["response"]["within_days"] == 3 and data["response"]["seed"] == 4
    completed = query(sqlite_url, "SELECT avg(total) FROM orders WHERE status = 'completed'")[0][0]
    assert data["response"]["average_order"] == round(float(completed), 2)  # the CRM's average completed order
    assert [d["day"] for d in data["daily"]] == [f"2026-03-{n:02d}" for n in range(2, 11)]
    assert set(data["by_node"]) == {n["id"] for n in data["nodes"]} == set(data["totals"]["nodes"])
    assert data["daily"][0]["totals"]["entered"] == churned_today(sqlite_url)
    assert data["daily"][0]["nodes"]["mail1"]["messages"] == churned_today(sqlite_url)  # each gets the email
    # Day 8: the promo email goes to every day-1 entrant who did not answer the first one (answers
    # come 1 to 3 days after it, all before day 8).
    answered = sum(d["nodes"]["mail1"]["orders"] for d in data["daily"][:8])
    assert data["daily"][7]["nodes"]["mail2"]["messages"] == churned_today(sqlite_url) - answered
    assert checksum(sqlite_url) == before
    lines = out_csv.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "day,node_id,node_type,title,reached,waiting,messages,bonuses,points,orders,revenue"
    assert len(lines) == 1 + 9 * len(data["nodes"])

    table = cli("simulate", str(REACTIVATION), "--crm", sqlite_url, "--days", "2", "--at", "2026-03-02T10:00")
    assert table.returncode == 0, table.stderr
    assert "2026-03-03" in table.stdout and "mail1" in table.stdout and "the CRM was not changed" in table.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--days", "0"], "--days must be between 1 and 3650"),
    (["--days", "4000"], "--days must be between 1 and 3650"),
    (["--days", "many"], "argument --days: invalid int value"),
    (["--days", "5", "--response-rate", "1.5"], "--response-rate must be between 0 and 1"),
    (["--days", "5", "--response-rate", "0.5", "--response-days", "0"], "--response-days must be between 1"),
    (["--days", "5", "--response-rate", "0.5", "--average-order", "-3"], "--average-order must be 0 or more"),
    (["--days", "5", "--average-order", "100"], "--average-order needs --response-rate"),
    (["--days", "5", "--at", "soon"], "--at 'soon' is not an ISO date-time"),
    (["--days", "5", "--csv", "/no/such/folder/x.csv"], "--csv: there is no folder"),
], ids=["zero-days", "too-many-days", "not-a-number", "rate", "response-days", "average", "needs-rate", "at", "csv"])
def test_simulate_bad_input_exits_2(sqlite_url, args, message):
    build_demo_crm(sqlite_url, customers=20, seed=5, as_of=AS_OF)
    done = cli("simulate", str(REACTIVATION), "--crm", sqlite_url, *args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_simulate_missing_sqlite_file_is_not_created(tmp_path):
    missing = tmp_path / "nowhere.db"
    done = cli("simulate", str(REACTIVATION), "--crm", f"sqlite:///{missing}", "--days", "3")
    assert done.returncode == 2 and "no SQLite file" in done.stderr
    assert not missing.exists()


def test_simulate_applies_the_frequency_cap_of_the_settings(sqlite_url, tmp_path):
    build_demo_crm(sqlite_url, customers=300, seed=5, as_of=AS_OF)
    settings = tmp_path / "settings.toml"
    settings.write_text("[frequency_cap]\nmessages = 1\ndays = 30\n", encoding="utf-8")
    args = ("simulate", str(REACTIVATION), "--crm", sqlite_url, "--days", "9", "--at", "2026-03-02T10:00", "--json")
    free = json.loads(cli(*args).stdout)["by_node"]
    capped = cli(*args, "--settings", str(settings))
    assert capped.returncode == 0, capped.stderr
    by_node = json.loads(capped.stdout)["by_node"]
    assert free["mail2"]["messages"] == free["mail2"]["reached"] == by_node["mail2"]["reached"]
    assert free["mail2"]["reached"] == free["mail1"]["reached"]  # nobody answers: all get the promo email
    assert by_node["mail2"]["messages"] == 0  # one message a month: the promo email is held back
    assert by_node["mail1"]["messages"] == free["mail1"]["messages"]


def test_copies_left_by_a_killed_simulation_are_dropped_by_the_next(pg_url):
    from engine.simulate import STALE_COPY_SECONDS, drop_stale_copies

    build_demo_crm(pg_url, customers=50, seed=3, as_of=AS_OF)
    now = int(time.time())  # the real clock: a simulation running elsewhere on this server now is not stale
    tag = uuid.uuid4().hex[:8]
    old, fresh = f"scenarist_sim_{now - STALE_COPY_SECONDS - 60}_{tag}", f"scenarist_sim_{now - 600}_{tag}"
    engine = engine_for(pg_url)
    with engine.begin() as conn:
        for name in (old, fresh):
            conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
            conn.exec_driver_sql(f'CREATE TABLE "{name}".customers (id integer)')
    crm = Crm.open(pg_url)
    try:
        dropped = drop_stale_copies(crm, now=now)
    finally:
        crm.dispose()
        with engine.begin() as conn:
            left = conn.execute(sa.text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p ORDER BY 1"),
                                {"p": f"%{tag}"}).all()
            for (name,) in left:
                conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
        engine.dispose()
    mine = [name for name in dropped if name.endswith(tag)]  # leftovers of other killed runs may go too
    assert mine == [old] and [r[0] for r in left] == [fresh]  # a copy a running simulation uses stays


def test_the_simulation_counts_people_over_its_days_and_arrivals_per_day(crm_url):
    from tests.test_engine import CUSTOMERS, HISTORY

    make_crm(crm_url, CUSTOMERS, HISTORY)
    data = simulate_url(scenario(), crm_url, 3, datetime(2026, 3, 2, 9, 0, tzinfo=MSK)).to_json()
    # By hand: all 9 customers are checked on day 1; Anna, Boris and Clara enter (churned) and stay
    # in the scenario, so days 2 and 3 check the other 6. People at the start over the 3 days: 9.
    assert [day["nodes"]["start"]["reached"] for day in data["daily"]] == [9, 6, 6]
    assert data["totals"]["nodes"]["start"]["reached"] == 9
    assert data["totals"]["nodes"]["churned"]["reached"] == 9
    assert data["totals"]["nodes"]["mail1"]["reached"] == 3 and data["totals"]["nodes"]["wait7"]["reached"] == 3
    assert data["totals"]["entered"] == 3
    assert max(node["reached"] for node in data["totals"]["nodes"].values()) <= len(CUSTOMERS)


def test_the_same_simulation_gives_equal_results_on_sqlite_and_postgresql(sqlite_url, pg_url):
    """The same demo shop (same seed and date) on both databases, 30 days with the same response
    model: every figure of every day and node is the same, and so are the orders placed."""
    results, placed = [], []
    for url in (sqlite_url, pg_url):
        build_demo_crm(url, customers=800, seed=11, as_of=AS_OF)
        first_new = query(url, "SELECT MAX(id) FROM orders")[0][0] + 1
        facts: dict = {}
        result = simulate_url(scenario(), url, 30, START, response=ResponseModel(0.5, 7, 3000, seed=7),
                              inspect=lambda copy, first=first_new, facts=facts: facts.update(
                                  copy_facts(copy, first))).to_json()
        results.append({**result, "seconds": 0})
        placed.append(sorted((c, _local(at), round(float(t), 2), code.split("-")[0] if code else None)
                             for c, at, t, code in facts["orders"]))  # a code's hash is keyed per database
    on_sqlite, on_postgresql = results
    assert on_sqlite == on_postgresql
    assert placed[0] == placed[1] and placed[0]  # the same orders, and some
    # Counted independently: the entry by hand, the orders as rows of each copy.
    assert on_sqlite["daily"][0]["totals"]["entered"] == churned_today(sqlite_url) == churned_today(pg_url)
    assert on_sqlite["totals"]["orders"] == len(placed[0]) == len(placed[1])


def _local(value: object) -> datetime:
    """A copy's order time as a naive Moscow time (PostgreSQL may hand back an aware one)."""
    moment = _as_datetime(value)
    return moment.astimezone(MSK).replace(tzinfo=None) if moment.tzinfo else moment
