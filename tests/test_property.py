"""Property test: the engine agrees with a naive per-customer reference, tick after tick.

Hypothesis draws a small CRM (customers, orders placed before and during the simulated
days, inserted as the simulated clock passes them) and a scenario, then ticks day by day
and compares the engine with ``tests/reference.py`` after every tick: per-node ``reached``
and ``waiting``, the run's counters, the enrolments, the outbox (skipped or not), the bonus
ledger and the customers' points. A tick is sometimes repeated at the same moment, which
must change nothing.

- ``test_engine_matches_reference_sqlite``: a random DAG of 1-7 filters, waits, messages,
  bonuses, splits and exits behind a 10:00 trigger, 10-20 days of ticks (mostly at 10:00;
  some days also at 15:00, at 09:30 before the trigger, only at 15:00, or not at all).
- ``test_filter_conditions_match_reference_sqlite``: a comb of filters that every customer
  goes through, each decision recorded by a message or bonus node, over a few days: many
  condition evaluations per example.
- ``test_engine_matches_reference_postgresql``: both kinds, fewer examples, on PostgreSQL.

``SCENARIST_PROPERTY_SCALE=10`` runs ten times the examples; ``SCENARIST_PROPERTY_SHRINK=1``
shrinks failures (slow).
"""

from __future__ import annotations

import contextlib
import os
import random
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, event, given, note, settings
from hypothesis import strategies as st

from connectors.crm import Crm
from connectors.schema import canonical_metadata
from engine.runner import tick
from engine.scenario import Scenario, from_dict
from tests.conftest import _PG_REASON, PG_ADMIN_URL
from tests.reference import Customer, Order, Outcome, Reference

SCENARIO_KEY = "prop"
TZ = "Europe/Moscow"

# -- the CRM ------------------------------------------------------------------------------
EMAILS = ["ann@example.com", "B.Smith@Shop.ru", "ёлка@пример.рф", "bad-email", "a@b", "two@@x.ru",
          "x@y@z.ru", "sp ace@x.ru", "@x.ru", "a@.ru", "a@ru.", "a@b.c", "", None]
PHONES = [None, "", "   ", "+79001234567", "8 900 123"]
CITIES = ["Moscow", "moscow", "Kazan", "Москва", "МОСКВА", "50% Town", "", None]
STATUSES = ["completed", "completed", "cancelled", "new"]


def picks(options: list, where: str) -> st.SearchStrategy:
    """One of ``options``, each about equally likely (see :func:`leaf`), salted by ``where``."""
    return st.integers(0, 2**32 - 1).map(lambda seed: random.Random(f"{where}/{seed}").choice(options))


@dataclass
class World:
    """A generated CRM and the simulated days."""

    customers: list[dict]
    orders: list[dict]
    start: date
    days: list[list[time]]
    repeat: list[bool]


@st.composite
def customers_and_orders(draw: st.DrawFn, start: date, least: int = 1) -> tuple[list[dict], list[dict]]:
    """1-12 customers (at least ``least``) with 0-5 orders each, some placed during the simulation."""
    n = draw(picks(list(range(least, 13)), "customers"))
    base = datetime.combine(start, time(10, 0))
    customers, orders = [], []
    days_back = st.one_of(st.integers(0, 10), st.integers(0, 400))
    for cid in range(1, n + 1):
        registered = draw(st.one_of(st.none(), days_back))
        customers.append({
            "id": cid,
            "email": draw(st.sampled_from(EMAILS)),
            "phone": draw(st.sampled_from(PHONES)),
            "first_name": draw(st.sampled_from(["Anna", "Ёлкина", None])),
            "last_name": None,
            "registered_at": None if registered is None
            else base - timedelta(days=registered, minutes=draw(st.integers(-600, 800))),
            "email_subscribed": draw(st.booleans()),
            "sms_subscribed": draw(st.booleans()),
            "city": draw(st.sampled_from(CITIES)),
        })
        for _ in range(draw(st.integers(0, 5))):
            day = draw(st.one_of(st.integers(-7, 3), st.integers(-400, 20)))
            minute = draw(st.sampled_from([0, 1, 9 * 60 + 59, 10 * 60, 10 * 60 + 1, 12 * 60, 15 * 60,
                                           23 * 60 + 59]))
            orders.append({
                "customer_id": cid,
                "created_at": datetime.combine(start + timedelta(days=day), time()) + timedelta(minutes=minute),
                "total": Decimal(draw(st.integers(0, 400))) * 5 / 2,
                "status": draw(st.sampled_from(STATUSES)),
            })
    return customers, orders


