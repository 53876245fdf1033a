"""Values of an exported table, read the way shops write them, into what the CRM stores.

- dates: ISO (``2026-01-05``, ``2026-01-05 14:30[:00]``, with ``T``, an offset is dropped: the
  wall-clock time is kept) and ``DD.MM.YYYY`` with an optional ``HH:MM`` or ``HH:MM:SS``;
  slashes are refused, since 01/02/2026 is the 1st of February in Russia and the 2nd of January
  in the United States.
- yes or no: yes/no, да/нет, true/false, истина/ложь, 1/0, y/n, д/н, +/-.
- money: ``1234.50``, ``1 234,50``, ``1,234.50``, ``1.234,50``, a currency sign or ``руб.`` around it;
  a single comma is the decimal mark, as in Russian (``1,5`` is one and a half).
- whole numbers: ``12``, ``-3``, ``1 200``, ``12.0`` (as Excel writes them).

Each parser takes a cell (text, or Excel's own number, date or boolean) and gives the stored
value, None for an empty cell, or raises :class:`BadValue`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from connectors.texts import Text, TextError


class BadValue(TextError):
    """A cell that does not hold what its column needs; its code says what was expected."""


_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_ONE_MARK = re.compile(r"-?\d+(?:[.,]\d+)?")
_COMMA_GROUPS = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_POINT_GROUPS = re.compile(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_MONEY_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'’")
_CURRENCY = re.compile(r"(?i)(руб\.?|р\.|₽|rub|\$|€|usd|eur)")
_TRUE = frozenset({"1", "yes", "y", "true", "да", "д", "истина", "+", "on", "t"})
_FALSE = frozenset({"0", "no", "n", "false", "нет", "н", "ложь", "-", "off", "f"})
_BOOLS = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
SHOWN = 60  # characters of a bad value quoted in its message


def _quoted(cell: Any) -> str:
    text = str(cell)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def to_text(cell: Any) -> str | None:
    """Text, trimmed; an Excel number as a person reads it (a phone 79031234567, not 7.9e10)."""
    if type(cell) is str:  # a CSV cell: the common case, first
        return cell.strip() or None
    if cell is None:
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell).strip()
    return text or None


def to_int(cell: Any) -> int | None:
    """A whole number."""
    if type(cell) is str and cell.isascii() and cell.isdigit():
        return int(cell)  # the common case, fast
    if cell is None or cell == "":
        return None
    if isinstance(cell, bool):
        raise BadValue("value.not_int", value=_quoted(cell))
    if isinstance(cell, int):
        return cell
    text = to_text(cell)
    if text is None:
        return None
    try:
        number = to_money(text)
    except BadValue:
        raise BadValue("value.not_int", value=_quoted(cell)) from None
    if number is None or not float(number).is_integer():
        raise BadValue("value.not_int", value=_quoted(cell))
    return int(number)


def to_money(cell: Any) -> float | None:
    """An amount: spaces between thousands, a comma or a point before the kopecks."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise BadValue("value.not_money", value=_quoted(cell))
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip()
    if not text:
        return None
    if _PLAIN_NUMBER.fullmatch(text):
        return float(text)
    plain = text.translate(_MONEY_SPACES)
    if not _ONE_MARK.fullmatch(plain):
        plain = _CURRENCY.sub("", plain)
    if _ONE_MARK.fullmatch(plain):  # one comma or point: the decimal mark (1234,50)
        return float(plain.replace(",", "."))
    if _COMMA_GROUPS.fullmatch(plain):  # 1,234,567.50
        return float(plain.replace(",", ""))
    if _POINT_GROUPS.fullmatch(plain):  # 1.234.567,50
        return float(plain.replace(".", "").replace(",", "."))
    raise BadValue("value.not_money", value=_quoted(cell))


def to_bool(cell: Any) -> bool | None:
    """Yes or no, in English or Russian words or as 1 and 0."""
    if type(cell) is str:
        value = _BOOLS.get(cell.strip().lower())
        if value is not None:
            return value
    if cell is None:
        return None
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int | float) and cell in (0, 1):
        return bool(cell)
    text = str(cell).strip().lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise BadValue("value.not_bool", value=_quoted(cell))


