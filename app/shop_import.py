"""Import a shop from CSV or Excel exports into an SQLite CRM: the use case of ``import-csv`` and
of the window's *New shop from CSV/Excel…*.

Each table's headers are matched to the canonical columns (a header equal to a canonical name,
in any case, matches by itself; the others are chosen), every row is checked, and the rows are
written by id in one transaction: a new id is added, a known one updated, nothing is deleted and
the engine's ``scenarist_*`` tables are not touched, so scenarios go on over a refreshed shop.
A file with bad rows imports nothing unless ``skip_bad`` is given; then the good rows are
imported and the rejected ones written to a CSV beside the output.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.shop_rows import BadRow, ImportCancelled, RowChecker, TableCounts
from connectors.shop_store import TABLES, ColumnSpec, ShopStore, StoreError, column_specs
from connectors.table_files import TableFile, TableFileError, open_table
from connectors.texts import Text, TextError

__all__ = ["BadRow", "ImportCancelled", "ImportResult", "ShopImportError", "TableCounts", "TableFile",
           "TableFileError", "auto_mapping", "import_shop", "inspect_file", "parse_columns", "plan_mapping",
           "rejected_path"]

SPECS: dict[str, list[ColumnSpec]] = column_specs()
NEEDED_FILES = ("customers", "orders")  # events are optional
Progress = Callable[[str, float, int], None]  # table, share of its file read, rows so far


class ShopImportError(TextError):
    """The import cannot start: a file, a ``--column`` or the mapping is wrong; nothing was changed."""


@dataclass
class ImportResult:
    """What an import did.

    Attributes:
        path: The SQLite file written.
        url: Its URL, as ``--crm`` and the window take it.
        counts: Per table read, the rows added, updated and rejected.
        bad: The first bad rows (up to the limit), in file order.
        bad_total: How many rows were bad in all.
        kept: The rows were written (False: bad rows and no ``skip_bad``: nothing changed).
        rejected_files: Per table, the CSV with its rejected rows (``skip_bad`` only).
        seconds: Time taken.
    """

    path: Path
    url: str
    counts: dict[str, TableCounts] = field(default_factory=dict)
    bad: list[BadRow] = field(default_factory=list)
    bad_total: int = 0
    kept: bool = False
    rejected_files: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> list[Text]:
        """One line per table (added, updated, rejected) and per file of rejected rows."""
        lines = [Text("import.counts", {"table": Text(f"import.table.{t}"), "added": c.added,
                                        "updated": c.updated, "rejected": c.rejected})
                 for t, c in self.counts.items()]
        lines += [Text("import.rejected_file", {"path": str(p)}) for p in self.rejected_files.values()]
        return lines

    def refusal(self) -> list[Text]:
        """The bad rows, each a line, then the total (for an import that kept nothing)."""
        lines = [row.text() for row in self.bad]
        if self.bad_total > len(self.bad):
            lines.append(Text("import.more_bad", {"n": self.bad_total - len(self.bad)}))
        lines.append(Text("import.refused", {"n": self.bad_total}))
        return lines


def inspect_file(path: str | Path) -> TableFile:
    """A table file's detected kind, encoding and delimiter, its headers and five sample rows.

    Raises:
        TableFileError: the file is missing, empty, or neither CSV nor Excel.
    """
    return open_table(path)


def detected(table: TableFile) -> Text:
    """What was detected in a file, in words (``utf-8, semicolon``)."""
    if table.kind == "xlsx":
        return Text("import.detected_xlsx", {"file": table.path.name})
    return Text("import.detected_csv", {"file": table.path.name, "encoding": table.encoding,
                                        "delimiter": Text(f"import.delimiter.{ord(table.delimiter or ',')}")})


def auto_mapping(table: str, headers: list[str]) -> dict[str, str]:
    """Canonical column -> header, for the headers equal to a canonical name (in any case)."""
    by_name = {}
    for header in headers:
        by_name.setdefault(header.strip().lower(), header)
    return {spec.name: by_name[spec.name] for spec in SPECS[table] if spec.name in by_name}


def parse_columns(given: list[str]) -> dict[str, dict[str, str]]:
    """``--column TABLE.CANONICAL=HEADER`` options as table -> {canonical: header}.

    Raises:
        ShopImportError: an option is malformed or names an unknown table or column.
    """
    chosen: dict[str, dict[str, str]] = {}
    for spec in given:
        target, sep, header = spec.partition("=")
        table, dot, column = target.strip().partition(".")
        if not sep or not dot or not header.strip():
            raise ShopImportError("import.column_syntax", spec=spec)
        if table not in SPECS:
            raise ShopImportError("import.unknown_table", spec=spec, table=table, tables=", ".join(TABLES))
        if column not in {s.name for s in SPECS[table]}:
            raise ShopImportError("import.unknown_column", spec=spec, table=table, column=column,
                                  columns=", ".join(s.name for s in SPECS[table]))
        chosen.setdefault(table, {})[column] = header.strip()
    return chosen


def plan_mapping(files: Mapping[str, TableFile], chosen: Mapping[str, Mapping[str, str]] | None = None
                 ) -> dict[str, dict[str, str]]:
    """Per table given, canonical column -> header: the automatic matches, then the chosen ones.

    Raises:
        ShopImportError: naming every chosen header a file lacks and every needed column left unmatched.
    """
    problems: list[Text] = []
    plan: dict[str, dict[str, str]] = {}
    for table, source in files.items():
        mapping = auto_mapping(table, source.headers)
        for column, header in (chosen or {}).get(table, {}).items():
            if header not in source.headers:
                problems.append(Text("import.no_header", {"file": source.path.name, "header": header,
                                                          "column": f"{table}.{column}",
                                                          "headers": ", ".join(source.headers)}))
            mapping[column] = header
        for spec in SPECS[table]:
            if spec.required and spec.name not in mapping:
                problems.append(Text("import.unmapped", {"file": source.path.name, "column": f"{table}.{spec.name}"}))
        plan[table] = mapping
    for table in chosen or {}:
        if table not in files:
            problems.append(Text("import.no_file_for", {"table": table}))
    if problems:
        raise ShopImportError("import.problems", items=problems)
    return plan


def rejected_path(out: str | Path, table: str) -> Path:
    """Where ``skip_bad`` writes a table's rejected rows: beside the output, ``shop.rejected-orders.csv``."""
    out = Path(out).expanduser().resolve()
    return out.with_name(f"{out.stem}.rejected-{table}.csv")


