"""The SQLite shop an import writes: the canonical tables, created when missing, filled by id.

Rows are upserted (a new id is added, a known one updated in the columns given) in one
transaction, so a refused import leaves the file as it was. Nothing is ever deleted, and the
engine's ``scenarist_*`` tables are never read or written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite as sqlite_dialect

from connectors.schema import canonical_metadata
from connectors.texts import TextError

TABLES = ("customers", "orders", "events")
KINDS = ((sa.Boolean, "bool"), (sa.Integer, "int"), (sa.Numeric, "money"), (sa.DateTime, "datetime"),
         (sa.Date, "date"), (sa.String, "text"))
DEFAULTS = {"bool": False, "int": 0}  # what an empty cell of a column with a default stores
DENSE_LIMIT = 1 << 27  # ids below this have a byte each (128 MB at most); others a dict entry
IN_SHOP = 1  # the flag of an id the table held before the import


class StoreError(TextError):
    """The output file cannot take the import (not an SQLite database, a table lacking a column)."""


@dataclass(frozen=True)
class ColumnSpec:
    """A canonical column an import can fill.

    Attributes:
        name: The canonical name.
        kind: What its cells must hold: int, money, bool, datetime, date or text.
        required: A row needs a value in it.
        default: What an empty cell stores (None: NULL).
    """

    name: str
    kind: str
    required: bool
    default: object = None


def column_specs() -> dict[str, list[ColumnSpec]]:
    """Per canonical table, its columns as :mod:`connectors.schema` declares them."""
    md, _customers, _orders = canonical_metadata()
    specs: dict[str, list[ColumnSpec]] = {}
    for table in TABLES:
        specs[table] = []
        for col in md.tables[table].c:
            kind = next(k for t, k in KINDS if isinstance(col.type, t))
            has_default = col.server_default is not None
            specs[table].append(ColumnSpec(col.name, kind, not col.nullable and not has_default,
                                           DEFAULTS.get(kind) if has_default else None))
    return specs


class IdFlags:
    """Flags per integer id (a byte each: 1M ids take 1 MB); ids outside the dense range go to a dict."""

    def __init__(self) -> None:
        self.array = bytearray()
        self._other: dict[int, int] = {}

    def reserve(self, highest: int) -> None:
        """Make room for the ids up to ``highest``, so that :attr:`array` can be indexed by them."""
        if len(self.array) <= highest < DENSE_LIMIT:  # grown by doubling, to DENSE_LIMIT at most
            size = min(max(highest + 1, 2 * len(self.array)), DENSE_LIMIT)
            self.array.extend(bytes(size - len(self.array)))

    def get(self, value: int) -> int:
        """The flags of an id (0 for an unknown one)."""
        if 0 <= value < len(self.array):
            return self.array[value]
        return self._other.get(value, 0)

    def accessors(self, ids: list[int]) -> tuple[Callable[[int], int], Callable[[int, int], None]]:
        """Get and set for these ids: the array's own (fast) when they all index it."""
        if ids and min(ids) >= 0 and max(ids) < len(self.array):
            return self.array.__getitem__, self.array.__setitem__
        return self.get, self.set

    def set(self, value: int, flags: int) -> None:
        """Set the flags of an id."""
        if 0 <= value < len(self.array):
            self.array[value] = flags
        elif 0 <= value < DENSE_LIMIT:
            self.reserve(value)
            self.array[value] = flags
        else:
            self._other[value] = flags


class ShopStore:
    """An SQLite shop file open for one import: one write transaction from :meth:`begin` on."""

    def __init__(self, path: str | Path) -> None:
        """Open (or create) the file and its canonical tables.

        Raises:
            StoreError: the file is not an SQLite database.
        """
        self.path = Path(path).expanduser().resolve()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.created = not self.path.exists() or self.path.stat().st_size == 0
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None)
            self.conn.execute("PRAGMA busy_timeout = 30000")
            self.conn.execute("PRAGMA cache_size = -65536")  # 64 MB: the orders index stays in memory
            names = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise StoreError("store.not_sqlite", path=str(self.path)) from exc
        self._metadata = canonical_metadata()[0]
        self._dialect = sqlite_dialect.dialect()
        self.missing = [t for t in TABLES if t not in names]
        self._missing_at_open = list(self.missing)
        self.columns = {t: [c.name for c in self._metadata.tables[t].c] if t in self.missing
                        else [r[1] for r in self.conn.execute(f'PRAGMA table_info("{t}")')] for t in TABLES}

    def url(self) -> str:
        """The SQLAlchemy URL of the file, as ``--crm`` takes it."""
        return sa.URL.create("sqlite", database=str(self.path)).render_as_string()

    def ids(self, table: str) -> IdFlags:
        """The ids the table holds already, flagged :data:`IN_SHOP`."""
        found = IdFlags()
        if table in self.missing:
            return found
        highest = self.conn.execute(f'SELECT max(id) FROM "{table}"').fetchone()[0]
        if isinstance(highest, int):
            found.reserve(highest)
        for (value,) in self.conn.execute(f'SELECT id FROM "{table}"'):
            if isinstance(value, int):
                found.set(value, IN_SHOP)
        return found

    def begin(self, tables: list[str] | tuple[str, ...] = TABLES) -> None:
        """Start the import's one write transaction (waiting for a running scenario's to end), creating
        those of ``tables`` the file lacks."""
        self.conn.execute("BEGIN IMMEDIATE")
        self.missing = [t for t in self.missing if t in tables]  # an events table only with events to import
        for name in self.missing:  # inside the transaction: a refused import leaves no new table either
            table = self._metadata.tables[name]
            self.conn.execute(str(sa.schema.CreateTable(table).compile(dialect=self._dialect)))

    def upsert(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        """Add rows by id, or update the given columns of the rows whose id is there already."""
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c != "id")
        action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
        self.conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks}) ON CONFLICT (id) {action}', rows)

    def commit(self) -> None:
        """Keep what the import wrote, and refresh the planner's statistics of those tables."""
        for name in self.missing:  # a new table's indexes are built once, after its rows: much faster
            for index in self._metadata.tables[name].indexes:
                self.conn.execute(str(sa.schema.CreateIndex(index).compile(dialect=self._dialect)))
        self.conn.execute("COMMIT")
        if self.created:  # as the demo shop: the window reads while serve writes
            self.conn.execute("PRAGMA journal_mode = WAL")
        for table in TABLES:
            if table not in self._missing_at_open or table in self.missing:  # the tables there now
                self.conn.execute(f'ANALYZE "{table}"')

    def rollback(self) -> None:
        """Undo everything the import wrote."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self, kept: bool = True) -> None:
        """Close the file; one this import created is removed again unless it ``kept`` rows."""
        self.rollback()
        self.conn.close()
        if self.created and not kept:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
