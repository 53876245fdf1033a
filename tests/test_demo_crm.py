"""The demo CRM: deterministic, believable, and buildable on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from connectors.demo_crm import build_demo_crm
from connectors.schema import canonical_metadata

AS_OF = datetime(2026, 3, 15, 14, 30, 0)


def _engine(url: str) -> sa.Engine:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return sa.create_engine(parsed)


def _rows(url: str) -> tuple[list[sa.Row], list[sa.Row]]:
    """All customers and orders, by id, typed through the canonical tables."""
    _, customers, orders = canonical_metadata()
    engine = _engine(url)
    try:
        with engine.connect() as conn:
            return (conn.execute(sa.select(customers).order_by(customers.c.id)).all(),
                    conn.execute(sa.select(orders).order_by(orders.c.id)).all())
    finally:
        engine.dispose()


def _normal(value: object) -> object:
    # SQLite and PostgreSQL hand back the same data in slightly different clothes.
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, bool):
        return int(value)
    return value


def _checksum(url: str) -> str:
    digest = hashlib.sha256()
    for table in _rows(url):
        for row in table:
            digest.update(repr(tuple(_normal(v) for v in row)).encode())
    return digest.hexdigest()


def _valid_email(email: str | None) -> bool:
    if email is None or re.search(r"\s", email) or email.count("@") != 1:
        return False
    local, domain = email.split("@")
    return bool(local) and "." in domain.strip(".")


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> tuple[dict, list[sa.Row], list[sa.Row]]:
    """A 2,000-customer demo CRM on SQLite: its stats, customers and orders."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'crm.db'}"
    stats = build_demo_crm(url, customers=2000, seed=42, as_of=AS_OF)
    return (stats, *_rows(url))


def test_same_seed_same_content_other_seed_differs(tmp_path):
    sums = [_checksum(build_demo_crm(str(tmp_path / name), 300, seed=seed, as_of=AS_OF)["target"])
            for name, seed in (("a.db", 7), ("b.db", 7), ("c.db", 8))]
    assert sums[0] == sums[1]
    assert sums[0] != sums[2]


def test_same_content_on_sqlite_and_postgresql(sqlite_url, pg_url):
    build_demo_crm(sqlite_url, 300, seed=3, as_of=AS_OF)
    build_demo_crm(pg_url, 300, seed=3, as_of=AS_OF)
    assert _checksum(sqlite_url) == _checksum(pg_url)


def test_builds_on_each_backend_and_stats_match(crm_url):
    stats = build_demo_crm(crm_url, 300, seed=1, as_of=AS_OF)
    people, orders = _rows(crm_url)
    assert stats["customers"] == len(people) == 300
    assert stats["orders"] == len(orders) > 300
    assert stats["orders_by_status"] == dict(Counter(o.status for o in orders))
    assert stats["orders_with_promo"] == sum(o.promo_code is not None for o in orders)
    assert stats["invalid_emails"] == sum(not _valid_email(c.email) for c in people)
    assert stats["as_of"] == "2026-03-15 14:30:00"
    # The shop's own next insert must not collide with the demo ids (PostgreSQL sequences).
    engine = _engine(crm_url)
    try:
        with engine.begin() as conn:
            new_id = conn.execute(sa.text(
                "INSERT INTO customers (email) VALUES ('late@shop.ru') RETURNING id")).scalar()
    finally:
        engine.dispose()
    assert new_id == 301


def test_rfm_spread_is_believable(shop):
    stats, people, orders = shop
    by_customer: dict[int, list[datetime]] = {}
    for order in orders:
        by_customer.setdefault(order.customer_id, []).append(order.created_at)
    buyers = len(by_customer)
    churned = sum(max(d) <= AS_OF - timedelta(days=180) for d in by_customer.values())
    sleeping = sum(AS_OF - timedelta(days=90) <= max(d) <= AS_OF - timedelta(days=30)
                   for d in by_customer.values())
    assert 0.25 <= churned / buyers <= 0.35
    assert 0.10 <= 1 - buyers / len(people) <= 0.20  # never ordered
    assert sleeping / buyers > 0.08
    assert sum(len(d) >= 3 for d in by_customer.values()) / buyers > 0.3
    assert any(len(d) >= 10 for d in by_customer.values())
    assert 2.5 <= len(orders) / len(people) <= 3.5
    assert stats["churned"] == churned


def test_statuses_totals_and_promo_codes(shop):
    _, _, orders = shop
    statuses = Counter(o.status for o in orders)
    assert set(statuses) == {"completed", "cancelled", "new"}
    assert 0.05 <= statuses["cancelled"] / len(orders) <= 0.11
    assert all(o.created_at > AS_OF - timedelta(days=4) for o in orders if o.status == "new")
    promos = [o.promo_code for o in orders if o.promo_code]
    assert 0.05 <= len(promos) / len(orders) <= 0.11
    assert "WELCOME10" in promos
    assert all(500 <= o.total <= 30_000 for o in orders)
    assert len({o.total for o in orders}) > 200


