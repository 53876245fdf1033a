"""Exports of a shop as a small shop owner gets them: CSV in a Russian spreadsheet's ways, and Excel."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tests.helpers import engine_for

DATES = ("registered_at", "created_at", "birthday")
FLAGS = ("email_subscribed", "sms_subscribed")


def table_rows(url: str, table: str) -> tuple[list[str], list[tuple]]:
    """A table's column names and its rows by id, as stored."""
    engine = engine_for(url)
    with engine.connect() as conn:
        result = conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY id"))
        names, found = list(result.keys()), [tuple(r) for r in result]
    engine.dispose()
    return names, found


def _russian(name: str, value: Any) -> Any:
    """A value as a Russian export writes it: 05.01.2026 14:30:00, да/нет, 1 960,00."""
    if value is None:
        return ""
    if name in DATES:
        moment = value if isinstance(value, date) else datetime.fromisoformat(str(value))
        return moment.strftime("%d.%m.%Y") if name == "birthday" else moment.strftime("%d.%m.%Y %H:%M:%S")
    if name in FLAGS:
        return "да" if value else "нет"
    if name == "total":
        return f"{float(value):,.2f}".replace(",", " ").replace(".", ",")
    return value


def write_russian_csv(url: str, folder: Path) -> dict[str, Path]:
    """customers.csv, orders.csv and events.csv: ``;``, Windows-1251, DD.MM.YYYY dates, да/нет, 1 234,50."""
    paths = {}
    for table in ("customers", "orders", "events"):
        names, found = table_rows(url, table)
        paths[table] = folder / f"{table}.csv"
        with paths[table].open("w", encoding="cp1251", newline="") as f:
            out = csv.writer(f, delimiter=";")
            out.writerow(names)
            out.writerows([_russian(n, v) for n, v in zip(names, row, strict=True)] for row in found)
    return paths


def write_xlsx(url: str, folder: Path) -> dict[str, Path]:
    """customers.xlsx, orders.xlsx and events.xlsx with typed cells: dates, numbers, booleans."""
    import openpyxl

    paths = {}
    for table in ("customers", "orders", "events"):
        names, found = table_rows(url, table)
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet(table)
        sheet.append(names)
        for row in found:
            sheet.append([_typed(n, v) for n, v in zip(names, row, strict=True)])
        paths[table] = folder / f"{table}.xlsx"
        book.save(paths[table])
    return paths


def _typed(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in DATES:
        moment = datetime.fromisoformat(str(value))
        return moment.date() if name == "birthday" else moment
    if name in FLAGS:
        return bool(value)
    return value


def counts_json(result: Any) -> dict[str, Any]:
    """A preview's figures without the time it took: every node's counts, and the totals."""
    out = result.to_json()
    out.pop("seconds")
    return json.loads(json.dumps(out, default=str))
