"""Delivery benchmark: queueing messages, then sending them to loopback servers that take 50 ms a message.

    .venv/bin/python bench/bench_delivery.py [--customers 50000] [--send 20000] [--delay 0.05]
        [--connections 16] [--before-code DIR --before-send 400]

Queues one email for every subscribed customer of a demo CRM (SQLite), keeps ``--send`` of them
pending, and sends them to an aiosmtpd server whose handler waits ``--delay`` seconds per message
(concurrently across connections, as a real provider), then the same messages again to a
loopback HTTP/1.1 server (keep-alive) that waits as long before it answers. The servers run in
this process; each dispatch runs in a child process (``--step``) with the code of a checkout, so
that the code before a change (``--before-code``, with its defaults: one connection) and after it
are measured side by side in one run. Prints a Markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = datetime(2026, 6, 1, 9, 0)
SENT_AT = datetime(2026, 6, 1, 10, 0)


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


# --- the servers (in this process) -----------------------------------------------------------

class SlowSink:
    """aiosmtpd handler: each message after ``delay`` seconds, sessions in parallel."""

    def __init__(self, delay: float) -> None:
        self.delay, self.received, self.ids = delay, 0, set()

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        self.received += 1
        self.ids.add(_message_id(envelope.content))
        return "250 OK"


def _message_id(content: bytes) -> str:
    for line in content.split(b"\r\n"):
        if line.lower().startswith(b"message-id:"):
            return line.split(b":", 1)[1].strip().decode()
    return ""


def slow_web(delay: float) -> tuple[ThreadingHTTPServer, dict]:
    """A loopback HTTP/1.1 server (keep-alive) that waits ``delay`` seconds before each answer."""
    seen: dict = {"requests": 0, "keys": set(), "connections": 0}
    guard = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            with guard:
                seen["connections"] += 1

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            time.sleep(delay)
            with guard:
                seen["requests"] += 1
                seen["keys"].add(self.headers.get("Idempotency-Key"))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        request_queue_size = 128  # all the connections may knock at once
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


# --- one dispatch (in a child process, with the code of a checkout) --------------------------

def step_send(url: str, kind: str, port: int, connections: int) -> dict:
    """Send every pending message through one channel; the figures as a dict."""
    import inspect

    from connectors.channels import SmtpChannel, WebhookChannel
    from engine.dispatch import deliver

    def options(cls: type) -> dict:
        has = "connections" in inspect.signature(cls).parameters
        return {"connections": connections} if has else {}

    if kind == "smtp":
        channel = SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>", security="none", **options(SmtpChannel))
    else:
        channel = WebhookChannel(f"http://127.0.0.1:{port}/send", **options(WebhookChannel))
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    started = time.perf_counter()
    report = deliver(engine, {"email": channel}, SENT_AT)
    seconds = time.perf_counter() - started
    with engine.connect() as conn:
        errors = conn.execute(sa.text("SELECT error, COUNT(*) FROM scenarist_outbox WHERE error IS NOT NULL "
                                      "AND status <> 'held' GROUP BY error ORDER BY 2 DESC LIMIT 3")).all()
    engine.dispose()
    return {"sent": report.counts["sent"], "seconds": seconds, "errors": [list(e) for e in errors],
            "connections": getattr(channel, "connections", 1), "counts": dict(report.counts),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _reset(url: str, n: int) -> None:
    """The first ``n`` messages pending again, the rest held back."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE scenarist_outbox SET status = 'held' WHERE status <> 'held'"))
        conn.execute(sa.text("UPDATE scenarist_outbox SET status = 'pending', attempts = 0, error = NULL, "
                             "sent_at = NULL, next_attempt_at = NULL WHERE id IN "
                             "(SELECT id FROM scenarist_outbox ORDER BY id LIMIT :n)"), {"n": n})
    engine.dispose()


def _child(code: Path, url: str, kind: str, port: int, connections: int) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--step", "--code", str(code), "--url", url,
           "--kind", kind, "--port", str(port), "--connections", str(connections)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=code)
    if proc.returncode != 0:
        raise SystemExit(f"dispatch failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _queue(customers: int) -> tuple[str, int, float]:
    from connectors.crm import Crm
    from connectors.demo_crm import build_demo_crm
    from engine.runner import tick
    from engine.scenario import from_dict

    folder = Path(tempfile.mkdtemp(prefix="scenarist-bench-"))
    url = f"sqlite:///{folder / 'crm.db'}"
    build_demo_crm(url, customers=customers, seed=3, as_of=AS_OF)
    crm = Crm.open(url)
    started = time.perf_counter()
    result = tick(from_dict(everyone_gets_mail()), crm, datetime(2026, 6, 1, 10, 0).astimezone())
    seconds = time.perf_counter() - started
    crm.dispose()
    return url, result.counts["queued"], seconds


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--send", type=int, default=20_000)
    parser.add_argument("--delay", type=float, default=0.05)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--before-code", type=Path, help="a checkout of the code before, measured alike")
    parser.add_argument("--before-send", type=int, default=400, help="messages for the code before (slow)")
    parser.add_argument("--step", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--code", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    if args.step:
        print(json.dumps(step_send(args.url, args.kind, args.port, args.connections)))
        return
    from aiosmtpd.controller import Controller

    from tests.test_delivery import free_port

    url, queued, queue_seconds = _queue(args.customers)
    sink = SlowSink(args.delay)
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    web, seen = slow_web(args.delay)
    runs = []
    if args.before_code:
        runs += [("before", args.before_code, kind, 1, args.before_send) for kind in ("smtp", "webhook")]
    runs += [("after", ROOT, kind, args.connections, args.send) for kind in ("smtp", "webhook")]
    rows = []
    for label, code, kind, connections, n in runs:
        _reset(url, n)
        received, requests = sink.received, seen["requests"]
        port = controller.port if kind == "smtp" else web.server_address[1]
        figures = _child(code, url, kind, port, connections)
        got = sink.received - received if kind == "smtp" else seen["requests"] - requests
        rows.append((label, kind, figures, got))
        print(f"{label} {kind}: {figures}", file=sys.stderr, flush=True)
    controller.stop()
    web.shutdown()
    load = os.getloadavg()[0]
    print(f"Load average before the run: {load:.2f} (nproc {os.cpu_count()}).\n")
    print("| measure | figure | target | result |\n|---|---|---|---|")
    print(f"| entry, render and queue ({args.customers:,} customers, SQLite) | {queued:,} messages in "
          f"{queue_seconds:.2f} s = {queued / queue_seconds:,.0f} msg/s | >= 5,000 msg/s | "
          f"{'PASS' if queued / queue_seconds >= 5000 else 'FAIL'} |")
    for label, kind, f, got in rows:
        rate = f["sent"] / f["seconds"]
        server = "aiosmtpd" if kind == "smtp" else "HTTP/1.1 keep-alive"
        verdict = "n/a" if label == "before" else ("PASS" if rate >= 200 else "FAIL")
        print(f"| {label}: {kind} to loopback {server}, {args.delay * 1000:.0f} ms a message, "
              f"{f['connections']} connection(s) | {f['sent']:,} sent in {f['seconds']:.1f} s = {rate:,.0f} msg/s "
              f"(server got {got:,}; peak RSS {f['peak_rss_mb']:.0f} MB) | >= 200 msg/s | {verdict} |")
    print(f"\nDistinct Message-IDs received {len(sink.ids):,}, distinct Idempotency-Keys {len(seen['keys']):,}, "
          f"HTTP connections opened {seen['connections']:,}.")


if __name__ == "__main__":
    main()
