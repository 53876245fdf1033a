"""The command line against what a real installation does to it: a CRM it may only read, two
first runs started together, a simulation stopped with SIGTERM. Real processes, real signals,
a real read-only file, a real PostgreSQL role without CREATE."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from tests.conftest import PG_ADMIN_URL
from tests.helpers import REACTIVATION, ROOT, checksum, make_crm, rows
from tests.test_cli import _ENV, cli
from tests.test_engine import CUSTOMERS, HISTORY

AT, WEEK_LATER = "2026-03-02T10:00", "2026-03-09T10:00"
NOBODY = 65534


def preview_json(url: str, at: str, **popen: object) -> dict:
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "preview", str(REACTIVATION), "--crm", url,
                           "--at", at, "--json"], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          **popen)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# -- preview on a CRM it may only read ---------------------------------------------------------------

@pytest.fixture
def read_only_folder() -> Iterator[Path]:
    """A folder that others may enter (pytest's tmp_path is root's alone), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="scenarist-ro-"))
    folder.chmod(0o755)
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(folder)


def as_reader(folder: Path) -> dict:
    """Keyword arguments that run a process unable to write ``folder``: as root, whom no file mode
    stops, the process runs as the user nobody; else the modes alone stop it."""
    env = {**_ENV, "XDG_CONFIG_HOME": str(folder / "home"), "XDG_DATA_HOME": str(folder / "home")}
    if os.geteuid() != 0:
        return {"env": env}
    probe = subprocess.run([sys.executable, "-c", "import app.preview"], cwd=ROOT, user=NOBODY, group=NOBODY,
                           extra_groups=[], capture_output=True, text=True, env=env)
    if probe.returncode != 0:
        pytest.skip(f"the user nobody cannot run this checkout's Python: {probe.stderr.strip()[-200:]}")
    return {"env": env, "user": NOBODY, "group": NOBODY, "extra_groups": []}


@pytest.mark.parametrize("ran_before", [False, True], ids=["never-run", "after-a-run"])
def test_preview_works_on_a_read_only_sqlite_file(read_only_folder, ran_before):
    url = f"sqlite:///{read_only_folder / 'crm.db'}"
    make_crm(url, CUSTOMERS, HISTORY)
    if ran_before:
        assert cli("run", str(REACTIVATION), "--crm", url, "--at", AT, "--no-deliver").returncode == 0
    at = WEEK_LATER if ran_before else AT
    expected = preview_json(url, at)  # the same preview while the file can be written
    before = checksum(url)
    (read_only_folder / "crm.db").chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    read_only_folder.chmod(0o555)  # no journal file can be created beside it either
    shown = preview_json(url, at, **as_reader(read_only_folder))
    assert shown["nodes"] == expected["nodes"]
    assert (shown["queued"], shown["entered"]) == (expected["queued"], expected["entered"])
    if not ran_before:  # by hand: Anna, Boris and Clara are churned with a valid, subscribed email
        assert shown["nodes"]["mail1"] == {"reached": 3, "waiting": 0, "goal": 0}
    else:  # the three wait7 releases: nobody came back, all three get the promo code
        assert shown["nodes"]["promo"]["reached"] == 3
    assert checksum(url) == before
    assert sorted(os.listdir(read_only_folder)) == ["crm.db"]


@pytest.fixture
def read_only_pg(pg_url) -> Iterator[tuple[str, str, str]]:
    """The test's schema, a fresh role that may enter it and create nothing, and its URL."""
    role = f"reader_{uuid.uuid4().hex[:10]}"
    schema = re.search(r"search_path%3D(\w+)", pg_url).group(1)
    admin = sa.create_engine(PG_ADMIN_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
    reader = sa.make_url(PG_ADMIN_URL).set(drivername="postgresql", username=role)
    yield schema, role, reader.render_as_string(hide_password=False) + "?options=" + quote(f"-csearch_path={schema}")
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP OWNED BY {role}")
        conn.exec_driver_sql(f"DROP ROLE {role}")
    admin.dispose()


@pytest.mark.parametrize("ran_before", [False, True], ids=["never-run", "after-a-run"])
def test_preview_works_for_a_postgresql_user_who_may_not_create_tables(pg_url, read_only_pg, ran_before):
    schema, role, reader = read_only_pg
    make_crm(pg_url, CUSTOMERS, HISTORY)
    if ran_before:
        assert cli("run", str(REACTIVATION), "--crm", pg_url, "--at", AT, "--no-deliver").returncode == 0
    at = WEEK_LATER if ran_before else AT
    expected = preview_json(pg_url, at)
    admin = sa.create_engine(PG_ADMIN_URL)
    with admin.begin() as conn:  # it may read every table there is, the engine's too, and write none
        conn.exec_driver_sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}")
    admin.dispose()
    before = checksum(pg_url)
    written = cli("run", str(REACTIVATION), "--crm", reader, "--at", at, "--no-deliver")
    assert written.returncode == 1 and "permission denied" in written.stderr  # the role really writes nothing
    shown = preview_json(reader, at, env=_ENV)
    assert shown["nodes"] == expected["nodes"]
    assert (shown["queued"], shown["entered"]) == (expected["queued"], expected["entered"])
    assert checksum(pg_url) == before


