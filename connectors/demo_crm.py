"""A believable demo CRM: a small Russian web shop with four years of customers and orders.

The data is made to exercise win-back scenarios: one-time buyers, new customers, active
regulars, loyal big spenders, customers falling asleep, churned ones and some who never
ordered, plus the dirt of a real CRM (invalid e-mails, missing phones).

Everything is deterministic: the same ``seed`` and ``as_of`` give identical tables, on SQLite
and on PostgreSQL alike. Faker is only used up front to fill small name pools; every row is
then drawn from one seeded :class:`random.Random`, which keeps a million customers fast.
Rows are generated and inserted chunk by chunk, so memory stays flat whatever the size.
"""

from __future__ import annotations

import math
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from faker import Faker

from connectors.crm import Crm, CrmError
from connectors.schema import create_canonical

DEMO_TABLES = ("customers", "orders", "events")  # what the demo shop writes, and all it analyses
CHUNK = 20_000  # customers generated per transaction, and rows per executemany batch
DAY = 86_400  # seconds
HISTORY_DAYS = 4 * 365  # registrations spread over about four years before as_of
NEW_STATUS_DAYS = 3  # only orders this recent may still be "new"
CHURN_DAYS = 180  # last order at least this long ago: churned
NAME_POOL = 2_000  # names drawn per Russian name list (Faker repeats; weights survive)
EN_NAME_POOL = 500  # en_US Faker is slower and its names are a minority anyway

# Share of customers by kind. Orderers are split by the segment weights below.
NEVER_ORDERED = 0.15
EN_NAMES = 0.08
MALE = 0.45
INVALID_EMAIL = 0.03
NO_PHONE = 0.15
EMAIL_SUBSCRIBED = 0.70
SMS_SUBSCRIBED = 0.45  # of all customers; only those with a phone can be subscribed
CANCELLED = 0.08
NEW_WHEN_RECENT = 0.6
PROMO = 0.08

# Segments for customers with orders and a long enough history. One-time buyers mostly
# bought long ago, so they add to the churned share (~30% of orderers in the end).
SEGMENTS = ("one_time", "churned", "sleeping", "active", "loyal")
SEGMENT_WEIGHTS = (0.22, 0.15, 0.15, 0.30, 0.18)
NEW_CUSTOMER_DAYS = 60  # registered this recently: a "new" customer, whatever was drawn

BIRTHDAY_KNOWN = 0.75
# Site events in the last EVENT_DAYS days: the share of customers with one, per event name.
EVENT_DAYS = 10
EVENT_SHARES = {"cart_abandoned": 0.04, "product_viewed": 0.08, "search_abandoned": 0.02}

PROMO_CODES = ("SPRING500", "SUMMER15", "BLACKFRIDAY", "BDAY1000", "COMEBACK20", "FREESHIP")
CITIES = {
    "Москва": 30, "Санкт-Петербург": 15, "Новосибирск": 6, "Екатеринбург": 6, "Казань": 5,
    "Нижний Новгород": 5, "Краснодар": 5, "Челябинск": 4, "Самара": 4, "Ростов-на-Дону": 4,
    "Уфа": 4, "Пермь": 3, "Воронеж": 3, "Тула": 2, "Калининград": 2,
}
RU_DOMAINS = {"mail.ru": 30, "yandex.ru": 30, "gmail.com": 20, "bk.ru": 5, "inbox.ru": 5,
              "list.ru": 4, "rambler.ru": 4, "outlook.com": 2}
EN_DOMAINS = {"gmail.com": 60, "outlook.com": 20, "yahoo.com": 15, "icloud.com": 5}

_TRANSLIT = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
})
_NOT_LATIN = re.compile(r"[^a-z]")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+://")


@dataclass
class _Weighted:
    """Values with cumulative weights, so that each draw skips re-summing the weights."""

    values: list[Any]
    cum: list[float]

    @classmethod
    def of(cls, weights: dict[Any, float]) -> _Weighted:
        """Build from a value -> weight mapping."""
        return cls(list(weights), list(accumulate(weights.values())))

    def pick(self, rng: random.Random) -> Any:
        """Draw one value."""
        return rng.choices(self.values, cum_weights=self.cum)[0]


