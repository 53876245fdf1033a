"""``connections`` of an SMTP channel: a dispatch sends through that many connections at once, against
a real aiosmtpd server that takes its time, and still sends each message once, stops the channel on a
refused login, and leaves nothing 'sending' when the runner stops it between messages."""

from __future__ import annotations

import asyncio
import threading

import pytest
from aiosmtpd.smtp import AuthResult

from app.settings import SettingsError, build_channels, load_settings
from connectors.channels import SmtpChannel
from engine.dispatch import deliver
from tests.helpers import rows
from tests.test_delivery import Inbox
from tests.test_delivery_faults import STATUS, email_crm, people, smtp_servers  # noqa: F401 - fixture
from tests.test_engine import naive


class SlowInbox(Inbox):
    """Takes each message after a pause, counting how many sessions hand one over at the same time."""

    def __init__(self, pause: float = 0.3) -> None:
        super().__init__()
        self.pause, self.at_once, self.most_at_once = pause, 0, 0
        self.guard = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.guard:
            self.at_once += 1
            self.most_at_once = max(self.most_at_once, self.at_once)
        await asyncio.sleep(self.pause)
        with self.guard:
            self.at_once -= 1
        return await super().handle_DATA(server, session, envelope)


def channel(port: int, connections: int, **extra) -> SmtpChannel:
    return SmtpChannel("127.0.0.1", port, "Shop <news@shop.example>", security="none", connections=connections,
                       **extra)


def test_three_connections_send_three_at_once_and_each_message_once(sqlite_url, smtp_servers):  # noqa: F811
    inbox, port = smtp_servers(SlowInbox())
    crm = email_crm(sqlite_url, people(9))
    report = deliver(crm.engine, {"email": channel(port, 3)}, naive(0, 10))
    crm.dispose()
    assert report.counts["sent"] == 9 and report.stopped == {}
    assert inbox.most_at_once == 3
    assert sorted(m["To"] for m in inbox.received) == sorted(f"c{i}@example.com" for i in range(1, 10))
    assert len({m["Message-ID"] for m in inbox.received}) == 9
    assert [(s, a) for _, s, a, _ in rows(sqlite_url, STATUS)] == [("sent", 1)] * 9


def test_one_connection_sends_one_at_a_time(sqlite_url, smtp_servers):  # noqa: F811
    inbox, port = smtp_servers(SlowInbox(pause=0.05))
    crm = email_crm(sqlite_url, people(4))
    report = deliver(crm.engine, {"email": channel(port, 1)}, naive(0, 10))
    crm.dispose()
    assert report.counts["sent"] == 4 and inbox.most_at_once == 1


def test_a_refused_login_stops_every_connection_and_counts_no_try(sqlite_url, smtp_servers):  # noqa: F811
    def refuse(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=False, handled=False)

    inbox, port = smtp_servers(SlowInbox(), authenticator=refuse, auth_require_tls=False)
    crm = email_crm(sqlite_url, people(6))
    report = deliver(crm.engine, {"email": channel(port, 3, username="shop", password="wrong")}, naive(0, 10))
    crm.dispose()
    assert report.stopped["email"].startswith("SMTP login refused: 535")
    assert report.counts["sent"] == 0 and report.waiting == {"email": 6} and inbox.received == []
    # The three claimed at once went back to waiting, their tries not counted; the others were never claimed.
    assert [(s, a) for _, s, a, _ in rows(sqlite_url, STATUS)] == [("pending", 0)] * 6


class Stop(Exception):
    pass


def test_a_runner_stopped_between_messages_leaves_none_sending(sqlite_url, smtp_servers):  # noqa: F811
    inbox, port = smtp_servers(SlowInbox(pause=0.2))
    crm = email_crm(sqlite_url, people(12))
    beats = []

    def heartbeat() -> None:
        beats.append(1)
        if len(beats) == 4:
            raise Stop("SIGTERM")

    with pytest.raises(Stop):
        deliver(crm.engine, {"email": channel(port, 3)}, naive(0, 10), heartbeat=heartbeat)
    crm.dispose()
    statuses = [s for _, s, _, _ in rows(sqlite_url, STATUS)]
    assert "sending" not in statuses
    assert statuses.count("sent") == len(inbox.received)
    assert 3 <= statuses.count("sent") < 12 and statuses.count("pending") == 12 - statuses.count("sent")


def test_connections_in_the_settings(tmp_path) -> None:
    path = tmp_path / "settings.toml"
    base = '[channels.email]\nkind = "smtp"\nhost = "127.0.0.1"\nsecurity = "none"\nfrom = "Shop <s@shop.example>"\n'
    path.write_text(base + "connections = 2\n", encoding="utf-8")
    assert build_channels(load_settings(path))["email"].connections == 2
    path.write_text(base, encoding="utf-8")
    assert build_channels(load_settings(path))["email"].connections == 4  # issue 16: four when not written
    for bad in ("0", "33", '"3"', "2.5", "true"):
        path.write_text(base + f"connections = {bad}\n", encoding="utf-8")
        with pytest.raises(SettingsError, match="'connections' must be a whole number from 1 to 32"):
            load_settings(path)


def test_webhook_connections_in_the_settings(tmp_path) -> None:
    path = tmp_path / "settings.toml"
    base = '[channels.sms]\nkind = "webhook"\nurl = "https://gateway.example.com/send"\n'
    path.write_text(base + "connections = 7\n", encoding="utf-8")
    assert build_channels(load_settings(path))["sms"].connections == 7
    path.write_text(base, encoding="utf-8")
    assert build_channels(load_settings(path))["sms"].connections == 4
    path.write_text(base + "connections = 40\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="'connections' must be a whole number from 1 to 32"):
        load_settings(path)
