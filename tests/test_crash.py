"""A real process killed between any two steps: the next run finishes the work, with nothing
lost and nothing queued or credited twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from tests.helpers import ROOT, make_crm, rows
from tests.test_engine import points_scenario

POINTS = [
    "before-commit:entry", "entry",
    "before-commit:step:gift", "step:gift",
    "before-commit:step:tell", "step:tell",
    "render:1",
    "before-commit:step:again",
]
CUSTOMERS = [{"id": i, "email": f"c{i}@example.com", "first_name": f"N{i}", "phone": f"+7900{i:04d}",
              "sms_subscribed": i % 2 == 0, "email_subscribed": i % 5 != 0, "bonus_points": 10}
             for i in range(1, 41)]


def run_cli(scenario_file, url, at, crash_at=None):
    env = {k: v for k, v in os.environ.items() if k != "SCENARIST_CRASH_AT"}
    if crash_at:
        env["SCENARIST_CRASH_AT"] = crash_at
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "run", str(scenario_file), "--crm", url,
                           "--at", at, "--json"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def final_state(url):
    return {
        "enrolments": rows(url, "SELECT customer_id, status, node_id FROM scenarist_enrolments ORDER BY customer_id"),
        # Enrolment ids (and so idempotency keys) may differ: PostgreSQL does not roll sequences back.
        "outbox": rows(url, "SELECT customer_id, node_id, status, subject, body FROM scenarist_outbox "
                            "ORDER BY customer_id, node_id"),
        "ledger": rows(url, "SELECT customer_id, node_id, amount FROM scenarist_bonuses ORDER BY customer_id"),
        "balances": rows(url, "SELECT id, bonus_points FROM customers ORDER BY id"),
        "journal": rows(url, "SELECT count(*) FROM scenarist_journal"),
    }


DAYS = ["2026-03-02T10:00", "2026-03-03T10:00"]


@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "points.scenario.json"
    path.write_text(json.dumps(points_scenario()), encoding="utf-8")
    return path


@pytest.fixture
def expected(tmp_path_factory, scenario_file):
    """The state two days of uninterrupted runs leave."""
    url = f"sqlite:///{tmp_path_factory.mktemp('clean') / 'crm.db'}"
    make_crm(url, CUSTOMERS, [])
    for at in DAYS:
        assert run_cli(scenario_file, url, at).returncode == 0
    return final_state(url)


@pytest.mark.slow
@pytest.mark.parametrize("point", POINTS)
def test_killed_process_loses_nothing_and_doubles_nothing(crm_url, scenario_file, expected, point):
    make_crm(crm_url, CUSTOMERS, [])
    day2_point = point.endswith("again")
    first = run_cli(scenario_file, crm_url, DAYS[0], crash_at=None if day2_point else point)
    if not day2_point:
        assert first.returncode == -signal.SIGKILL, first.stderr
    again = run_cli(scenario_file, crm_url, DAYS[0])
    assert again.returncode == 0, again.stderr
    killed = run_cli(scenario_file, crm_url, DAYS[1], crash_at=point if day2_point else None)
    if day2_point:
        assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert run_cli(scenario_file, crm_url, DAYS[1]).returncode == 0
    assert final_state(crm_url) == expected
    summary = json.loads(again.stdout)
    assert summary["entered"] == 32 and summary["bonuses"] == 32  # the killed attempt's work is counted once
