"""The engine's own tables (prefix ``scenarist_``), created and migrated by the engine.

They live in the CRM database so that each step is one set-based statement joined with the
customers. Timestamps are naive local times of the scenario's timezone, stored on SQLite as
'YYYY-MM-DD HH:MM:SS' text so they compare with ``datetime()`` of the shop's own columns.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

SCHEMA_VERSION = 5
SCHEMA_LOCK = (0x5C3A, 1)  # the advisory lock pair that creating and migrating the tables takes
PREFIX = "scenarist_"
SQLITE_TS = "%Y-%m-%d %H:%M:%S"

# Enrolment and outbox states.
ACTIVE, FINISHED = "active", "finished"
NEW, PENDING, SKIPPED, FAILED, CAPPED = "new", "pending", "skipped", "failed", "capped"
SENDING, SENT, UNKNOWN = "sending", "sent", "unknown"
SUPPRESSED = "suppressed"  # the recipient is on the suppression list (schema 5)
NOT_COUNTED_AS_SENT = (SKIPPED, FAILED, CAPPED, SUPPRESSED)


class LocalDateTime(sa.TypeDecorator):
    """A naive local timestamp, stored as sortable text on SQLite."""

    impl = sa.DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(19))
        return dialect.type_descriptor(sa.DateTime())

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return value.strftime(SQLITE_TS)

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> Any:
        if value is None or isinstance(value, datetime):
            return value
        return datetime.fromisoformat(value)


ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # INTEGER PRIMARY KEY is SQLite's rowid


@dataclass
class StateTables:
    """The engine's tables. ``enrolments`` may be a temporary shadow (preview)."""

    metadata: sa.MetaData
    meta: sa.Table
    enrolments: sa.Table
    journal: sa.Table
    outbox: sa.Table
    bonuses: sa.Table
    entries: sa.Table
    runs: sa.Table
    run_counts: sa.Table
    leases: sa.Table
    versions: sa.Table
    run_ports: sa.Table
    suppressions: sa.Table


