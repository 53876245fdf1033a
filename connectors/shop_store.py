"""The SQLite shop an import writes: the canonical tables, created when missing, filled by id.

Rows are upserted (a new id is added, a known one updated in the columns given) in one
transaction, so a refused import leaves the file as it was. Nothing is ever deleted, and the
engine's ``scenarist_*`` tables are never read or written.
"""

from __future__ import annotations

import sqlite3
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
BITMAP_LIMIT = 1 << 28  # ids below this are kept as bits (32 MB at most); others in a set


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


class IdSet:
    """A set of integer ids, small in memory for millions of dense ids (one bit each)."""

    def __init__(self) -> None:
        self._bits = bytearray()
        self._other: set[int] = set()

    def add(self, value: int) -> None:
        """Remember ``value``."""
        if 0 <= value < BITMAP_LIMIT:
            byte = value >> 3
            if byte >= len(self._bits):
                self._bits.extend(bytes(max(byte + 1 - len(self._bits), len(self._bits))))
            self._bits[byte] |= 1 << (value & 7)
        else:
            self._other.add(value)

    def __contains__(self, value: int) -> bool:
        if 0 <= value < BITMAP_LIMIT:
            byte = value >> 3
            return byte < len(self._bits) and bool(self._bits[byte] & (1 << (value & 7)))
        return value in self._other


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
            if self.created:
                self.conn.execute("PRAGMA journal_mode = WAL")  # as the demo shop: the app reads while serve writes
            names = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise StoreError("store.not_sqlite", path=str(self.path)) from exc
        self._metadata = canonical_metadata()[0]
        self.missing = [t for t in TABLES if t not in names]
        self.columns = {t: [c.name for c in self._metadata.tables[t].c] if t in self.missing
                        else [r[1] for r in self.conn.execute(f'PRAGMA table_info("{t}")')] for t in TABLES}

    def url(self) -> str:
        """The SQLAlchemy URL of the file, as ``--crm`` takes it."""
        return sa.URL.create("sqlite", database=str(self.path)).render_as_string()

    def ids(self, table: str) -> IdSet:
        """The ids the table holds already."""
        found = IdSet()
        if table in self.missing:
            return found
        for (value,) in self.conn.execute(f'SELECT id FROM "{table}"'):
            if isinstance(value, int):
                found.add(value)
        return found

    def begin(self) -> None:
        """Start the import's one write transaction (waiting for a running scenario's to end)."""
        self.conn.execute("BEGIN IMMEDIATE")
        dialect = sqlite_dialect.dialect()
        for name in self.missing:  # inside the transaction: a refused import leaves no new table either
            table = self._metadata.tables[name]
            self.conn.execute(str(sa.schema.CreateTable(table).compile(dialect=dialect)))
            for index in table.indexes:
                self.conn.execute(str(sa.schema.CreateIndex(index).compile(dialect=dialect)))

    def upsert(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        """Add rows by id, or update the given columns of the rows whose id is there already."""
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c != "id")
        action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
        self.conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks}) ON CONFLICT (id) {action}', rows)

    def commit(self) -> None:
        """Keep what the import wrote, and refresh the planner's statistics of those tables."""
        self.conn.execute("COMMIT")
        for table in TABLES:
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
