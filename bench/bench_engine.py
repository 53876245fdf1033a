"""Benchmark of the engine on a large demo CRM: floor SQL, preview, two daily ticks, a naive loop.

Usage (from the repository root)::

    .venv/bin/python bench/bench_engine.py --db sqlite --customers 1000000 [--reuse]
    .venv/bin/python bench/bench_engine.py --db postgres --customers 1000000 [--reuse]
    .venv/bin/python bench/bench_engine.py --report          # writes bench/RESULTS.md

Each measured step runs in its own subprocess (``--step``), which prints one JSON object with
its figures and its own peak RSS (``ru_maxrss``), so every step's memory is measured alone.
Results go to ``bench/data/results-<db>-<customers>.json``; ``--report`` turns the 1M results
into ``bench/RESULTS.md``. The data lives in ``bench/data/`` (SQLite) or in the PostgreSQL
schema ``bench`` (``bench_<n>`` for other sizes), which is dropped and recreated unless
``--reuse`` finds it filled.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

BENCH = ROOT / "bench"
DATA = BENCH / "data"
SCENARIO = ROOT / "resources" / "templates" / "reactivation.scenario.json"
PG_BASE = os.environ.get("SCENARIST_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
AS_OF = datetime(2026, 6, 1, 10, 0, 0)  # naive Europe/Moscow local time; the demo data is dated to it
TZ = "Europe/Moscow"
SLICE_EVERY = 20  # the naive loop runs on customers whose id is a multiple of this (1M -> 50,000)
STEP_TIMEOUT = float(os.environ.get("BENCH_STEP_TIMEOUT", "1500"))  # seconds per step process
STEPS = ("floor", "preview", "tick1", "tick2", "naive")

TARGETS = {  # issue 16
    "preview_vs_floor": 2.0,
    "tick1_seconds": {"sqlite": 8.0, "postgres": 10.0},
    "tick2_seconds": 3.0,
    "speedup_vs_naive": {"sqlite": 2.0, "postgres": 20.0},
    "peak_rss_mb": 500.0,
}


# --- databases -----------------------------------------------------------------------------

def schema_name(customers: int) -> str:
    """The PostgreSQL schema of a benchmark size."""
    return "bench" if customers == 1_000_000 else f"bench_{customers}"


def db_url(db: str, customers: int) -> str:
    """The SQLAlchemy URL of the benchmark CRM."""
    if db == "sqlite":
        return f"sqlite:///{DATA / f'crm-{customers}.db'}"
    return f"{PG_BASE}?options=-csearch_path%3D{schema_name(customers)}"


def sqlite_path(customers: int) -> Path:
    """The SQLite file of a benchmark size."""
    return DATA / f"crm-{customers}.db"


def data_present(db: str, customers: int) -> bool:
    """Whether the CRM of this size is already built (for ``--reuse``)."""
    if db == "sqlite" and not sqlite_path(customers).exists():
        return False
    engine = sa.create_engine(db_url(db, customers).replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            names = set(sa.inspect(conn).get_table_names())
            if not {"customers", "orders"} <= names:
                return False
            n = conn.execute(sa.text("SELECT COUNT(*) FROM customers")).scalar_one()
            has_orders = conn.execute(sa.text("SELECT 1 FROM orders LIMIT 1")).first() is not None
            return n == customers and has_orders
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def wipe(db: str, customers: int) -> None:
    """Remove the CRM of this size: the SQLite file, or drop and recreate the PG schema."""
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{sqlite_path(customers)}{suffix}").unlink(missing_ok=True)
        return
    engine = sa.create_engine(PG_BASE.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            schema = schema_name(customers)
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    finally:
        engine.dispose()


def reset_state(url: str) -> None:
    """Drop the engine's tables and the naive loop's tables, so ticks start from scratch."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            for name in sa.inspect(conn).get_table_names():
                if name.startswith(("scenarist_", "naive_")):
                    conn.exec_driver_sql(f"DROP TABLE {name}")
    finally:
        engine.dispose()


# --- the steps (each runs in a child process) ----------------------------------------------