def import_shop(out: str | Path, files: Mapping[str, TableFile], mapping: Mapping[str, Mapping[str, str]], *,
                skip_bad: bool = False, progress: Progress | None = None, cancel: threading.Event | None = None,
                lang: str = "en") -> ImportResult:
    """Import the tables into the SQLite file ``out`` (created when missing).

    Args:
        out: The SQLite file.
        files: ``customers`` and ``orders`` (and optionally ``events``) from :func:`inspect_file`.
        mapping: Per table, canonical column -> header (:func:`plan_mapping`).
        skip_bad: Import the good rows and write the bad ones to :func:`rejected_path` files.
        progress: Told, every few thousand rows, the table, the share of its file read and the rows.
        cancel: Set to stop; nothing is kept then.
        lang: The language of the problems written into the rejected rows' files.

    Raises:
        ShopImportError: a file or column is missing, or the output cannot take the import.
        TableFileError: a file stops being readable part-way (nothing is kept).
        ImportCancelled: ``cancel`` was set (nothing is kept).
    """
    started = time.perf_counter()
    missing = [t for t in NEEDED_FILES if t not in files]
    if missing:
        raise ShopImportError("import.no_file_for", table=", ".join(missing))
    try:
        store = ShopStore(out)
    except StoreError as exc:
        raise ShopImportError(exc.text.code, **exc.text.args) from exc
    result = ImportResult(store.path, store.url())
    checker = RowChecker(store, skip_bad, lang, {t: rejected_path(out, t) for t in files}, cancel)
    try:
        _check_store(store, mapping)
        store.begin(tuple(files))
        for table in TABLES:
            if table in files:
                result.counts[table] = checker.run(table, files[table], [s for s in SPECS[table]
                                                                         if s.name in mapping[table]],
                                                   mapping[table], progress)
        result.bad, result.bad_total = checker.bad, checker.bad_total
        result.kept = skip_bad or not checker.bad_total
        if result.kept:
            store.commit()
            result.rejected_files = checker.close_rejected(keep=True)
        else:
            store.rollback()
            checker.close_rejected(keep=False)
    except BaseException:  # a file unreadable part-way, a cancel, Ctrl-C: nothing kept
        result.kept = False
        checker.close_rejected(keep=False)
        raise
    finally:
        store.close(kept=result.kept)
    result.seconds = time.perf_counter() - started
    return result


def _check_store(store: ShopStore, mapping: Mapping[str, Mapping[str, str]]) -> None:
    """Refuse an existing shop whose tables lack a column the files fill."""
    problems = [Text("import.no_db_column", {"table": table, "column": column, "path": str(store.path)})
                for table, columns in mapping.items() for column in columns if column not in store.columns[table]]
    if problems:
        raise ShopImportError("import.problems", items=problems)
