"""The application layer: one way to run, shared by the command line and serve, and an editing
session driven without any widget."""

from __future__ import annotations

import copy
import json
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app.scheduling import ScenarioRunner
from app.session import EditingSession
from app.settings import load_settings
from app.workspace import Workspace
from engine.history import run_history
from engine.scenario import from_dict
from tests.helpers import REACTIVATION, engine_for, make_crm, reactivation, rows
from tests.test_cli import cli
from tests.test_engine import CUSTOMERS, HISTORY

MSK = ZoneInfo("Europe/Moscow")


def test_run_then_serve_continue_one_version_and_one_state(crm_url, tmp_path):
    make_crm(crm_url, CUSTOMERS, HISTORY)
    folder = tmp_path / "workspace"
    folder.mkdir()
    path = folder / "reactivation.scenario.json"
    path.write_text(REACTIVATION.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "workspace.toml").write_text(f'crm = "{crm_url}"\nenabled = ["{path.name}"]\n', encoding="utf-8")
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[channels.email]\nkind = "file"\nfolder = "{tmp_path / "outbox"}"\n', encoding="utf-8")

    first = cli("run", str(path), "--crm", crm_url, "--at", "2026-03-02T10:00", "--settings", str(settings), "--json")
    assert first.returncode == 0, first.stderr
    out = json.loads(first.stdout)
    assert out["version"] == 1 and out["entered"] == 3 and out["delivery"]["sent"] == 3

    # serve's runner, a week later: the wait is over for the three, who get the promo code's email;
    # Hanna, churned since day 5, enters and gets the first one.
    week_later = datetime(2026, 3, 9, 10, 0, tzinfo=MSK)
    runner = ScenarioRunner(Workspace.load(folder), load_settings(settings), threading.Event(),
                            clock=lambda: week_later)
    runner.run(path)
    assert rows(crm_url, "SELECT scenario, version FROM scenarist_versions") == [("reactivation-by-orders", 1)]
    engine = engine_for(crm_url)
    with engine.connect() as conn:
        history = run_history(conn, "reactivation-by-orders")
    engine.dispose()
    assert [(r.version, r.entered, r.queued, r.sent) for r in reversed(history)] == [(1, 3, 3, 3), (1, 1, 4, 4)]
    assert len(list((tmp_path / "outbox").iterdir())) == 7

    # The file changed: run publishes it as version 2 and runs that.
    data = reactivation()
    data["nodes"][0]["title"] = "Every morning"
    path.write_text(json.dumps(data), encoding="utf-8")
    again = cli("run", str(path), "--crm", crm_url, "--at", "2026-03-10T10:00", "--settings", str(settings), "--json")
    assert json.loads(again.stdout)["version"] == 2


def test_an_editing_session_without_widgets(sqlite_url):
    make_crm(sqlite_url, CUSTOMERS, HISTORY)
    session = EditingSession(from_dict(reactivation()), clock=lambda: datetime(2026, 3, 2, 10, 0, tzinfo=MSK))
    assert session.errors() == [] and not session.can_count()  # no CRM yet
    assert session.connect(sqlite_url) and "email" in session.fields
    counts = session.count()
    assert counts.reached["mail1"] == 3 and counts.waiting["wait7"] == 3

    churned = copy.deepcopy(session.scenario.node("churned").params)
    churned["conditions"].append({"kind": "field", "field": "vip_level", "op": "ge", "value": 2})
    problems = session.set_params("churned", churned)
    assert [(p.node, p.field) for p in problems] == [("churned", "params.conditions[5].field")]
    assert "vip_level" in problems[0].message
    # Counts survive unfinished work: the start still counts, the filter and what follows it say why not.
    assert session.can_count()
    unfinished = session.count()
    assert unfinished.reached["start"] == counts.reached["start"] and "mail1" not in unfinished.reached
    assert session.not_counted["churned"].code == "crm.no_field"
    assert session.not_counted["mail1"].code == "count.not_counted.after"

    churned["conditions"][-1] = {"kind": "orders", "agg": "count", "op": "ge", "value": 2}
    assert session.set_params("churned", churned) == []
    assert session.count().reached.get("mail1", 0) == 0  # nobody churned has two completed orders

    subject, body = session.render_sample(session.scenario.node("mail1").params, 1)
    assert "Анна" in subject + body
    # The customers to preview a message for, labelled as the lookup labels them (the id once).
    assert session.sample_customers()[:2] == [(1, "Анна · anna@example.ru"), (2, "Борис · boris@example.ru")]
    session.close()
    assert session.crm is None and not session.can_count()


def test_a_session_names_why_a_crm_cannot_be_used(tmp_path):
    session = EditingSession(from_dict(reactivation()))
    assert not session.connect(f"sqlite:///{tmp_path / 'typo.db'}")
    assert session.crm_error.code == "crm.no_sqlite_file" and not (tmp_path / "typo.db").exists()
    with pytest.raises(LookupError):
        session.sample_customers()
