"""Delivery when things go wrong (issue 18), each against real parts on loopback: HTTP servers
that redirect, stall or fail, SMTP servers (aiosmtpd, or a raw socket that never answers), a
folder that cannot be written, runners racing for one scenario, and settings with typos."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from app.settings import Settings, SettingsError, build_channels, load_settings
from connectors.channels import DeliveryError, FileChannel, OutgoingMessage, SmtpChannel, WebhookChannel
from connectors.credentials import mask_url, mask_urls
from connectors.crm import Crm
from engine.dispatch import STALL_TIMEOUTS, DeliveryPolicy, deliver
from engine.lock import ScenarioBusy
from engine.runner import tick
from engine.scenario import from_dict
from tests.helpers import REACTIVATION, ROOT, checksum, make_crm, reactivation, rows
from tests.test_cli import cli
from tests.test_delivery import Inbox, free_port
from tests.test_engine import day, naive, points_scenario

STATUS = "SELECT customer_id, status, attempts, error FROM scenarist_outbox ORDER BY customer_id"


# --- real servers on loopback ---------------------------------------------------------------

@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Web:
    """A loopback HTTP server: ``answer(n, request)`` gives the n-th request's (status, headers, delay)."""

    answer: Callable[[int, Request], tuple[int, dict[str, str], float]]
    seen: list[Request] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    url: str = ""

    def record(self, request: Request) -> tuple[int, dict[str, str], float]:
        with _GUARD:
            self.seen.append(request)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            n = len(self.seen)
        return self.answer(n, request)

    def done(self) -> None:
        with _GUARD:
            self.in_flight -= 1


_GUARD = threading.Lock()


