"""The shop's CRM database over SQLAlchemy 2: SQLite and PostgreSQL (psycopg 3).

The canonical schema (DESIGN.md) is reached through a :class:`Mapping`, identity by default,
so that a shop's own table and column names can be used without changing its database.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from connectors.texts import Text, TextError

REQUIRED = {
    "customers": ("id", "email", "phone", "first_name", "last_name", "registered_at",
                  "email_subscribed", "sms_subscribed"),
    "orders": ("id", "customer_id", "created_at", "total", "status"),
}
OPTIONAL = {"customers": ("bonus_points",), "orders": ("promo_code",)}
# An optional table of customer events (a cart abandoned, a product viewed), written by the
# shop's site: event triggers and "wait for an event" read it.
EVENTS = ("customer_id", "name", "created_at")
SQLITE_TS_FORMAT = "%Y-%m-%d %H:%M:%S"
# How often PostgreSQL (14+) checks, while it runs a query, that the client is still there: a
# killed process's query is cancelled within this time instead of running on for minutes.
PG_CLIENT_CHECK_MS = 2000


class CrmError(TextError):
    """The CRM database cannot be used as it is (missing table or column, no connection)."""


@dataclass
class Mapping:
    """Where the canonical tables and columns live in a shop's own database.

    Attributes:
        tables: canonical table name -> actual table name.
        columns: canonical table name -> {canonical column -> actual column}.
        completed_statuses: order statuses that count as a completed purchase.
    """

    tables: dict[str, str] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    completed_statuses: list[str] = field(default_factory=lambda: ["completed"])

    def table(self, canonical: str) -> str:
        """The actual name of a canonical table."""
        return self.tables.get(canonical, canonical)

    def column(self, table: str, canonical: str) -> str:
        """The actual name of a canonical column."""
        return self.columns.get(table, {}).get(canonical, canonical)


def _sqlite_md5(text: Any) -> str | None:
    return None if text is None else hashlib.md5(str(text).encode()).hexdigest()


def _sqlite_lower(text: Any) -> Any:
    # SQLite's own lower() folds ASCII only; customers are named Ёлкина too.
    return text.lower() if isinstance(text, str) else text


def _install_sqlite_hooks(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _begin)
        dbapi_conn.execute("PRAGMA busy_timeout = 30000")
        dbapi_conn.execute("PRAGMA foreign_keys = ON")
        if dbapi_conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            # SQLite's advice for WAL: a killed process still loses nothing; a power cut may undo
            # the last commits, which leaves a message 'sending' (then 'unknown'), never resent.
            dbapi_conn.execute("PRAGMA synchronous = NORMAL")
        dbapi_conn.create_function("md5", 1, _sqlite_md5, deterministic=True)
        dbapi_conn.create_function("lower", 1, _sqlite_lower, deterministic=True)

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # A deferred read-then-write transaction fails at once with "database is locked";
        # writers take the lock up front and wait for it. Read-only work stays deferred.
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


def _install_postgresql_hooks(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        if dbapi_conn.info.server_version < 140000:  # the setting came with PostgreSQL 14
            return
        # Session-wide (not local to a transaction), committed so that it outlives this one.
        dbapi_conn.execute("SELECT set_config('client_connection_check_interval', %s, false)",
                           (f"{PG_CLIENT_CHECK_MS}ms",))
        dbapi_conn.commit()


class Crm:
    """A connection to a CRM database with its reflected canonical tables."""

    def __init__(self, engine: Engine, mapping: Mapping | None = None):
        self.engine = engine
        self.mapping = mapping or Mapping()
        self.dialect = engine.dialect.name
        self.metadata = sa.MetaData()
        self._reflected = False
        self.customers: sa.Table | None = None
        self.orders: sa.Table | None = None
        self.events: sa.Table | None = None

    @classmethod
    def open(cls, url: str, mapping: Mapping | None = None, password: str | None = None) -> Crm:
        """Open a CRM by SQLAlchemy URL (``sqlite:///shop.db``, ``postgresql://u@host/db``).

        Raises:
            CrmError: for an unsupported database or a malformed URL.
        """
        try:
            parsed = sa.make_url(url)
        except sa.exc.ArgumentError as exc:
            raise CrmError("crm.bad_url", url=url) from exc
        backend = parsed.get_backend_name()
        if backend == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
            if password is not None:
                parsed = parsed.set(password=password)
            engine = sa.create_engine(parsed, pool_pre_ping=True)
            _install_postgresql_hooks(engine)
        elif backend == "sqlite":
            if not parsed.database or parsed.database == ":memory:":
                raise CrmError("crm.sqlite_memory")
            engine = sa.create_engine(parsed, poolclass=sa.pool.NullPool)
            _install_sqlite_hooks(engine)
        else:
            raise CrmError("crm.unsupported", backend=backend)
        return cls(engine, mapping)

    @property
    def is_sqlite(self) -> bool:
        """True for an SQLite CRM."""
        return self.dialect == "sqlite"

    def reflect(self) -> None:
        """Read the CRM's customers and orders tables.

        Raises:
            CrmError: naming every missing table and column, before anything runs.
        """
        if self._reflected:
            return
        try:
            inspector = sa.inspect(self.engine)
            names = set(inspector.get_table_names())
        except sa.exc.OperationalError as exc:
            raise CrmError("crm.cannot_connect", reason=str(exc.orig)) from exc
        missing: list[Text] = []
        tables: dict[str, sa.Table] = {}
        for canonical, required in REQUIRED.items():
            actual = self.mapping.table(canonical)
            if actual not in names:
                missing.append(Text("crm.no_table", {"table": actual, "canonical": canonical}))
                continue
            table = sa.Table(actual, self.metadata, autoload_with=self.engine)
            tables[canonical] = table
            for col in required:
                name = self.mapping.column(canonical, col)
                if name not in table.c:
                    missing.append(Text("crm.no_column", {"table": actual, "column": name,
                                                          "canonical": f"{canonical}.{col}"}))
        if missing:
            raise CrmError("crm.missing", items=missing)
        self.customers, self.orders = tables["customers"], tables["orders"]
        events = self.mapping.table("events")
        if events in names:
            # Its foreign keys are not followed: they may name a table the mapping calls otherwise.
            table = sa.Table(events, self.metadata, autoload_with=self.engine, resolve_fks=False)
            # Half an events table is no events table: the checks then name what it lacks.
            if all(self.mapping.column("events", c) in table.c for c in EVENTS):
                self.events = table
        self._reflected = True

    def _table(self, canonical: str) -> sa.Table | None:
        self.reflect()
        return {"customers": self.customers, "orders": self.orders, "events": self.events}[canonical]

    def col(self, table: str, canonical: str) -> sa.Column:
        """The reflected column for a canonical ``table.column`` (or an extra column name)."""
        tbl = self._table(table)
        if tbl is None:
            raise CrmError("crm.no_such_table", canonical=table)
        return tbl.c[self.mapping.column(table, canonical)]

    def has(self, table: str, canonical: str) -> bool:
        """Whether the CRM has a canonical or extra column (False for a missing events table)."""
        tbl = self._table(table)
        return tbl is not None and self.mapping.column(table, canonical) in tbl.c

    def customer_fields(self) -> dict[str, sa.Column]:
        """Every customer field usable in conditions: canonical names first, then extras."""
        self.reflect()
        actual_to_canonical = {v: k for k, v in self.mapping.columns.get("customers", {}).items()}
        return {actual_to_canonical.get(c.name, c.name): c for c in self.customers.c}

    def field_kinds(self) -> dict[str, str]:
        """Every customer field -> what its column holds: number, text, bool, date or other."""
        return {name: _kind_of(col.type) for name, col in self.customer_fields().items()}

    def ts(self, column: sa.ColumnElement) -> sa.ColumnElement:
        """A CRM timestamp column made comparable with :meth:`ts_value` bounds.

        SQLite keeps dates as text in several forms ('YYYY-MM-DD HH:MM:SS', ISO with 'T',
        a date alone); ``datetime()`` brings them all to one sortable form.
        """
        if self.is_sqlite:
            return sa.func.datetime(column, type_=sa.String)
        if isinstance(getattr(column, "type", None), sa.String):
            return sa.cast(column, sa.DateTime)
        return column

    def month_day(self, column: sa.ColumnElement) -> sa.ColumnElement:
        """``'MM-DD'`` of a date or timestamp column, for yearly dates (birthdays, anniversaries)."""
        if self.is_sqlite:
            return sa.func.strftime("%m-%d", self.ts(column), type_=sa.String)
        return sa.func.to_char(self.ts(column), "MM-DD", type_=sa.String)

    def ts_value(self, moment: datetime | None) -> Any:
        """A naive local timestamp as a bound value comparable with :meth:`ts` columns."""
        if moment is None:
            return sa.null()
        if self.is_sqlite:
            return sa.literal(moment.strftime(SQLITE_TS_FORMAT), sa.String)
        return sa.literal(moment, sa.DateTime)

    def connect(self, *, read_only: bool = False) -> Connection:
        """A connection whose transactions lock for writing unless ``read_only``."""
        # rowcount of INSERT ... SELECT counts the customers a step moved.
        conn = self.engine.connect().execution_options(preserve_rowcount=True)
        if read_only and self.is_sqlite:
            conn = conn.execution_options(sqlite_begin="DEFERRED")
        return conn

    def set_local_timezone(self, conn: Connection, tz_name: str) -> None:
        """Make naive timestamps compare with ``timestamptz`` columns in ``tz_name`` (PostgreSQL)."""
        if not self.is_sqlite:
            conn.execute(sa.text("SELECT set_config('TimeZone', :tz, true)"), {"tz": tz_name})

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _kind_of(column_type: sa.types.TypeEngine) -> str:
    if isinstance(column_type, sa.Boolean):
        return "bool"
    if isinstance(column_type, sa.Integer | sa.Numeric | sa.Float):
        return "number"
    if isinstance(column_type, sa.Date | sa.DateTime):
        return "date"
    if isinstance(column_type, sa.String):
        return "text"
    return "other"


def list_tables(engine: sa.Engine) -> dict[str, list[str]]:
    """The shop's own tables and their columns (the engine's ``scenarist_`` tables left out)."""
    inspector = sa.inspect(engine)
    return {name: [c["name"] for c in inspector.get_columns(name)]
            for name in sorted(inspector.get_table_names()) if not name.startswith("scenarist_")}


def sample_rows(engine: sa.Engine, table: str, limit: int = 5) -> tuple[list[str], list[tuple]]:
    """The column names and the first ``limit`` rows of a table, for a person to recognise it."""
    reflected = sa.Table(table, sa.MetaData(), autoload_with=engine)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(sa.select(reflected).limit(limit))]
    return [c.name for c in reflected.c], rows


def distinct_values(engine: sa.Engine, table: str, column: str, limit: int = 50) -> list[str]:
    """Up to ``limit`` distinct non-empty values of a column, as text, most frequent first."""
    reflected = sa.Table(table, sa.MetaData(), autoload_with=engine)
    col = reflected.c[column]
    query = (sa.select(col).where(col.is_not(None)).group_by(col)
             .order_by(sa.func.count().desc(), col).limit(limit))
    with engine.connect() as conn:
        return [str(v) for (v,) in conn.execute(query)]
