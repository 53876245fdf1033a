"""The suppression list on both databases, with a real aiosmtpd server and a loopback HTTP gateway:
a 550 in one scenario keeps the next scenario from mailing the address, a webhook's "bad recipient"
answer lists the phone, and `main.py suppress` lists, adds, removes and imports."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from connectors.crm import Crm
from engine.history import run_history
from tests.helpers import make_crm, rows
from tests.test_cli import cli
from tests.test_delivery import free_port
from tests.test_delivery_faults import Recipients
from tests.test_engine_events import at, mail, people, scenario

BAD = "c2@example.com"


@pytest.fixture
def refusing_smtp():
    inbox = Recipients({BAD})
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def settings_file(tmp_path, port: int, gateway: str | None = None) -> str:
    path = tmp_path / "settings.toml"
    text = (f'[channels.email]\nkind = "smtp"\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
            f'from = "Shop <news@shop.example>"\n')
    if gateway:
        text += (f'\n[channels.sms]\nkind = "webhook"\nurl = "{gateway}"\n'
                 f'bad_recipient = "unknown (number|subscriber)"\n')
    path.write_text(text, encoding="utf-8")
    return str(path)


def write(tmp_path, name: str, data: dict) -> str:
    path = tmp_path / f"{name}.scenario.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def run_json(path: str, url: str, settings: str, when, *extra: str) -> dict:
    done = cli("run", path, "--crm", url, "--at", when.isoformat(), "--settings", settings, "--json", *extra)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_an_address_refused_with_550_in_one_scenario_is_skipped_by_the_next(crm_url, tmp_path, refusing_smtp):
    inbox, port = refusing_smtp
    make_crm(crm_url, people(3), [])
    settings = settings_file(tmp_path, port)
    first = write(tmp_path, "first", scenario({}, [mail("m")], [("start", "out", "m")], id="first"))
    second = write(tmp_path, "second", scenario({}, [mail("m")], [("start", "out", "m")], id="second"))
    third = write(tmp_path, "third", scenario({}, [mail("m")], [("start", "out", "m")], id="third"))
    queued = run_json(third, crm_url, settings, at(0), "--no-deliver")  # queued before anyone knew
    assert (queued["queued"], queued["suppressed"]) == (3, 0)
    done = run_json(first, crm_url, settings, at(0))
    assert (done["delivery"]["sent"], done["delivery"]["failed"]) == (2, 1)
    assert done["delivery"]["listed"] == [{"channel": "email", "address": BAD}]
    later = run_json(second, crm_url, settings, at(0, 11))
    assert (later["queued"], later["suppressed"], later["delivery"]["sent"]) == (2, 1, 2)
    pending = run_json(third, crm_url, settings, at(0, 12))  # its message to c2 was already queued
    assert (pending["delivery"]["sent"], pending["delivery"]["suppressed"]) == (2, 1)
    assert sorted(m["To"] for m in inbox.received) == ["c1@example.com"] * 3 + ["c3@example.com"] * 3
    assert rows(crm_url, "SELECT scenario, status, count(*) FROM scenarist_outbox WHERE customer_id = 2 "
                         "GROUP BY scenario, status ORDER BY scenario") == [
        ("first", "failed", 1), ("second", "suppressed", 1), ("third", "suppressed", 1)]
    assert rows(crm_url, "SELECT scenario, suppressed FROM scenarist_runs ORDER BY scenario, at") == [
        ("first", 0), ("second", 1), ("third", 0)]  # a run with nothing to do but deliver keeps no row
    crm = Crm.open(crm_url)
    try:
        with crm.engine.connect() as conn:
            assert [r.suppressed for r in run_history(conn, "second")] == [1]  # the Scheduler tab's column
    finally:
        crm.dispose()
    listed = cli("suppress", "list", "--crm", crm_url, "--json")
    assert listed.returncode == 0, listed.stderr
    (entry,) = json.loads(listed.stdout)
    assert (entry["channel"], entry["address"], entry["source"]) == ("email", BAD, "refused (first)")
    assert entry["reason"] == "recipient refused: 550 5.1.1 no such user here"


class BadNumberGateway(BaseHTTPRequestHandler):
    def do_POST(self):
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        bad = payload["to"].endswith("2")
        self.send_response(400 if bad else 200)
        self.end_headers()
        self.wfile.write(b'{"error": "unknown subscriber"}' if bad else b"{}")

    def log_message(self, *args):
        pass


def test_a_webhook_answer_the_settings_call_bad_recipient_lists_the_phone(crm_url, tmp_path, refusing_smtp):
    server = ThreadingHTTPServer(("127.0.0.1", 0), BadNumberGateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        make_crm(crm_url, [{**p, "phone": f"+7900000000{p['id']}", "sms_subscribed": True} for p in people(3)], [])
        settings = settings_file(tmp_path, refusing_smtp[1], f"http://127.0.0.1:{server.server_address[1]}/send")
        sms = {"id": "s", "type": "message", "params": {"channel": "sms", "body": "Hi {{ customer.first_name }}"}}
        path = write(tmp_path, "sms", scenario({}, [sms], [("start", "out", "s")], id="sms"))
        done = run_json(path, crm_url, settings, at(0))
    finally:
        server.shutdown()
    assert (done["delivery"]["sent"], done["delivery"]["failed"]) == (2, 1)
    assert done["delivery"]["listed"] == [{"channel": "sms", "address": "+79000000002"}]
    listed = json.loads(cli("suppress", "list", "--crm", crm_url, "--channel", "sms", "--json").stdout)
    assert [(e["address"], e["reason"]) for e in listed] == [
        ("+79000000002", "HTTP 400 Bad Request: the gateway says the recipient is bad (unknown subscriber)")]


def test_suppress_add_remove_list_and_import_on_the_command_line(crm_url, tmp_path):
    make_crm(crm_url, people(3), [])
    added = cli("suppress", "add", "Someone@Example.com ", "--crm", crm_url, "--reason", "asked by phone")
    assert added.returncode == 0 and "someone@example.com" in added.stdout.lower()
    assert cli("suppress", "add", "not-an-email", "--crm", crm_url).returncode == 2
    csv = tmp_path / "list.csv"
    csv.write_text("c1@example.com\nbroken-line\n\nc3@example.com,bounced\nsomeone@example.com\n", encoding="utf-8")
    done = cli("suppress", "import", str(csv), "--crm", crm_url)
    assert done.returncode == 2  # a bad line: the good ones are in, the bad one is named
    assert done.stdout.strip() == "added 2, already on the list 1, refused 1"
    assert done.stderr.strip() == "list.csv, line 2: 'broken-line' is not an email address (nothing changed for it)"
    listed = json.loads(cli("suppress", "list", "--crm", crm_url, "--json").stdout)
    assert sorted((e["address"], e["reason"]) for e in listed) == [
        ("c1@example.com", "imported"), ("c3@example.com", "bounced"), ("someone@example.com", "asked by phone")]
    found = json.loads(cli("suppress", "list", "c3", "--crm", crm_url, "--json").stdout)
    assert [e["address"] for e in found] == ["c3@example.com"]
    gone = cli("suppress", "remove", "C3@example.com", "--crm", crm_url)
    assert gone.returncode == 0 and "is no longer" in gone.stdout
    data = scenario({}, [mail("m")], [("start", "out", "m")])
    path = write(tmp_path, "s", data)
    preview = json.loads(cli("preview", path, "--crm", crm_url, "--at", at(0).isoformat(), "--json").stdout)
    assert (preview["queued"], preview["suppressed"]) == (2, 1)  # c1 is on the list
