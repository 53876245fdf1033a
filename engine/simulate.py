"""Simulation: the real engine run day by day over the next N days, on a throwaway copy of the CRM.

The CRM it was given is never written to. :func:`throwaway_copy` makes the copy (an SQLite
file copied with SQLite's backup API, or a uniquely named PostgreSQL schema filled with the
shop's tables and the engine's own tables, so that customers already waiting keep waiting)
and removes it afterwards, whatever happens. :func:`simulate` then calls the real
:func:`engine.runner.tick` twice per simulated day, at the trigger's local time and at the end of
the day, with rendering on: messages are rendered into the copy's outbox and never delivered.

An optional :class:`ResponseModel` makes customers who got a message order: each one with
probability ``rate``, on a day drawn uniformly from the 1 to ``within_days`` days after the
message, for a total drawn uniformly within ±30% of ``average_order`` (so its mean is
``average_order``). The order is written into the copy's orders table before that day's first
tick, so filters such as "ordered since entry" and "used the code" see it; it carries the latest
promo code of the customer's enrolment while the code is valid. Draws come from a keyed hash
of (seed, scenario, node, customer, day), so a seed gives the same orders on SQLite and
PostgreSQL, whatever order rows come back in. Orders falling after the last simulated day are
not placed.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import shutil
import sqlite3
import tempfile
import threading
import time as clock
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from connectors.crm import Crm, CrmError, Mapping
from connectors.texts import Text
from engine.model import Scenario
from engine.nodes import REGISTRY
from engine.runner import RunStopped, check_against_crm, tick
from engine.sms import sms_nodes, sms_parts
from engine.state import FAILED, NOT_COUNTED_AS_SENT, PREFIX, STATE, ensure_schema
from engine.timeutil import as_aware, parse_hhmm, to_local_naive, zone
from engine.uplift import uplift_json

MAX_DAYS = 3650
SPREAD = 0.3  # order totals are uniform within ±30% of the average order
END_OF_DAY = time(23, 59)
SIM_SCHEMA_PREFIX = "scenarist_sim_"
REACH_TABLE = "scenarist_sim_reach"  # in the copy: who reached each node, once per customer
# A message counts once queued (a render failure included, as the engine's "queued" counts it); skipped
# and capped ones do not. Customers answer only messages that would be sent.
NOT_A_MESSAGE = frozenset(NOT_COUNTED_AS_SENT) - {FAILED}
NOT_ANSWERED = frozenset(NOT_COUNTED_AS_SENT)
NODE_KEYS = ("reached", "waiting", "messages", "bonuses", "points", "orders", "revenue")
TOTAL_KEYS = ("entered", "messages", "bonuses", "points", "orders", "revenue")
CSV_COLUMNS = ("day", "node_id", "node_type", "title", *NODE_KEYS)


class SimulationCancelled(Exception):
    """The simulation was cancelled; ``result`` holds the days simulated until then."""

    def __init__(self, result: SimulationResult | None = None):
        super().__init__("the simulation was cancelled")
        self.result = result


BASELINE = "~baseline"  # the "node" of orders placed on one's own: no message's doing, no node counts them


@dataclass(frozen=True)
class ResponseModel:
    """How customers answer a message: who orders, when and for how much.

    Attributes:
        rate: Chance (0 to 1) that a customer who got a message orders.
        within_days: The order comes 1 to ``within_days`` days after the message (uniformly).
        average_order: Mean order total; each total is uniform within ±30% of it.
        seed: Seed of the draws; the same seed gives the same orders.
        baseline: Chance (0 to 1) that a customer orders on their own, message or not, 1 to
            ``within_days`` days after entering the scenario (a held-out control too), so that a
            control converts and the uplift is the messages' effect.
    """

    rate: float
    within_days: int
    average_order: float
    seed: int = 1
    baseline: float = 0.0

    def __post_init__(self) -> None:
        if not 0 <= self.rate <= 1:
            raise ValueError(f"the response rate must be between 0 and 1, not {self.rate}")
        if not 0 <= self.baseline <= 1:
            raise ValueError(f"the baseline rate must be between 0 and 1, not {self.baseline}")
        if not 1 <= self.within_days <= MAX_DAYS:
            raise ValueError(f"the response days must be between 1 and {MAX_DAYS}, not {self.within_days}")
        if not self.average_order >= 0:
            raise ValueError(f"the average order must be 0 or more, not {self.average_order}")

    def to_json(self) -> dict[str, Any]:
        """The model as the ``response`` object of :meth:`SimulationResult.to_json`."""
        return {"rate": self.rate, "within_days": self.within_days, "average_order": self.average_order,
                "seed": self.seed, "baseline": self.baseline}

    def draw(self, scenario_key: str, node_id: str, customer_id: int, day: date) -> tuple[int, float, float] | None:
        """Whether and how one customer answers one message sent on ``day``.

        Returns:
            None when the customer does not order, else (days after the message, order total,
            fraction of the order day's hours before the trigger time at which it is placed).
        """
        digest = hashlib.blake2b(f"{self.seed}\x1f{scenario_key}\x1f{node_id}\x1f{customer_id}\x1f{day}".encode(),
                                 digest_size=32).digest()
        u = [int.from_bytes(digest[i:i + 8], "big") / 2.0**64 for i in range(0, 32, 8)]
        if u[0] >= (self.baseline if node_id == BASELINE else self.rate):
            return None
        after = 1 + int(u[1] * self.within_days)
        total = round(self.average_order * (1 - SPREAD + 2 * SPREAD * u[2]), 2)
        return after, total, u[3]


@dataclass
class SimulationResult:
    """What a simulation did, per day and per node (see :meth:`to_json`).

    Attributes:
        scenario: The scenario (its key, name and nodes are reported).
        start: Aware start of the simulation, in the scenario's timezone.
        days: Number of simulated days.
        response: The response model, if any.
        daily: One entry per simulated day: ``{"day": date, "nodes": {id: {...}}, "entered": n}``.
        seconds: Wall time of the simulation.
        phases: Seconds spent in ticks, response orders and accounting (not in the JSON).
        people: Node id -> the distinct customers who reached it over the whole period (a
            customer checked by the trigger every day counts once).
    """

    scenario: Scenario
    start: datetime
    days: int
    response: ResponseModel | None
    daily: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    people: dict[str, int] = field(default_factory=dict)
    branches: dict[str, Any] = field(default_factory=dict)
    holdout: dict[str, Any] | None = None

    def node_order(self) -> list[Any]:
        """The scenario's nodes in topological order."""
        return self.scenario.topological_order()

    def to_json(self) -> dict[str, Any]:
        """The result as one JSON-ready object (the shape documented in the README)."""
        nodes = self.node_order()
        daily = []
        for entry in self.daily:
            per_node = {n.id: _rounded(entry["nodes"][n.id]) for n in nodes}
            daily.append({"day": entry["day"].isoformat(), "nodes": per_node,
                          "totals": _totals(per_node.values(), entry["entered"])})
        total_nodes: dict[str, dict[str, Any]] = {}
        for n in nodes:
            keys = (*NODE_KEYS, "parts") if "parts" in (daily[0]["nodes"][n.id] if daily else {}) else NODE_KEYS
            summed = {k: sum(d["nodes"][n.id][k] for d in daily) for k in keys}
            summed["reached"] = self.people.get(n.id, 0)  # people over the period, not daily arrivals added up
            summed["waiting"] = daily[-1]["nodes"][n.id]["waiting"] if daily else 0
            total_nodes[n.id] = _rounded(summed)
        totals = {"nodes": total_nodes,
                  **_totals(total_nodes.values(), sum(d["totals"]["entered"] for d in daily))}
        return {
            "scenario": self.scenario.key, "name": self.scenario.name, "start": self.start.isoformat(),
            "days": self.days, "response": self.response.to_json() if self.response else None,
            "nodes": [{"id": n.id, "type": n.type, "title": _title(n)} for n in nodes],
            "daily": daily, "totals": totals,
            "by_node": total_nodes,  # scripts read per-node figures by id, as with preview/run --json
            "branches": self.branches, "holdout": self.holdout,  # as run --json: each split against its control
            "seconds": round(self.seconds, 3),
        }

    def to_csv(self, target: str | Path | IO[str]) -> None:
        """Write one row per (day, node): day, node_id, node_type, title and the node's figures."""
        write_csv(self.to_json(), target)

    def csv_text(self) -> str:
        """The CSV of :meth:`to_csv` as text."""
        buffer = io.StringIO(newline="")
        self.to_csv(buffer)
        return buffer.getvalue()


def write_csv(data: dict[str, Any], target: str | Path | IO[str]) -> None:
    """Write a result's :meth:`SimulationResult.to_json` object as CSV, one row per (day, node)."""
    with contextlib.ExitStack() as stack:
        out = target if hasattr(target, "write") else stack.enter_context(
            open(target, "w", encoding="utf-8", newline=""))
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for day in data["daily"]:
            for node in data["nodes"]:
                figures = day["nodes"][node["id"]]
                writer.writerow([day["day"], node["id"], node["type"], node["title"],
                                 *[figures[k] for k in NODE_KEYS]])


def _title(node: Any) -> str:
    kind = REGISTRY.get(node.type)
    return node.title or (kind.title if kind is not None else node.type)


def _rounded(figures: dict[str, Any]) -> dict[str, Any]:
    out = {k: round(float(figures[k]), 2) if k in ("points", "revenue") else int(figures[k]) for k in NODE_KEYS}
    if "parts" in figures:  # an SMS node: the parts its messages take
        out["parts"] = int(figures["parts"])
    return out


def _totals(per_node: Any, entered: int) -> dict[str, Any]:
    per_node = list(per_node)
    out: dict[str, Any] = {"entered": int(entered)}
    for k in TOTAL_KEYS[1:]:
        value = sum(f[k] for f in per_node)
        out[k] = round(float(value), 2) if k in ("points", "revenue") else int(value)
    out["parts"] = sum(int(f.get("parts", 0)) for f in per_node)
    return out


# --- the throwaway copy --------------------------------------------------------------------------------

@contextlib.contextmanager
def throwaway_copy(source: Crm) -> Iterator[Crm]:
    """A :class:`Crm` on a copy of the CRM ``source``, removed when the block ends.

    SQLite: the file is copied with SQLite's backup API (a consistent snapshot, WAL included)
    into a temporary folder, deleted afterwards. PostgreSQL: a new schema ``scenarist_sim_<hex>``
    receives copies of the mapped customers and orders tables, an ``events`` table if there is
    one and every ``scenarist_*`` table, taken in one repeatable-read snapshot; the copy's
    connections see only that schema, and it is dropped afterwards, also on error or cancel.
    Serial and identity columns of the copies get sequences of their own, so rows the simulation
    adds never advance the original's sequences.

    Args:
        source: The CRM (its column mapping holds in the copy too); it is only read.

    Raises:
        CrmError: for a missing SQLite file or a CRM lacking a mapped table.
    """
    if source.is_sqlite:
        with _sqlite_copy(source, source.mapping) as copy:
            yield copy
    else:
        with _pg_copy(source, source.mapping) as copy:
            yield copy


@contextlib.contextmanager
def _sqlite_copy(source: Crm, mapping: Mapping | None) -> Iterator[Crm]:
    path = Path(source.engine.url.database or "")
    if not path.is_file():
        raise CrmError("crm.cannot_connect", reason=Text("crm.no_sqlite_file", {"path": str(path)}))
    folder = tempfile.mkdtemp(prefix="scenarist-sim-")
    copy: Crm | None = None
    try:
        target = Path(folder) / "crm.db"
        _sqlite_backup(path, target)
        copy = Crm.open(sa.URL.create("sqlite", database=str(target)).render_as_string(), mapping)

        @sa.event.listens_for(copy.engine, "connect")
        def _fast(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
            # A copy thrown away at the end needs no durability: commits skip the fsyncs.
            dbapi_conn.execute("PRAGMA synchronous = OFF")
            dbapi_conn.execute("PRAGMA journal_mode = MEMORY")
            dbapi_conn.execute("PRAGMA temp_store = MEMORY")

        yield copy
    finally:
        if copy is not None:
            copy.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def _sqlite_backup(path: Path, target: Path) -> None:
    """Copy an SQLite database page by page, as one consistent snapshot (WAL content included)."""
    try:  # read-only, so that not even a journal file is created next to the shop's database
        src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:  # a WAL database without its -shm file, in a read-only folder
        src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        src.execute("PRAGMA busy_timeout = 30000")
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")  # the copy leaves WAL: no -wal/-shm files to manage
    finally:
        dst.close()
        src.close()


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


STALE_COPY_SECONDS = 2 * 86_400  # no simulation runs this long: an older copy lost its process


def drop_stale_copies(source: Crm, now: float | None = None) -> list[str]:
    """Drop the copies that simulations killed outright (SIGKILL, power cut) left behind.

    A copy's schema is named ``scenarist_sim_<epoch>_<hex>``, so its age shows in its name.
    Returns the schemas dropped.
    """
    now = clock.time() if now is None else now
    with source.engine.begin() as conn:
        names = conn.execute(sa.text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"),
                             {"p": SIM_SCHEMA_PREFIX.replace("_", "\\_") + "%"}).scalars().all()
        stale = [n for n in names if _copy_born(n) is not None and now - _copy_born(n) > STALE_COPY_SECONDS]
        for name in stale:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {_quote(conn, name)} CASCADE")
    return stale


def _copy_born(schema: str) -> int | None:
    epoch = schema.removeprefix(SIM_SCHEMA_PREFIX).partition("_")[0]
    return int(epoch) if epoch.isdigit() else None


@contextlib.contextmanager
def _pg_copy(source: Crm, mapping: Mapping | None) -> Iterator[Crm]:
    drop_stale_copies(source)
    schema = f"{SIM_SCHEMA_PREFIX}{int(clock.time())}_{uuid.uuid4().hex[:8]}"
    copy: Crm | None = None
    try:
        _pg_fill_schema(source, mapping or Mapping(), schema)
        copy = Crm(sa.create_engine(source.engine.url, pool_pre_ping=True), mapping)

        @sa.event.listens_for(copy.engine, "connect", insert=True)
        def _search_path(dbapi_conn: Any, _record: Any) -> None:
            # Only the copy is reachable by name: nothing the engine writes can land in the shop's tables.
            autocommit = dbapi_conn.autocommit
            dbapi_conn.autocommit = True
            with dbapi_conn.cursor() as cursor:
                cursor.execute(f'SET search_path TO "{schema}"')
            dbapi_conn.autocommit = autocommit

        yield copy
    finally:
        if copy is not None:
            copy.dispose()
        with source.engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {_quote(conn, schema)} CASCADE")


def _pg_fill_schema(source: Crm, mapping: Mapping, schema: str) -> None:
    """Create ``schema`` and copy the tables the simulation reads or writes, in one snapshot."""
    with source.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            visible = conn.execute(sa.text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (current_schemas(false)) "
                "AND pg_table_is_visible(c.oid)")).scalars().all()
            wanted = [mapping.table("customers"), mapping.table("orders")]
            missing = [name for name in wanted if name not in visible]
            if missing:
                raise CrmError("crm.missing", items=[Text("crm.no_table", {"table": name, "canonical": name})
                                                     for name in missing])
            extra = sorted(name for name in visible if name.startswith(PREFIX) or name == mapping.table("events"))
            target = _quote(conn, schema)
            conn.exec_driver_sql(f"CREATE SCHEMA {target}")
            for name in dict.fromkeys([*wanted, *extra]):
                _pg_copy_table(conn, name, f"{target}.{_quote(conn, name)}")


def _pg_copy_table(conn: Connection, name: str, copied: str) -> None:
    original = conn.execute(sa.text(
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(:name)"),
        {"name": _quote(conn, name)}).scalar_one()
    conn.exec_driver_sql(f"CREATE TABLE {copied} (LIKE {original} INCLUDING ALL)")
    columns = conn.execute(sa.text(
        "SELECT a.attname, a.attidentity, a.attgenerated, pg_get_expr(d.adbin, d.adrelid) "
        "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "WHERE a.attrelid = CAST(:t AS regclass) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"),
        {"t": copied}).all()
    stored = ", ".join(_quote(conn, c) for c, _, generated, _ in columns if not generated)
    overriding = " OVERRIDING SYSTEM VALUE" if any(identity == "a" for _, identity, _, _ in columns) else ""
    conn.exec_driver_sql(f"INSERT INTO {copied} ({stored}){overriding} SELECT {stored} FROM {original}")
    schema = copied.split(".", 1)[0]
    for column, identity, _, default in columns:
        col = _quote(conn, column)
        if identity:
            nxt = conn.exec_driver_sql(f"SELECT COALESCE(MAX({col}), 0) + 1 FROM {copied}").scalar_one()
            conn.exec_driver_sql(f"ALTER TABLE {copied} ALTER COLUMN {col} RESTART WITH {int(nxt)}")
        elif default and "nextval(" in default:
            # LIKE copies the default, which still calls the original's sequence: give the copy its own.
            tag = hashlib.md5(f"{name}.{column}".encode()).hexdigest()[:12]
            seq = f"{schema}.{_quote(conn, f'sim_seq_{tag}')}"
            conn.exec_driver_sql(f"CREATE SEQUENCE {seq} OWNED BY {copied}.{col}")
            conn.exec_driver_sql(f"ALTER TABLE {copied} ALTER COLUMN {col} SET DEFAULT nextval('{seq}')")
            conn.exec_driver_sql(f"SELECT setval('{seq}', COALESCE(MAX({col}), 0) + 1, false) FROM {copied}")
    conn.exec_driver_sql(f"ANALYZE {copied}")


# --- the simulation -----------------------------------------------------------------------------------

@dataclass
class _Pending:
    """A synthetic order waiting for its day."""

    node_id: str
    customer_id: int
    at: datetime
    total: float
    code: str | None


class _Day:
    """The figures of one simulated day."""

    def __init__(self, day: date, node_ids: list[str], sms: frozenset[str] = frozenset()):
        self.day = day
        self.nodes = {nid: dict.fromkeys((*NODE_KEYS, "parts") if nid in sms else NODE_KEYS, 0) for nid in node_ids}
        self.entered = 0

    def as_dict(self) -> dict[str, Any]:
        return {"day": self.day, "nodes": self.nodes, "entered": self.entered}


def _check_cancel(cancel: threading.Event | None, result: SimulationResult) -> None:
    if cancel is not None and cancel.is_set():
        raise SimulationCancelled(result)


def simulate(scenario: Scenario, crm: Crm, days: int, start: datetime, response: ResponseModel | None = None,
             progress: Callable[[int, int], None] | None = None, cancel: threading.Event | None = None,
             tick_options: dict[str, Any] | None = None) -> SimulationResult:
    """Run ``scenario`` for ``days`` days from ``start`` with the real engine, against ``crm``.

    ``crm`` must be a throwaway copy (:func:`throwaway_copy`): the ticks write to it. Each day
    the scenario ticks at its trigger time (on the first day not before ``start``) and at 23:59,
    both in the scenario's timezone, with messages rendered into the outbox and never sent.

    Args:
        scenario: The scenario to run.
        crm: The copy to run it on.
        days: Number of days, 1 to 3650.
        start: When the simulation starts (naive: local time of the scenario's timezone).
        response: How customers answer messages; None places no orders.
        progress: Called with (days done, days) after each day.
        cancel: When set, the simulation stops between days or between a tick's steps.
        tick_options: Extra keyword arguments for :func:`engine.runner.tick` (``max_late_hours``).

    Returns:
        The figures per day and per node.

    Raises:
        SimulationCancelled: when ``cancel`` was set (its ``result`` holds the finished days).
        ValueError: for a number of days out of range.
        ScenarioError: if the scenario does not fit the CRM.
        CrmError: if the CRM lacks a table or column.
    """
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be between 1 and {MAX_DAYS}, not {days}")
    started = clock.perf_counter()
    tz = zone(scenario.settings.get("timezone") or "Europe/Moscow")
    start = as_aware(start, tz).astimezone(tz).replace(microsecond=0)
    result = SimulationResult(scenario, start, days, response)
    check_against_crm(scenario, crm)
    node_ids = [n.id for n in scenario.nodes]
    at = parse_hhmm(scenario.trigger().params["at"])
    options = {k: v for k, v in (tick_options or {}).items() if k not in ("render", "heartbeat", "stop")}

    def beat() -> None:  # between a tick's steps
        _check_cancel(cancel, result)

    books = _Books(crm, scenario, response)
    options["reach"] = books.reach
    first_day = to_local_naive(start, tz).date()
    try:
        for d in range(days):
            _check_cancel(cancel, result)
            today = _Day(first_day + timedelta(days=d), node_ids, sms_nodes(scenario))
            phase = clock.perf_counter()
            books.place_orders(today)
            result.phases["orders"] += clock.perf_counter() - phase
            moments = [datetime.combine(today.day, at, tzinfo=tz), datetime.combine(today.day, END_OF_DAY, tzinfo=tz)]
            last: datetime | None = None
            for moment in moments:
                moment = max(moment, start)
                if last is not None and moment <= last:
                    continue
                last = moment
                phase = clock.perf_counter()
                try:  # a cancel also stops the statement in flight, not only the next step
                    ticked = tick(scenario, crm, moment, render=True, heartbeat=beat,
                                  stop=cancel.is_set if cancel is not None else None, **options)
                except RunStopped as exc:
                    raise SimulationCancelled(result) from exc
                result.phases["ticks"] += clock.perf_counter() - phase
                for nid, n in ticked.reached.items():
                    if nid in today.nodes:
                        today.nodes[nid]["reached"] += n
                today.entered += ticked.counts.get("entered", 0)
                for nid in node_ids:
                    today.nodes[nid]["waiting"] = ticked.waiting.get(nid, 0)
            phase = clock.perf_counter()
            books.count_day(today, last_day=first_day + timedelta(days=days - 1))
            result.phases["accounting"] += clock.perf_counter() - phase
            result.daily.append(today.as_dict())
            result.seconds = clock.perf_counter() - started
            if progress is not None:
                progress(d + 1, days)
    except SimulationCancelled:
        result.people = books.people()
        result.seconds = clock.perf_counter() - started
        raise
    result.people = books.people()
    result.branches, result.holdout = uplift_json(crm, scenario)
    result.seconds = clock.perf_counter() - started
    return result


class _Books:
    """Reads what each day did in the copy, and places the response model's orders."""

    def __init__(self, crm: Crm, scenario: Scenario, response: ResponseModel | None):
        self.crm, self.scenario, self.response = crm, scenario, response
        self.tz_name = str(zone(scenario.settings.get("timezone") or "Europe/Moscow").key)
        self.trigger_at = parse_hhmm(scenario.trigger().params["at"])
        self.pending: dict[date, list[_Pending]] = defaultdict(list)
        self.tasks = {n.id for n in scenario.nodes if REGISTRY[n.type].notifies}
        out, b = STATE.outbox, STATE.bonuses
        self.reach = sa.Table(REACH_TABLE, sa.MetaData(), sa.Column("node_id", sa.String(64), primary_key=True),
                              sa.Column("customer_id", sa.BigInteger, primary_key=True))
        with crm.connect() as conn, conn.begin():
            ensure_schema(conn)  # the copy may predate the engine's tables; ids are counted from here
            self.reach.drop(conn, checkfirst=True)
            self.reach.create(conn)
            self.outbox_seen = conn.execute(sa.select(sa.func.coalesce(sa.func.max(out.c.id), 0))).scalar_one()
            self.bonus_seen = conn.execute(sa.select(sa.func.coalesce(sa.func.max(b.c.id), 0))).scalar_one()
            self.enrolments_seen = conn.execute(sa.select(sa.func.coalesce(sa.func.max(STATE.enrolments.c.id), 0))
                                                ).scalar_one()
            order_id = crm.col("orders", "id")
            self.next_order_id: int | None = None
            if _is_integer(order_id):
                # Explicit ids after the largest one: the copy's own sequence may lag behind or not exist.
                self.next_order_id = conn.execute(sa.select(sa.func.coalesce(sa.func.max(order_id), 0))
                                                  ).scalar_one() + 1

    def people(self) -> dict[str, int]:
        """Node id -> the distinct customers who reached it so far."""
        r = self.reach
        with self.crm.connect(read_only=True) as conn, conn.begin():
            return dict(conn.execute(sa.select(r.c.node_id, sa.func.count()).group_by(r.c.node_id)).all())

    def count_day(self, today: _Day, last_day: date) -> None:
        """Add the day's messages and bonuses to ``today``, and draw the answers to its messages."""
        out, b = STATE.outbox, STATE.bonuses
        key = self.scenario.key
        code = b.alias("code")
        latest_code = (sa.select(sa.func.max(code.c.id))
                       .where(code.c.enrolment_id == out.c.enrolment_id, code.c.code.is_not(None))
                       .scalar_subquery())
        with self.crm.connect(read_only=True) as conn, conn.begin():
            messages = conn.execute(
                sa.select(out.c.id, out.c.node_id, out.c.customer_id, out.c.status, b.c.code, b.c.expires_at,
                          out.c.channel, out.c.body)
                .select_from(out.outerjoin(b, b.c.id == latest_code))
                .where(out.c.id > self.outbox_seen, out.c.scenario == key).order_by(out.c.id)).all()
            bonuses = conn.execute(
                sa.select(b.c.node_id, b.c.kind, sa.func.count(), sa.func.sum(b.c.amount), sa.func.max(b.c.id))
                .where(b.c.id > self.bonus_seen, b.c.scenario == key).group_by(b.c.node_id, b.c.kind)).all()
        if self.response is not None and self.response.baseline:
            self._baseline(today, last_day)
        for node_id, kind, n, amount, top in bonuses:
            self.bonus_seen = max(self.bonus_seen, top)
            if node_id in today.nodes:
                today.nodes[node_id]["bonuses"] += n
                if kind == "points":
                    today.nodes[node_id]["points"] += float(amount or 0)
        for row in messages:
            self.outbox_seen = max(self.outbox_seen, row.id)
            if row.status in NOT_A_MESSAGE or row.node_id not in today.nodes or row.node_id in self.tasks:
                continue  # a task for staff is no message to the customer: nobody answers it
            today.nodes[row.node_id]["messages"] += 1
            if "parts" in today.nodes[row.node_id] and row.body is not None:
                today.nodes[row.node_id]["parts"] += sms_parts(row.body).parts
            if self.response is None or row.status in NOT_ANSWERED:
                continue
            answer = self.response.draw(key, row.node_id, row.customer_id, today.day)
            if answer is None:
                continue
            after, total, when = answer
            day = today.day + timedelta(days=after)
            if day > last_day:
                continue  # beyond the simulated days
            # Placed before the day's trigger time, so that day's filters already see it.
            minutes = int(when * (self.trigger_at.hour * 60 + self.trigger_at.minute))
            moment = datetime.combine(day, time(0, 0)) + timedelta(minutes=minutes)
            valid_code = row.code if row.code and (row.expires_at is None or moment <= row.expires_at) else None
            self.pending[day].append(_Pending(row.node_id, row.customer_id, moment, total, valid_code))

    def _baseline(self, today: _Day, last_day: date) -> None:
        """The orders the day's entrants place on their own (the response model's baseline)."""
        e = STATE.enrolments
        with self.crm.connect(read_only=True) as conn, conn.begin():
            entrants = conn.execute(sa.select(e.c.id, e.c.customer_id).where(
                e.c.id > self.enrolments_seen, e.c.scenario == self.scenario.key).order_by(e.c.id)).all()
        for enrolment_id, customer_id in entrants:
            self.enrolments_seen = max(self.enrolments_seen, enrolment_id)
            answer = self.response.draw(self.scenario.key, BASELINE, customer_id, today.day)
            if answer is None:
                continue
            after, total, when = answer
            day = today.day + timedelta(days=after)
            if day <= last_day:
                minutes = int(when * (self.trigger_at.hour * 60 + self.trigger_at.minute))
                moment = datetime.combine(day, time(0, 0)) + timedelta(minutes=minutes)
                self.pending[day].append(_Pending(BASELINE, customer_id, moment, total, None))

    def place_orders(self, today: _Day) -> None:
        """Write the orders due on ``today`` into the copy and count them for their message nodes."""
        due = self.pending.pop(today.day, [])
        if not due:
            return
        crm = self.crm
        names = {c: crm.col("orders", c).name for c in ("id", "customer_id", "created_at", "total", "status")}
        created = crm.col("orders", "created_at")
        as_text = _is_text(created)
        status = crm.mapping.completed_statuses[0]
        promo = crm.col("orders", "promo_code").name if crm.has("orders", "promo_code") else None
        rows = []
        for order in due:
            row = {names["customer_id"]: order.customer_id, names["total"]: Decimal(f"{order.total:.2f}"),
                   names["status"]: status,
                   names["created_at"]: order.at.strftime("%Y-%m-%d %H:%M:%S") if as_text else order.at}
            if self.next_order_id is not None:
                row[names["id"]] = self.next_order_id
                self.next_order_id += 1
            if promo is not None:
                row[promo] = order.code
            rows.append(row)
            figures = today.nodes.get(order.node_id)
            if figures is not None:
                figures["orders"] += 1
                figures["revenue"] += order.total
        with crm.connect() as conn, conn.begin():
            crm.set_local_timezone(conn, self.tz_name)  # naive local times into a timestamptz column
            conn.execute(crm.orders.insert(), rows)


def _is_integer(column: sa.Column) -> bool:
    return isinstance(column.type, sa.Integer)


def _is_text(column: sa.Column) -> bool:
    return isinstance(column.type, sa.String)


def average_order(crm: Crm) -> float:
    """The average total of the CRM's completed orders (0 without any): a default for the model."""
    total, status = crm.col("orders", "total"), crm.col("orders", "status")
    with crm.connect(read_only=True) as conn, conn.begin():
        value = conn.execute(sa.select(sa.func.avg(total)).where(status.in_(crm.mapping.completed_statuses))
                             ).scalar()
    return round(float(value or 0), 2)


def simulate_copy(scenario: Scenario, source: Crm, days: int, start: datetime, *,
                  response: ResponseModel | None = None, progress: Callable[[int, int], None] | None = None,
                  cancel: threading.Event | None = None, tick_options: dict[str, Any] | None = None,
                  inspect: Callable[[Crm], None] | None = None) -> SimulationResult:
    """:func:`simulate` on a :func:`throwaway_copy` of the CRM ``source``.

    Args:
        inspect: Called with the copy after the simulation, before the copy is removed (tests,
            reports that need the copy's outbox).

    Other arguments and exceptions are those of :func:`throwaway_copy` and :func:`simulate`.
    """
    with throwaway_copy(source) as copy:
        result = simulate(scenario, copy, days, start, response=response, progress=progress, cancel=cancel,
                          tick_options=tick_options)
        if inspect is not None:
            inspect(copy)
        return result