TICK_DAYS = st.sampled_from([
    [time(10)], [time(10)], [time(10)], [time(10), time(15)], [time(9, 30), time(10)], [time(15)], [],
])


@st.composite
def worlds(draw: st.DrawFn, min_days: int = 10, max_days: int = 20, least: int = 1) -> World:
    """A CRM plus 10-20 days of ticks (mostly at 10:00, sometimes more, later or none)."""
    start = draw(st.dates(date(2024, 1, 1), date(2026, 12, 31)))
    customers, orders = draw(customers_and_orders(start, least))
    days = draw(st.lists(TICK_DAYS, min_size=min_days, max_size=max_days))
    repeat = [draw(st.integers(0, 5)) == 0 for _ in days]
    return World(customers, orders, start, days, repeat)


# -- the scenario -------------------------------------------------------------------------
OPS = ["eq", "ne", "lt", "le", "gt", "ge"]


def _orders_cond(agg: str, op: str, value: Any, within: int | None, status: list[str] | None) -> dict:
    cond: dict[str, Any] = {"kind": "orders", "agg": agg, "op": op, "value": value}
    if within is not None:
        cond["within_days"] = within
    if status is not None:
        cond["status"] = status
    return cond


DAYS = [0, 1, 2, 3, 5, 30]
# Every kind of leaf condition with its operator, drawn from one flat list so that each is
# about as likely as any other; values are drawn afterwards.
SHAPES: list[tuple[str, str, str]] = [
    ("field", "email", "is_valid_email"), ("field", "email_subscribed", "is_true"),
    ("field", "email_subscribed", "is_false"), ("field", "registered_at", "older_than_days"),
    ("field", "registered_at", "newer_than_days"), ("field", "city", "eq"), ("field", "city", "ne"),
    ("field", "city", "contains"), ("field", "phone", "is_set"), ("field", "phone", "is_empty"),
    *[("orders", agg, op) for agg in ("count", "sum", "days_since_last") for op in OPS],
    ("orders", "since_entry", "ge"),
]


def leaf(rnd: random.Random) -> dict:
    """One condition that is not a group, every shape about equally likely.

    Hypothesis's own choices favour a few shapes heavily; an operator drawn once in a
    hundred examples leaves its bugs unfound, so the shape and values come from ``rnd``.
    """
    kind, name, op = rnd.choice(SHAPES)
    if kind == "field":
        cond: dict[str, Any] = {"kind": "field", "field": name, "op": op}
        if op in ("older_than_days", "newer_than_days"):
            cond["value"] = rnd.choice([*DAYS, 7, 180])
        elif op in ("eq", "ne"):
            cond["value"] = rnd.choice(["Moscow", "Москва", "Kazan"])
        elif op == "contains":
            cond["value"] = rnd.choice(["mos", "МОСК", "%", "an", "москва"])
        return cond
    if name == "since_entry":
        return {"kind": "orders", "agg": "count", "since": "entry", "op": "ge", "value": 1}
    value = {"count": rnd.randint(0, 3), "sum": rnd.choice([0, 100, 500, 1000]),
             "days_since_last": rnd.choice(DAYS)}[name]
    status = rnd.choice([None, None, ["cancelled"], ["completed", "new"]]) if name == "count" else None
    return _orders_cond(name, op, value, rnd.choice([None, None, 1, 2, 7, 30, 60]), status)


