"""The task node against a real aiosmtpd server on both databases: a note about each customer
reaches the staff address exactly once, also across a kill -9 and a rerun, with no consent asked
and no frequency cap counting it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from app.settings import SettingsError, load_settings
from engine.scenario import from_dict
from engine.validation import validate
from tests.helpers import ROOT, make_crm, rows
from tests.test_delivery import smtp_server  # noqa: F401 - fixture
from tests.test_engine_events import at, mail, people, scenario

TASK = {"id": "t", "type": "task", "params": {
    "channel": "staff", "subject": "Call {{ customer.first_name }}",
    "body": "{{ customer.first_name }}: {{ customer.email }}, {{ orders.count }} orders. Rule: {{ scenario.name }}"}}


def run(path: str, url: str, settings: str, when, crash_at: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SCENARIST_CRASH_AT"}
    if crash_at:
        env["SCENARIST_CRASH_AT"] = crash_at
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "run", path, "--crm", url, "--at", when.isoformat(),
                           "--settings", settings, "--json"], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=120)


def setup(tmp_path, url: str, port: int) -> tuple[str, str]:
    crowd = people(3)
    crowd[2]["email_subscribed"] = False  # no consent for emails: the manager hears of them all the same
    make_crm(url, crowd, [{"customer_id": 1, "created_at": at(-40).replace(tzinfo=None)}])
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[channels.staff]\nkind = "smtp"\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
                        f'from = "Scenarist <robot@shop.example>"\nto = "manager@shop.example"\n'
                        f'connections = 1\n\n'  # one at a time: a kill after the server's yes leaves that one task
                        f'[channels.email]\nkind = "smtp"\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
                        f'from = "Shop <news@shop.example>"\n\n[frequency_cap]\nmessages = 1\ndays = 7\n',
                        encoding="utf-8")
    data = scenario({}, [TASK, mail("m")], [("start", "out", "t"), ("t", "out", "m")], id="tasks")
    path = tmp_path / "tasks.scenario.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path), str(settings)


@pytest.mark.parametrize("point", ["step:t", "render:1", "delivery:sent"])
def test_a_task_reaches_the_staff_address_once_across_a_kill_and_a_rerun(crm_url, tmp_path, smtp_server, point):  # noqa: F811
    inbox, port = smtp_server()
    path, settings = setup(tmp_path, crm_url, port)
    killed = run(path, crm_url, settings, at(0), crash_at=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    again = run(path, crm_url, settings, at(0))
    assert again.returncode == 0, again.stderr
    tasks = sorted(m["Subject"] for m in inbox.received if m["To"] == "manager@shop.example")
    assert tasks == ["Call C1", "Call C2", "Call C3"]  # each exactly once
    first = next(m for m in inbox.received if m["Subject"] == "Call C1")
    assert first.get_body(("plain",)).get_content().strip() == "C1: c1@example.com, 1 orders. Rule: tasks"
    customers = sorted(m["To"] for m in inbox.received if m["To"] != "manager@shop.example")
    assert customers == ["c1@example.com", "c2@example.com"]  # the cap of 1 message counts no task
    # Killed between the server's yes and the mark: that task is 'unknown' and never sent again.
    staff = [("staff", "sent", 2), ("staff", "unknown", 1)] if point == "delivery:sent" else [("staff", "sent", 3)]
    assert rows(crm_url, "SELECT channel, status, count(*) FROM scenarist_outbox GROUP BY channel, status "
                         "ORDER BY channel, status") == [("email", "sent", 2), ("email", "skipped", 1), *staff]


def test_a_task_needs_a_staff_channel_name_and_shows_in_preview_counts(tmp_path):
    bad = scenario({}, [{**TASK, "params": {**TASK["params"], "channel": "email"}}], [("start", "out", "t")])
    assert [(p.node, p.field) for p in validate(bad) if p.severity == "error"] == [("t", "params.channel")]
    good = scenario({}, [TASK], [("start", "out", "t")])
    assert from_dict(good).to_dict()["nodes"][1]["params"]["channel"] == "staff"
    settings = tmp_path / "s.toml"
    settings.write_text('[channels.staff]\nkind = "smtp"\nhost = "127.0.0.1"\nport = 25\nsecurity = "none"\n'
                        'from = "Robot <robot@shop.example>"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="staff channels for task nodes with a fixed recipient: 'to'"):
        load_settings(str(settings))
