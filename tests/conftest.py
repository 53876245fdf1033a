"""Shared fixtures: a real SQLite file and a real PostgreSQL schema per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # Qt widgets render without a screen

PG_ADMIN_URL = os.environ.get("SCENARIST_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_available() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        engine = sa.create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure to connect means: no server here
        return f"PostgreSQL at {PG_ADMIN_URL} is not reachable ({type(exc).__name__})"


_PG_REASON = _pg_available()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """URL of a fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'crm.db'}"


def pg_schema_url() -> Iterator[str]:
    """URL of a fresh PostgreSQL schema, dropped when the generator ends; fails under CI
    without a server, else skips."""
    if _PG_REASON:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the PostgreSQL tests: {_PG_REASON}")
        pytest.skip(_PG_REASON)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_ADMIN_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(PG_ADMIN_URL).set(drivername="postgresql")
    yield url.render_as_string(hide_password=False) + "?options=" + quote(f"-csearch_path={schema}")
    with admin.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL of a fresh PostgreSQL schema for one test."""
    yield from pg_schema_url()


@pytest.fixture(params=["sqlite", "postgresql"])
def crm_url(request) -> str:
    """A fresh CRM database URL, once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def user_dirs(tmp_path, monkeypatch) -> Path:
    """A fresh home for the user's settings and data (platformdirs reads these variables)."""
    home = tmp_path / "home"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    return home


@pytest.fixture(autouse=True)
def _qt_garbage_collected(request) -> Iterator[None]:
    """After a test with widgets: carry out Qt's pending deletions, then Python's garbage
    collection, while the test's objects are still consistent. Left to a later, random moment
    (a collection inside another test), a wrapper whose widget Qt already deleted can crash
    the interpreter far from its cause."""
    yield
    if "qtbot" not in request.fixturenames:
        return
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
