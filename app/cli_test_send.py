"""``main.py test-send FILE NODE --crm URL --customer ID --to ADDRESS``: one message node sent to
yourself through the real channel, subject prefixed "[TEST]", nothing written to the CRM.

Exit codes: 0 the server accepted it; 1 it refused (its reason on stderr); 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any

from app.crm import open_crm
from app.settings import Settings
from app.test_send import TestSendRefused, send_test
from connectors.texts import words
from engine.scenario import load

BAD_INPUT, FAILURE = 2, 1


def add_parser(sub: Any) -> None:
    """The ``test-send`` command's arguments."""
    p = sub.add_parser("test-send", help="send one message node to yourself, rendered for a customer")
    p.add_argument("file")
    p.add_argument("node", help="the id of the message node")
    p.add_argument("--crm", required=True, help="SQLAlchemy URL without a password (only read)")
    p.add_argument("--customer", required=True, type=int, help="the id of the customer to render the message as")
    p.add_argument("--to", required=True, help="where the test goes (your email, or phone for SMS)")
    p.add_argument("--settings", help="settings file (TOML) with the channels (default: the user's)")


def run_test_send(args: argparse.Namespace, settings: Settings) -> int:
    """Send the test; returns the exit code."""
    scenario = load(args.file)
    with open_crm(args.crm, settings) as crm:
        try:
            sent = send_test(scenario, args.node, crm, settings, args.customer, args.to,
                             datetime.now().replace(microsecond=0))
        except TestSendRefused as exc:
            print(f"error: {words(exc.text)}", file=sys.stderr)
            return BAD_INPUT
    if not sent.accepted:
        print(f"refused: {sent.reason}", file=sys.stderr)
        return FAILURE
    print(f"sent to {args.to.strip()}: {sent.subject}")
    return 0
