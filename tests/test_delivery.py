"""Delivery against real servers on loopback: aiosmtpd for email, an HTTP server for webhooks."""

from __future__ import annotations

import email
import json
import socket
import threading
import time
from datetime import timedelta
from email import policy as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from aiosmtpd.controller import Controller

from connectors.channels import FileChannel, SmtpChannel, WebhookChannel, message_id
from connectors.crm import Crm
from engine.dispatch import DeliveryPolicy, deliver
from engine.runner import tick
from engine.scenario import from_dict
from tests.helpers import REACTIVATION, make_crm, reactivation, rows
from tests.test_engine import day, naive, points_scenario

PEOPLE = [
    {"id": 1, "email": "oneil@example.com", "first_name": 'Bob "The Builder" O\'Neil'},
    {"id": 2, "email": "yozhik@example.ru", "first_name": "Ёжик"},
    {"id": 3, "email": "zoe@example.com", "first_name": "Zoë"},
    {"id": 4, "email": "quiet@example.com", "first_name": "Quiet", "email_subscribed": False},
]
OLD_ORDERS = [{"customer_id": c["id"], "created_at": naive(-300)} for c in PEOPLE]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it receives; it can fail or hang up on cue."""

    def __init__(self, fail_every: int = 0, hang_up_at: int = 0):
        self.received: list[email.message.EmailMessage] = []
        self.fail_every, self.hang_up_at, self.calls = fail_every, hang_up_at, 0

    async def handle_DATA(self, server, session, envelope):
        self.calls += 1
        if self.fail_every and self.calls % self.fail_every == 0:
            return "451 4.3.0 try again later"
        self.received.append(email.message_from_bytes(envelope.content, policy=email_policy.default))
        if self.calls == self.hang_up_at:
            server.transport.close()  # took the message, never says so
        return "250 OK"


@pytest.fixture
def smtp_server():
    servers = []

    def start(**kwargs):
        inbox = Inbox(**kwargs)
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
        controller.start()
        servers.append(controller)
        return inbox, controller.port

    yield start
    for controller in servers:
        controller.stop()


def smtp(port: int) -> dict:
    return {"email": SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>", security="none",
                                 reply_to="help@shop.example", unsubscribe="mailto:unsubscribe@shop.example")}


def test_one_email_per_entrant_personalised_and_never_twice(crm_url, smtp_server):
    inbox, port = smtp_server()
    make_crm(crm_url, PEOPLE, OLD_ORDERS)
    crm = Crm.open(crm_url)
    scenario = from_dict(reactivation())
    tick(scenario, crm, day(0))
    report = deliver(crm.engine, smtp(port), naive(0, 10))
    assert report.counts["sent"] == 3 and len(inbox.received) == 3
    by_to = {m["To"]: m for m in inbox.received}
    bob = by_to["oneil@example.com"]
    assert bob["Subject"] == 'Bob "The Builder" O\'Neil, we miss you'
    assert by_to["yozhik@example.ru"]["Subject"] == "Ёжик, we miss you"
    assert "Hello, Zoë!" in by_to["zoe@example.com"].get_body(("plain",)).get_content()
    assert "Hello, Ёжик!" in by_to["yozhik@example.ru"].get_body(("html",)).get_content()
    key = rows(crm_url, "SELECT idempotency_key FROM scenarist_outbox WHERE customer_id = 1")[0][0]
    assert bob["Message-ID"] == message_id(key, "shop.example")
    assert bob["List-Unsubscribe"] == "<mailto:unsubscribe@shop.example>"
    assert bob["Reply-To"] == "help@shop.example"
    tick(scenario, crm, day(0))
    again = deliver(crm.engine, smtp(port), naive(0, 11))
    crm.dispose()
    assert sum(again.counts.values()) == 0 and len(inbox.received) == 3
    assert rows(crm_url, "SELECT status, count(*) FROM scenarist_outbox GROUP BY status") == [("sent", 3)]


def test_flaky_server_and_a_dropped_line_deliver_once_or_say_unknown(sqlite_url, smtp_server):
    inbox, port = smtp_server(fail_every=3, hang_up_at=5)
    people = [{"id": i, "email": f"c{i}@example.com", "first_name": f"C{i}"} for i in range(1, 21)]
    make_crm(sqlite_url, people, [{"customer_id": i, "created_at": naive(-300)} for i in range(1, 21)])
    crm = Crm.open(sqlite_url)
    tick(from_dict(reactivation()), crm, day(0))
    for hour in range(10):
        deliver(crm.engine, smtp(port), naive(0, 10) + timedelta(hours=hour), DeliveryPolicy(backoff_seconds=60))
    crm.dispose()
    ids = [m["Message-ID"] for m in inbox.received]
    assert len(ids) == len(set(ids)), "a message was received twice"
    states = rows(sqlite_url, "SELECT idempotency_key, status FROM scenarist_outbox")
    sent = {message_id(k, "shop.example") for k, s in states if s == "sent"}
    unknown = {message_id(k, "shop.example") for k, s in states if s == "unknown"}
    assert {s for _, s in states} <= {"sent", "unknown"} and len(states) == 20
    assert sent <= set(ids) and len(unknown) == 1  # the one whose reply never came
    assert set(ids) == sent | unknown


class Gateway(BaseHTTPRequestHandler):
    script: ClassVar[list] = []
    seen: ClassVar[list] = []

    def do_POST(self):
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Gateway.seen.append((self.headers["Idempotency-Key"], payload))
        code = Gateway.script.pop(0) if Gateway.script else 200
        if code == "slow":
            time.sleep(1.5)
            code = 200
        self.send_response(code)
        if code == 429:
            self.send_header("Retry-After", "120")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Gateway.script, Gateway.seen = [], []
    yield f"http://127.0.0.1:{server.server_address[1]}/send"
    server.shutdown()


def sms_setup(url: str, people: list[dict]) -> Crm:
    make_crm(url, people, [])
    data = points_scenario()
    data["nodes"] = [*data["nodes"][:2], {"id": "gift", "type": "message", "params": {
        "channel": "sms", "body": "{{ customer.first_name }}, \"скидка\" 10% для вас"}}]
    data["edges"] = data["edges"][:2]
    crm = Crm.open(url)
    tick(from_dict(data), crm, day(0))
    return crm


def test_webhook_retries_with_the_same_key_until_it_goes_through(sqlite_url, gateway):
    crm = sms_setup(sqlite_url, [{"id": 1, "email": "a@example.com", "first_name": "Анна",
                                  "phone": "+79001234567", "sms_subscribed": True}])
    Gateway.script = [429, 500, "slow", 200]
    channels = {"sms": WebhookChannel(gateway, timeout=0.5)}
    statuses = []
    for minutes in (0, 1, 3, 10, 30):
        deliver(crm.engine, {"sms": WebhookChannel(gateway, timeout=0.5)} if minutes else channels,
                naive(0, 10) + timedelta(minutes=minutes), DeliveryPolicy(backoff_seconds=30))
        statuses.append(rows(sqlite_url, "SELECT status, attempts FROM scenarist_outbox")[0])
    crm.dispose()
    assert statuses[0] == ("pending", 1)  # 429 asked for 120 s: not retried at minute 1
    assert statuses[1] == ("pending", 1)
    assert statuses[-1] == ("sent", 4)
    keys = {k for k, _ in Gateway.seen}
    assert len(Gateway.seen) == 4 and len(keys) == 1
    assert Gateway.seen[-1][1] == {"to": "+79001234567", "text": 'Анна, "скидка" 10% для вас'}


def test_webhook_client_error_fails_without_retry_and_auth_stops(sqlite_url, gateway):
    crm = sms_setup(sqlite_url, [
        {"id": 1, "email": "a@example.com", "phone": "+7900", "sms_subscribed": True},
        {"id": 2, "email": "b@example.com", "phone": "+7901", "sms_subscribed": True}])
    Gateway.script = [400, 401]
    report = deliver(crm.engine, {"sms": WebhookChannel(gateway)}, naive(0, 10))
    assert report.counts["failed"] == 1 and "HTTP 401" in report.stopped["sms"]
    got = rows(sqlite_url, "SELECT customer_id, status, attempts, error FROM scenarist_outbox ORDER BY customer_id")
    assert got == [(1, "failed", 1, "HTTP 400 Bad Request"), (2, "pending", 0, "HTTP 401 Unauthorized")]
    later = deliver(crm.engine, {"sms": WebhookChannel(gateway)}, naive(0, 11))
    crm.dispose()
    assert later.counts["sent"] == 1 and len(Gateway.seen) == 3


def test_interrupted_send_becomes_unknown_and_is_not_resent(sqlite_url, tmp_path):
    crm = sms_setup(sqlite_url, [{"id": 1, "email": "a@example.com", "phone": "+7900", "sms_subscribed": True}])
    crm.engine.dispose()
    from tests.helpers import engine_for

    eng = engine_for(sqlite_url)
    with eng.begin() as conn:  # what a process killed after claiming the row leaves behind
        conn.exec_driver_sql("UPDATE scenarist_outbox SET status = 'sending', attempts = 1")
    eng.dispose()
    report = deliver(crm.engine, {"sms": FileChannel(tmp_path / "out", format="jsonl")}, naive(0, 10))
    crm.dispose()
    assert len(report.unknown) == 1 and not (tmp_path / "out").exists()
    assert rows(sqlite_url, "SELECT status FROM scenarist_outbox") == [("unknown",)]


def test_file_channel_writes_eml(sqlite_url, tmp_path):
    make_crm(sqlite_url, PEOPLE, OLD_ORDERS)
    crm = Crm.open(sqlite_url)
    tick(from_dict(reactivation()), crm, day(0))
    deliver(crm.engine, {"email": FileChannel(tmp_path / "mail")}, naive(0, 10))
    crm.dispose()
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 3
    subjects = {email.message_from_bytes(f.read_bytes(), policy=email_policy.default)["Subject"] for f in files}
    assert "Ёжик, we miss you" in subjects


def test_run_delivers_through_the_settings_file(sqlite_url, tmp_path, smtp_server):
    from tests.test_cli import cli

    inbox, port = smtp_server()
    make_crm(sqlite_url, PEOPLE, OLD_ORDERS)
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[delivery]\nmax_attempts = 3\n\n[channels.email]\nkind = "smtp"\nhost = "127.0.0.1"\n'
                        f'port = {port}\nsecurity = "none"\nfrom = "Shop <news@shop.example>"\n', encoding="utf-8")
    scenario = str(REACTIVATION)
    done = cli("run", scenario, "--crm", sqlite_url, "--at", "2026-03-02T10:00", "--settings", str(settings), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["delivery"]["sent"] == 3 and len(inbox.received) == 3
    again = cli("run", scenario, "--crm", sqlite_url, "--at", "2026-03-02T10:00", "--settings", str(settings), "--json")
    assert json.loads(again.stdout)["delivery"]["sent"] == 0 and len(inbox.received) == 3


def test_bad_settings_are_refused_before_anything_runs(sqlite_url, tmp_path):
    from tests.helpers import checksum
    from tests.test_cli import cli

    make_crm(sqlite_url, PEOPLE, OLD_ORDERS)
    before = checksum(sqlite_url)
    cases = {
        'channels.email]\n': "Expected",
        '[channels.email]\nkind = "smtp"\nhost = "h"\nfrom = "a@b.c"\npassword = "hunter2"\n':
            "'password' looks like a secret",
        '[channels.fax]\nkind = "file"\nfolder = "x"\n': "channels are named email, sms, webhook",
        '[channels.sms]\nkind = "webhook"\n': "'url' is required",
        '[frequency_cap]\nmessages = 0\ndays = 7\n': "[frequency_cap].messages: must be a whole number from 1 to 1000",
        '[frequency_cap]\nmessages = 2\n': "[frequency_cap]: needs exactly 'messages' and 'days'",
        '[shop]\ncurrency = ""\n': "[shop] currency must be a symbol or code of 1 to 8 characters",
        '[shop]\nmoney = "EUR"\n': "[shop] knows only currency, not 'money'",
    }
    for text, expected in cases.items():
        path = tmp_path / "settings.toml"
        path.write_text(text, encoding="utf-8")
        done = cli("run", str(REACTIVATION), "--crm", sqlite_url, "--settings", str(path))
        assert done.returncode == 2 and expected in done.stderr, (text, done.stderr)
    assert checksum(sqlite_url) == before


def test_rate_limit_paces_a_channel(sqlite_url, tmp_path):
    people = [{"id": i, "email": f"c{i}@example.com", "first_name": f"C{i}"} for i in range(1, 11)]
    make_crm(sqlite_url, people, [{"customer_id": i, "created_at": naive(-300)} for i in range(1, 11)])
    crm = Crm.open(sqlite_url)
    tick(from_dict(reactivation()), crm, day(0))
    started = time.monotonic()
    report = deliver(crm.engine, {"email": FileChannel(tmp_path / "mail", rate_per_second=40)}, naive(0, 10))
    elapsed = time.monotonic() - started
    crm.dispose()
    assert report.counts["sent"] == 10
    assert elapsed >= 9 / 40  # ten messages at 40 per second leave nine gaps of 25 ms