@dataclass
class _Shop:
    """Everything the generator draws from, and the running statistics."""

    rng: random.Random
    as_of: datetime
    extra: random.Random  # birthdays and events: drawn apart, so the older columns stay as they were
    customers: int
    names: dict[tuple[str, str], tuple[list[str], list[str]]]
    cities: _Weighted = field(default_factory=lambda: _Weighted.of(CITIES))
    ru_domains: _Weighted = field(default_factory=lambda: _Weighted.of(RU_DOMAINS))
    en_domains: _Weighted = field(default_factory=lambda: _Weighted.of(EN_DOMAINS))
    segments: _Weighted = field(
        default_factory=lambda: _Weighted.of(dict(zip(SEGMENTS, SEGMENT_WEIGHTS, strict=True))))
    stats: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    by_segment: Counter = field(default_factory=Counter)


def build_demo_crm(target: str, customers: int = 5000, seed: int = 42,
                   as_of: datetime | None = None) -> dict:
    """Create and fill a demo CRM with the canonical ``customers`` and ``orders`` tables.

    Args:
        target: a filesystem path (an SQLite file is created there) or an SQLAlchemy URL,
            ``sqlite:///...`` or ``postgresql://...`` (driven by psycopg 3).
        customers: how many customers to make; about three orders each on average.
        seed: the seed of every random draw; the same seed and ``as_of`` give the same data.
        as_of: the moment the data is dated relative to (naive local time); default now.
            No order is later than it.

    Returns:
        Statistics: ``target``, ``seed``, ``as_of`` (ISO), ``customers``, ``orders``,
        ``orders_by_status``, ``orders_with_promo``, ``customers_by_segment``,
        ``never_ordered``, ``churned`` (last order 180+ days before ``as_of``),
        ``invalid_emails``, ``without_phone``, ``email_subscribed``, ``sms_subscribed``
        and ``seconds`` (time taken).

    Raises:
        ValueError: for a negative ``customers``, an unsupported or malformed target, a path
            that already holds a non-empty file, or a database whose canonical tables
            already hold rows.
    """
    if customers < 0:
        raise ValueError(f"customers must be 0 or more, not {customers}")
    started = time.perf_counter()
    as_of = _normalise_as_of(as_of)
    engine = _open_target(target)
    try:
        _refuse_filled(engine)
        customers_table, orders_table = create_canonical(engine)
        events_table = customers_table.metadata.tables["events"]
        shop = _Shop(random.Random(seed), as_of, random.Random(seed + 1), customers, _name_pools(seed))
        with engine.connect() as conn:
            for first_id in range(1, customers + 1, CHUNK):
                count = min(CHUNK, customers - first_id + 1)
                people, orders = _generate_chunk(shop, first_id, count)
                events = _events(shop, people)
                with conn.begin():
                    _insert(conn, customers_table, people)
                    _insert(conn, orders_table, orders)
                    _insert(conn, events_table, events)
            _finish(conn)
        url = engine.url.render_as_string(hide_password=True)
    finally:
        engine.dispose()
    return _stats(shop, url, seed, time.perf_counter() - started)


# --- the target database -------------------------------------------------------------------

def _normalise_as_of(as_of: datetime | None) -> datetime:
    """Naive local time at whole seconds: the form every CRM timestamp has."""
    if as_of is None:
        as_of = datetime.now()
    elif as_of.tzinfo is not None:
        as_of = as_of.astimezone().replace(tzinfo=None)
    return as_of.replace(microsecond=0)


def _open_target(target: str) -> sa.Engine:
    """An engine for a path or URL target; a path must not hold a non-empty file."""
    if not _URL.match(target):
        path = Path(target).expanduser().resolve()
        if path.exists() and (not path.is_file() or path.stat().st_size > 0):
            raise ValueError(f"{path} already exists and is not empty: the demo CRM needs a "
                             "new file (delete it, or choose another path)")
        path.parent.mkdir(parents=True, exist_ok=True)
        target = sa.URL.create("sqlite", database=str(path)).render_as_string()
    try:
        engine = Crm.open(target).engine
    except CrmError as exc:
        raise ValueError(str(exc)) from exc
    if engine.dialect.name == "sqlite":
        # WAL: one fsync per checkpoint instead of one per transaction, most of the cost of
        # loading millions of rows, and the app can read while the scheduler writes. The
        # journal mode stays with the file; the CRM connector then commits with NORMAL sync.
        raw = engine.raw_connection()  # outside any transaction: SQLite insists
        try:
            raw.driver_connection.execute("PRAGMA journal_mode=WAL")
        finally:
            raw.close()
    return engine