@st.composite
def conditions(draw: st.DrawFn, where: str = "c", depth: int = 0) -> list[dict]:
    """1-3 conditions, a quarter of them nested groups (rarely empty), at most 2 deep."""
    found = []
    for i in range(draw(st.integers(1, 3))):
        if depth < 2 and draw(st.integers(0, 3)) == 0:
            inner = [] if draw(st.integers(0, 9)) == 0 else draw(conditions(f"{where}.{i}", depth + 1))
            found.append({"kind": "group", "match": draw(st.sampled_from(["all", "any"])), "conditions": inner})
        else:
            found.append(draw(leaves(f"{where}.{i}")))
    return found


@st.composite
def leaves(draw: st.DrawFn, where: str) -> dict:
    """One leaf from its own seed, salted with its place so that repeated seeds differ.

    Shrinking can then drop the other conditions and keep this one as it is.
    """
    return leaf(random.Random(f"{where}/{draw(st.integers(0, 2**32 - 1))}"))


NODE_TYPES = ["message", "message", "wait", "filter", "filter", "bonus", "split", "exit"]


@st.composite
def node_params(draw: st.DrawFn, ntype: str, node_id: str = "x") -> dict:
    """Parameters of one node of the given type."""
    if ntype == "filter":
        # Mostly one leaf: in a longer list the others often decide alone.
        conds = [draw(leaves(node_id))] if draw(st.integers(0, 2)) else draw(conditions(node_id))
        return {"match": draw(st.sampled_from(["all", "any"])), "conditions": conds}
    if ntype == "wait":
        params: dict[str, Any] = {"days": draw(st.integers(1, 5))}
        release = draw(st.sampled_from([None, None, None, "09:00", "10:00", "12:00"]))
        if release:
            params["release_at"] = release
        return params
    if ntype == "message":
        channel = draw(st.sampled_from(["email", "email", "sms", "webhook"]))
        params = {"channel": channel, "body": "Hi {{ customer.first_name }}"}
        if channel == "email":
            params["subject"] = "Hello {{ customer.first_name }}"
        return params
    if ntype == "bonus":
        if draw(st.booleans()):
            return {"kind": "points", "amount": draw(st.sampled_from([100, 250])), "expires_in_days": 30}
        return {"kind": "promo_code", "prefix": "BACK", "discount": "10%", "amount": 300}
    if ntype == "split":
        n = draw(st.integers(2, 3))
        weights = draw(st.lists(st.integers(0, 100), min_size=n, max_size=n).filter(lambda w: sum(w) > 0))
        return {"branches": [{"port": p, "weight": w} for p, w in zip("abc", weights, strict=False)]}
    return {}


def _ports(ntype: str, params: dict) -> list[str]:
    if ntype == "filter":
        return ["yes", "no"]
    if ntype == "split":
        return [b["port"] for b in params["branches"]]
    if ntype == "exit":
        return []
    return ["out"]


@st.composite
def scenarios(draw: st.DrawFn) -> dict:
    """A scenario file's object: a trigger at 10:00, then 1-7 nodes joined forward."""
    count = draw(st.integers(1, 7))
    types = [draw(picks(NODE_TYPES, f"type{i}")) for i in range(count)]
    nodes = [{"id": "start", "type": "trigger", "position": [0, 0], "params": {"kind": "schedule", "at": "10:00"}}]
    ids = [f"n{i}" for i in range(1, count + 1)]
    for i, (nid, ntype) in enumerate(zip(ids, types, strict=True)):
        nodes.append({"id": nid, "type": ntype, "position": [200 * (i + 1), 0],
                      "params": draw(node_params(ntype, nid))})
    edges = [{"source": "start", "port": "out", "target": "n1"}]
    for i, node in enumerate(nodes[1:]):
        later = ids[i + 1:]
        for port in _ports(node["type"], node["params"]):
            # Mostly joined, so that what a node decides shows in the counts of the next ones.
            target = draw(st.sampled_from(later)) if later and draw(st.integers(0, 3)) else None
            if target is not None:
                edges.append({"source": node["id"], "port": port, "target": target})
    return {"format": "scenarist.scenario", "version": 1, "id": SCENARIO_KEY, "name": "Property",
            "settings": {"timezone": TZ, "reentry_days": draw(st.sampled_from([None, 0, 3, 30]))},
            "nodes": nodes, "edges": edges}


