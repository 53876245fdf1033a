"""The rows of an import, checked one by one and written in batches (see :mod:`app.shop_import`).

A row is bad when a cell does not hold what its column needs, a needed cell is empty, its id is
on an earlier line too, its customer is neither in the customers file nor in the database, or it
has more values than the file has headers. Every bad row is counted; the first
:data:`BAD_ROWS_SHOWN` are kept with every problem they have.
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from connectors.import_values import parse_column
from connectors.shop_store import IN_SHOP, ColumnSpec, IdFlags, ShopStore
from connectors.table_files import TableFile, as_text
from connectors.texts import Text, words

BAD_ROWS_SHOWN = 100
BATCH = 10_000  # rows checked column by column and written with one executemany; progress after each


@dataclass
class TableCounts:
    """One table's rows: added (a new id), updated (an id the shop had), rejected (bad, ``skip_bad``)."""

    added: int = 0
    updated: int = 0
    rejected: int = 0


@dataclass
class BadRow:
    """A bad row: where it is and what is wrong with it.

    Attributes:
        file: The file's name.
        line: Its line in the file (the headers are line 1).
        problems: Per bad cell, its header and what is wrong (no header: the row as a whole).
    """

    file: str
    line: int
    problems: list[tuple[str, Text]] = field(default_factory=list)

    def text(self) -> Text:
        """``orders.csv, line 7: total: '12,3,4' is not an amount of money``."""
        return Text("import.bad_row", {"file": self.file, "line": self.line,
                                       "problems": [Text("import.bad_cell", {"column": c, "reason": r}) if c else r
                                                    for c, r in self.problems]})


@dataclass
class _Batch:
    """One table's rows read but not yet checked, and what checking them needs."""

    table: str
    source: TableFile
    plan: list[tuple[int, str, ColumnSpec]]  # per column filled: its position in the file, its header, its spec
    flags: IdFlags  # the table's ids: IN_SHOP, SEEN, GOOD (and BAD for customers)
    counts: TableCounts
    lines: list[int] = field(default_factory=list)
    cells: list[list[Any]] = field(default_factory=list)
    extra: dict[int, Text] = field(default_factory=dict)  # line -> values past the last header

    @property
    def columns(self) -> list[str]:
        """The canonical columns filled, in the order of the values."""
        return [spec.name for _, _, spec in self.plan]

    @property
    def mapping(self) -> dict[str, str]:
        """Canonical column -> header."""
        return {spec.name: header for _, header, spec in self.plan}

    @property
    def id_at(self) -> int:
        """The position of ``id`` among the values."""
        return self.columns.index("id")

    @property
    def customer_at(self) -> int | None:
        """The position of ``customer_id`` among the values (None for customers)."""
        return self.columns.index("customer_id") if "customer_id" in self.columns else None


class ImportCancelled(Exception):
    """The import was stopped before it kept anything."""


SEEN, GOOD, BAD = 2, 4, 8  # flags of an id beside IN_SHOP: on a line of this file, on a good row, on a bad one