def test_dates_span_years_and_orders_fit_the_customer(shop):
    _, people, orders = shop
    registered = {c.id: c.registered_at for c in people}
    assert max(registered.values()) - min(registered.values()) > timedelta(days=2 * 365)
    assert max(registered.values()) <= AS_OF
    assert all(registered[o.customer_id] <= o.created_at <= AS_OF for o in orders)
    assert all(d.microsecond == 0 for d in (*registered.values(), *(o.created_at for o in orders)))


def test_customers_have_believable_contacts(shop):
    _, people, _ = shop
    n = len(people)
    invalid = [c.email for c in people if not _valid_email(c.email)]
    assert 0.01 <= len(invalid) / n <= 0.06
    valid = [c.email for c in people if _valid_email(c.email)]
    assert len(set(valid)) == len(valid)
    phones = [c.phone for c in people if c.phone is not None]
    assert 0.10 <= 1 - len(phones) / n <= 0.20
    assert all(re.fullmatch(r"\+79\d{9}", p) for p in phones)
    assert 0.63 <= sum(c.email_subscribed for c in people) / n <= 0.77
    assert 0.38 <= sum(c.sms_subscribed for c in people) / n <= 0.52
    assert not any(c.sms_subscribed and c.phone is None for c in people)
    assert all(0 <= c.bonus_points <= 5_000 for c in people)
    assert len({c.city for c in people}) >= 8
    assert any(re.fullmatch(r"[A-Za-z]+", c.first_name) for c in people)  # some en_US names
    assert any(re.fullmatch(r"[А-Яа-яЁё]+", c.last_name) for c in people)


def test_path_target_creates_an_sqlite_file(tmp_path):
    path = tmp_path / "sub" / "shop.db"
    stats = build_demo_crm(str(path), 50, as_of=AS_OF)
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"  # a real database file, not an empty one
    assert stats["target"] == f"sqlite:///{path}"
    assert len(_rows(stats["target"])[0]) == 50


def test_existing_non_empty_file_is_refused(tmp_path):
    path = tmp_path / "shop.db"
    path.write_text("my precious data")
    with pytest.raises(ValueError, match="not empty"):
        build_demo_crm(str(path), 10)
    assert path.read_text() == "my precious data"


def test_empty_file_is_accepted(tmp_path):
    path = tmp_path / "shop.db"
    path.touch()
    assert build_demo_crm(str(path), 10, as_of=AS_OF)["customers"] == 10


def test_filled_database_and_bad_targets_are_refused(sqlite_url):
    build_demo_crm(sqlite_url, 10, as_of=AS_OF)
    with pytest.raises(ValueError, match="already has rows"):
        build_demo_crm(sqlite_url, 10, as_of=AS_OF)
    with pytest.raises(ValueError, match="unsupported"):
        build_demo_crm("mysql://user@host/shop", 10)
    with pytest.raises(ValueError, match="must be a file"):
        build_demo_crm("sqlite://", 10)
    with pytest.raises(ValueError, match="0 or more"):
        build_demo_crm(sqlite_url, -1)


def test_only_the_demo_tables_are_analysed(crm_url):
    """A bare ANALYZE in one transaction read and locked every table of the database; the demo
    shop analyses what it wrote and leaves the others (the shop's own, the engine's) alone."""
    engine = _engine(crm_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE shop_notes (id INTEGER PRIMARY KEY, note TEXT)")
        conn.exec_driver_sql("CREATE INDEX shop_notes_note ON shop_notes (note)")
        conn.exec_driver_sql("INSERT INTO shop_notes (id, note) VALUES (1, 'a'), (2, 'b'), (3, 'c')")
    stats = build_demo_crm(crm_url, customers=120, seed=3, as_of=AS_OF)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                analysed = {t for (t,) in conn.exec_driver_sql("SELECT DISTINCT tbl FROM sqlite_stat1")}
                assert analysed == {"customers", "orders", "events"}
            else:  # reltuples is -1 until a table is analysed (or vacuumed); small tables are counted whole
                tuples = dict(conn.exec_driver_sql(
                    "SELECT c.relname, c.reltuples FROM pg_class c WHERE c.relkind = 'r' "
                    "AND c.relnamespace = current_schema()::regnamespace").all())
                events = conn.exec_driver_sql("SELECT count(*) FROM events").scalar_one()
                assert tuples == {"customers": stats["customers"], "orders": stats["orders"], "events": events,
                                  "shop_notes": -1}
    finally:
        engine.dispose()
