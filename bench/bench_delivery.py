"""Delivery benchmark: rendering and queueing messages, then sending them to a loopback SMTP server.

    .venv/bin/python bench/bench_delivery.py [--customers 50000] [--send 5000]

Targets (issue 4): rendering and queueing at least 5,000 messages per second; SMTP delivery over
one reused connection is reported. Prints a Markdown table to add to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import time
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from aiosmtpd.controller import Controller

from connectors.channels import SmtpChannel
from connectors.crm import Crm
from connectors.demo_crm import build_demo_crm
from engine.dispatch import deliver
from engine.runner import tick
from engine.scenario import from_dict

AS_OF = datetime(2026, 6, 1, 9, 0)


def everyone_gets_mail() -> dict:
    """Every subscribed customer with a valid address gets one personalised email."""
    return {
        "format": "scenarist.scenario", "version": 1, "name": "Newsletter",
        "settings": {"timezone": "Europe/Moscow", "reentry_days": None},
        "nodes": [
            {"id": "start", "type": "trigger", "params": {"kind": "schedule", "at": "10:00"}},
            {"id": "mail", "type": "message", "params": {
                "channel": "email", "subject": "{{ customer.first_name }}, news for you",
                "body": "Hello, {{ customer.first_name }}! You have {{ orders.count }} orders "
                        "worth {{ orders.total }} and {{ customer.bonus_points }} points.\n"}},
        ],
        "edges": [{"source": "start", "port": "out", "target": "mail"}],
    }


class Sink:
    received = 0

    async def handle_DATA(self, server, session, envelope):
        Sink.received += 1
        return "250 OK"


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--send", type=int, default=5_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="scenarist-bench-"))
    url = f"sqlite:///{folder / 'crm.db'}"
    build_demo_crm(url, customers=args.customers, seed=3, as_of=AS_OF)
    crm = Crm.open(url)
    started = time.perf_counter()
    result = tick(from_dict(everyone_gets_mail()), crm, datetime(2026, 6, 1, 10, 0).astimezone())
    queue_seconds = time.perf_counter() - started
    queued = result.counts["queued"]
    with crm.engine.begin() as conn:  # deliver only the first --send pending messages
        conn.execute(sa.text("UPDATE scenarist_outbox SET status = 'held' WHERE status = 'pending' AND id NOT IN "
                             "(SELECT id FROM scenarist_outbox WHERE status = 'pending' ORDER BY id LIMIT :n)"),
                     {"n": args.send})
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    started = time.perf_counter()
    report = deliver(crm.engine, {"email": SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>",
                                                       security="none")}, datetime(2026, 6, 1, 10, 0))
    send_seconds = time.perf_counter() - started
    controller.stop()
    crm.dispose()
    sent = report.counts["sent"]
    print("| measure | figure | target | result |\n|---|---|---|---|")
    print(f"| entry, render and queue ({args.customers:,} customers, SQLite) | {queued:,} messages in "
          f"{queue_seconds:.2f} s = {queued / queue_seconds:,.0f} msg/s | >= 5,000 msg/s | "
          f"{'PASS' if queued / queue_seconds >= 5000 else 'FAIL'} |")
    print(f"| delivery to loopback SMTP (aiosmtpd), one connection | {sent:,} sent in {send_seconds:.2f} s = "
          f"{sent / send_seconds:,.0f} msg/s (received {Sink.received:,}) | reported | - |")


if __name__ == "__main__":
    main()