def to_datetime(cell: Any) -> str | None:
    """A moment, stored as SQLite text ``YYYY-MM-DD HH:MM:SS.ffffff`` (SQLAlchemy's form)."""
    if type(cell) is str:  # a CSV cell: each distinct day and time of day is read once, then looked up
        day, _, clock = cell.strip().partition(" ")
        iso_day, iso_clock = _DAYS.get(day), _CLOCKS.get(clock)
        if iso_day is None and len(_DAYS) < CACHE_LIMIT and _DAY.fullmatch(day):
            iso_day = _remember(_DAYS, day, lambda: _moment(day).date().isoformat())
        if iso_clock is None and len(_CLOCKS) < CACHE_LIMIT and _CLOCK.fullmatch(clock):
            iso_clock = _remember(_CLOCKS, clock, lambda: _moment(f"2000-01-01 {clock}").time().isoformat(
                timespec="microseconds"))
        if iso_day is not None and iso_clock is not None:
            return f"{iso_day} {iso_clock}"
    moment = _moment(cell)
    return None if moment is None else moment.isoformat(sep=" ", timespec="microseconds")


def to_date(cell: Any) -> str | None:
    """A day, stored as ``YYYY-MM-DD``; a time of day after it is dropped."""
    moment = _moment(cell, "value.not_date")
    return None if moment is None else moment.date().isoformat()


def _moment(cell: Any, code: str = "value.not_datetime") -> datetime | None:
    if cell is None:
        return None
    if isinstance(cell, datetime):
        return cell.replace(tzinfo=None)
    if isinstance(cell, date):
        return datetime(cell.year, cell.month, cell.day)
    text = str(cell).strip()
    if not text:
        return None
    try:
        found = _DOTTED.fullmatch(text)
        if found:
            day, month, year, hour, minute, second = found.groups()
            return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
        if len(text) >= 10 and text[4] == "-" and text[7] == "-":
            return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        pass
    raise BadValue(code, value=_quoted(cell))


def _remember(cache: dict[str, str], key: str, read: Callable[[], str]) -> str | None:
    try:
        cache[key] = read()
    except BadValue:
        return None
    return cache[key]


_DAY = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"(?:\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?")
CACHE_LIMIT = 200_000  # distinct days and times of day remembered (a few MB)
_DAYS: dict[str, str] = {}
_CLOCKS: dict[str, str] = {"": "00:00:00.000000"}


PARSERS: dict[str, Callable[[Any], Any]] = {
    "int": to_int, "money": to_money, "bool": to_bool, "datetime": to_datetime, "date": to_date, "text": to_text,
}


def _fast_text(cells: tuple) -> list[Any] | None:
    return [c.strip() or None for c in cells]


def _fast_bool(cells: tuple) -> list[Any] | None:
    values = list(map(_BOOLS.get, cells))
    return None if None in values else values


def _fast_number(convert: Callable[[str], Any]) -> Callable[[tuple], list[Any] | None]:
    def fast(cells: tuple) -> list[Any] | None:
        try:
            values = list(map(convert, cells))
        except ValueError:
            return None
        return values if all(map(math.isfinite, values)) else None
    return fast


# A column of CSV text read in one go when every cell is plain (1234, 12.5, да): Python's own int and
# float in a C loop; any other cell sends the column cell by cell through PARSERS.
_FAST: dict[str, Callable[[tuple], list[Any] | None]] = {
    "text": _fast_text, "bool": _fast_bool, "int": _fast_number(int), "money": _fast_number(float)}


def parse_column(cells: tuple, kind: str, text: bool) -> tuple[list[Any], list[tuple[int, Text]]]:
    """A column of cells read as ``kind``: its values (None for empty or bad cells) and, per bad
    cell, its position and what is wrong. ``text``: every cell is a ``str`` (a CSV file)."""
    fast = _FAST.get(kind) if text else None
    values = fast(cells) if fast is not None else None
    if values is not None:
        return values, []
    parse = PARSERS[kind]
    try:
        return list(map(parse, cells)), []
    except BadValue:
        pass
    values, errors = [], []
    for position, cell in enumerate(cells):
        try:
            values.append(parse(cell))
        except BadValue as exc:
            values.append(None)
            errors.append((position, exc.text))
    return values, errors