@st.composite
def filter_scenarios(draw: st.DrawFn) -> dict:
    """A comb of 3-6 filters that every customer goes through, each decision on record.

    ``f1.yes -> m1 -> f2``, ``f1.no -> f2``, and so on, where ``m<i>`` is a message or a
    bonus: its outbox or ledger rows name exactly the customers who passed ``f<i>``. A wait
    in front sometimes makes the filters run on enrolments rather than on entry.
    """
    count = draw(st.integers(3, 6))
    nodes = [{"id": "start", "type": "trigger", "position": [0, 0], "params": {"kind": "schedule", "at": "10:00"}}]
    edges = []
    first = "f1"
    if draw(st.integers(0, 3)) == 0:
        nodes.append({"id": "w", "type": "wait", "position": [100, 0], "params": {"days": draw(st.integers(1, 2))}})
        edges.append({"source": "w", "port": "out", "target": "f1"})
        first = "w"
    edges.append({"source": "start", "port": "out", "target": first})
    for i in range(1, count + 1):
        kind = draw(st.sampled_from(["message", "bonus"]))
        nodes += [{"id": f"f{i}", "type": "filter", "position": [200 * i, 0],
                   "params": draw(node_params("filter", f"f{i}"))},
                  {"id": f"m{i}", "type": kind, "position": [200 * i + 100, 100],
                   "params": draw(node_params(kind))}]
        edges.append({"source": f"f{i}", "port": "yes", "target": f"m{i}"})
        if i < count:
            edges += [{"source": f"f{i}", "port": "no", "target": f"f{i + 1}"},
                      {"source": f"m{i}", "port": "out", "target": f"f{i + 1}"}]
    return {"format": "scenarist.scenario", "version": 1, "id": SCENARIO_KEY, "name": "Conditions",
            "settings": {"timezone": TZ, "reentry_days": 0}, "nodes": nodes, "edges": edges}


# -- databases ----------------------------------------------------------------------------
@contextlib.contextmanager
def sqlite_db() -> Iterator[str]:
    """URL of a fresh SQLite file, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="scenarist-prop-") as tmp:
        yield f"sqlite:///{Path(tmp) / 'crm.db'}"


@contextlib.contextmanager
def pg_db() -> Iterator[str]:
    """URL of a fresh PostgreSQL schema, dropped afterwards (as the ``pg_url`` fixture)."""
    schema = f"p_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_ADMIN_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(PG_ADMIN_URL).set(drivername="postgresql+psycopg")
    try:
        # A throwaway schema: commits need not wait for the disk.
        options = quote(f"-csearch_path={schema} -csynchronous_commit=off")
        yield url.render_as_string(hide_password=False) + "?options=" + options
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def _status_kind(status: str) -> str:
    return {"skipped": "skipped", "failed": "failed"}.get(status, "queued")


@dataclass
class Observed:
    """The engine's state as the comparison needs it."""

    enrolments: Counter
    outbox: Counter
    bonuses: Counter
    points: dict[int, int]


def observe(conn: sa.Connection) -> Observed:
    """Read the engine's tables and the customers' points."""
    enrolments = Counter(tuple(r) for r in conn.execute(sa.text(
        "SELECT customer_id, node_id, status FROM scenarist_enrolments")))
    outbox = Counter((r[0], r[1], _status_kind(r[2])) for r in conn.execute(sa.text(
        "SELECT customer_id, node_id, status FROM scenarist_outbox")))
    bonuses = Counter(tuple(r) for r in conn.execute(sa.text("SELECT customer_id, node_id FROM scenarist_bonuses")))
    points = {r[0]: int(r[1]) for r in conn.execute(sa.text("SELECT id, bonus_points FROM customers"))}
    return Observed(enrolments, outbox, bonuses, points)