@pytest.fixture
def web() -> Iterator[Callable[..., Web]]:
    servers: list[ThreadingHTTPServer] = []

    def start(answer: Callable[[int, Request], tuple[int, dict[str, str], float]] | None = None,
              path: str = "/send") -> Web:
        state = Web(answer or (lambda n, r: (200, {}, 0.0)))

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(self.command, self.path, dict(self.headers.items()), self.rfile.read(length))
                status, headers, delay = state.record(request)
                try:
                    if delay:
                        time.sleep(delay)  # the gateway works (or hangs) before it answers
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                except OSError:
                    pass  # the client gave up waiting
                finally:
                    state.done()

            do_POST = do_GET = _any

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        state.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
        return state

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def smtp_servers() -> Iterator[Callable[..., tuple[Inbox, int]]]:
    controllers: list[Controller] = []

    def start(inbox: Inbox | None = None, **options: object) -> tuple[Inbox, int]:
        inbox = inbox or Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
        controller.start()
        controllers.append(controller)
        return inbox, controller.port

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def silent_server() -> Iterator[tuple[int, list[socket.socket]]]:
    """A TCP server on loopback that accepts every connection and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(32)
    listener.settimeout(0.1)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1], accepted
    stop.set()
    thread.join(timeout=5)
    for conn in accepted:
        conn.close()
    listener.close()


def wait_until(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.02)


def people(n: int, **extra: object) -> list[dict]:
    return [{"id": i, "email": f"c{i}@example.com", "first_name": f"C{i}", "phone": f"+7900000{i:04d}",
             "sms_subscribed": True, **extra} for i in range(1, n + 1)]


def email_crm(url: str, customers: list[dict]) -> Crm:
    """A CRM whose customers all got the reactivation email queued."""
    make_crm(url, customers, [{"customer_id": c["id"], "created_at": naive(-300)} for c in customers])
    crm = Crm.open(url)
    tick(from_dict(reactivation()), crm, day(0))
    return crm


def sms_scenario() -> dict:
    data = points_scenario()
    data["nodes"] = [*data["nodes"][:2], {"id": "gift", "type": "message", "params": {
        "channel": "sms", "body": "{{ customer.first_name }}, 10% for you"}}]
    data["edges"] = data["edges"][:2]
    return data


def sms_crm(url: str, n: int) -> Crm:
    """A CRM whose ``n`` customers all got an SMS queued."""
    make_crm(url, people(n), [])
    crm = Crm.open(url)
    tick(from_dict(sms_scenario()), crm, day(0))
    return crm


def mail(n: int = 1, to: str = "anna@example.com") -> OutgoingMessage:
    return OutgoingMessage(f"s:mail1:{n}", "email", to, "Hello", "Hello", n)


# --- 1. redirects -----------------------------------------------------------------------------

@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_redirecting_gateway_fails_the_message_and_nothing_follows_it(sqlite_url, web, code):
    elsewhere = web(path="/landing")  # another origin (another port): it must hear nothing
    gateway = web(lambda n, r: (code, {"Location": elsewhere.url + "?token=t0ps3cret"}, 0.0))
    crm = sms_crm(sqlite_url, 3)
    channel = WebhookChannel(gateway.url, headers={"Authorization": "Bearer s3cret-from-the-keyring"})
    report = deliver(crm.engine, {"sms": channel}, naive(0, 10))
    crm.dispose()
    assert elsewhere.seen == [], "a redirect was followed"
    assert [r.method for r in gateway.seen] == ["POST"] * 3
    assert report.counts["failed"] == 3 and report.counts["sent"] == 0
    got = rows(sqlite_url, STATUS)
    assert {(status, attempts) for _, status, attempts, _ in got} == {("failed", 1)}
    error = got[0][3]
    assert error.startswith(f"HTTP {code} ") and "never follow redirects" in error
    assert f"redirects to {elsewhere.url}?token=***" in error  # names the target, not its secret
    assert "t0ps3cret" not in error


# --- 2. the runner's lease during a slow delivery ----------------------------------------------

FIRST_RUNNER = """
import json, sys
from datetime import datetime
sys.path.insert(0, {root!r})
from engine import lock
lock.LEASE_SECONDS = {lease!r}  # short, so that the slow page of messages outlasts it
from app.run_once import run_once
from app.settings import Settings
from connectors.crm import Crm
from engine.scenario import from_dict
crm = Crm.open({url!r})
scenario = from_dict(json.loads(open({scenario!r}, encoding="utf-8").read()))
outcome = run_once(scenario, crm, Settings(channels={channels!r}), datetime.fromisoformat({at!r}))
print(json.dumps({{"sent": outcome.sent, "stopped": outcome.delivery.stopped}}), flush=True)
"""


def test_a_slow_channel_keeps_the_lease_and_a_second_run_yields_until_the_first_ends(sqlite_url, tmp_path, web):
    from app.run_once import run_once

    gateway = web(lambda n, r: (200, {}, 0.1))
    make_crm(sqlite_url, people(16), [])
    channels = {"sms": {"kind": "webhook", "url": gateway.url, "rate_per_second": 4.0}}  # 16 messages: 4 s
    (tmp_path / "sms.json").write_text(json.dumps(sms_scenario()), encoding="utf-8")
    first = subprocess.Popen([sys.executable, "-c", FIRST_RUNNER.format(
        root=str(ROOT), lease=3.0, url=sqlite_url, scenario=str(tmp_path / "sms.json"), channels=channels,
        at=day(0).isoformat())], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = Crm.open(sqlite_url)
    try:
        deadline = time.monotonic() + 60
        while not gateway.seen:  # the first run is delivering
            assert time.monotonic() < deadline and first.poll() is None, first.stderr.read() if first.poll() else ""
            time.sleep(0.02)
        tries, busy, got_in, arrived_before = 0, 0, [], []
        while first.poll() is None:
            assert time.monotonic() < deadline
            tries += 1
            arrived = len(gateway.seen)  # messages the gateway had before this try
            try:
                got_in.append(run_once(from_dict(sms_scenario()), second, Settings(channels=channels), day(0)))
                arrived_before.append(arrived)
            except ScenarioBusy:
                busy += 1
            time.sleep(0.1)
        out, err = first.communicate(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
        second.dispose()
    assert first.returncode == 0, err
    assert json.loads(out) == {"sent": 16, "stopped": {}}
    # The first run sent all 16 itself, so the second never got in while it was sending; it may get
    # in once the first has given the scenario back (its process not yet ended), and finds nothing.
    assert tries >= 10 and busy >= 10 and busy + len(got_in) == tries
    assert arrived_before == [16] * len(got_in), "a second run started while the first was still sending"
    assert all(o.sent == 0 and o.refused == 0 for o in got_in)
    assert gateway.most_in_flight == 1 and len(gateway.seen) == 16
    assert len({r.headers["Idempotency-Key"] for r in gateway.seen}) == 16
    assert {s for _, s, _, _ in rows(sqlite_url, STATUS)} == {"sent"}


# --- 3. secret_header is a header's name; credentials in headers are refused -------------------

def readme_settings() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Delivery settings", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```toml\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_is_accepted_and_its_secret_header_carries_the_secret(tmp_path, web, monkeypatch):
    gateway = web()
    path = tmp_path / "settings.toml"
    path.write_text(readme_settings().replace("https://gateway.example.com/send", gateway.url), encoding="utf-8")
    settings = load_settings(path)
    assert settings.channels["sms"]["secret_header"] == "Authorization"
    monkeypatch.setenv("SCENARIST_SMS_SECRET", "Bearer from-the-environment")
    channel = build_channels(settings)["sms"]
    assert "from-the-environment" not in repr(channel)
    channel.send(OutgoingMessage("s:gift:1", "sms", "+79001234567", "", "Hi", 1))
    assert gateway.seen[0].headers["Authorization"] == "Bearer from-the-environment"


@pytest.mark.parametrize(("header", "value"), [
    ("Authorization", "Bearer abc.def"),
    ("authorization", "plain words"),            # named for a credential, whatever it holds
    ("X-Api-Key", "12345"),
    ("X-Gateway-Token", "short"),
    ("X-Custom", "Basic dXNlcjpwYXNzd29yZA=="),  # a scheme
    ("X-Custom", "sk_live_51HqLyjWDarjtT1zdp7dcQ"),  # a long opaque token
    ("X-Custom", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4"),
])
def test_a_credential_in_the_headers_is_refused_with_where_it_goes(tmp_path, header, value):
    path = tmp_path / "settings.toml"
    path.write_text(f'[channels.sms]\nkind = "webhook"\nurl = "https://gw.example.com/send"\n'
                    f'headers = {{ "{header}" = "{value}" }}\n', encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert f"'headers.{header}' looks like a credential" in message
    assert "SCENARIST_SMS_SECRET" in message and "keyring" in message and f'secret_header = "{header}"' in message
    assert value not in message


def test_plain_headers_and_secret_header_are_accepted_and_secret_keys_still_refused(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[channels.sms]\nkind = "webhook"\nurl = "https://gw.example.com/send"\n'
                    'secret_header = "X-Api-Key"\n'
                    'headers = { "X-Channel" = "whatsapp", "X-Sender-Id" = "12345", '
                    '"X-Source" = "shop-website-production-2024" }\n', encoding="utf-8")
    assert load_settings(path).channels["sms"]["headers"]["X-Channel"] == "whatsapp"
    for key in ("api_token", "password", "secret"):
        path.write_text(f'[channels.sms]\nkind = "webhook"\nurl = "https://gw.example.com/send"\n{key} = "x"\n',
                        encoding="utf-8")
        with pytest.raises(SettingsError, match=f"'{key}' looks like a secret.*SCENARIST_SMS_SECRET"):
            load_settings(path)


# --- 4. errors that are not a server's answer ---------------------------------------------------

def test_a_folder_that_cannot_be_written_leaves_the_message_pending_then_it_goes(sqlite_url, tmp_path):
    blocker = tmp_path / "outbox"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    crm = email_crm(sqlite_url, people(2))
    channel = {"email": FileChannel(blocker / "mail")}
    report = deliver(crm.engine, channel, naive(0, 10))
    assert report.counts["retry"] == 2 and not report.unknown
    got = rows(sqlite_url, STATUS)
    assert [(s, a) for _, s, a, _ in got] == [("pending", 1), ("pending", 1)]
    assert all(e.startswith(f"cannot write to the folder {blocker / 'mail'}") for *_, e in got)
    blocker.unlink()
    later = deliver(crm.engine, {"email": FileChannel(blocker / "mail")}, naive(0, 11))
    crm.dispose()
    assert later.counts["sent"] == 2 and len(list((blocker / "mail").glob("*.eml"))) == 2


def test_a_server_without_smtputf8_fails_a_non_ascii_address_and_the_rest_go(sqlite_url, smtp_servers):
    inbox, port = smtp_servers(enable_SMTPUTF8=False)
    customers = people(3)
    customers[1]["email"] = "ёжик@example.com"
    crm = email_crm(sqlite_url, customers)
    channel = SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>", security="none")
    report = deliver(crm.engine, {"email": channel}, naive(0, 10))
    crm.dispose()
    assert report.counts["sent"] == 2 and report.counts["failed"] == 1 and not report.unknown
    got = rows(sqlite_url, STATUS)
    assert [s for _, s, _, _ in got] == ["sent", "failed", "sent"]
    assert "SMTPUTF8" in got[1][3]
    assert sorted(m["To"] for m in inbox.received) == ["c1@example.com", "c3@example.com"]


def test_a_server_with_smtputf8_takes_the_same_address(smtp_servers):
    inbox, port = smtp_servers(enable_SMTPUTF8=True)
    channel = SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>", security="none")
    channel.send(mail(to="ёжик@example.com"))
    channel.close()
    assert [m["To"] for m in inbox.received] == ["ёжик@example.com"]


class BrokenChannel:
    """A channel with a bug of its own (no real channel raises anything but DeliveryError now)."""

    rate_per_second = 0.0

    def __init__(self) -> None:
        self.closed = 0

    def send(self, message: OutgoingMessage) -> None:
        raise KeyError("a bug in the channel")

    def close(self) -> None:
        self.closed += 1


def test_an_unexpected_channel_error_leaves_the_message_pending_with_the_reason(sqlite_url):
    crm = email_crm(sqlite_url, people(1))
    broken = BrokenChannel()
    report = deliver(crm.engine, {"email": broken}, naive(0, 10), DeliveryPolicy(max_attempts=2))
    assert report.counts["retry"] == 1 and broken.closed == 2  # after its failure (tried anew) and at the end
    assert rows(sqlite_url, STATUS) == [(1, "pending", 1, "the email channel failed: KeyError: 'a bug in the channel'")]
    deliver(crm.engine, {"email": broken}, naive(0, 12), DeliveryPolicy(max_attempts=2))
    crm.dispose()
    assert rows(sqlite_url, STATUS)[0][1:3] == ("failed", 2)  # never 'unknown': it did not leave


# --- 5. credentials of URLs are masked wherever they are kept or shown ---------------------------

def test_mask_url_keeps_scheme_host_and_path():
    assert mask_url("https://user:pa55@gw.example.com:8443/v1/send?token=abc&to=1#x") == \
        "https://***@gw.example.com:8443/v1/send?token=***&to=***#***"
    assert mask_url("https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage") == \
        "https://api.telegram.org/***/sendMessage"
    assert mask_url("http://127.0.0.1:8080/send") == "http://127.0.0.1:8080/send"
    assert mask_urls("cannot reach https://u:p@h.example/a?k=v: refused.") == \
        "cannot reach https://***@h.example/a?k=***: refused."


def test_a_token_in_the_webhook_url_never_reaches_the_outbox(sqlite_url, web):
    gateway = web(lambda n, r: (503, {}, 0.0))
    crm = sms_crm(sqlite_url, 2)
    port, closed_port = urlsplit(gateway.url).port, free_port()
    secret_url = f"http://shop:hunter2@127.0.0.1:{port}/send?token=t0ps3cret"
    closed = f"http://shop:hunter2@127.0.0.1:{closed_port}/send?token=t0ps3cret"
    for url, when in ((secret_url, 10), (closed, 11)):
        channel = WebhookChannel(url)
        assert "hunter2" not in repr(channel) and "t0ps3cret" not in repr(channel)
        deliver(crm.engine, {"sms": channel}, naive(0, when), DeliveryPolicy(backoff_seconds=60))
    crm.dispose()
    errors = [e for *_, e in rows(sqlite_url, STATUS)]
    assert all("hunter2" not in e and "t0ps3cret" not in e for e in errors), errors
    assert any(f"cannot reach http://***@127.0.0.1:{closed_port}/send?token=***" in e for e in errors), errors
    # the user part of the URL goes to the gateway as HTTP Basic authentication, as curl sends it
    assert gateway.seen[0].headers["Authorization"] == "Basic " + base64.b64encode(b"shop:hunter2").decode()
    assert gateway.seen[0].path == "/send?token=t0ps3cret"


# --- 6. a server that stops answering pauses its channel ----------------------------------------

def test_a_silent_smtp_server_pauses_the_channel_after_a_few_timeouts(sqlite_url, silent_server):
    port, accepted = silent_server
    crm = email_crm(sqlite_url, people(12))
    channel = SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>", security="none", timeout=0.5)
    started = time.monotonic()
    report = deliver(crm.engine, {"email": channel}, naive(0, 10))
    elapsed = time.monotonic() - started
    crm.dispose()
    assert f"paused after {STALL_TIMEOUTS} timeouts in a row" in report.stopped["email"]
    assert "the rest waits for a later run" in report.stopped["email"]
    assert report.waiting == {"email": 12} and report.counts["retry"] == STALL_TIMEOUTS
    got = rows(sqlite_url, STATUS)
    tried = [g for g in got if g[2] == 1]
    assert len(tried) == STALL_TIMEOUTS and all(s == "pending" for _, s, _, _ in got)
    assert all("no answer within 0.5 s" in e for *_, e in tried)
    wait_until(lambda: len(accepted) >= STALL_TIMEOUTS)
    assert len(accepted) == STALL_TIMEOUTS  # one connection per try, then nothing more
    assert elapsed < 12 * 0.5  # the old dispatcher waited out every message


class Stalling(Inbox):
    """An aiosmtpd handler that hangs before taking the recipient, or after taking the message."""

    def __init__(self, at: str):
        super().__init__()
        self.at = at

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.at == "rcpt":
            await asyncio.sleep(3)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.at == "data":
            await asyncio.sleep(3)
        return await super().handle_DATA(server, session, envelope)


def test_a_stall_before_the_message_went_out_retries_it_after_it_is_unknown(sqlite_url, tmp_path, smtp_servers):
    for at, expected in (("rcpt", "pending"), ("data", "unknown")):
        url = f"sqlite:///{tmp_path / at}.db"
        _, port = smtp_servers(Stalling(at))
        crm = email_crm(url, people(5))
        channel = SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>", security="none", timeout=0.5)
        report = deliver(crm.engine, {"email": channel}, naive(0, 10))
        crm.dispose()
        got = rows(url, STATUS)
        assert [s for _, s, a, _ in got if a] == [expected] * STALL_TIMEOUTS, (at, got)
        assert "paused after" in report.stopped["email"]
        assert len(report.unknown) == (STALL_TIMEOUTS if expected == "unknown" else 0)


class ClosingOnMail(Inbox):
    """An aiosmtpd handler that answers the second MAIL FROM with 421 (closing the connection)."""

    def __init__(self) -> None:
        super().__init__()
        self.mails = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.mails += 1
        if self.mails == 2:
            return "421 4.3.2 closing the connection, come again"
        envelope.mail_from = address
        return "250 OK"


def test_a_connection_the_server_closed_between_messages_is_opened_again(sqlite_url, tmp_path, smtp_servers):
    # aiosmtpd drops a connection idle for 0.2 s; at 2 messages a second each one finds it closed.
    idle, idle_port = smtp_servers(timeout=0.2)
    crm = email_crm(sqlite_url, people(3))
    channel = SmtpChannel("127.0.0.1", idle_port, "Shop <news@shop.example>", security="none", rate_per_second=2)
    report = deliver(crm.engine, {"email": channel}, naive(0, 10))
    crm.dispose()
    assert report.counts["sent"] == 3 and not report.unknown and len(idle.received) == 3
    url = f"sqlite:///{tmp_path / 'closing.db'}"
    closing, port = smtp_servers(ClosingOnMail())
    crm = email_crm(url, people(3))
    report = deliver(crm.engine, {"email": SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>",
                                                       security="none")}, naive(0, 10))
    crm.dispose()
    assert report.counts["sent"] == 3 and len(closing.received) == 3
    assert {(s, a) for _, s, a, _ in rows(url, STATUS)} == {("sent", 1)}


def test_run_says_that_a_stalled_channel_paused(sqlite_url, tmp_path, silent_server):
    port, _ = silent_server
    make_crm(sqlite_url, people(5), [{"customer_id": i, "created_at": naive(-300)} for i in range(1, 6)])
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[channels.email]\nkind = "smtp"\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
                        f'from = "Shop <news@shop.example>"\ntimeout = 0.5\n', encoding="utf-8")
    done = cli("run", str(REACTIVATION), "--crm", sqlite_url, "--at", "2026-03-02T10:00", "--settings", str(settings))
    assert done.returncode == 0, done.stderr
    assert "5 email message(s) wait: the channel stopped: paused after 3 timeouts in a row" in done.stdout


# --- 7. no password in clear -----------------------------------------------------------------------

@pytest.mark.parametrize(("lines", "expected"), [
    ('host = "smtp.example.com"\nsecurity = "STARTTLS"\n',
     "'security' must be one of starttls, ssl, none, not 'STARTTLS'"),
    ('host = "smtp.example.com"\nsecurity = "tls"\n', "'security' must be one of starttls, ssl, none"),
    ('host = "smtp.example.com"\nsecurity = "none"\n', 'security = "none" sends the messages and the password'),
    ('host = "smtp.example.com"\nsecurity = "none"\nallow_plain = "yes"\n', "'allow_plain' must be true or false"),
])
def test_a_security_typo_or_plain_to_another_host_is_refused(tmp_path, lines, expected):
    path = tmp_path / "settings.toml"
    path.write_text(f'[channels.email]\nkind = "smtp"\nfrom = "a@shop.example"\nusername = "shop"\n{lines}',
                    encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert expected in str(caught.value)


def test_plain_is_allowed_to_this_computer_or_when_the_user_says_so(tmp_path):
    path = tmp_path / "settings.toml"
    plain = (("127.0.0.1", ""), ("localhost", ""), ("::1", ""), ("smtp.example.com", "allow_plain = true\n"))
    for host, extra in plain:
        path.write_text(f'[channels.email]\nkind = "smtp"\nfrom = "a@shop.example"\nhost = "{host}"\n'
                        f'security = "none"\n{extra}', encoding="utf-8")
        assert load_settings(path).channels["email"]["security"] == "none"
    with pytest.raises(ValueError, match="security must be one of starttls, ssl, none"):
        SmtpChannel("smtp.example.com", 587, "a@shop.example", security="STARTTLS")


def test_the_channel_itself_never_sends_a_password_in_clear_to_another_host():
    # Refused before any connection is made (the .invalid name never resolves, nothing is dialled).
    channel = SmtpChannel("smtp.shop.invalid", 25, "a@shop.example", security="none", username="shop",
                          password="hunter2")
    with pytest.raises(DeliveryError, match=r"refusing to send the password to smtp\.shop\.invalid:25 without TLS") \
            as caught:
        channel.send(mail())
    assert caught.value.stops_channel and not caught.value.transient


# --- 8. settings are checked before the tick commits ----------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ('[channels.email]\nkind = "smtp"\nhost = "h"\nfrom = "a@b.c"\nport = "abc"\n',
     "'port' must be a whole number from 1 to 65535, not 'abc'"),
    ('[channels.email]\nkind = "smtp"\nhost = "h"\nfrom = "a@b.c"\nport = 0\n', "'port' must be a whole number"),
    ('[channels.email]\nkind = "smtp"\nhost = "h"\nfrom = "a@b.c"\ntimeout = "x"\n',
     "'timeout' must be a number greater than 0"),
    ('[channels.email]\nkind = "smtp"\nhost = "h"\nfrom = "not an address"\n', "'from' must be an email address"),
    ('[channels.email]\nkind = "smtp"\nhost = "h"\nfrom = "a@b.c"\ncafile = "/no/such/ca.pem"\n',
     "'cafile' must name a certificate file"),
    ('[channels.sms]\nkind = "webhook"\nurl = "https://gw.example/send"\nrate_per_second = -1\n',
     "'rate_per_second' must be a number 0 or more, not -1"),
    ('[channels.sms]\nkind = "webhook"\nurl = "https://gw.example/send"\ntimeout = true\n',
     "'timeout' must be a number greater than 0"),
    ('[channels.sms]\nkind = "webhook"\nurl = "gw.example/send"\n', "'url' must start with https://"),
    ('[channels.sms]\nkind = "webhook"\nurl = "https://gw.example:port/send"\n', "'url' has a port that is not"),
    ('[channels.sms]\nkind = "webhook"\nurl = "https://gw.example/send"\nbody = \'{"to": {{ recipient|tojson }\'\n',
     "'body' is not a valid template: line 1"),
    ('[channels.sms]\nkind = "webhook"\nurl = "https://gw.example/send"\nbody = \'{"to": {{ recipient }}}\'\n',
     "'body' does not give JSON"),
    ('[channels.sms]\nkind = "webhook"\nurl = "https://gw.example/send"\n'
     'body = \'{"to": {{ customer.phone|tojson }}}\'\n', "'body' is not a valid template"),
    ('[channels.sms]\nkind = "webhook"\nurl = "https://gw.example/send"\non_timeout = "maybe"\n',
     "'on_timeout' must be one of retry, unknown"),
    ('[channels.webhook]\nkind = "file"\nfolder = "x"\nformat = "csv"\n', "'format' must be one of eml, jsonl"),
    ('[delivery]\nmax_attempts = 2.5\n', "max_attempts must be a whole number from 1 to 100"),
    ('[delivery]\nbackoff_seconds = "soon"\n', "backoff_seconds must be a positive number"),
    ('[delivery]\nbackoff_seconds = 600\nmax_backoff_seconds = 60\n', "max_backoff_seconds (60) is shorter"),
])
def test_a_wrong_value_is_refused_naming_its_key(tmp_path, text, expected):
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert expected in str(caught.value)


def test_run_refuses_wrong_values_and_a_folder_before_the_tick(sqlite_url, tmp_path):
    make_crm(sqlite_url, people(3), [{"customer_id": i, "created_at": naive(-300)} for i in range(1, 4)])
    before = checksum(sqlite_url)
    path = tmp_path / "settings.toml"
    path.write_text('[channels.email]\nkind = "smtp"\nhost = "127.0.0.1"\nsecurity = "none"\nfrom = "a@b.c"\n'
                    'port = "abc"\n', encoding="utf-8")
    for settings, expected in ((path, "[channels.email]: 'port' must be a whole number"),
                               (tmp_path, f"{tmp_path} is a folder; the settings are a file")):
        done = cli("run", str(REACTIVATION), "--crm", sqlite_url, "--at", "2026-03-02T10:00",
                   "--settings", str(settings))
        assert done.returncode == 2 and expected in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and "IsADirectoryError" not in done.stderr
    assert checksum(sqlite_url) == before


# --- 9. a webhook that timed out: retried with its key, or unknown -------------------------------

def test_a_webhook_timeout_is_retried_with_the_same_key_by_default(sqlite_url, web):
    gateway = web(lambda n, r: (200, {}, 1.5 if n == 1 else 0.0))  # processes, then answers too late
    crm = sms_crm(sqlite_url, 1)
    for minutes in (0, 10):
        deliver(crm.engine, {"sms": WebhookChannel(gateway.url, timeout=0.5)},
                naive(0, 10) + timedelta(minutes=minutes), DeliveryPolicy(backoff_seconds=60))
    crm.dispose()
    assert [r.headers["Idempotency-Key"] for r in gateway.seen] == [gateway.seen[0].headers["Idempotency-Key"]] * 2
    assert rows(sqlite_url, "SELECT status, attempts FROM scenarist_outbox") == [("sent", 2)]


def test_on_timeout_unknown_lists_a_timed_out_webhook_and_never_resends_it(sqlite_url, web):
    gateway = web(lambda n, r: (200, {}, 1.5))
    crm = sms_crm(sqlite_url, 2)
    refused = WebhookChannel(f"http://127.0.0.1:{free_port()}/send", timeout=0.5, on_timeout="unknown")
    deliver(crm.engine, {"sms": refused}, naive(0, 10))  # nothing listens: never left, so not unknown
    assert {s for _, s, _, _ in rows(sqlite_url, STATUS)} == {"pending"}
    channel = WebhookChannel(gateway.url, timeout=0.5, on_timeout="unknown")
    report = deliver(crm.engine, {"sms": channel}, naive(0, 11))
    again = deliver(crm.engine, {"sms": WebhookChannel(gateway.url, timeout=0.5, on_timeout="unknown")},
                    naive(1, 11))
    crm.dispose()
    got = rows(sqlite_url, STATUS)
    assert [s for _, s, _, _ in got] == ["unknown", "unknown"] and len(report.unknown) == 2
    assert all('on_timeout = "unknown"' in e for *_, e in got)
    assert len(gateway.seen) == 2 and sum(again.counts.values()) == 0


# --- 10. retries, the backoff cap, SMTP refusals through the dispatcher -----------------------------

def test_retries_stop_at_max_attempts_and_no_wait_passes_the_cap(sqlite_url, web):
    gateway = web(lambda n, r: (429, {"Retry-After": "86400"}, 0.0) if n == 3 else (500, {}, 0.0))
    crm = sms_crm(sqlite_url, 1)
    policy = DeliveryPolicy(max_attempts=4, backoff_seconds=100, max_backoff_seconds=300)
    now, waits = naive(0, 10), []
    for _ in range(6):
        deliver(crm.engine, {"sms": WebhookChannel(gateway.url)}, now, policy)
        status, attempts, retry_at = rows(sqlite_url, "SELECT status, attempts, next_attempt_at "
                                                      "FROM scenarist_outbox")[0]
        if status != "pending":
            break
        retry_at = datetime.fromisoformat(retry_at) if isinstance(retry_at, str) else retry_at
        waits.append((retry_at - now).total_seconds())
        deliver(crm.engine, {"sms": WebhookChannel(gateway.url)}, retry_at - timedelta(seconds=1), policy)
        now = retry_at
    crm.dispose()
    assert waits == [100, 200, 300]  # doubling, then the cap (the 429 asked for a day: capped too)
    assert (status, attempts) == ("failed", 4) and len(gateway.seen) == 4


class Recipients(Inbox):
    """An aiosmtpd handler that refuses the recipients it is told about, with 550."""

    def __init__(self, refuse: set[str]):
        super().__init__()
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_smtp_550_fails_one_message_and_the_others_go(sqlite_url, smtp_servers):
    inbox, port = smtp_servers(Recipients({"c2@example.com"}))
    crm = email_crm(sqlite_url, people(3))
    report = deliver(crm.engine, {"email": SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>",
                                                       security="none")}, naive(0, 10))
    crm.dispose()
    assert report.counts["sent"] == 2 and report.counts["failed"] == 1
    assert rows(sqlite_url, STATUS)[1] == (2, "failed", 1, "recipient refused: 550 5.1.1 no such user here")
    assert len(inbox.received) == 2


def test_an_address_that_parses_to_nobody_fails_once_with_its_words(sqlite_url, smtp_servers):
    """'@x.ru' leaves no address once parsed: before, smtplib's empty refusal surfaced as a
    StopIteration and the message was tried again on every run until it failed."""
    inbox, port = smtp_servers()
    crm = email_crm(sqlite_url, people(3))
    with crm.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE scenarist_outbox SET recipient = '@x.ru' WHERE customer_id = 2")
    report = deliver(crm.engine, {"email": SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>",
                                                       security="none")}, naive(0, 10))
    crm.dispose()
    assert (report.counts["sent"], report.counts["failed"]) == (2, 1)
    assert rows(sqlite_url, STATUS)[1] == (2, "failed", 1, "'@x.ru' is not an email address anyone can receive")
    assert len(inbox.received) == 2


def test_smtp_535_stops_the_channel_and_counts_no_try(sqlite_url, smtp_servers):
    logins: list[tuple[bytes, bytes]] = []

    def check(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"right", handled=False)

    inbox, port = smtp_servers(authenticator=check, auth_require_tls=False)  # plain, on loopback only
    crm = email_crm(sqlite_url, people(3))
    wrong = SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>", security="none", username="shop",
                        password="wrong")
    report = deliver(crm.engine, {"email": wrong}, naive(0, 10))
    assert "SMTP login refused: 535" in report.stopped["email"] and report.waiting == {"email": 3}
    assert {(s, a) for _, s, a, _ in rows(sqlite_url, STATUS)} == {("pending", 0)}
    assert logins and set(logins) == {(b"shop", b"wrong")} and inbox.received == []
    right = SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>", security="none", username="shop",
                        password="right")
    later = deliver(crm.engine, {"email": right}, naive(0, 11))
    crm.dispose()
    assert later.counts["sent"] == 3 and len(inbox.received) == 3


def test_a_non_json_body_at_send_time_fails_the_one_message(sqlite_url, web):
    gateway = web()
    crm = sms_crm(sqlite_url, 1)
    deliver(crm.engine, {"sms": WebhookChannel(gateway.url, body='{"to": {{ recipient }}}')}, naive(0, 10))
    crm.dispose()
    assert rows(sqlite_url, STATUS)[0][1] == "failed" and gateway.seen == []


def test_settings_examples_stay_loadable(tmp_path):
    """Each key the README names exists (a renamed key would make the example refused)."""
    path = tmp_path / "settings.toml"
    path.write_text(readme_settings(), encoding="utf-8")
    settings = load_settings(path)
    assert set(settings.channels) == {"email", "sms", "staff", "webhook"}
    assert settings.policy.max_attempts == 5