def _refuse_filled(engine: sa.Engine) -> None:
    """Refuse a database whose customers or orders already hold rows: ids would clash."""
    inspector = sa.inspect(engine)
    with engine.connect() as conn:
        for table in ("customers", "orders"):
            if inspector.has_table(table) and conn.execute(
                    sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first():
                raise ValueError(f"{engine.url.render_as_string(hide_password=True)} already "
                                 f"has rows in '{table}': the demo CRM needs empty tables")


def _insert(conn: sa.Connection, table: sa.Table, rows: list[dict]) -> None:
    """Insert rows with executemany, in batches the drivers handle comfortably."""
    for start in range(0, len(rows), CHUNK):
        conn.execute(table.insert(), rows[start:start + CHUNK])


def _finish(conn: sa.Connection) -> None:
    """Leave the database ready for use: sequences past our ids, planner statistics fresh."""
    with conn.begin():
        if conn.dialect.name == "postgresql":
            # Ids were given explicitly, so the serial sequences never moved; without this
            # the shop's next insert would collide with customer 1.
            for table in DEMO_TABLES:
                conn.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE(MAX(id), 0) + 1, false) FROM {table}"))
    # ANALYZE lets the planner pick the orders index for the engine's per-customer filters. Only
    # the tables written here, each in a transaction of its own: a bare ANALYZE in one transaction
    # would read (and lock) every table of the database, the shop's others and the engine's too.
    quote = conn.dialect.identifier_preparer.quote
    for table in DEMO_TABLES:
        with conn.begin():
            conn.exec_driver_sql(f"ANALYZE {quote(table)}")


# --- pools ---------------------------------------------------------------------------------

def _name_pools(seed: int) -> dict[tuple[str, str], tuple[list[str], list[str]]]:
    """(locale, gender) -> (first names, last names), drawn once with seeded Fakers.

    Faker picks names by weight, so keeping its repeats in the pool keeps common names
    common. Russian surnames agree with gender, hence the per-gender last names.
    """
    ru, en = Faker("ru_RU"), Faker("en_US")
    ru.seed_instance(seed)
    en.seed_instance(seed)
    en_lasts = [en.last_name() for _ in range(EN_NAME_POOL)]
    return {
        ("ru", "m"): ([ru.first_name_male() for _ in range(NAME_POOL)],
                      [ru.last_name_male() for _ in range(NAME_POOL)]),
        ("ru", "f"): ([ru.first_name_female() for _ in range(NAME_POOL)],
                      [ru.last_name_female() for _ in range(NAME_POOL)]),
        ("en", "m"): ([en.first_name_male() for _ in range(EN_NAME_POOL)], en_lasts),
        ("en", "f"): ([en.first_name_female() for _ in range(EN_NAME_POOL)], en_lasts),
    }


# --- customers -----------------------------------------------------------------------------

def _generate_chunk(shop: _Shop, first_id: int, count: int) -> tuple[list[dict], list[dict]]:
    """Customers ``first_id``.. (``count`` of them) and all their orders."""
    people: list[dict] = []
    orders: list[dict] = []
    for customer_id in range(first_id, first_id + count):
        tenure = _tenure_seconds(shop, customer_id)
        customer_orders = _orders_for(shop, customer_id, tenure)
        people.append(_customer_row(shop, customer_id, tenure, customer_orders))
        orders.extend(customer_orders)
    return people, orders


def _events(shop: _Shop, people: list[dict]) -> list[dict]:
    """Recent site events of some of ``people``, and their birthdays (set on the rows)."""
    rng, rows = shop.extra, []
    for person in people:
        person["birthday"] = None
        if rng.random() < BIRTHDAY_KNOWN:
            age_days = rng.randint(18 * 365, 70 * 365)
            person["birthday"] = (shop.as_of - timedelta(days=age_days)).date()
        for name, share in EVENT_SHARES.items():
            if rng.random() < share:
                at = shop.as_of - timedelta(seconds=rng.randint(60, EVENT_DAYS * DAY))
                rows.append({"id": shop.stats["events"] + 1, "customer_id": person["id"], "name": name,
                             "created_at": at.replace(microsecond=0)})
                shop.stats["events"] += 1
    return rows


def _tenure_seconds(shop: _Shop, customer_id: int) -> int:
    """How long before ``as_of`` the customer registered.

    Ids follow registration order, as in a real shop. Registrations grow over time: half
    arrive at a steady rate and half at a rate growing linearly, so the position ``p`` of a
    customer in id order maps to time through the inverse of that mixture's CDF,
    t = (sqrt(1 + 8p) - 1) / 2, with ``t`` from 0 (four years ago) to 1 (now).
    """
    p = (customer_id - 1 + shop.rng.random()) / max(shop.customers, 1)
    t = (math.sqrt(1 + 8 * p) - 1) / 2
    return max(60, int((1 - t) * HISTORY_DAYS * DAY))


