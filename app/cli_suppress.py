"""``main.py suppress list|add|remove|import``: the suppression list from the command line.

Exit codes as the rest of the command line: 0 done, 2 bad input (an address that does not fit
its channel, a file with bad lines: the good ones are imported, each bad one is named by line).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from app.crm import open_crm
from app.settings import Settings
from app.suppressions import SuppressionError, add_address, import_csv, list_suppressed, remove_address
from connectors.texts import words
from engine.suppression import CHANNELS

BAD_INPUT = 2


def add_parser(sub: Any) -> None:
    """The ``suppress`` command's arguments."""
    p = sub.add_parser("suppress", help="the suppression list: addresses no scenario sends to")
    p.add_argument("action", choices=["list", "add", "remove", "import"])
    p.add_argument("target", nargs="?", default="",
                   help="the address (add, remove), a part of it to search for (list), or the CSV file (import)")
    p.add_argument("--crm", required=True, help="SQLAlchemy URL without a password")
    p.add_argument("--channel", choices=CHANNELS, help="email (default for add and remove), sms or webhook")
    p.add_argument("--reason", default="added by hand", help="why the address is on the list (add)")
    p.add_argument("--settings", help="settings file (TOML) with the column mapping and channels")
    p.add_argument("--json", action="store_true", help="print JSON (list)")


def run_suppress(args: argparse.Namespace, settings: Settings, now: datetime) -> int:
    """Run one ``suppress`` action; returns the exit code."""
    with open_crm(args.crm, settings, reflect=False) as crm:
        try:
            return _act(args, crm, settings, now)
        except SuppressionError as exc:
            print(f"error: {words(exc.text)}", file=sys.stderr)
            return BAD_INPUT


def _act(args: argparse.Namespace, crm: Any, settings: Settings, now: datetime) -> int:
    channel = args.channel
    if args.action == "list":
        found = list_suppressed(crm, channel, args.target)
        if args.json:
            print(json.dumps([e.to_json() for e in found], ensure_ascii=False))
        for entry in [] if args.json else found:
            print(f"{entry.channel}\t{entry.address}\t{entry.at:%Y-%m-%d %H:%M}\t{entry.source}\t{entry.reason}")
        return 0
    if args.action in ("add", "remove") and not args.target:
        print(f"error: suppress {args.action} needs the address", file=sys.stderr)
        return BAD_INPUT
    if args.action == "add":
        added = add_address(crm, channel or "email", args.target, now, reason=args.reason)
        print(f"{args.target.strip()} {'is now' if added else 'was already'} on the {channel or 'email'} list")
        return 0
    if args.action == "remove":
        gone = remove_address(crm, channel or "email", args.target)
        print(f"{args.target.strip()} {'is no longer' if gone else 'was not'} on the {channel or 'email'} list")
        return 0
    return _import(args, crm, settings, now)


def _import(args: argparse.Namespace, crm: Any, settings: Settings, now: datetime) -> int:
    path = Path(args.target)
    if not args.target or not path.is_file():
        print(f"error: suppress import needs a CSV file; {args.target!r} is not one", file=sys.stderr)
        return BAD_INPUT
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {path}: {exc}", file=sys.stderr)
        return BAD_INPUT
    report = import_csv(crm, text, now, args.channel, source=f"import {path.name}")
    print(f"added {report.added}, already on the list {report.already}, refused {len(report.bad)}")
    for line, why in report.bad:
        print(f"{path.name}, line {line}: {words(why)} (nothing changed for it)", file=sys.stderr)
    return BAD_INPUT if report.bad else 0