def crm_rows(conn: sa.Connection, customers: sa.Table, orders: sa.Table) -> tuple[list[Customer], list[Order]]:
    """The CRM as the reference sees it, read once per tick."""
    cs = [Customer(id=r.id, email=r.email, phone=r.phone, first_name=r.first_name, registered_at=r.registered_at,
                   email_subscribed=bool(r.email_subscribed), sms_subscribed=bool(r.sms_subscribed), city=r.city)
          for r in conn.execute(sa.select(customers))]
    os_ = [Order(customer_id=r.customer_id, created_at=r.created_at, total=Decimal(str(r.total)), status=r.status)
           for r in conn.execute(sa.select(orders))]
    return cs, os_


def check(url: str, world: World, data: dict) -> Reference:
    """Run the engine and the reference over the world's days and compare after every tick."""
    scenario: Scenario = from_dict(data)
    ref = Reference(scenario)
    md, customers, orders = canonical_metadata()
    admin = sa.create_engine(url, poolclass=sa.pool.NullPool)
    crm = Crm.open(url)
    if crm.is_sqlite:  # a throwaway file: no fsync on each of the engine's many commits
        sa.event.listen(crm.engine, "connect", _no_sync)
        sa.event.listen(admin, "connect", _no_sync)
    try:
        md.create_all(admin)
        with admin.begin() as conn:
            conn.execute(customers.insert(), world.customers)
        pending = sorted(world.orders, key=lambda o: o["created_at"])
        for day_index, times in enumerate(world.days):
            day = world.start + timedelta(days=day_index)
            for at in times:
                now = datetime.combine(day, at)
                due = [o for o in pending if o["created_at"] <= now]
                pending = pending[len(due):]
                with admin.begin() as conn:
                    if due:
                        conn.execute(orders.insert(), due)
                    cs, os_ = crm_rows(conn, customers, orders)
                result = tick(scenario, crm, now)
                expected = ref.tick(now, cs, os_)
                _compare(admin, result, expected, ref, now, (cs, os_))
                if world.repeat[day_index]:  # a second tick at the same moment changes nothing
                    again = tick(scenario, crm, now)
                    _compare(admin, again, expected, ref, now, (cs, os_))
    finally:
        crm.dispose()
        admin.dispose()
    return ref


