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

from connectors.import_values import PARSERS, BadValue
from connectors.shop_store import ColumnSpec, IdSet, ShopStore
from connectors.table_files import TableFile, as_text
from connectors.texts import Text, words

BAD_ROWS_SHOWN = 100
BATCH = 20_000  # rows per executemany
PROGRESS_EVERY = 10_000  # rows between two progress reports


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
        problems: Per bad cell, its header (or canonical column) and what is wrong.
    """

    file: str
    line: int
    problems: list[tuple[str, Text]] = field(default_factory=list)

    def text(self) -> Text:
        """``orders.csv, line 7: total: '12,3,4' is not an amount of money``."""
        return Text("import.bad_row", {"file": self.file, "line": self.line,
                                       "problems": [Text("import.bad_cell", {"column": c, "reason": r})
                                                    for c, r in self.problems]})


class ImportCancelled(Exception):
    """The import was stopped before it kept anything."""


class RowChecker:
    """Checks and writes the rows of each table in turn, remembering the ids that later tables need."""

    def __init__(self, store: ShopStore, skip_bad: bool, lang: str, rejected_paths: Mapping[str, Path],
                 cancel: threading.Event | None) -> None:
        self.store, self.skip_bad, self.lang, self.cancel = store, skip_bad, lang, cancel
        self.rejected_paths = rejected_paths
        self.bad: list[BadRow] = []
        self.bad_total = 0
        self.customers = store.ids("customers")  # the shop's, then the file's good ones
        self.bad_customers = IdSet()
        self._rejected: dict[str, tuple[IO[str], Any]] = {}

    def run(self, table: str, source: TableFile, specs: list[ColumnSpec], mapping: Mapping[str, str],
            progress: Callable[[str, float, int], None] | None) -> TableCounts:
        """Check every row of one table's file and upsert the good ones by id."""
        index: dict[str, int] = {}
        for position, header in enumerate(source.headers):
            index.setdefault(header, position)
        plan = [(index[mapping[s.name]], mapping[s.name], PARSERS[s.kind], s.required, s.default) for s in specs]
        columns = [s.name for s in specs]
        id_at = columns.index("id")
        customer_at = columns.index("customer_id") if "customer_id" in columns else None
        existing = self.customers if table == "customers" else self.store.ids(table)
        seen, counts, batch = IdSet(), TableCounts(), []
        width, rows, done = len(source.headers), 0, 0.0
        for line, cells, done in source.rows():
            values, problems = self._values(plan, cells)
            row_id = values[id_at]
            if row_id is not None:
                if row_id in seen:
                    problems.append((mapping["id"], Text("import.duplicate", {"id": row_id})))
                seen.add(row_id)
            if customer_at is not None and values[customer_at] is not None:
                self._check_customer(values[customer_at], mapping["customer_id"], problems)
            if len(cells) > width and any(as_text(c).strip() for c in cells[width:]):
                problems.append(("", Text("import.extra_cells", {"n": len(cells), "headers": width})))
            rows += 1
            if problems:
                self._reject(table, source, line, cells, problems, counts, row_id)
            else:
                counts.updated += row_id in existing
                if table == "customers":
                    self.customers.add(row_id)
                batch.append(tuple(values))
            if len(batch) >= BATCH:
                self._write(table, columns, batch)
            if progress is not None and rows % PROGRESS_EVERY == 0:
                progress(table, done, rows)
        self._write(table, columns, batch)
        counts.added = rows - counts.updated - counts.rejected
        if progress is not None:
            progress(table, 1.0, rows)
        return counts

    @staticmethod
    def _values(plan: list, cells: list[Any]) -> tuple[list[Any], list[tuple[str, Text]]]:
        values: list[Any] = []
        problems: list[tuple[str, Text]] = []
        size = len(cells)
        for position, header, parse, required, default in plan:
            try:
                value = parse(cells[position] if position < size else None)
            except BadValue as exc:
                problems.append((header, exc.text))
                values.append(None)
                continue
            if value is None:
                if required:
                    problems.append((header, Text("import.empty")))
                value = default
            values.append(value)
        return values, problems

    def _check_customer(self, customer_id: int, header: str, problems: list[tuple[str, Text]]) -> None:
        if customer_id in self.customers:
            return
        code = "import.bad_customer" if customer_id in self.bad_customers else "import.no_customer"
        problems.append((header, Text(code, {"id": customer_id})))

    def _reject(self, table: str, source: TableFile, line: int, cells: list[Any],
                problems: list[tuple[str, Text]], counts: TableCounts, row_id: Any) -> None:
        self.bad_total += 1
        counts.rejected += 1
        if table == "customers" and isinstance(row_id, int):
            self.bad_customers.add(row_id)
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

    def _write(self, table: str, columns: list[str], batch: list[tuple]) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise ImportCancelled
        if batch and (self.skip_bad or not self.bad_total):  # once a row is bad nothing is kept: only check
            self.store.upsert(table, columns, batch)
        batch.clear()

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