def _enrolments(metadata: sa.MetaData, name: str, temporary: bool = False) -> sa.Table:
    return sa.Table(
        name, metadata,
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("scenario", sa.String(200), nullable=False),
        sa.Column("customer_id", sa.BigInteger, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("node_id", sa.String(64), nullable=False),
        sa.Column("prev_node_id", sa.String(64)),
        sa.Column("entered_at", LocalDateTime, nullable=False),
        sa.Column("entry_day", sa.Integer, nullable=False),
        sa.Column("arrived_at", LocalDateTime, nullable=False),
        sa.Column("due_at", LocalDateTime),
        sa.Column("ended_at", LocalDateTime),
        sa.Column("exit_port", sa.String(64)),
        sa.Column("held", sa.String(16)),  # why it waits past its time: "budget" (schema 5)
        *([] if temporary else [
            sa.Index(f"{name}_at_node", "scenario", "status", "node_id", "due_at"),
            sa.Index(f"{name}_customer", "customer_id", "scenario", "status"),
        ]),
        prefixes=["TEMPORARY"] if temporary else [],
    )


def build_state_tables(metadata: sa.MetaData | None = None, *, temporary: bool = False) -> StateTables:
    """Declare the engine's tables on ``metadata``; ``temporary``: as temporary tables of the
    same names, which a connection sees instead of (absent) real ones until it ends."""
    md = metadata or sa.MetaData()
    p = PREFIX

    def table(name: str, *items: Any) -> sa.Table:
        return sa.Table(f"{p}{name}", md, *items, prefixes=["TEMPORARY"] if temporary else [])

    return StateTables(
        metadata=md,
        meta=table("meta",
                   sa.Column("key", sa.String(64), primary_key=True),
                   sa.Column("value", sa.Text, nullable=False)),
        enrolments=_enrolments(md, f"{p}enrolments", temporary=temporary),
        journal=table(
            "journal",
            sa.Column("id", ID, primary_key=True, autoincrement=True),
            sa.Column("enrolment_id", sa.BigInteger, nullable=False),
            sa.Column("scenario", sa.String(200), nullable=False),
            sa.Column("node_id", sa.String(64), nullable=False),
            sa.Column("at", LocalDateTime, nullable=False),
            sa.Index(f"{p}journal_enrolment", "enrolment_id", "node_id"),
        ),
        outbox=table(
            "outbox",
            sa.Column("id", ID, primary_key=True, autoincrement=True),
            sa.Column("idempotency_key", sa.String(300), nullable=False, unique=True),
            sa.Column("scenario", sa.String(200), nullable=False),
            sa.Column("node_id", sa.String(64), nullable=False),
            sa.Column("enrolment_id", sa.BigInteger, nullable=False),
            sa.Column("customer_id", sa.BigInteger, nullable=False),
            sa.Column("channel", sa.String(16), nullable=False),
            sa.Column("recipient", sa.String(320)),
            sa.Column("subject", sa.Text),
            sa.Column("body", sa.Text),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("error", sa.Text),
            sa.Column("created_at", LocalDateTime, nullable=False),
            sa.Column("rendered_at", LocalDateTime),
            sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
            sa.Column("next_attempt_at", LocalDateTime),
            sa.Column("sent_at", LocalDateTime),
            sa.Index(f"{p}outbox_status", "status", "id"),
            sa.Index(f"{p}outbox_customer", "customer_id", "created_at"),
            sa.Index(f"{p}outbox_enrolment", "enrolment_id", "node_id"),
        ),
        bonuses=table(
            "bonuses",
            sa.Column("id", ID, primary_key=True, autoincrement=True),
            sa.Column("scenario", sa.String(200), nullable=False),
            sa.Column("node_id", sa.String(64), nullable=False),
            sa.Column("enrolment_id", sa.BigInteger, nullable=False),
            sa.Column("customer_id", sa.BigInteger, nullable=False),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("amount", sa.Numeric(12, 2)),
            sa.Column("discount", sa.String(100)),
            sa.Column("code", sa.String(64), unique=True),
            sa.Column("issued_at", LocalDateTime, nullable=False),
            sa.Column("expires_at", LocalDateTime),
            sa.Column("applied", sa.Boolean, nullable=False),
            sa.UniqueConstraint("enrolment_id", "node_id", name=f"{p}bonuses_once"),
            sa.Index(f"{p}bonuses_applied", "scenario", "node_id", "applied"),
        ),
        entries=table(
            "entries",
            sa.Column("scenario", sa.String(200), primary_key=True),
            sa.Column("day", sa.String(10), primary_key=True),
            sa.Column("at", LocalDateTime, nullable=False),
            sa.Column("admitted", sa.Integer, nullable=False),
            sa.Column("skipped", sa.Boolean, nullable=False, server_default=sa.false()),
        ),
        runs=table(
            "runs",
            sa.Column("id", ID, primary_key=True, autoincrement=True),
            sa.Column("scenario", sa.String(200), nullable=False),
            sa.Column("at", LocalDateTime, nullable=False),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("entered", sa.Integer, nullable=False, server_default="0"),
            sa.Column("queued", sa.Integer, nullable=False, server_default="0"),
            sa.Column("skipped", sa.Integer, nullable=False, server_default="0"),
            sa.Column("capped", sa.Integer, nullable=False, server_default="0"),  # over the frequency cap (schema 3)
            sa.Column("failed", sa.Integer, nullable=False, server_default="0"),
            sa.Column("bonuses", sa.Integer, nullable=False, server_default="0"),
            sa.Column("error", sa.Text),
            sa.Column("seconds", sa.Float),  # wall time of the tick (schema 2)
            sa.Column("sent", sa.Integer, nullable=False, server_default="0"),  # delivered after it (schema 2)
            sa.Column("undelivered", sa.Integer, nullable=False, server_default="0"),  # refused or unknown (schema 2)
            sa.Column("version", sa.Integer),  # the published version that ran (schema 4)
            sa.Column("goal", sa.Integer, nullable=False, server_default="0"),  # left by the goal (schema 5)
            sa.Column("suppressed", sa.Integer, nullable=False, server_default="0"),  # on the list (schema 5)
            sa.Column("parts", sa.Integer, nullable=False, server_default="0"),  # SMS parts queued (schema 5)
            sa.UniqueConstraint("scenario", "at", name=f"{p}runs_once"),
        ),
        versions=table(
            "versions",
            sa.Column("scenario", sa.String(200), primary_key=True),
            sa.Column("version", sa.Integer, primary_key=True),
            sa.Column("body", sa.Text, nullable=False),
            sa.Column("published_at", LocalDateTime, nullable=False),
        ),
        leases=table(
            "leases",
            sa.Column("scenario", sa.String(200), primary_key=True),
            sa.Column("holder", sa.String(200), nullable=False),
            sa.Column("since", LocalDateTime, nullable=False),
            sa.Column("expires_at", LocalDateTime, nullable=False),
        ),
        run_counts=table(
            "run_counts",
            sa.Column("run_id", sa.BigInteger, primary_key=True),
            sa.Column("node_id", sa.String(64), primary_key=True),
            sa.Column("reached", sa.Integer, nullable=False, server_default="0"),
        ),
        # Who left a deciding node by each port in a run (a filter's yes and no): created with the
        # other tables by create_all, so an older database gets it without a migration.
        run_ports=table(
            "run_ports",
            sa.Column("run_id", sa.BigInteger, primary_key=True),
            sa.Column("node_id", sa.String(64), primary_key=True),
            sa.Column("port", sa.String(64), primary_key=True),
            sa.Column("n", sa.Integer, nullable=False, server_default="0"),
        ),
        # Addresses no scenario sends to (schema 5): a refusal that named the recipient, an
        # unsubscribe, or the shop's own list; created by create_all like run_ports.
        suppressions=table(
            "suppressions",
            sa.Column("channel", sa.String(16), primary_key=True),
            sa.Column("address", sa.String(320), primary_key=True),
            sa.Column("reason", sa.Text, nullable=False),
            sa.Column("source", sa.String(200), nullable=False),
            sa.Column("at", LocalDateTime, nullable=False),
        ),
    )


STATE = build_state_tables()

# Migrations from version N to N+1, each a list of SQL statements. Version 1 is create_all.
MIGRATIONS: dict[int, list[str]] = {
    1: [f"ALTER TABLE {PREFIX}runs ADD COLUMN seconds FLOAT",
        f"ALTER TABLE {PREFIX}runs ADD COLUMN sent INTEGER NOT NULL DEFAULT 0",
        f"ALTER TABLE {PREFIX}runs ADD COLUMN undelivered INTEGER NOT NULL DEFAULT 0"],
    2: [f"ALTER TABLE {PREFIX}runs ADD COLUMN capped INTEGER NOT NULL DEFAULT 0"],
    3: [f"ALTER TABLE {PREFIX}runs ADD COLUMN version INTEGER"],
    4: [f"ALTER TABLE {PREFIX}runs ADD COLUMN goal INTEGER NOT NULL DEFAULT 0",
        f"ALTER TABLE {PREFIX}runs ADD COLUMN suppressed INTEGER NOT NULL DEFAULT 0",
        f"ALTER TABLE {PREFIX}runs ADD COLUMN parts INTEGER NOT NULL DEFAULT 0",
        f"ALTER TABLE {PREFIX}enrolments ADD COLUMN held VARCHAR(16)"],
}


def ensure_schema(conn: Connection) -> None:
    """Create or migrate the engine's tables inside the caller's transaction.

    Raises:
        RuntimeError: if the database was written by a newer Scenarist.
    """
    if conn.dialect.name == "postgresql":
        # Two first runs on a fresh database would both find no table and both CREATE it: the
        # second failed on the catalog's unique index. This lock, held until the caller's
        # transaction ends, makes the second wait and then find the tables (SQLite's
        # BEGIN IMMEDIATE already does). A key pair of its own: the runner lock uses single keys.
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(*SCHEMA_LOCK)))
    STATE.metadata.create_all(conn, checkfirst=True)
    meta = STATE.meta
    row = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).first()
    if row is None:
        conn.execute(meta.insert(), [
            {"key": "schema_version", "value": str(SCHEMA_VERSION)},
            # Keys the hash in promo codes, so that codes cannot be guessed from one another.
            {"key": "code_secret", "value": secrets.token_hex(16)},
        ])
        return
    version = int(row.value)
    if version > SCHEMA_VERSION:
        raise RuntimeError(
            f"the engine tables are at schema version {version}, newer than this Scenarist "
            f"({SCHEMA_VERSION}); upgrade Scenarist"
        )
    while version < SCHEMA_VERSION:
        for statement in MIGRATIONS[version]:
            conn.exec_driver_sql(statement)
        version += 1
    conn.execute(STATE.meta.update().where(STATE.meta.c.key == "schema_version").values(value=str(version)))


def shadow_enrolments(conn: Connection, scenario_key: str) -> sa.Table:
    """A temporary copy of the scenario's active enrolments, for a preview that writes nothing."""
    md = sa.MetaData()
    shadow = _enrolments(md, f"{PREFIX}preview_enrolments", temporary=True)
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {shadow.name}")
    shadow.create(conn)
    src = STATE.enrolments
    present = {c["name"] for c in sa.inspect(conn).get_columns(src.name)}  # an older schema lacks the newer ones
    cols = [c.name for c in src.c if c.name in present]
    conn.execute(shadow.insert().from_select(
        cols, sa.select(*[src.c[c] for c in cols]).where(src.c.scenario == scenario_key, src.c.status == ACTIVE)))
    if conn.dialect.name == "postgresql":  # new rows must not take the ids of copied ones
        conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{shadow.name}', 'id'), "
                             f"(SELECT coalesce(max(id), 0) + 1 FROM {shadow.name}), false)")
    return shadow