def _no_sync(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.execute("PRAGMA synchronous = OFF")


def _events(ref: Reference) -> None:
    """Statistics (``--hypothesis-show-statistics``): what the examples exercised."""
    event(f"enrolments: {'none' if not ref.enrolments else 'some'}")
    event(f"re-entries: {'some' if len({e.customer_id for e in ref.enrolments}) < len(ref.enrolments) else 'none'}")
    event(f"outbox: {sorted({'skipped' if r.skipped else 'queued' for r in ref.outbox})}")
    event(f"bonuses: {'some' if ref.bonuses else 'none'}")
    event(f"finished: {'some' if any(e.status == 'finished' for e in ref.enrolments) else 'none'}")
    both = [n for n in ref.nodes if ref.nodes[n].type == "filter"
            and ref.ports_taken[(n, "yes")] and ref.ports_taken[(n, "no")]]
    event(f"a filter sent customers both ways: {bool(both)}")


def _compare(admin: sa.Engine, result: Any, expected: Outcome, ref: Reference, now: datetime,
             crm: tuple[list[Customer], list[Order]]) -> None:
    """Fail with every difference, per customer where there is one, and those customers' data."""
    with admin.connect() as conn:
        seen = observe(conn)
    problems: list[str] = []
    involved: set[int] = set()

    def rows(name: str, got: Counter, want: Counter) -> None:
        if got != want:
            engine_only, reference_only = got - want, want - got
            involved.update(key[0] for key in [*engine_only, *reference_only])
            problems.append(f"{name}: engine only {dict(engine_only)}, reference only {dict(reference_only)}")

    def totals(name: str, got: dict, want: dict) -> None:
        got = {k: v for k, v in got.items() if v}
        if got != want:
            problems.append(f"{name}: engine {got}, reference {want}")

    rows("enrolments (customer, node, status)", seen.enrolments, ref.enrolment_rows())
    rows("outbox (customer, node, kind)", seen.outbox,
         Counter({(c, n, "skipped" if s else "queued"): k for (c, n, s), k in ref.outbox_rows().items()}))
    rows("bonus ledger (customer, node)", seen.bonuses, ref.bonus_rows())
    totals("points", seen.points, {c: int(p) for c, p in ref.points().items() if p})
    totals("reached", result.reached, dict(expected.reached))
    totals("waiting", result.waiting, dict(expected.waiting))
    # Failures and SMS parts come from rendering the texts, which the reference does not do
    # (tests/test_sms_parts.py counts parts by hand).
    totals("counts", {k: v for k, v in result.counts.items() if k not in ("failed", "parts")}, dict(expected.counts))
    if result.entry_due != expected.entry_due:
        problems.append(f"entry_due: engine {result.entry_due}, reference {expected.entry_due}")
    if problems:
        customers, orders = crm
        problems += [f"customer {c}" for c in customers if c.id in involved]
        problems += [f"  order {o}" for o in orders if o.customer_id in involved]
    assert not problems, "\n".join([f"tick at {now:%Y-%m-%d %H:%M}:", *problems])


def _describe(world: World, data: dict) -> None:
    note(f"scenario nodes: {data['nodes']}")
    note(f"edges: {data['edges']}; settings: {data['settings']}")
    note(f"start {world.start}; ticks per day: {[[t.strftime('%H:%M') for t in d] for d in world.days]}")


# SCENARIST_PROPERTY_SCALE=10 runs ten times as many examples (a longer hunt for bugs).
SCALE = float(os.environ.get("SCENARIST_PROPERTY_SCALE", "1"))
# Shrinking a failure re-runs whole simulations for up to five minutes; the failure report
# names the tick, the node and the customers that differ without it. SCENARIST_PROPERTY_SHRINK=1
# shrinks all the same.
PHASES = tuple(Phase) if os.environ.get("SCENARIST_PROPERTY_SHRINK") == "1" \
    else tuple(p for p in Phase if p != Phase.shrink)
COMMON = {"deadline": None, "phases": PHASES,
          "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}


@settings(max_examples=round(40 * SCALE), **COMMON)
@given(world=worlds(), data=scenarios())
def test_engine_matches_reference_sqlite(world: World, data: dict) -> None:
    """On SQLite, every tick does what the reference does."""
    _describe(world, data)
    with sqlite_db() as url:
        _events(check(url, world, data))


@settings(max_examples=round(60 * SCALE), **COMMON)
@given(world=worlds(min_days=2, max_days=6, least=4), data=filter_scenarios())
def test_filter_conditions_match_reference_sqlite(world: World, data: dict) -> None:
    """One filter's decisions, customer by customer, over a few days (cheap, many examples)."""
    _describe(world, data)
    with sqlite_db() as url:
        _events(check(url, world, data))


@pytest.mark.skipif(bool(_PG_REASON) and os.environ.get("CI") != "true", reason=_PG_REASON or "")
@settings(max_examples=round(10 * SCALE), **COMMON)
@given(world=worlds(min_days=3, max_days=12), data=st.one_of(scenarios(), filter_scenarios()))
def test_engine_matches_reference_postgresql(world: World, data: dict) -> None:
    """On PostgreSQL (its own text, boolean and timestamp rules), random graphs and filter combs alike."""
    if _PG_REASON:
        pytest.fail(f"CI must run the PostgreSQL tests: {_PG_REASON}")
    _describe(world, data)
    with pg_db() as url:
        _events(check(url, world, data))
