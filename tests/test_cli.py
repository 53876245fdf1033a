"""The command line of DESIGN.md, run as a user runs it: exit codes, stderr lines, --json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

from tests.helpers import REACTIVATION, ROOT, checksum, make_crm, reactivation
from tests.test_engine import CUSTOMERS, HISTORY

_HOME = tempfile.mkdtemp(prefix="scenarist-home-")
# The user's own settings and data folders never leak into a test.
_ENV = {**os.environ, "XDG_CONFIG_HOME": f"{_HOME}/config", "XDG_DATA_HOME": f"{_HOME}/data"}


def cli(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout, env=_ENV)


def test_validate_ok_and_broken(tmp_path):
    assert cli("validate", str(REACTIVATION)).returncode == 0
    data = reactivation()
    data["nodes"][0]["params"]["at"] = "7 pm"
    data["edges"].append({"source": "mail3", "port": "out", "target": "ghost"})
    broken = tmp_path / "broken.scenario.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    done = cli("validate", str(broken))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("node 'start', field 'params.at': '7 pm' is not a time of day")
    assert "edge to a missing node 'ghost'" in lines[1]
    as_json = json.loads(cli("validate", str(broken), "--json").stdout)
    assert as_json["valid"] is False and len(as_json["problems"]) == 2


def test_validate_truncated_file_names_the_line(tmp_path):
    path = tmp_path / "cut.scenario.json"
    path.write_text(REACTIVATION.read_text(encoding="utf-8")[:300], encoding="utf-8")
    done = cli("validate", str(path))
    assert done.returncode == 2
    assert done.stderr.startswith("line ") and "not valid JSON" in done.stderr


def test_preview_and_run_json(crm_url):
    make_crm(crm_url, CUSTOMERS, HISTORY)
    before = checksum(crm_url)
    shown = cli("preview", str(REACTIVATION), "--crm", crm_url, "--at", "2026-03-02T10:00", "--json")
    assert shown.returncode == 0, shown.stderr
    assert checksum(crm_url) == before
    predicted = json.loads(shown.stdout)
    assert set(predicted["nodes"]) == {n["id"] for n in reactivation()["nodes"]}
    assert predicted["nodes"]["mail1"] == {"reached": 3, "waiting": 0, "goal": 0}
    assert predicted["nodes"]["wait7"] == {"reached": 3, "waiting": 3, "goal": 0}
    ran = cli("run", str(REACTIVATION), "--crm", crm_url, "--at", "2026-03-02T10:00", "--json", "--no-deliver")
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout)
    assert result["nodes"] == predicted["nodes"]
    assert (result["entered"], result["queued"], result["skipped"]) == (3, 3, 0)
    table = cli("preview", str(REACTIVATION), "--crm", crm_url, "--at", "2026-03-09T10:00")
    assert table.returncode == 0, table.stderr
    lines = {line.split()[0]: line.split()[1:5] for line in table.stdout.splitlines()[1:] if line.strip()}
    assert lines["node"] == ["type", "reached", "waiting", "goal"]  # the scenario has a goal: its column
    assert lines["wait7"] == ["wait", "1", "1", "0"]  # Hanna enters today; the three of day 0 go on:
    assert lines["promo"] == ["bonus", "3", "0", "0"]


def test_bad_input_and_failures_have_their_exit_codes(tmp_path, sqlite_url):
    scenario = str(REACTIVATION)
    with_password = cli("preview", scenario, "--crm", "postgresql://u:secret@127.0.0.1/test")
    assert with_password.returncode == 2 and "must not contain a password" in with_password.stderr
    missing = cli("preview", scenario, "--crm", sqlite_url)
    assert missing.returncode == 2 and "there is no SQLite file at" in missing.stderr
    assert not os.path.exists(sqlite_url.removeprefix("sqlite:///"))  # a typo leaves no empty database behind
    open(sqlite_url.removeprefix("sqlite:///"), "wb").close()
    empty = cli("preview", scenario, "--crm", sqlite_url)
    assert empty.returncode == 2 and "the CRM has no table 'customers'" in empty.stderr
    unreachable = cli("preview", scenario, "--crm", "postgresql://nobody@127.0.0.1:1/none", timeout=60)
    assert unreachable.returncode == 1 and "cannot connect to the CRM" in unreachable.stderr
    bad_at = cli("run", scenario, "--crm", sqlite_url, "--at", "yesterday")
    assert bad_at.returncode == 2
    assert "Traceback" not in with_password.stderr + empty.stderr + unreachable.stderr + bad_at.stderr


def test_demo_crm_command(tmp_path):
    path = tmp_path / "demo.db"
    done = cli("demo-crm", str(path), "--customers", "300", "--seed", "7", "--as-of", "2026-03-02T10:00")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["customers"] == 300
    preview = cli("preview", str(REACTIVATION), "--crm", f"sqlite:///{path}", "--at", "2026-03-02T10:00", "--json")
    reached = json.loads(preview.stdout)["nodes"]
    assert reached["start"]["reached"] == 300 and 0 < reached["mail1"]["reached"] < 300
    again = cli("demo-crm", str(path))
    assert again.returncode == 2 and "already exists" in again.stderr


def test_the_layers_below_the_window_import_no_qt():
    code = ("import sys, pkgutil, importlib, app, engine, connectors\n"
            "for pkg in (app, engine, connectors):\n"
            "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
            "        importlib.import_module(m.name)\n"
            "bad = sorted({n.split('.')[0] for n in sys.modules} & {'PySide6', 'shiboken6', 'NodeGraphQt', 'Qt'})\n"
            "print(','.join(bad))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_run_applies_the_frequency_cap_and_reports_conversions(sqlite_url, tmp_path):
    from tests.test_engine_events import add, local

    make_crm(sqlite_url, CUSTOMERS, HISTORY)
    settings = tmp_path / "settings.toml"
    settings.write_text("[frequency_cap]\nmessages = 1\ndays = 30\n", encoding="utf-8")
    first = cli("run", str(REACTIVATION), "--crm", sqlite_url, "--at", "2026-03-02T10:00", "--no-deliver",
                "--settings", str(settings), "--json")
    assert first.returncode == 0, first.stderr
    out = json.loads(first.stdout)
    assert (out["queued"], out["capped"]) == (3, 0)
    assert out["conversions"]["mail1"] == {"messages": 3, "customers": 0, "orders": 0, "revenue": 0.0, "rate": 0.0,
                                         "measure": "goal"}  # orders are counted by the goal
    add(sqlite_url, "orders", [{"customer_id": 2, "created_at": local(3), "total": 4200, "status": "completed"}])
    later = cli("run", str(REACTIVATION), "--crm", sqlite_url, "--at", "2026-03-09T10:00", "--no-deliver",
                "--settings", str(settings), "--json")
    out = json.loads(later.stdout)
    # The promo email is a second message within 30 days: held back by the cap, and counted; Hanna,
    # who churned on day 5, enters today and gets her first.
    assert (out["queued"], out["capped"]) == (1, 2)
    assert out["goal"] == 1 and out["nodes"]["wait7"]["goal"] == 1  # Boris ordered: he leaves by the goal
    assert out["conversions"]["mail1"]["orders"] == 1 and out["conversions"]["mail1"]["revenue"] == 4200.0