def _day_bounds(today: datetime) -> tuple[datetime, datetime]:
    """(registered before, no completed order since): the scenario's day arithmetic.

    ``older_than_days 180`` is days_since > 180, i.e. before the local midnight 180 days ago;
    ``within_days 180`` is today and the 179 days before.
    """
    midnight = datetime.combine(today.date(), datetime.min.time())
    return midnight - timedelta(days=180), midnight - timedelta(days=179)


def floor_sql(dialect: str) -> str:
    """The hand-written COUNT(*) of the entry filter (engine/conditions.py rules)."""
    if dialect == "sqlite":
        no_ws = " AND ".join(f"instr(c.email, {ch}) = 0" for ch in ("' '", "char(9)", "char(10)", "char(13)"))
        subscribed = "c.email_subscribed = 1"
    else:
        no_ws = " AND ".join(f"strpos(c.email, {ch}) = 0" for ch in ("' '", "chr(9)", "chr(10)", "chr(13)"))
        subscribed = "c.email_subscribed"
    return f"""
        SELECT COUNT(*) FROM customers c
        WHERE c.email LIKE '_%@_%._%' AND c.email NOT LIKE '%@%@%' AND {no_ws}
          AND {subscribed}
          AND c.registered_at < :registered_before
          AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'completed')
          AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'completed'
                          AND o.created_at >= :recent_since)
    """


def _bound(dialect: str, moment: datetime) -> Any:
    # SQLAlchemy stores DateTime on SQLite as 'YYYY-MM-DD HH:MM:SS.ffffff' text, which sorts.
    return moment.strftime("%Y-%m-%d %H:%M:%S") if dialect == "sqlite" else moment


