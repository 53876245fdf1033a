"""Reading a shop's exported tables: CSV (any encoding and delimiter a Russian or English export
uses) and Excel ``.xlsx``, row by row with the line a person sees in the file.

CSV: the encoding is UTF-8 (with or without a BOM), UTF-16 with a BOM (Excel's "Unicode text") or
Windows-1251, told apart by the BOM and by whether the head of the file is valid UTF-8; the
delimiter is the one of ``,`` ``;`` and tab that splits the first lines into the same, largest
number of fields. Excel: the first sheet, its first row the
headers; cells keep their types (dates, numbers), which the value parsers accept as they are.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from connectors.texts import TextError

SAMPLE_BYTES = 1 << 20  # the head of a CSV file that decides its encoding and delimiter
DELIMITERS = (";", ",", "\t")  # in this order of preference when the first lines cannot tell
SNIFF_LINES = 20
SAMPLE_ROWS = 5
# A field of a CSV may be long (an address, a comment), never this long in an export.
csv.field_size_limit(16 << 20)


class TableFileError(TextError):
    """An exported table that cannot be read at all (missing, empty, not CSV nor Excel)."""


@dataclass
class TableFile:
    """An exported table: what was detected, its headers and its first rows.

    Attributes:
        path: The file.
        kind: ``csv`` or ``xlsx``.
        encoding: The detected encoding (``utf-8``, ``utf-8-sig`` with a BOM, ``cp1251``); None for Excel.
        delimiter: The detected delimiter; None for Excel.
        headers: The first row, trimmed.
        sample: Up to five rows after the headers, as text.
    """

    path: Path
    kind: str
    encoding: str | None = None
    delimiter: str | None = None
    headers: list[str] = field(default_factory=list)
    sample: list[list[str]] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, list[Any], float]]:
        """Every row after the headers: its line in the file (the headers are line 1), its cells
        and how much of the file has been read (0 to 1). Blank lines are left out.

        Raises:
            TableFileError: the file stops being readable in its encoding or as Excel.
        """
        rows = self._all_rows()
        next(rows, None)  # the headers
        yield from rows

    def _all_rows(self) -> Iterator[tuple[int, list[Any], float]]:
        if self.kind == "xlsx":
            return _xlsx_rows(self.path)
        return _csv_rows(self.path, self.encoding or "utf-8", self.delimiter or ",")


def open_table(path: str | Path) -> TableFile:
    """Detect a table file's kind, encoding and delimiter, and read its headers and first rows.

    Raises:
        TableFileError: the file is missing, empty, or neither CSV nor Excel.
    """
    path = Path(path).expanduser()
    if not path.is_file():
        raise TableFileError("table.no_file", path=str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = TableFile(path, "xlsx")
    elif path.suffix.lower() in (".xls", ".ods", ".numbers"):
        raise TableFileError("table.old_excel", path=str(path))
    else:
        head = _head(path)
        encoding = detect_encoding(head)
        text = head.decode(encoding, errors="replace")
        table = TableFile(path, "csv", encoding, detect_delimiter(text))
    rows = table._all_rows()
    first = next(rows, None)
    if first is None:
        raise TableFileError("table.empty", path=str(path))
    table.headers = [_header(cell) for cell in first[1]]
    for _line, cells, _done in rows:
        table.sample.append([as_text(cell) for cell in cells])
        if len(table.sample) == SAMPLE_ROWS:
            break
    rows.close()
    return table


def detect_encoding(head: bytes) -> str:
    """``utf-8-sig`` for a BOM, ``utf-16`` for Excel's "Unicode text", ``utf-8`` when the head decodes
    as UTF-8, else ``cp1251``."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)  # a character cut at the end is fine
    except UnicodeDecodeError:
        return "cp1251"
    return "utf-8"


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number of fields, the most of them."""
    lines = text.splitlines()[:SNIFF_LINES]
    if len(lines) > 1 and len(text) >= SAMPLE_BYTES - 4:
        lines = lines[:-1]  # the head may end in the middle of a line
    best, best_score = DELIMITERS[0], (False, 0)
    for delimiter in DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=delimiter) if r]
        if not counts:
            continue
        score = (len(set(counts)) == 1 and counts[0] > 1, counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def as_text(cell: Any) -> str:
    """A cell as a person would read it (an Excel number 5.0 as 5, a date as ISO)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "isoformat"):
        return cell.isoformat(sep=" ") if hasattr(cell, "hour") else cell.isoformat()
    return str(cell)


def _header(cell: Any) -> str:
    return as_text(cell).strip().lstrip("\ufeff").strip()


def _head(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(SAMPLE_BYTES)


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, list[Any], float]]:
    size = max(path.stat().st_size, 1)
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        reader = csv.reader(text, delimiter=delimiter)
        start, done = 1, 0.0  # a quoted value may span lines: a row is named by the line where it starts
        try:
            for cells in reader:
                if cells and (cells[0] or any(cells)):  # a line of empty cells (;;;) is blank too
                    if not start & 1023:  # asking the file where it is costs as much as reading a row
                        done = raw.tell() / size
                    yield start, cells, done
                start = reader.line_num + 1
        except UnicodeDecodeError as exc:
            raise TableFileError("table.bad_encoding", path=str(path), line=_undecodable_line(path, encoding),
                                 encoding=encoding) from exc
        except csv.Error as exc:
            raise TableFileError("table.bad_csv", path=str(path), line=reader.line_num, reason=str(exc)) from exc


def _undecodable_line(path: Path, encoding: str) -> int:
    """The line of the first byte that ``encoding`` cannot read (the reader decodes ahead of its rows)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    with path.open("rb") as f:
        while chunk := f.read(1 << 16):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return line + chunk.count(b"\n", 0, max(exc.start, 0))
            line += chunk.count(b"\n")
    return line


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[Any], float]]:
    import zipfile

    import openpyxl  # only an Excel import pays for loading it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableFileError("table.bad_xlsx", path=str(path)) from exc
    try:
        sheet = book.worksheets[0]
        total = max(sheet.max_row or 1, 1)
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if any(c is not None and c != "" for c in cells):
                yield number, list(cells), min(number / total, 1.0)
    finally:
        book.close()