def _customer_row(shop: _Shop, customer_id: int, tenure: int, orders: list[dict]) -> dict:
    """One customer; ``orders`` (already drawn) decide the bonus balance."""
    rng = shop.rng
    locale = "en" if rng.random() < EN_NAMES else "ru"
    gender = "m" if rng.random() < MALE else "f"
    firsts, lasts = shop.names[locale, gender]
    first, last = rng.choice(firsts), rng.choice(lasts)
    domains = shop.en_domains if locale == "en" else shop.ru_domains
    email, broken = _email(rng, customer_id, first, last, domains.pick(rng))
    phone = None if rng.random() < NO_PHONE else f"+79{rng.randrange(10**9):09d}"
    # Only a customer with a phone can consent to SMS; scale so ~45% of all customers do.
    sms = phone is not None and rng.random() < SMS_SUBSCRIBED / (1 - NO_PHONE)
    row = {
        "id": customer_id,
        "email": email,
        "phone": phone,
        "first_name": first,
        "last_name": last,
        "registered_at": shop.as_of - timedelta(seconds=tenure),
        "email_subscribed": rng.random() < EMAIL_SUBSCRIBED,
        "sms_subscribed": sms,
        "bonus_points": _bonus_points(rng, orders),
        "city": shop.cities.pick(rng),
    }
    shop.stats["email_subscribed"] += row["email_subscribed"]
    shop.stats["sms_subscribed"] += sms
    shop.stats["without_phone"] += phone is None
    shop.stats["invalid_emails"] += broken
    return row


def _email(rng: random.Random, customer_id: int, first: str, last: str,
           domain: str) -> tuple[str | None, bool]:
    """A unique valid address, or (~3%) one of the broken kinds real CRMs hold; and whether
    it is broken.

    The local part is letters, dots and underscores ending in a letter, then the customer
    id: the trailing digits are exactly the id, so no two customers share an address.
    """
    f = _NOT_LATIN.sub("", first.lower().translate(_TRANSLIT)) or "user"
    last_latin = _NOT_LATIN.sub("", last.lower().translate(_TRANSLIT)) or "client"
    base = rng.choice((f"{f}.{last_latin}", f"{f[0]}{last_latin}", f"{last_latin}.{f}",
                       f"{f}_{last_latin}", last_latin))
    local = f"{base}{customer_id}"
    if rng.random() >= INVALID_EMAIL:
        return f"{local}@{domain}", False
    broken = (
        f"{local}{domain}",  # the '@' was lost
        f"{local[:2]} {local[2:]}@{domain}",  # a space typed inside
        f"{local}@{domain.replace('.', '')}",  # no dot in the domain
        "",  # left blank
        None,  # never asked
    )
    return rng.choice(broken), True