def step_floor(url: str) -> dict:
    """Time the bare COUNT(*) of the entry filter."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    dialect = engine.dialect.name
    registered_before, recent_since = _day_bounds(AS_OF)
    params = {"registered_before": _bound(dialect, registered_before),
              "recent_since": _bound(dialect, recent_since)}
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1")).scalar()
        started = time.perf_counter()
        count = conn.execute(sa.text(floor_sql(dialect)), params).scalar_one()
        seconds = time.perf_counter() - started
    engine.dispose()
    return {"seconds": seconds, "count": count}


def time_runner_phases(phases: dict[str, float], step_phase: Any) -> None:
    """Wrap the runner's entry, steps and rendering so that their time adds up in ``phases``
    (bench only; the engine is not changed). ``step_phase(args)`` names a step's phase."""
    from engine import runner

    def timed(name_of: Any, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                phases[name_of(args)] += time.perf_counter() - started
        return wrapper

    runner.Tick._entry = timed(lambda a: "entry", runner.Tick._entry)
    runner.Tick._step = timed(step_phase, runner.Tick._step)
    runner.render_pending = timed(lambda a: "render", runner.render_pending)


class _SqlTimer:
    """Times every statement on an engine, and the engine's phases (entry, each step, render)."""

    def __init__(self) -> None:
        self.statements: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        self.phases: dict[str, float] = defaultdict(float)

    def attach(self, engine: sa.Engine) -> None:
        @sa.event.listens_for(engine, "before_cursor_execute")
        def _before(conn: Any, _cursor: Any, _statement: str, _params: Any, _ctx: Any, _many: bool) -> None:
            conn.info.setdefault("bench_t", []).append(time.perf_counter())

        @sa.event.listens_for(engine, "after_cursor_execute")
        def _after(conn: Any, _cursor: Any, statement: str, _params: Any, _ctx: Any, _many: bool) -> None:
            took = time.perf_counter() - conn.info["bench_t"].pop()
            key = re.sub(r"\s+", " ", statement).strip()[:300]
            entry = self.statements[key]
            entry[0] += 1
            entry[1] += took

    def patch_phases(self) -> None:
        time_runner_phases(self.phases, lambda args: f"step:{args[2]}")

    def top(self, n: int = 6) -> list[dict]:
        ranked = sorted(self.statements.items(), key=lambda kv: -kv[1][1])[:n]
        return [{"seconds": round(t, 3), "calls": c, "sql": s} for s, (c, t) in ranked]


def patch_analyze_flow() -> None:
    """Bench-only workaround (``--analyze-flow``), not an engine change: ANALYZE the entry's
    temporary flow table before each node fills its route on PostgreSQL.

    Without it the flow table's statistics date from its INSERT (every row at the trigger);
    after the trigger's UPDATE moves them all to the first filter the planner expects one row
    there and picks a nested-loop semi join that rescans the route table per customer.
    """
    from engine import runner

    original = runner.Tick._fill_route

    def fill_route(self: Any, conn: Any, node_id: str, subject: Any, where: list) -> int:
        if not self.crm.is_sqlite and "node_id" in subject.c:
            conn.exec_driver_sql(f"ANALYZE {self.flow.name}")
        return original(self, conn, node_id, subject, where)

    runner.Tick._fill_route = fill_route


def _open(url: str) -> tuple[Any, Any, _SqlTimer]:
    from connectors.crm import Crm
    from engine.scenario import load

    if os.environ.get("BENCH_ANALYZE_FLOW") == "1":
        patch_analyze_flow()

    crm = Crm.open(url)
    crm.reflect()
    scenario = load(SCENARIO, set(crm.customer_fields()), crm.has)
    timer = _SqlTimer()
    timer.attach(crm.engine)
    timer.patch_phases()
    return crm, scenario, timer


def _outbox_summary(crm: Any) -> dict:
    from engine.state import STATE

    out = STATE.outbox
    with crm.engine.connect() as conn:
        rows = conn.execute(sa.select(out.c.node_id, out.c.status, sa.func.count())
                            .group_by(out.c.node_id, out.c.status)).all()
        sample = conn.execute(sa.select(out.c.subject).where(out.c.status == "pending").limit(1)).scalar()
    return {"by_node_status": {f"{n}/{s}": c for n, s, c in rows}, "sample_subject": sample}


def step_preview(url: str) -> dict:
    """Time ``preview`` at the as_of moment."""
    from engine.runner import preview

    crm, scenario, timer = _open(url)
    started = time.perf_counter()
    result = preview(scenario, crm, AS_OF)
    seconds = time.perf_counter() - started
    crm.dispose()
    return {"seconds": seconds, "result": result.to_json(), "phases": dict(timer.phases), "top_sql": timer.top()}


def _step_tick(url: str, at: datetime) -> dict:
    from engine.runner import tick

    crm, scenario, timer = _open(url)
    started = time.perf_counter()
    result = tick(scenario, crm, at)
    seconds = time.perf_counter() - started
    summary = _outbox_summary(crm)
    crm.dispose()
    return {"seconds": seconds, "result": result.to_json(), "outbox": summary,
            "phases": dict(timer.phases), "top_sql": timer.top()}


def step_tick1(url: str) -> dict:
    """The first day's tick at as_of (10:00 Moscow)."""
    return _step_tick(url, AS_OF)


def step_tick2(url: str) -> dict:
    """The second day's tick, the next day at 10:00."""
    return _step_tick(url, AS_OF + timedelta(days=1))


_EMAIL_OK = re.compile(r"^.+@.+\..+$", re.S)


def _valid_email(email: Any) -> bool:
    # The engine's rule: LIKE '_%@_%._%', not two '@', no space, tab, CR or LF.
    return (isinstance(email, str) and bool(_EMAIL_OK.match(email)) and email.count("@") == 1
            and not any(ch in email for ch in " \t\r\n"))


def step_naive(url: str) -> dict:
    """The per-customer loop on every SLICE_EVERY-th customer, one transaction, row-by-row inserts.

    This is the naive baseline at its most generous: raw DBAPI cursor, prepared statements,
    one commit at the end; the messages are rendered with the engine's templates.
    """
    from connectors.templates import compile_template, render
    from engine.scenario import load

    scenario = load(SCENARIO)
    node = scenario.node("mail1")
    subject_tpl, body_tpl = compile_template(node.params["subject"]), compile_template(node.params["body"])
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    dialect = engine.dialect.name
    registered_before, recent_since = _day_bounds(AS_OF)
    ph = "?" if dialect == "sqlite" else "%s"
    ident = "INTEGER PRIMARY KEY" if dialect == "sqlite" else "BIGSERIAL PRIMARY KEY"
    with engine.begin() as conn:
        for name in ("naive_enrolments", "naive_outbox"):
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
        conn.exec_driver_sql(f"CREATE TABLE naive_enrolments (id {ident}, customer_id BIGINT NOT NULL, "
                             "node_id VARCHAR(64) NOT NULL, entered_at TIMESTAMP NOT NULL)")
        conn.exec_driver_sql(f"CREATE TABLE naive_outbox (id {ident}, enrolment_id BIGINT NOT NULL, "
                             "customer_id BIGINT NOT NULL, recipient VARCHAR(320), subject TEXT, body TEXT, "
                             "status VARCHAR(16) NOT NULL)")
    raw = engine.raw_connection()
    started = time.perf_counter()
    customers = entered = 0
    try:
        cur = raw.cursor()
        orders_cur = raw.cursor()
        cur.execute(f"SELECT id, email, first_name, registered_at, email_subscribed FROM customers "
                    f"WHERE id % {SLICE_EVERY} = 0 ORDER BY id")
        people = cur.fetchall()
        for cid, email, first_name, registered_at, subscribed in people:
            customers += 1
            orders_cur.execute(f"SELECT created_at, status, total FROM orders WHERE customer_id = {ph}", (cid,))
            orders = orders_cur.fetchall()
            if isinstance(registered_at, str):
                registered_at = datetime.fromisoformat(registered_at)
            completed = []
            for created_at, status, _total in orders:
                if status == "completed":
                    completed.append(datetime.fromisoformat(created_at) if isinstance(created_at, str)
                                     else created_at)
            if not (_valid_email(email) and subscribed and registered_at is not None
                    and registered_at < registered_before and completed
                    and max(completed) < recent_since):
                continue
            orders_ctx = {"count": len(completed), "last_order_at": max(completed)}
            context = {"customer": {"first_name": first_name, "email": email}, "orders": orders_ctx,
                       "bonus": {}, "scenario": {"name": scenario.name, "id": scenario.key}}
            subject, body = render(subject_tpl, context), render(body_tpl, context)
            orders_cur.execute(f"INSERT INTO naive_enrolments (customer_id, node_id, entered_at) "
                               f"VALUES ({ph}, {ph}, {ph})", (cid, "mail1", AS_OF))
            if dialect == "sqlite":
                enrolment_id = orders_cur.lastrowid
            else:
                orders_cur.execute("SELECT lastval()")
                enrolment_id = orders_cur.fetchone()[0]
            orders_cur.execute(f"INSERT INTO naive_outbox (enrolment_id, customer_id, recipient, subject, body, "
                               f"status) VALUES ({ph}, {ph}, {ph}, {ph}, {ph}, 'pending')",
                               (enrolment_id, cid, email, subject, body))
            entered += 1
        raw.commit()
    finally:
        raw.close()
        engine.dispose()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "customers": customers, "entered": entered,
            "estimated_1m_seconds": seconds * SLICE_EVERY}


