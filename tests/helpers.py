"""Helpers shared by the tests: the section-1 scenario, a small CRM, table checksums."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from connectors.schema import create_canonical

ROOT = Path(__file__).resolve().parent.parent
REACTIVATION = ROOT / "resources" / "templates" / "reactivation.scenario.json"


def reactivation() -> dict:
    """A fresh copy of the section-1 scenario's file object."""
    return copy.deepcopy(json.loads(REACTIVATION.read_text(encoding="utf-8")))


def engine_for(url: str) -> sa.Engine:
    """A plain SQLAlchemy engine for a test URL (psycopg 3 for PostgreSQL)."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return sa.create_engine(url, poolclass=sa.pool.NullPool)


def make_crm(url: str, customers: list[dict[str, Any]], orders: list[dict[str, Any]]) -> None:
    """Create the canonical tables at ``url`` and insert the given rows."""
    engine = engine_for(url)
    cust, ords = create_canonical(engine)
    defaults = {"email": None, "phone": None, "first_name": "", "last_name": "",
                "registered_at": datetime(2020, 1, 1), "email_subscribed": True, "sms_subscribed": False,
                "bonus_points": 0, "city": None, "birthday": None}
    with engine.begin() as conn:
        if customers:
            conn.execute(cust.insert(), [{**defaults, **c} for c in customers])
        if orders:
            conn.execute(ords.insert(), [{"status": "completed", "total": 1000, "promo_code": None, **o}
                                         for o in orders])
    engine.dispose()


def checksum(url: str) -> dict[str, str]:
    """A digest of every table's rows (ordered), to prove that nothing changed."""
    engine = engine_for(url)
    out: dict[str, str] = {}
    with engine.connect() as conn:
        for name in sorted(sa.inspect(conn).get_table_names()):
            table = sa.Table(name, sa.MetaData(), autoload_with=conn)
            rows = conn.execute(sa.select(table).order_by(*table.c)).all()
            out[name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    engine.dispose()
    return out


def rows(url: str, sql: str) -> list[tuple]:
    """Rows of a query, as tuples."""
    engine = engine_for(url)
    with engine.connect() as conn:
        result = [tuple(r) for r in conn.execute(sa.text(sql)).all()]
    engine.dispose()
    return result


@contextmanager
def copy_of(url: str) -> Iterator[Any]:
    """A throwaway copy of the CRM at ``url`` (as the simulation makes it), removed afterwards."""
    from app.crm import open_crm
    from engine.simulate import throwaway_copy

    with open_crm(url, reflect=False) as crm, throwaway_copy(crm) as copy:
        yield copy


def simulate_url(scenario: Any, url: str, days: int, start: datetime, **options: Any) -> Any:
    """The engine's simulation on a copy of the CRM at ``url`` (the response model given as is)."""
    from app.crm import open_crm
    from engine.simulate import simulate_copy

    with open_crm(url, reflect=False) as crm:
        return simulate_copy(scenario, crm, days, start, **options)


VALID_EMAIL = re.compile(r"^[^@ \t\n\r]+@[^@ \t\n\r]+\.[^@ \t\n\r]+$")  # DESIGN.md's is_valid_email


def churned_today(url: str, day: date = date(2026, 3, 2)) -> int:
    """Customers the reactivation's entry filter admits on ``day``, counted by hand with SQL of
    its own: subscribed, a valid email, registered more than 180 days ago, a completed order ever
    and none in 180 days."""
    midnight = datetime.combine(day, time())
    registered_before = midnight - timedelta(days=180)  # older_than_days 180
    recent_since = midnight - timedelta(days=179)  # within_days 180: today and 179 before
    sqlite = url.startswith("sqlite")

    def bound(moment: datetime) -> object:
        return moment.strftime("%Y-%m-%d %H:%M:%S") if sqlite else moment

    emails = [email for (email,) in query(url, """
        SELECT c.email FROM customers c
        WHERE c.email_subscribed = :yes AND c.registered_at < :registered_before
          AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'completed')
          AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'completed'
                          AND o.created_at >= :recent_since)""",
        yes=True, registered_before=bound(registered_before), recent_since=bound(recent_since))]
    return sum(1 for email in emails if email and VALID_EMAIL.match(email))


def query(url: str, sql: str, **params: object) -> list[tuple]:
    """Rows of a hand-written query on the CRM at ``url``."""
    engine = engine_for(url)
    with engine.connect() as conn:
        found = [tuple(r) for r in conn.execute(sa.text(sql), params).all()]
    engine.dispose()
    return found