def _bonus_points(rng: random.Random, orders: list[dict]) -> int:
    """3% of completed purchases, part of it already spent, plus a possible welcome gift."""
    earned = sum(o["total"] for o in orders if o["status"] == "completed") * 0.03
    welcome = rng.choice((0, 0, 0, 200, 500))
    return min(5_000, int(earned * rng.random()) // 10 * 10 + welcome)


# --- orders --------------------------------------------------------------------------------

def _orders_for(shop: _Shop, customer_id: int, tenure: int) -> list[dict]:
    """The customer's orders, oldest first, between registration and ``as_of``."""
    segment = _segment(shop, tenure)
    shop.by_segment[segment] += 1
    if segment == "never":
        shop.stats["never_ordered"] += 1
        return []
    ages = _order_ages(shop.rng, segment, tenure)
    if ages[-1] >= CHURN_DAYS * DAY:  # ages[-1] is the most recent order
        shop.stats["churned"] += 1
    big_spender = segment == "loyal"
    return [_order_row(shop, customer_id, age, big_spender, first=i == 0)
            for i, age in enumerate(ages)]


def _segment(shop: _Shop, tenure: int) -> str:
    """The customer's buying pattern; a history too short for it makes them new or active."""
    rng = shop.rng
    if rng.random() < NEVER_ORDERED:
        return "never"
    if tenure < NEW_CUSTOMER_DAYS * DAY:
        return "new"
    segment = shop.segments.pick(rng)
    if (segment == "churned" and tenure < (CHURN_DAYS + 30) * DAY) or (
            segment in ("sleeping", "loyal") and tenure < 120 * DAY):
        return "active"
    return segment


def _order_ages(rng: random.Random, segment: str, tenure: int) -> list[int]:
    """Seconds before ``as_of`` of each order, oldest first, all within ``[0, tenure]``."""
    if segment == "one_time":
        # Most one-time buyers buy right after signing up and never come back.
        span = min(tenure, 21 * DAY) if rng.random() < 0.55 else tenure
        return [tenure - rng.randrange(span + 1)]
    if segment == "new":
        count, last = rng.choice((1, 1, 2, 3)), rng.randrange(min(tenure, 30 * DAY) + 1)
    elif segment == "churned":
        count, last = rng.choice((2, 2, 2, 3, 3, 4, 5)), _between(rng, CHURN_DAYS * DAY, tenure)
    elif segment == "sleeping":
        count, last = rng.choice((2, 2, 3, 3, 4, 5, 6)), _between(rng, 30 * DAY, 90 * DAY)
    elif segment == "active":
        count, last = rng.choice((2, 2, 3, 3, 3, 4, 5, 6, 8)), rng.randrange(30 * DAY)
    else:  # loyal: 3 to 40 orders, about a fifth of them with 10 or more
        count, last = min(40, 3 + int(rng.lognormvariate(1.3, 0.8))), rng.randrange(45 * DAY)
    last = min(last, tenure)
    # The first order often follows sign-up closely; the rest fall anywhere in between.
    if rng.random() < 0.5:
        first = tenure - rng.randrange(min(tenure - last, 14 * DAY) + 1)
    else:
        first = _between(rng, last, tenure)
    middle = [rng.randint(last, first) for _ in range(count - 2)]
    ages = [first, *middle, last] if count > 1 else [last]
    return sorted(ages, reverse=True)


def _between(rng: random.Random, low: int, high: int) -> int:
    """A random age in seconds from ``low`` to ``high``; ``high`` when the range is empty."""
    return rng.randint(low, high) if high > low else high


def _order_row(shop: _Shop, customer_id: int, age: int, big_spender: bool, first: bool) -> dict:
    """One order placed ``age`` seconds before ``as_of``."""
    rng = shop.rng
    shop.stats["orders"] += 1
    if age < NEW_STATUS_DAYS * DAY and rng.random() < NEW_WHEN_RECENT:
        status = "new"  # not yet paid or shipped: only plausible for the last few days
    else:
        status = "cancelled" if rng.random() < CANCELLED else "completed"
    promo = None
    if rng.random() < PROMO:
        promo = "WELCOME10" if first and rng.random() < 0.6 else rng.choice(PROMO_CODES)
        shop.stats["orders_with_promo"] += 1
    shop.statuses[status] += 1
    return {
        "id": shop.stats["orders"],
        "customer_id": customer_id,
        "created_at": shop.as_of - timedelta(seconds=age),
        "total": _total(rng, big_spender),
        "status": status,
        "promo_code": promo,
    }


def _total(rng: random.Random, big_spender: bool) -> int:
    """Roubles, log-normal around 2,500 (4,500 for big spenders), 500 to 30,000, whole tens."""
    median = 4_500 if big_spender else 2_500
    value = rng.lognormvariate(math.log(median), 0.75)
    return max(500, min(30_000, round(value / 10) * 10))


# --- result --------------------------------------------------------------------------------

def _stats(shop: _Shop, url: str, seed: int, seconds: float) -> dict:
    """The statistics dict that :func:`build_demo_crm` returns."""
    stats = shop.stats
    return {
        "target": url,
        "seed": seed,
        "as_of": shop.as_of.isoformat(sep=" "),
        "customers": shop.customers,
        "orders": stats["orders"],
        "orders_by_status": dict(sorted(shop.statuses.items())),
        "orders_with_promo": stats["orders_with_promo"],
        "customers_by_segment": dict(sorted(shop.by_segment.items())),
        "never_ordered": stats["never_ordered"],
        "churned": stats["churned"],
        "invalid_emails": stats["invalid_emails"],
        "without_phone": stats["without_phone"],
        "email_subscribed": stats["email_subscribed"],
        "sms_subscribed": stats["sms_subscribed"],
        "events": stats["events"],
        "seconds": round(seconds, 2),
    }