STEP_FUNCS = {"floor": step_floor, "preview": step_preview, "tick1": step_tick1, "tick2": step_tick2,
              "naive": step_naive}


def run_step(step: str, url: str) -> None:
    """Child process entry: run one step, print its figures and peak RSS as one JSON line."""
    result = STEP_FUNCS[step](url)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("BENCH_RESULT " + json.dumps(result, default=str))


def child(step: str, url: str, extra: list[str] | None = None, code: Path = ROOT) -> dict:
    """Run one step in a subprocess (with the engine of the checkout ``code``) and return its JSON."""
    cmd = [sys.executable, str(code / "bench" / "bench_engine.py"), "--step", step, "--url", url, *(extra or [])]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=code, timeout=STEP_TIMEOUT)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"step {step} failed with exit code {proc.returncode}")
    line = next(x for x in proc.stdout.splitlines() if x.startswith("BENCH_RESULT "))
    result = json.loads(line[len("BENCH_RESULT "):])
    result["process_wall_seconds"] = wall
    return result


def step_build(url: str, customers: int) -> dict:
    """Build the demo CRM (in a child, so its memory is measured too)."""
    from connectors.demo_crm import build_demo_crm

    started = time.perf_counter()
    stats = build_demo_crm(url, customers=customers, seed=1, as_of=AS_OF)
    return {"seconds": time.perf_counter() - started, "orders": stats["orders"],
            "churned": stats["churned"], "customers": stats["customers"]}