# -- the first runs on a fresh PostgreSQL CRM ---------------------------------------------------------

def test_two_first_runs_on_a_fresh_postgresql_crm_never_race_on_creating_the_tables(pg_url):
    """Before, the second of two runs started together failed with a raw IntegrityError (on the
    catalog's pg_type index); now it waits for the tables, then yields or finds the day done."""
    make_crm(pg_url, CUSTOMERS, HISTORY)
    command = [sys.executable, str(ROOT / "main.py"), "run", str(REACTIVATION), "--crm", pg_url, "--at", AT,
               "--no-deliver", "--json"]
    runs = [subprocess.Popen(command, cwd=ROOT, env=_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    queued = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        code = run.returncode
        if code == 0:
            queued.append(json.loads(out)["queued"])
        else:
            assert code == 1 and re.fullmatch(r"error: scenario 'reactivation-by-orders' is being run by "
                                               r"(\S+:\d+ since [\d-]+ [\d:]+ UTC|another process)\n", err), err
    # Anna's, Boris's and Clara's first email, queued by whichever ran first; one that came later
    # found the day done and says the day's figures from the history; the outbox holds them once.
    assert queued in ([3], [3, 3])
    assert rows(pg_url, "SELECT count(*) FROM scenarist_outbox") == [(3,)]
    assert rows(pg_url, "SELECT scenario, version FROM scenarist_versions") == [("reactivation-by-orders", 1)]


# -- a simulation stopped by SIGTERM ------------------------------------------------------------------

MARK = "sigterm-mark@example.com"


def sim_copies_of_mine() -> list[str]:
    """The PostgreSQL copies holding this test's marked customer (other tests may simulate too)."""
    admin = sa.create_engine(PG_ADMIN_URL)
    found = []
    with admin.connect() as conn:
        for schema in conn.execute(sa.text("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'scenarist_sim_%'")
                                   ).scalars().all():
            try:
                if conn.execute(sa.text(f'SELECT 1 FROM "{schema}".customers WHERE email = :m'), {"m": MARK}).first():
                    found.append(schema)
            except sa.exc.ProgrammingError:  # a copy being filled or dropped right now
                conn.rollback()
    admin.dispose()
    return found


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.05)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_simulation_stopped_by_sigterm_removes_its_copy(request, tmp_path, database):
    url = request.getfixturevalue("sqlite_url" if database == "sqlite" else "pg_url")
    make_crm(url, [*CUSTOMERS, {"id": 10, "email": MARK, "first_name": "Mark"}], HISTORY)
    before = checksum(url)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    sim = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "simulate", str(REACTIVATION), "--crm", url,
                            "--at", AT, "--days", "3650"], cwd=ROOT, env={**_ENV, "TMPDIR": str(scratch)},
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        if database == "sqlite":
            def copy_runs() -> bool:  # the copy exists and its ticks have begun
                copies = list(scratch.glob("scenarist-sim-*/crm.db"))
                return bool(copies) and _has_runs(copies[0])
            wait_for(copy_runs)
        else:
            wait_for(lambda: bool(sim_copies_of_mine()))
        sim.send_signal(signal.SIGTERM)
        _, err = sim.communicate(timeout=60)
    finally:
        if sim.poll() is None:
            sim.kill()
    assert sim.returncode == 1
    assert re.fullmatch(r"error: cancelled after \d+ simulated day\(s\); the CRM was not changed\n", err), err
    assert list(scratch.iterdir()) == []
    if database == "postgresql":
        assert sim_copies_of_mine() == []
    assert checksum(url) == before


def _has_runs(path: Path) -> bool:
    import sqlite3

    try:
        with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0.2) as db:
            return db.execute("SELECT count(*) FROM scenarist_runs").fetchone()[0] >= 1
    except sqlite3.Error:  # not created yet, or locked for a moment by the simulation
        return False