class RowChecker:
    """Checks and writes the rows of each table in turn, a batch at a time and column by column,
    remembering the customers that the later tables' rows name."""

    def __init__(self, store: ShopStore, skip_bad: bool, lang: str, rejected_paths: Mapping[str, Path],
                 cancel: threading.Event | None) -> None:
        self.store, self.skip_bad, self.lang, self.cancel = store, skip_bad, lang, cancel
        self.rejected_paths = rejected_paths
        self.bad: list[BadRow] = []
        self.bad_total = 0
        self.customers = store.ids("customers")  # the shop's, then flagged GOOD or BAD by the file's rows
        self._rejected: dict[str, tuple[IO[str], Any]] = {}

    def run(self, table: str, source: TableFile, specs: list[ColumnSpec], mapping: Mapping[str, str],
            progress: Callable[[str, float, int], None] | None) -> TableCounts:
        """Check every row of one table's file and upsert the good ones by id."""
        index: dict[str, int] = {}
        for position, header in enumerate(source.headers):
            index.setdefault(header, position)
        batch = _Batch(table, source, [(index[mapping[s.name]], mapping[s.name], s) for s in specs],
                       self.customers if table == "customers" else self.store.ids(table), TableCounts())
        width, rows = len(source.headers), 0
        for line, cells, done in source.rows():
            if len(cells) != width:
                cells = self._fit(batch, line, list(cells), width)
            batch.lines.append(line)
            batch.cells.append(cells)
            rows += 1
            if len(batch.cells) >= BATCH:
                self._check(batch)
                if progress is not None:
                    progress(table, done, rows)
        self._check(batch)
        batch.counts.added = rows - batch.counts.updated - batch.counts.rejected
        if progress is not None:
            progress(table, 1.0, rows)
        return batch.counts

    @staticmethod
    def _fit(batch: _Batch, line: int, cells: list[Any], width: int) -> list[Any]:
        """A row as wide as the headers; values past the last header make it bad."""
        if len(cells) > width and any(as_text(c).strip() for c in cells[width:]):
            batch.extra[line] = Text("import.extra_cells", {"n": len(cells), "headers": width})
        return (cells + [None] * (width - len(cells)))[:width]

    def _check(self, batch: _Batch) -> None:
        """Read a batch column by column, check its ids, write its good rows, reject the others."""
        if self.cancel is not None and self.cancel.is_set():
            raise ImportCancelled
        if not batch.cells:
            return
        columns = list(zip(*batch.cells, strict=True))
        problems: dict[int, list[tuple[str, Text]]] = {}
        values = []
        for position, header, spec in batch.plan:
            column, errors = parse_column(columns[position], spec.kind, batch.source.kind == "csv")
            for at, reason in errors:
                problems.setdefault(at, []).append((header, reason))
            if None in column and (spec.required or spec.default is not None):
                bad = {at for at, _ in errors}
                for at, value in enumerate(column):
                    if value is None and spec.required and at not in bad:
                        problems.setdefault(at, []).append((header, Text("import.empty")))
                column = [spec.default if v is None else v for v in column]
            values.append(column)
        for at, line in enumerate(batch.lines):
            if line in batch.extra:
                problems.setdefault(at, []).append(("", batch.extra.pop(line)))
        self._check_ids(batch, values, problems)
        rows = list(zip(*values, strict=True))
        if problems:
            for at in sorted(problems):
                self._reject(batch.table, batch.source, batch.lines[at], batch.cells[at], problems[at],
                             batch.counts, rows[at][batch.id_at])
            rows = [row for at, row in enumerate(rows) if at not in problems]
        if rows and (self.skip_bad or not self.bad_total):  # once a row is bad nothing is kept: only check
            self.store.upsert(batch.table, batch.columns, rows)
        batch.lines.clear()
        batch.cells.clear()

    def _check_ids(self, batch: _Batch, values: list[list[Any]], problems: dict[int, list]) -> None:
        """Ids on an earlier line too, customers nobody knows; counts the ids the shop had."""
        ids = values[batch.id_at]
        header = batch.mapping["id"]
        known = [i for i in ids if i is not None]
        if known:
            batch.flags.reserve(max(known))
        get, put = batch.flags.accessors(known)
        for at, row_id in enumerate(ids):
            if row_id is None:
                continue
            flags = get(row_id)
            if flags & SEEN:
                problems.setdefault(at, []).append((header, Text("import.duplicate", {"id": row_id})))
            put(row_id, flags | SEEN)
        if batch.customer_at is not None:
            named = values[batch.customer_at]
            customer = self.customers.accessors([i for i in named if i is not None])[0]
            header = batch.mapping["customer_id"]
            for at, customer_id in enumerate(named):
                if customer_id is not None and not customer(customer_id) & (IN_SHOP | GOOD):
                    code = "import.bad_customer" if customer(customer_id) & BAD else "import.no_customer"
                    problems.setdefault(at, []).append((header, Text(code, {"id": customer_id})))
        for at, row_id in enumerate(ids):
            if at not in problems:
                flags = get(row_id)
                batch.counts.updated += flags & IN_SHOP
                put(row_id, flags | GOOD)
            elif row_id is not None and batch.table == "customers":
                put(row_id, get(row_id) | BAD)

    def _reject(self, table: str, source: TableFile, line: int, cells: list[Any],
                problems: list[tuple[str, Text]], counts: TableCounts, row_id: Any) -> None:
        self.bad_total += 1
        counts.rejected += 1
        row = BadRow(source.path.name, line, problems)
        if len(self.bad) < BAD_ROWS_SHOWN:
            self.bad.append(row)
        if self.skip_bad:
            self._rejected_writer(table, source).writerow([line, words(row.text(), self.lang),
                                                           *(as_text(c) for c in cells)])

    def _rejected_writer(self, table: str, source: TableFile) -> Any:
        if table not in self._rejected:
            path = self.rejected_paths[table]
            handle = path.open("w", encoding="utf-8-sig", newline="")  # a BOM: Excel then reads it as UTF-8
            writer = csv.writer(handle, delimiter=source.delimiter or ";")
            writer.writerow(["line", "problem", *source.headers])
            self._rejected[table] = (handle, writer)
        return self._rejected[table][1]

    def close_rejected(self, keep: bool) -> dict[str, Path]:
        """Close the files of rejected rows; removed unless ``keep``; returns those kept."""
        kept = {}
        for table, (handle, _writer) in self._rejected.items():
            handle.close()
            if keep:
                kept[table] = self.rejected_paths[table]
            else:
                self.rejected_paths[table].unlink(missing_ok=True)
        self._rejected.clear()
        return kept