# --- orchestration -------------------------------------------------------------------------

BEFORE_STEPS = ("preview", "tick1", "tick2")  # the floor and the naive loop do not depend on the engine


def bench(db: str, customers: int, reuse: bool, steps: list[str], before: Path | None = None) -> dict:
    """Build (or reuse) the CRM, run every step in its own process, save and return figures.

    With ``before`` (a checkout of the code before a change), its engine's steps run first on the
    same CRM, in the same run, and their figures are kept under ``"before"``.
    """
    DATA.mkdir(parents=True, exist_ok=True)
    url = db_url(db, customers)
    figures: dict[str, Any] = {"db": db, "customers": customers, "url": url, "as_of": AS_OF.isoformat(),
                               "command": " ".join([".venv/bin/python", *sys.argv]),
                               "analyze_flow_workaround": os.environ.get("BENCH_ANALYZE_FLOW") == "1"}
    if reuse and data_present(db, customers):
        print(f"[{db}] reusing the CRM of {customers:,} customers", flush=True)
        figures["build"] = {"reused": True}
    else:
        wipe(db, customers)
        print(f"[{db}] building {customers:,} customers ...", flush=True)
        figures["build"] = child("build", url, ["--customers", str(customers)])
        print(f"[{db}] built in {figures['build']['seconds']:.1f} s", flush=True)
    reset_state(url)
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        figures["rows"] = {t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
                           for t in ("customers", "orders")}
    engine.dispose()
    figures["load_before"] = os.getloadavg()
    if before is not None:
        figures["before"] = {"code": str(before)}
        for step in [s for s in steps if s in BEFORE_STEPS]:
            print(f"[{db}] before: {step} ...", flush=True)
            figures["before"][step] = child(step, url, code=before.resolve())
            print(f"[{db}] before: {step}: {figures['before'][step]['seconds']:.2f} s", flush=True)
        reset_state(url)
    for step in steps:
        print(f"[{db}] {step} ...", flush=True)
        figures[step] = child(step, url)
        print(f"[{db}] {step}: {figures[step]['seconds']:.2f} s, "
              f"peak RSS {figures[step]['peak_rss_mb']:.0f} MB", flush=True)
    figures["load_after"] = os.getloadavg()
    out = DATA / f"results-{db}-{customers}.json"
    out.write_text(json.dumps(figures, indent=2, default=str))
    print(f"[{db}] figures saved to {out}", flush=True)
    return figures


# --- the report ----------------------------------------------------------------------------

def _sh(cmd: str) -> str:
    return subprocess.run(cmd, shell=True, capture_output=True, text=True, check=False).stdout.strip()


