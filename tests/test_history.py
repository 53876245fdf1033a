"""The run history and the engine-table migration that added durations and delivery counts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from connectors.crm import Crm
from engine.history import record_delivery, run_history
from engine.runner import tick
from engine.scenario import from_dict
from engine.state import SCHEMA_VERSION
from tests.helpers import engine_for, make_crm, reactivation, rows
from tests.test_serve import ORDERS, PEOPLE

AT = datetime.fromisoformat("2026-11-23T10:30:00+03:00")


def test_history_lists_runs_with_node_counts_and_delivery(crm_url):
    make_crm(crm_url, PEOPLE, ORDERS)
    scenario = from_dict(reactivation())
    crm = Crm.open(crm_url)
    try:
        result = tick(scenario, crm, AT, render=False)
        with crm.engine.begin() as conn:
            record_delivery(conn, result.run_id, sent=28, undelivered=2)
        with crm.engine.connect() as conn:
            history = run_history(conn, scenario.key)
    finally:
        crm.dispose()
    assert len(history) == 1
    run = history[0]
    assert (run.status, run.entered, run.queued, run.sent, run.failed) == ("done", 30, 30, 28, 2)
    assert run.reached == result.reached and run.reached["mail1"] == 30
    assert 0 < run.seconds <= result.seconds  # the run as the history keeps it lasts no longer than the tick


def test_engine_tables_of_schema_1_are_migrated_keeping_their_rows(crm_url):
    make_crm(crm_url, PEOPLE, ORDERS)
    scenario = from_dict(reactivation())
    crm = Crm.open(crm_url)
    try:
        tick(scenario, crm, AT, render=False)
    finally:
        crm.dispose()
    engine = engine_for(crm_url)
    with engine.begin() as conn:  # back to what Scenarist with schema 1 wrote
        for column in ("seconds", "sent", "undelivered", "capped", "version", "goal", "suppressed", "parts"):
            conn.exec_driver_sql(f"ALTER TABLE scenarist_runs DROP COLUMN {column}")
        conn.exec_driver_sql("ALTER TABLE scenarist_enrolments DROP COLUMN held")
        conn.exec_driver_sql("UPDATE scenarist_meta SET value = '1' WHERE key = 'schema_version'")
    engine.dispose()
    crm = Crm.open(crm_url)
    try:
        tick(scenario, crm, datetime.fromisoformat("2026-11-24T10:30:00+03:00"), render=False)
    finally:
        crm.dispose()
    assert rows(crm_url, "SELECT value FROM scenarist_meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]
    engine = engine_for(crm_url)
    with engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("scenarist_runs")}
        held = {c["name"] for c in sa.inspect(conn).get_columns("scenarist_enrolments")}
    engine.dispose()
    assert {"seconds", "sent", "undelivered", "capped", "version", "goal", "suppressed", "parts"} <= columns
    assert "held" in held
    assert rows(crm_url, "SELECT entered, sent, seconds IS NULL FROM scenarist_runs ORDER BY id")[0] == (30, 0, True)
