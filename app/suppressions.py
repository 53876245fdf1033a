"""The suppression list as the command line and the window use it: list, add, remove, import and
export (CSV), on the CRM where the engine keeps it.

Every address is checked before anything is written: an email must look like one, a phone must
be digits (with +, spaces, dashes or brackets). An import writes its good lines and names each bad
one by its line number; nothing is written for a bad line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from connectors.crm import Crm
from connectors.texts import Text
from connectors.unsubscribe import looks_like_token, read_token, unsubscribe_key
from engine.state import ensure_schema
from engine.suppression import CHANNELS, MAX_ADDRESS, Suppressed, entries, suppress, unsuppress

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")  # as the condition is_valid_email reads one
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{4,30}$")
CSV_COLUMNS = ("channel", "address", "reason", "source", "at")


class SuppressionError(ValueError):
    """An address or a file that cannot go on the list; ``text`` says why, in words."""

    def __init__(self, text: Text):
        super().__init__(text.code)
        self.text = text


@dataclass
class ImportReport:
    """What an import did.

    Attributes:
        added: Addresses put on the list.
        already: Addresses that were on it already.
        bad: (line number, why) of each line that changed nothing.
    """

    added: int = 0
    already: int = 0
    bad: list[tuple[int, Text]] = field(default_factory=list)


def check_address(channel: str, address: str) -> str:
    """The address, trimmed, when it fits the channel.

    Raises:
        SuppressionError: an unknown channel, or an address that is no email (or phone) address.
    """
    if channel not in CHANNELS:
        raise SuppressionError(Text("suppress.channel", {"channel": channel, "channels": ", ".join(CHANNELS)}))
    value = address.strip()
    fits = EMAIL.match(value) if channel == "email" else PHONE.match(value)
    if not value or len(value) > MAX_ADDRESS or not fits:
        raise SuppressionError(Text("suppress.address." + ("email" if channel == "email" else "phone"),
                                    {"address": value}))
    return value


def _write(crm: Crm, work: Callable) -> object:
    with crm.connect() as conn, conn.begin():
        ensure_schema(conn)
        return work(conn)


def list_suppressed(crm: Crm, channel: str | None = None, search: str = "") -> list[Suppressed]:
    """The list, newest first (only a channel's, only addresses containing ``search``)."""
    return _write(crm, lambda conn: entries(conn, channel, search))  # type: ignore[return-value]


def add_address(crm: Crm, channel: str, address: str, now: datetime, reason: str = "added by hand",
                source: str = "manual") -> bool:
    """Put one address on the list; returns False when it was there already.

    Raises:
        SuppressionError: the address does not fit the channel (nothing is written).
    """
    value = check_address(channel, address)
    return bool(_write(crm, lambda conn: suppress(conn, channel, value, reason, source, now)))


def remove_address(crm: Crm, channel: str, address: str) -> bool:
    """Take one address off the list; returns False when it was not on it."""
    return bool(_write(crm, lambda conn: unsuppress(conn, channel, address)))


def read_lines(text: str, channel: str | None) -> Iterable[tuple[int, str, str, str]]:
    """(line, channel, address, reason) of a CSV text: ``address`` alone, or with ``channel`` and
    ``reason`` columns named in a header (an exported file reads back)."""
    rows = list(csv.reader(io.StringIO(text)))
    header = [c.strip().lower() for c in rows[0]] if rows else []
    named = "address" in header
    for number, row in enumerate(rows, start=1):
        if (named and number == 1) or not any(cell.strip() for cell in row):
            continue
        if named:
            cells = dict(zip(header, row, strict=False))
            yield (number, (cells.get("channel") or channel or "email").strip(), cells.get("address", ""),
                   cells.get("reason") or "imported")
        else:
            yield number, channel or "email", row[0], (row[1] if len(row) > 1 else "") or "imported"


def import_csv(crm: Crm, text: str, now: datetime, channel: str | None = None, source: str = "import"
               ) -> ImportReport:
    """Put every address of a CSV text on the list; bad lines are named and change nothing.

    A line may also hold an unsubscribe token the shop's site collected (the ``{{ token }}`` of
    ``unsubscribe_url``): it is verified with the key that signed it and its address suppressed;
    a token that was altered, or signed with another key, is a bad line.
    """
    report = ImportReport()
    good: list[tuple[str, str, str, str]] = []
    key: list[str | None] = []  # read once, on the first token
    for number, chan, address, reason in read_lines(text, channel):
        if looks_like_token(address):
            if not key:
                key.append(unsubscribe_key())
            found = read_token(key[0], address) if key[0] else None
            if found is None:
                report.bad.append((number, Text("suppress.token" if key[0] else "suppress.no_key")))
                continue
            good.append((found[0], found[1], f"unsubscribed (one-click, customer {found[2]})", "unsubscribe"))
            continue
        try:
            good.append((chan, check_address(chan, address), reason.strip(), source))
        except SuppressionError as exc:
            report.bad.append((number, exc.text))

    def work(conn: object) -> None:
        for chan, address, reason, origin in good:
            if suppress(conn, chan, address, reason, origin, now):  # type: ignore[arg-type]
                report.added += 1
            else:
                report.already += 1

    _write(crm, work)
    return report


def export_csv(crm: Crm, path: str | Path, channel: str | None = None, search: str = "") -> int:
    """Write the list (or a channel's, or the addresses containing ``search``) as CSV; returns the rows.

    Raises:
        OSError: the file cannot be written.
    """
    found = list_suppressed(crm, channel, search)
    with Path(path).open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for entry in found:
            writer.writerow(entry.to_json())
    return len(found)
