"""``main.py import-csv``: a shop from CSV or Excel exports, on the command line (:mod:`app.shop_import`).

Its refusals are :class:`connectors.texts.TextError` s, which :func:`app.cli.main` reports with exit 2.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.shop_import import TableFile, detected, import_shop, inspect_file, parse_columns, plan_mapping
from connectors.texts import Text, percent, words

BAD_INPUT = 2


def add_parser(sub: Any) -> None:
    """Declare ``import-csv`` among the sub-commands."""
    p = sub.add_parser("import-csv", help="make (or refresh) an SQLite shop from CSV or Excel exports")
    p.add_argument("out", metavar="OUT.db", help="the SQLite file to create, or an earlier import to refresh")
    p.add_argument("--customers", required=True, metavar="FILE", help="customers: .csv or .xlsx")
    p.add_argument("--orders", required=True, metavar="FILE", help="orders: .csv or .xlsx")
    p.add_argument("--events", metavar="FILE", help="optional site events (cart_abandoned, ...): .csv or .xlsx")
    p.add_argument("--column", action="append", default=[], metavar="TABLE.COLUMN=HEADER",
                   help="the file's header for one of Scenarist's columns, e.g. customers.email=E-mail "
                        "(headers equal to Scenarist's names need none)")
    p.add_argument("--skip-bad", action="store_true",
                   help="import the good rows and write the bad ones to OUT.rejected-TABLE.csv "
                        "(without it, a file with a bad row imports nothing)")


def run_import_csv(args: argparse.Namespace) -> int:
    """Run ``import-csv``; returns the exit code (2: bad rows and no ``--skip-bad``).

    Raises:
        TextError: a file cannot be read, a ``--column`` is wrong, a needed column is not found.
    """
    chosen = parse_columns(args.column)
    files: dict[str, TableFile] = {}
    for table in ("customers", "orders", "events"):
        path = getattr(args, table)
        if path:
            files[table] = inspect_file(path)
            print(words(detected(files[table])))
    mapping = plan_mapping(files, chosen)
    show = _progress() if sys.stderr.isatty() else None
    result = import_shop(args.out, files, mapping, skip_bad=args.skip_bad, progress=show)
    if not result.kept:
        for line in result.refusal():
            print(_plain(line), file=sys.stderr)
        return BAD_INPUT
    for row in result.bad:
        print(_plain(row.text()), file=sys.stderr)
    if result.bad_total > len(result.bad):
        print(_plain(Text("import.more_bad", {"n": result.bad_total - len(result.bad)})), file=sys.stderr)
    for line in result.summary():
        print(_plain(line))
    print(f"shop: {result.url} ({result.seconds:.1f} s)")
    return 0


def _plain(text: Text) -> str:
    return words(text, "en", plain=True)


def _progress() -> Any:
    """A progress line on the terminal, redrawn in place, one per table."""
    def show(table: str, done: float, rows: int) -> None:
        line = words(Text("import.progress", {"table": Text(f"import.table.{table}"), "percent": percent(done, "en"),
                                              "rows": rows}))
        print(f"\r  {line}   ", end="\n" if done >= 1.0 else "", file=sys.stderr, flush=True)
    return show