def machine() -> dict:
    """What the figures were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    pg = _sh(f"psql '{PG_BASE}' -Atc 'SHOW server_version'") or "unknown"
    return {"nproc": _sh("nproc"), "free": _sh("free -h"), "cpu": cpu, "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "postgresql": pg, "sqlalchemy": sa.__version__,
            "kernel": platform.release()}


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def report(customers: int) -> str:
    """RESULTS.md from the saved figures of both databases."""
    m = machine()
    lines = [
        "# Engine benchmark: reactivation scenario (section 1) on 1M customers",
        "",
        "Produced by `bench/bench_engine.py` (figures below are real measurements; raw JSON in "
        f"`bench/data/results-<db>-{customers}.json`, which is git-ignored).",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, `nproc` = {m['nproc']}",
        f"- Python {m['python']}, SQLite {m['sqlite']}, PostgreSQL {m['postgresql']} (local, default config), "
        f"SQLAlchemy {m['sqlalchemy']}, kernel {m['kernel']}",
        "- `free -h`:",
        "",
        "```",
        m["free"],
        "```",
        "",
    ]
    for db in ("sqlite", "postgres"):
        path = DATA / f"results-{db}-{customers}.json"
        if not path.exists():
            lines += [f"## {db}: not measured", ""]
            continue
        f = json.loads(path.read_text())
        lines += _db_section(db, f)
    text = "\n".join(lines) + "\n"
    # Sections written by hand or by the other benchmarks (findings, delivery, editor) stay.
    old = (BENCH / "RESULTS.md").read_text(encoding="utf-8") if (BENCH / "RESULTS.md").exists() else ""
    kept = old.find("## Findings")
    return text + ("\n" + old[kept:] if kept >= 0 else "")


def _db_section(db: str, f: dict) -> list[str]:
    floor, prev, t1, t2, naive = (f.get(k) for k in STEPS)
    rows = []

    def row(name: str, value: str, target: str, ok: bool | None) -> None:
        rows.append(f"| {name} | {value} | {target} | {_verdict(ok)} |")

    build = f.get("build", {})
    if build.get("reused"):
        row("build demo CRM", "reused from an earlier run", "-", None)
    else:
        row("build demo CRM", f"{build['seconds']:.1f} s (peak RSS {build['peak_rss_mb']:.0f} MB)", "-", None)
    row("rows", f"{f['rows']['customers']:,} customers, {f['rows']['orders']:,} orders", "1M / ~3M", None)
    if floor:
        row("floor: hand-written COUNT(*) of the entry filter",
            f"{floor['seconds']:.2f} s ({floor['count']:,} customers)", "-", None)
    if prev and floor:
        ratio = prev["seconds"] / floor["seconds"]
        entered = prev["result"]["entered"]
        row("preview at as_of", f"{prev['seconds']:.2f} s = {ratio:.1f}x floor ({entered:,} would enter)",
            f"<= {TARGETS['preview_vs_floor']:.0f}x floor", ratio <= TARGETS["preview_vs_floor"])
    limit = TARGETS["tick1_seconds"][db]
    if t1:
        r = t1["result"]
        row("first-day tick (entry + steps + render)",
            f"{t1['seconds']:.2f} s; entered {r['entered']:,}, queued {r['queued']:,}, skipped {r['skipped']:,}, "
            f"failed {r['failed']:,}", f"<= {limit:.0f} s", t1["seconds"] <= limit)
    if t2:
        r = t2["result"]
        row("second-day tick", f"{t2['seconds']:.2f} s; entered {r['entered']:,}, queued {r['queued']:,}",
            f"<= {TARGETS['tick2_seconds']:.0f} s", t2["seconds"] <= TARGETS["tick2_seconds"])
    if naive:
        est = naive["estimated_1m_seconds"]
        row(f"naive per-customer loop ({naive['customers']:,}-customer slice)",
            f"{naive['seconds']:.1f} s ({naive['entered']:,} entered) -> x{SLICE_EVERY} = {est:.0f} s for 1M",
            "-", None)
        if t1:
            speedup = est / t1["seconds"]
            row("first-day tick speed-up over the naive loop", f"{speedup:.1f}x",
                f">= {TARGETS['speedup_vs_naive'][db]:.0f}x", speedup >= TARGETS["speedup_vs_naive"][db])
    peaks = {k: f[k]["peak_rss_mb"] for k in ("build", *STEPS) if f.get(k) and "peak_rss_mb" in f[k]}
    if peaks:
        worst = max(peaks, key=peaks.get)
        detail = ", ".join(f"{k} {v:.0f}" for k, v in peaks.items())
        engine_peak = max(v for k, v in peaks.items() if k in ("preview", "tick1", "tick2"))
        row("peak RSS of the engine's steps (max of preview/tick1/tick2)", f"{engine_peak:.0f} MB",
            f"< {TARGETS['peak_rss_mb']:.0f} MB", engine_peak < TARGETS["peak_rss_mb"])
        row("peak RSS per step process (MB)", f"{detail}; max {worst}", "-", None)
    note = []
    if f.get("analyze_flow_workaround"):
        note = ["**Measured with the bench-only `--analyze-flow` workaround** (ANALYZE of the entry's temporary "
                "flow table before each node; no engine code changed). Without it the entry does not finish "
                "on PostgreSQL: see Findings.", ""]
    out = [f"## {'SQLite' if db == 'sqlite' else 'PostgreSQL'}", "", f"Command: `{f['command']}`", "", *note,
           "| measure | figure | target | result |", "|---|---|---|---|", *rows, "", *_compared(f)]
    for key, title in (("preview", "preview"), ("tick1", "first-day tick"), ("tick2", "second-day tick")):
        step = f.get(key)
        if not step:
            continue
        phases = ", ".join(f"{k} {v:.2f} s" for k, v in sorted(step["phases"].items(), key=lambda kv: -kv[1])
                           if v >= 0.01)
        out += [f"Time by phase, {title}: {phases}.", ""]
        if key == "tick1":
            out += [f"Outbox after the first tick: {step['outbox']['by_node_status']}; sample subject: "
                    f"\"{step['outbox']['sample_subject']}\".", ""]
        out += [f"Slowest statements, {title}:", ""]
        out += [f"- {s['seconds']:.2f} s, {s['calls']} call(s): `{s['sql'][:220]}`" for s in step["top_sql"][:4]]
        out += [""]
    return out


def _compared(f: dict) -> list[str]:
    """Before and after, measured in the same run (``--before-code``), with the load of the machine."""
    before = f.get("before")
    if not before:
        return []
    floor, naive = f.get("floor", {}).get("seconds"), f.get("naive", {}).get("estimated_1m_seconds")
    load = ", ".join(f"{x:.2f}" for x in f.get("load_before", ())) or "?"
    out = [f"Before ({before['code']}) and after, in the same run; load average (1, 5, 15 min) at its start: {load}.",
           "", "| measure | before | after |", "|---|---|---|"]
    for key, name in (("preview", "preview"), ("tick1", "first-day tick"), ("tick2", "second-day tick")):
        if key in before and key in f:
            out.append(f"| {name} | {before[key]['seconds']:.2f} s | {f[key]['seconds']:.2f} s |")
    if floor and "preview" in before and "preview" in f:
        out.append(f"| preview / floor | {before['preview']['seconds'] / floor:.1f}x | "
                   f"{f['preview']['seconds'] / floor:.1f}x |")
    if naive and "tick1" in before and "tick1" in f:
        out.append(f"| naive loop / first-day tick | {naive / before['tick1']['seconds']:.1f}x | "
                   f"{naive / f['tick1']['seconds']:.1f}x |")
    peaks = [max(d[k]["peak_rss_mb"] for k in ("preview", "tick1", "tick2") if k in d) for d in (before, f)]
    out += [f"| peak RSS of preview and ticks | {peaks[0]:.0f} MB | {peaks[1]:.0f} MB |", ""]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"))
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="keep the CRM when it is already built")
    parser.add_argument("--steps", default=",".join(STEPS), help="comma-separated subset of " + ",".join(STEPS))
    parser.add_argument("--analyze-flow", action="store_true",
                        help="bench-only workaround: ANALYZE the entry's flow table before each node (PostgreSQL)")
    parser.add_argument("--report", action="store_true", help="write bench/RESULTS.md from saved figures")
    parser.add_argument("--before-code", type=Path, help="a checkout of the code before: its engine measured too")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "build":
        result = step_build(args.url, args.customers)
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print("BENCH_RESULT " + json.dumps(result))
    elif args.step:
        run_step(args.step, args.url)
    elif args.report:
        text = report(args.customers)
        (BENCH / "RESULTS.md").write_text(text)
        print(text)
    elif args.db:
        if args.analyze_flow:
            os.environ["BENCH_ANALYZE_FLOW"] = "1"  # inherited by the step processes
        bench(args.db, args.customers, args.reuse, [s for s in args.steps.split(",") if s], args.before_code)
    else:
        parser.error("give --db sqlite|postgres, or --report")


if __name__ == "__main__":
    main()
