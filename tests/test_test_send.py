"""Test sends against a real aiosmtpd server, on both databases: the message arrives with "[TEST]",
rendered for the chosen customer, and every table of the CRM is unchanged (checksums)."""

from __future__ import annotations

import json

import pytest
from aiosmtpd.controller import Controller
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from app.prefs import Prefs
from app.settings import default_path as user_settings_path
from tests.helpers import checksum, make_crm
from tests.test_cli import cli
from tests.test_delivery import Inbox, free_port
from tests.test_delivery_faults import Recipients
from tests.test_editor_window import add, demo_crm, form, settle, window  # noqa: F401 - fixtures
from tests.test_engine_events import at, mail, people, scenario


@pytest.fixture
def servers():
    started = []

    def start(handler):
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        started.append(controller)
        return controller.port

    yield start
    for controller in started:
        controller.stop()


def files(tmp_path, port: int) -> tuple[str, str]:
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[channels.email]\nkind = "smtp"\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
                        f'from = "Shop <news@shop.example>"\n\n[frequency_cap]\nmessages = 1\ndays = 7\n',
                        encoding="utf-8")
    data = scenario({}, [mail("m", subject="Hi {{ customer.first_name }}",
                              body="Hello {{ customer.first_name }}, {{ orders.count }} orders so far.")],
                    [("start", "out", "m")])
    path = tmp_path / "s.scenario.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path), str(settings)


def test_a_test_send_arrives_marked_and_changes_nothing_in_the_crm(crm_url, tmp_path, servers):
    inbox = Inbox()
    path, settings = files(tmp_path, servers(inbox))
    make_crm(crm_url, people(3), [{"customer_id": 2, "created_at": at(-20).replace(tzinfo=None)}])
    ran = cli("run", path, "--crm", crm_url, "--at", at(0).isoformat(), "--settings", settings, "--json")
    assert ran.returncode == 0, ran.stderr  # the engine's tables exist and hold a run: they must not move
    before = checksum(crm_url)
    sent = inbox.received[:]
    done = cli("test-send", path, "m", "--crm", crm_url, "--customer", "2", "--to", "me@shop.example",
               "--settings", settings)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "sent to me@shop.example: [TEST] Hi C2"
    (test,) = [m for m in inbox.received if m not in sent]
    assert (test["To"], test["Subject"]) == ("me@shop.example", "[TEST] Hi C2")
    assert test.get_body(("plain",)).get_content().strip() == "Hello C2, 1 orders so far."
    again = cli("test-send", path, "m", "--crm", crm_url, "--customer", "2", "--to", "me@shop.example",
                "--settings", settings)  # the frequency cap of 1 does not count tests
    assert again.returncode == 0 and len(inbox.received) == len(sent) + 2
    assert checksum(crm_url) == before


def test_a_refused_test_send_says_the_servers_reason_and_bad_input_exits_2(sqlite_url, tmp_path, servers):
    path, settings = files(tmp_path, servers(Recipients({"me@shop.example"})))
    make_crm(sqlite_url, people(3), [])
    before = checksum(sqlite_url)
    refused = cli("test-send", path, "m", "--crm", sqlite_url, "--customer", "1", "--to", "me@shop.example",
                  "--settings", settings)
    assert refused.returncode == 1
    assert refused.stderr.strip() == "refused: recipient refused: 550 5.1.1 no such user here"
    for args, said in ((("start", "--customer", "1", "--to", "a@b.example"),
                        "error: node 'start' is not a message node of this scenario"),
                       (("m", "--customer", "99", "--to", "a@b.example"), "error: there is no customer 99 in the CRM"),
                       (("m", "--customer", "1", "--to", "nobody"), "error: 'nobody' is not an email address")):
        bad = cli("test-send", path, *args, "--crm", sqlite_url, "--settings", settings)
        assert (bad.returncode, bad.stderr.strip()) == (2, said)
    assert checksum(sqlite_url) == before  # the 550 of a test lists nobody


def test_send_a_test_from_the_message_form_remembers_the_recipient(qtbot, window, demo_crm, servers):  # noqa: F811
    inbox = Inbox()
    port = servers(inbox)
    user_settings_path().parent.mkdir(parents=True, exist_ok=True)
    user_settings_path().write_text(f'[channels.email]\nkind = "smtp"\nhost = "127.0.0.1"\nport = {port}\n'
                                    'security = "none"\nfrom = "Shop <news@shop.example>"\n', encoding="utf-8")
    node = add(qtbot, window, "message", (300, 0))
    window.doc.set_params(node, {"channel": "email", "subject": "Hello {{ customer.first_name }}",
                                 "body": "Your {{ orders.count }} orders"})
    settle(qtbot, window)
    before = checksum(demo_crm)
    qtbot.mouseClick(form(window).findChild(QPushButton, "send_test"), Qt.MouseButton.LeftButton)
    dialog = form(window).test_dialog
    qtbot.waitUntil(dialog.isVisible)
    customer = dialog.chosen_customer()
    qtbot.keyClicks(dialog.findChild(QLineEdit, "test_recipient"), "owner@shop.example")
    qtbot.mouseClick(dialog.findChild(QPushButton, "test_send"), Qt.MouseButton.LeftButton)
    (test,) = inbox.received
    name, orders = window.session.render_sample({"subject": "{{ customer.first_name }}",
                                                 "body": "{{ orders.count }}"}, customer)
    assert (test["To"], test["Subject"]) == ("owner@shop.example", f"[TEST] Hello {name}")
    assert test.get_body(("plain",)).get_content().strip() == f"Your {orders} orders"
    assert dialog.findChild(QLabel, "test_status").text() == f"Sent to owner@shop.example: [TEST] Hello {name}"
    assert Prefs.load().test_recipient == "owner@shop.example"
    dialog.close()
    qtbot.mouseClick(form(window).findChild(QPushButton, "send_test"), Qt.MouseButton.LeftButton)
    assert form(window).test_dialog.findChild(QLineEdit, "test_recipient").text() == "owner@shop.example"
    form(window).test_dialog.close()
    assert checksum(demo_crm) == before
