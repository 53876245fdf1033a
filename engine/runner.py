"""The tick: entry, advance and rendering, each node one set-based step.

A tick at ``now`` (always passed in) does, for one scenario:

1. Entry, once per local day at or after the trigger time: the customers the trigger admits,
   with no active enrolment and no enrolment ended within ``reentry_days`` (ever, when it is
   null), flow through the trigger and the filters behind it. Only those who reach a node that
   acts or holds (message, bonus, wait, split) enrol; the rest leave no trace but the counts.
2. Advance: every node in topological order moves the enrolments due at it in one
   transaction: it decides each one's port in one SQL statement, applies its effects (outbox
   rows, bonus ledger), moves them on and journals the arrivals.
3. Render: queued outbox rows are rendered from their templates in batches.

Each step commits on its own, so a process killed anywhere leaves a state the next tick
finishes from; entry is guarded by a (scenario, local day) row, messages and bonuses by
unique keys, so nothing is done twice.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from connectors.crm import Crm
from engine.budget import BUDGET, held_counts, hold_over_budget, used_today
from engine.conditions import SqlContext
from engine.faults import checkpoint
from engine.goal import GOAL_PORT, leave_by_goal
from engine.holdout import CONTROL, held_out
from engine.limits import FrequencyCap, SendWindow
from engine.model import Scenario
from engine.nodes import REGISTRY, ApplyContext, NodeType
from engine.render import render_pending, rendered_parts
from engine.sms import sms_nodes
from engine.state import ACTIVE, FINISHED, STATE, build_state_tables, ensure_schema, shadow_enrolments
from engine.timeutil import as_aware, days_ago_start, parse_hhmm, to_local_naive, zone
from engine.validation import check_against_crm

COUNTERS = ("entered", "queued", "skipped", "capped", "failed", "bonuses", "goal", "suppressed", "parts")
ANALYZE_ROWS = 1000  # a step that wrote more rows than this refreshes the planner's statistics
STOP_POLL_SECONDS = 0.2


class RunStopped(Exception):
    """The run was asked to stop; the statement it was running was cancelled. The next run
    finishes the work."""


class _Canceller:
    """Watches a stop request while a run works and cancels the statement in flight then, so
    that a stopped run leaves nothing running on the server (PostgreSQL cancels the query;
    SQLite interrupts it)."""

    def __init__(self, conn: Connection, stop: Callable[[], bool]):
        self.stop, self.fired = stop, threading.Event()
        self._dbapi = conn.connection.dbapi_connection
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="scenarist-run-stop", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._done.wait(STOP_POLL_SECONDS):
            if self.stop():
                self.fired.set()
                try:
                    if isinstance(self._dbapi, sqlite3.Connection):
                        self._dbapi.interrupt()
                    else:
                        self._dbapi.cancel()
                except Exception:  # a connection already gone has nothing left to cancel
                    pass
                return

    def close(self) -> None:
        self._done.set()
        self._thread.join()

PARTS_PORT = "~parts"  # the run history's per-node SMS parts (never a real port name)
EVENT_LOOKBACK_DAYS = 7  # an event trigger off for weeks does not greet a month-old cart


@dataclass
class TickResult:
    """What a tick (or a preview) did, per node.

    Attributes:
        scenario: The scenario's key.
        at: Naive local time of the tick.
        entry_due: Whether the day's entry time had come (it happens once a day).
        reached: Node id -> customers that reached it in this run.
        waiting: Node id -> customers sitting at it afterwards.
        counts: Totals: entered, queued, skipped, capped, failed, bonuses.
        seconds: Wall time the tick took.
        entry_skipped: Whether the day's entry was skipped for being too late (catch-up policy).
        run_id: The run's row in the history (None for a preview; the row is dropped when the
            run found nothing to do).
        ports: Deciding node id -> port -> customers who left it by that port in this run.
        goal: Node id -> customers who left the scenario from it by meeting the goal in this run
            (None: the scenario has no goal).
        held: Node id (a node with a ``daily_limit``) -> customers its budget holds there now
            (they count among ``waiting`` too).
        parts: SMS node id -> the SMS parts its messages of this run take (a preview: would take).
    """

    scenario: str
    at: datetime
    entry_due: bool
    node_ids: list[str]
    reached: dict[str, int]
    waiting: dict[str, int]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    entry_skipped: bool = False
    run_id: int | None = None
    ports: dict[str, dict[str, int]] = field(default_factory=dict)
    goal: dict[str, int] | None = None
    held: dict[str, int] = field(default_factory=dict)
    parts: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` object of DESIGN.md (deciding nodes add ``ports``)."""
        nodes: dict[str, dict[str, Any]] = {
            nid: {"reached": self.reached.get(nid, 0), "waiting": self.waiting.get(nid, 0)} for nid in self.node_ids}
        for nid, ports in self.ports.items():
            nodes[nid]["ports"] = dict(ports)
        for nid, n in self.held.items():  # only the nodes with a daily limit
            nodes[nid]["held"] = n
        for nid, n in self.parts.items():  # only SMS nodes
            nodes[nid]["parts"] = n
        if self.goal is not None:  # who left by the goal from each node
            for nid in self.node_ids:
                nodes[nid]["goal"] = self.goal.get(nid, 0)
        effects = {k: v for k, v in self.counts.items() if k not in COUNTERS}  # per channel, points, codes
        return {"scenario": self.scenario, "at": self.at.isoformat(), "entry_due": self.entry_due,
                "entry_skipped": self.entry_skipped,
                "nodes": nodes,
                **{k: self.counts.get(k, 0) for k in COUNTERS}, **effects,
                "seconds": round(self.seconds, 3)}


def _temp_tables() -> tuple[sa.Table, sa.Table]:
    md = sa.MetaData()
    flow = sa.Table("scenarist_flow", md,
                    sa.Column("customer_id", sa.BigInteger, primary_key=True),
                    sa.Column("node_id", sa.String(64)),
                    sa.Index("scenarist_flow_node", "node_id"),
                    prefixes=["TEMPORARY"])
    route = sa.Table("scenarist_route", md,
                     sa.Column("enrolment_id", sa.BigInteger),
                     sa.Column("customer_id", sa.BigInteger),
                     sa.Column("port", sa.String(64)),
                     sa.Index("scenarist_route_enrolment", "enrolment_id"),
                     sa.Index("scenarist_route_customer", "customer_id"),
                     sa.Index("scenarist_route_port", "port"),
                     prefixes=["TEMPORARY"])
    return flow, route


def events_since(conn: Connection, scenario_key: str, local_now: datetime) -> datetime:
    """Where an event trigger's window starts: the previous entry (events after it are new),
    at most a week back; a day back at the first entry."""
    entries = STATE.entries
    previous = conn.execute(sa.select(sa.func.max(entries.c.at)).where(
        entries.c.scenario == scenario_key, entries.c.skipped.is_(False), entries.c.at < local_now)).scalar()
    floor = local_now - timedelta(days=EVENT_LOOKBACK_DAYS)
    if previous is None:
        return local_now - timedelta(days=1)
    return max(previous, floor)


class Tick:
    """One tick of one scenario against one CRM; ``preview`` changes nothing."""

    def __init__(self, scenario: Scenario, crm: Crm, now: datetime, *, preview: bool = False,
                 max_late_hours: float | None = None, frequency_cap: FrequencyCap | None = None,
                 version: int | None = None, reach: sa.Table | None = None):
        self.scenario = scenario
        self.version = version
        self.reach = reach
        self.frequency_cap = frequency_cap
        window = scenario.settings.get("send_window")
        self.window = SendWindow.parse(window) if window else None
        self.max_late_hours = max_late_hours
        self.crm = crm
        self.preview = preview
        self.tz = zone(scenario.settings.get("timezone") or "Europe/Moscow")
        self.now = as_aware(now, self.tz).replace(microsecond=0)
        self.local_now = to_local_naive(self.now, self.tz)
        self.today: date = self.local_now.date()
        self.key = scenario.key
        self.reached: Counter[str] = Counter()
        self.counts: Counter[str] = Counter()
        # Every deciding node starts with each of its ports at 0: "nobody left by 'no'" is a figure.
        self.ports: dict[str, Counter[str]] = {
            n.id: Counter({p: 0 for p in REGISTRY[n.type].ports(n.params)})
            for n in scenario.nodes if REGISTRY[n.type].decides(n.params)}
        self.flow, self.route = _temp_tables()
        self.enrolments = STATE.enrolments
        self.goal = scenario.settings.get("goal")
        self.goal_left: Counter[str] = Counter()
        self.held_now: dict[str, int] = {}
        self.sms = sms_nodes(scenario)
        self.parts: Counter[str] = Counter({nid: 0 for nid in self.sms})  # SMS node -> parts rendered
        self.sms_sample: dict[str, list[int]] = {}
        self.run_id: int | None = None
        self.entry_skipped = False
        self.holds = {n.id: self._hold(n.id) for n in scenario.nodes}
        self._sqlite_stats: bool | None = None
        self._written: dict[str, sa.Table] = {}  # shared tables to analyse once the step commits
        self._canceller: _Canceller | None = None
        self._in_beat = False

    # -- helpers -------------------------------------------------------------------------
    def _hold(self, node_id: str) -> datetime | None:
        node = self.scenario.node(node_id)
        due = REGISTRY[node.type].hold_until(node.params, self.now, self.tz)
        return None if due is None else to_local_naive(due, self.tz)

    def _sql(self, subject_enrolment: Any, subject_customer: Any, entered_at: Any, entry_day: Any,
             arrived_at: Any = None, due_at: Any = None) -> SqlContext:
        return SqlContext(crm=self.crm, state=STATE, scenario_key=self.key, today=self.today,
                          local_now=self.local_now, customer=self.crm.customers,
                          enrolment_id=subject_enrolment, entered_at=entered_at,
                          customer_id=subject_customer, entry_day=entry_day, arrived_at=arrived_at, due_at=due_at)

    def _begin(self, conn: Connection) -> Any:
        tx = conn.begin()
        self.crm.set_local_timezone(conn, str(self.tz.key))
        return tx

    def _analyze(self, conn: Connection, table: sa.Table, rows: int) -> None:
        """Refresh the planner's statistics of a table a step just wrote ``rows`` rows to.

        PostgreSQL keeps no statistics on temporary tables, and autovacuum analyses a table that
        just grew by a day's entrants too late for this tick (or never, when it is off): without
        them it plans blind, and a lookup by enrolment becomes a walk through a whole table.
        Temporary tables are analysed at once (the step reads them next); the engine's shared
        tables once the step has committed, each in a transaction of its own (see
        :meth:`_analyze_written`).
        """
        if rows <= ANALYZE_ROWS:
            return
        private = table is self.flow or table is self.route or (self.preview and table is self.enrolments)
        if not private:
            self._written[table.name] = table
        elif not self.crm.is_sqlite:
            conn.exec_driver_sql(f"ANALYZE {table.name}")

    def _analyze_written(self, conn: Connection) -> None:
        # One short transaction per table: ANALYZE locks the table against other ANALYZEs until
        # the transaction ends, and two runs holding one such lock each while asking for the
        # other's would deadlock.
        for table in self._written.values():
            with self._begin(conn):
                if not self.crm.is_sqlite:
                    conn.exec_driver_sql(f"ANALYZE {table.name}")
                elif self._sqlite_keeps_statistics(conn):
                    # SQLite plans from its defaults until someone runs ANALYZE; from then on it
                    # trusts sqlite_stat1, which would still describe the engine's tables as they were.
                    conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
                    conn.exec_driver_sql(f"ANALYZE main.{table.name}")
        self._written.clear()

    def _sqlite_keeps_statistics(self, conn: Connection) -> bool:
        if self._sqlite_stats is None:
            self._sqlite_stats = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'").first() is not None
        return self._sqlite_stats

    def _fill_route(self, conn: Connection, node_id: str, subject: Any, where: list) -> int:
        """Decide every subject row's port at ``node_id`` in one statement; returns the row count."""
        ctx = self._sql(subject.c.enrolment_id, subject.c.customer_id, subject.c.entered_at, subject.c.entry_day,
                        subject.c.get("arrived_at"), subject.c.get("due_at"))
        port = self._route_case(node_id, ctx, lambda name: name)
        customer_id = self.crm.col("customers", "id")
        rows = (sa.select(subject.c.enrolment_id, subject.c.customer_id, port)
                .select_from(subject.outerjoin(self.crm.customers, customer_id == subject.c.customer_id))
                .where(*where))
        conn.execute(self.route.delete())
        count = conn.execute(self.route.insert().from_select(["enrolment_id", "customer_id", "port"], rows)).rowcount
        self._analyze(conn, self.route, count)
        return count

    def _route_case(self, node_id: str, ctx: SqlContext, value: Callable[[str], str | None]) -> Any:
        """One SQL CASE over the node's routes, giving ``value(port)`` of the first route that
        holds (the port's name, or the node it leads to); NULL where ``value`` is None."""
        node = self.scenario.node(node_id)
        routes = REGISTRY[node.type].routes(node.params, ctx, self.key, node_id)

        def literal(port: str) -> Any:
            result = value(port)
            return sa.null() if result is None else sa.literal(result, sa.String)

        whens = [(pred, literal(port)) for port, pred in routes if pred is not None]
        otherwise = next((literal(port) for port, pred in routes if pred is None), literal(""))
        return sa.case(*whens, else_=otherwise) if whens else otherwise

    def _next_node(self, node_id: str, ctx: SqlContext) -> Any:
        """The id of the node each subject goes to from ``node_id`` (NULL where its way ends)."""
        return self._route_case(node_id, ctx, self._targets(node_id).get)

    def _targets(self, node_id: str) -> dict[str, str | None]:
        node = self.scenario.node(node_id)
        ports = REGISTRY[node.type].ports(node.params) or [""]
        return {port: self.scenario.target(node_id, port) for port in ports}

    def _due_case(self, node_col: Any) -> Any:
        holds = {nid: due for nid, due in self.holds.items() if due is not None}
        if not holds:
            return sa.null()
        return sa.case(*[(node_col == nid, sa.literal(due, STATE.enrolments.c.due_at.type))
                         for nid, due in holds.items()], else_=sa.null())

    def _add_counts(self, conn: Connection, delta: dict[str, int]) -> None:
        """Add to the run's totals inside the current step's transaction (the run's history keeps
        the totals of :data:`COUNTERS`; the others, per channel, are the result's only)."""
        delta = {k: v for k, v in delta.items() if v}
        self.counts.update(delta)
        delta = {k: v for k, v in delta.items() if k in COUNTERS}
        if delta and not self.preview:
            runs = STATE.runs
            conn.execute(runs.update().where(runs.c.id == self.run_id)
                         .values({k: runs.c[k] + v for k, v in delta.items()}))

    def _add_reached(self, conn: Connection, node_id: str, n: int) -> None:
        if n <= 0:
            return
        self.reached[node_id] += n
        if self.preview:
            return
        rc = STATE.run_counts
        mine = [rc.c.run_id == self.run_id, rc.c.node_id == node_id]
        if conn.execute(rc.update().where(*mine).values(reached=rc.c.reached + n)).rowcount == 0:
            conn.execute(rc.insert().values(run_id=self.run_id, node_id=node_id, reached=n))

    def _add_ports(self, conn: Connection, node_id: str, counts: dict[str, int]) -> None:
        """Add who left ``node_id`` by each port, inside the current step's transaction."""
        counts = {port: n for port, n in counts.items() if n and port in self.ports.get(node_id, {})}
        if not counts:
            return
        self.ports[node_id].update(counts)
        if self.preview:
            return
        rp = STATE.run_ports
        for port, n in counts.items():
            mine = [rp.c.run_id == self.run_id, rp.c.node_id == node_id, rp.c.port == port]
            if conn.execute(rp.update().where(*mine).values(n=rp.c.n + n)).rowcount == 0:
                conn.execute(rp.insert().values(run_id=self.run_id, node_id=node_id, port=port, n=n))

    def _record_reach(self, conn: Connection, node_id: str, customers: sa.Select) -> None:
        """Keep who reached ``node_id`` in the ``reach`` table (node_id, customer_id), once per
        customer: a simulation counts people over its days, not daily arrivals added up."""
        if self.reach is None:
            return
        r = self.reach
        found = customers.subquery()
        conn.execute(r.insert().from_select(
            ["node_id", "customer_id"],
            sa.select(sa.literal(node_id, sa.String), found.c.customer_id).distinct()
            .where(~sa.exists().where(r.c.node_id == node_id, r.c.customer_id == found.c.customer_id))))

    def _not_reached(self, node_id: str, customer_id: Any) -> Any:
        """Whether the customer is not yet in the ``reach`` table at ``node_id`` (true without one)."""
        if self.reach is None:
            return sa.true()
        r = self.reach
        return ~sa.exists().where(r.c.node_id == node_id, r.c.customer_id == customer_id)

    def _route_ports(self, conn: Connection, node_id: str) -> None:
        """Count the route table by port: who leaves ``node_id`` by which port now."""
        route = self.route
        self._add_ports(conn, node_id, dict(conn.execute(
            sa.select(route.c.port, sa.func.count()).group_by(route.c.port)).all()))

    # -- the phases ----------------------------------------------------------------------
    def entry_due(self) -> bool:
        """Whether today's entry may happen at ``now`` (trigger time reached, campaign active)."""
        settings = self.scenario.settings
        if settings.get("active_from") and self.today < date.fromisoformat(settings["active_from"]):
            return False
        if settings.get("active_until") and self.today > date.fromisoformat(settings["active_until"]):
            return False
        if self.preview:
            return True  # a preview shows what entering at `now` would do, whatever the hour
        at = parse_hhmm(self.scenario.trigger().params["at"])
        return self.local_now.time() >= at

    def _entry(self, conn: Connection) -> None:
        entries = STATE.entries
        day = self.today.isoformat()
        if not self.preview and conn.execute(sa.select(entries.c.day).where(
                entries.c.scenario == self.key, entries.c.day == day)).first():
            return
        trigger = self.scenario.trigger()
        due_at = datetime.combine(self.today, parse_hhmm(trigger.params["at"]))
        if not self.preview and self.max_late_hours is not None \
                and self.local_now - due_at > timedelta(hours=self.max_late_hours):
            # Too late for today's entry (a morning email should not go out at midnight): the
            # day is marked as skipped, so no later run of it tries again.
            conn.execute(entries.insert().values(scenario=self.key, day=day, at=self.local_now, admitted=0,
                                                 skipped=True))
            self.entry_skipped = True
            return
        flow, enrolments, history = self.flow, self.enrolments, STATE.enrolments
        customer_id = self.crm.col("customers", "id")
        reentry = self.scenario.settings.get("reentry_days")
        blocking = [history.c.status == ACTIVE]
        if reentry is None:
            blocking = [sa.true()]
        else:
            blocking.append(history.c.ended_at >= days_ago_start(self.today, reentry))
        eligible = ~sa.exists().where(history.c.scenario == self.key, history.c.customer_id == customer_id,
                                      sa.or_(*blocking))
        ctx = self._sql(sa.null(), customer_id, self.crm.ts_value(self.local_now), sa.literal(self.today.toordinal()))
        admits = REGISTRY[trigger.type].admits(trigger.params, ctx, self._events_since(conn))
        conn.execute(flow.delete())
        first = self.scenario.target(trigger.id, "out")
        decided_with_entry = first is not None and REGISTRY[self.scenario.node(first).type].pure
        def entering(node_id: str) -> sa.Select:
            # Those already counted at the node are passed over first: a simulation's entry meets the
            # same customers every day, and this spares the check of their enrolments.
            return sa.select(customer_id.label("customer_id")).where(self._not_reached(node_id, customer_id),
                                                                       admits, eligible)

        self._record_reach(conn, trigger.id, entering(trigger.id))
        if decided_with_entry:
            admitted = self._enter_decided(conn, first, ctx, admits, eligible, blocking)
            self._add_reached(conn, trigger.id, admitted)
            self._add_reached(conn, first, admitted)
            self._record_reach(conn, first, entering(first))
        else:
            admitted = conn.execute(flow.insert().from_select(
                ["customer_id", "node_id"],
                sa.select(customer_id, sa.literal(first, sa.String)).where(admits, eligible))).rowcount
            self._add_reached(conn, trigger.id, admitted)
        # Customers who have not entered flow through pure nodes (filters, exits).
        subject = sa.select(sa.cast(sa.null(), sa.BigInteger).label("enrolment_id"), flow.c.customer_id,
                            self.crm.ts_value(self.local_now).label("entered_at"),
                            sa.literal(self.today.toordinal()).label("entry_day"), flow.c.node_id).subquery()
        for node in self.scenario.topological_order():
            if not REGISTRY[node.type].pure or REGISTRY[node.type].entry or (decided_with_entry and node.id == first):
                continue
            at_node = conn.execute(sa.select(sa.func.count()).where(flow.c.node_id == node.id)).scalar_one()
            if not at_node:
                continue
            self._analyze(conn, flow, admitted)  # the previous node moved rows: refresh the planner's view
            self._add_reached(conn, node.id, at_node)
            self._record_reach(conn, node.id, sa.select(flow.c.customer_id).where(flow.c.node_id == node.id))
            self._fill_route(conn, node.id, subject, [subject.c.node_id == node.id])
            self._route_ports(conn, node.id)
            for port, target in self._targets(node.id).items():
                if target is not None:
                    conn.execute(flow.update()
                                 .where(flow.c.node_id == node.id,
                                        flow.c.customer_id.in_(sa.select(self.route.c.customer_id)
                                                               .where(self.route.c.port == port)))
                                 .values(node_id=target))
            conn.execute(flow.delete().where(flow.c.node_id == node.id))
        conn.execute(flow.delete().where(flow.c.node_id.is_(None)))
        self._hold_out(conn, trigger.id)
        # Whoever reached a node that acts or holds enrols there.
        entered = conn.execute(enrolments.insert().from_select(
            ["scenario", "customer_id", "status", "node_id", "entered_at", "entry_day", "arrived_at", "due_at"],
            sa.select(sa.literal(self.key, sa.String), flow.c.customer_id, sa.literal(ACTIVE, sa.String),
                      flow.c.node_id, sa.literal(self.local_now, enrolments.c.entered_at.type),
                      sa.literal(self.today.toordinal(), sa.Integer),
                      sa.literal(self.local_now, enrolments.c.arrived_at.type), self._due_case(flow.c.node_id)),
        )).rowcount
        self._add_counts(conn, {"entered": entered})
        self._analyze(conn, enrolments, entered)
        for node_id, n in conn.execute(sa.select(flow.c.node_id, sa.func.count()).group_by(flow.c.node_id)).all():
            self._add_reached(conn, node_id, n)
            self._record_reach(conn, node_id, sa.select(flow.c.customer_id).where(flow.c.node_id == node_id))
        if not self.preview:
            j, e = STATE.journal, enrolments
            conn.execute(j.insert().from_select(
                ["enrolment_id", "scenario", "node_id", "at"],
                sa.select(e.c.id, e.c.scenario, e.c.node_id, e.c.arrived_at)
                .where(e.c.scenario == self.key, e.c.entered_at == self.local_now, e.c.status == ACTIVE,
                       e.c.prev_node_id.is_(None))))
            conn.execute(entries.insert().values(scenario=self.key, day=day, at=self.local_now, admitted=admitted))
            self._analyze(conn, STATE.journal, entered)

    def _hold_out(self, conn: Connection, trigger_id: str) -> None:
        """The scenario's control share: entrants whose stable hash puts them in the control group
        enrol and end at once at the start (exit port ``control``), getting nothing."""
        share = self.scenario.settings.get("control_share")
        if not share:
            return
        flow, e = self.flow, self.enrolments
        held = held_out(self.key, flow.c.customer_id, share)
        n = conn.execute(e.insert().from_select(
            ["scenario", "customer_id", "status", "node_id", "entered_at", "entry_day", "arrived_at", "ended_at",
             "exit_port"],
            sa.select(sa.literal(self.key, sa.String), flow.c.customer_id, sa.literal(FINISHED, sa.String),
                      sa.literal(trigger_id, sa.String), sa.literal(self.local_now, e.c.entered_at.type),
                      sa.literal(self.today.toordinal(), sa.Integer), sa.literal(self.local_now, e.c.arrived_at.type),
                      sa.literal(self.local_now, e.c.ended_at.type), sa.literal(CONTROL, sa.String)).where(held))
        ).rowcount
        conn.execute(flow.delete().where(held))
        self._add_counts(conn, {"held_out": n})

    def _enter_decided(self, conn: Connection, first: str, ctx: SqlContext, admits: Any, eligible: Any,
                       blocking: list) -> int:
        """Admit and decide the first node in one statement, so that only the customers it lets
        through are written (a daily audience of millions, mostly turned away); returns how many
        were admitted. They are counted, by the port they leave by, as everyone the trigger admits
        less those held back, so that the held-back few are found from the engine's own table
        instead of probing it once per customer."""
        history, flow, customers = STATE.enrolments, self.flow, self.crm.customers
        customer_id = self.crm.col("customers", "id")
        port = self._route_case(first, ctx, lambda name: name).label("port")
        held_by = dict(conn.execute(
            sa.select(port, sa.func.count(sa.distinct(history.c.customer_id)))
            .select_from(history.join(customers, customer_id == history.c.customer_id))
            .where(history.c.scenario == self.key, sa.or_(*blocking), admits).group_by(port)).all())
        rest = self._port_left_over(first, ctx)
        if rest is None:  # the ports cannot be told apart by where they lead: count them on their own
            admitted_by = dict(conn.execute(sa.select(port, sa.func.count()).select_from(customers).where(admits)
                                            .group_by(port)).all())
        decided = sa.select(customer_id.label("customer_id"), self._next_node(first, ctx).label("node_id")) \
            .where(admits, eligible).subquery()
        conn.execute(flow.insert().from_select(
            ["customer_id", "node_id"],
            sa.select(decided.c.customer_id, decided.c.node_id).where(decided.c.node_id.is_not(None))))
        if rest is not None:
            admitted_by = self._admitted_by_port(conn, first, rest, admits, held_by)
        by_port = {p: n - held_by.get(p, 0) for p, n in admitted_by.items()}
        self._add_ports(conn, first, by_port)
        return sum(by_port.values())

    def _port_left_over(self, node_id: str, ctx: SqlContext) -> str | None:
        """The one port of ``node_id`` whose count is everyone else's remainder, when each other
        port leads to a node of its own (so the rows written there count it) and this one nowhere;
        None when the ports cannot be counted that way."""
        node = self.scenario.node(node_id)
        routes = REGISTRY[node.type].routes(node.params, ctx, self.key, node_id)
        targets = self._targets(node_id)
        ports = {p for p, _pred in routes}
        nowhere = [p for p in ports if targets.get(p) is None]
        led_to = [targets[p] for p in ports if targets.get(p) is not None]
        if sum(1 for _p, pred in routes if pred is None) != 1 or len(nowhere) != 1 or len(set(led_to)) != len(led_to):
            return None
        return nowhere[0]

    def _admitted_by_port(self, conn: Connection, node_id: str, rest: str, admits: Any,
                          held_by: dict[str, int]) -> dict[str, int]:
        """Everyone the trigger admits, by the port of ``node_id`` they would leave by, from the rows
        just written to the flow (the admitted who may enter, by the node they go to), those held
        back, and one count of the admitted: one pass over the customers fewer than counting each port."""
        flow = self.flow
        written = dict(conn.execute(sa.select(flow.c.node_id, sa.func.count()).group_by(flow.c.node_id)).all())
        admitted = conn.execute(sa.select(sa.func.count()).select_from(self.crm.customers).where(admits)).scalar_one()
        by_port = {p: written.get(t, 0) + held_by.get(p, 0) for p, t in self._targets(node_id).items()
                   if t is not None}
        by_port[rest] = admitted - sum(by_port.values())
        return by_port

    def _events_since(self, conn: Connection) -> datetime:
        return events_since(conn, self.key, self.local_now)

    def _leave_by_goal(self, conn: Connection) -> None:
        """Before any step acts: everyone who met the scenario's goal leaves it, from wherever they
        wait (counted per node, kept in the run history under the port ``~goal``)."""
        by_node = leave_by_goal(conn, self.goal, self.enrolments, self.route, self._sql, self.crm.customers,
                                self.crm.col("customers", "id"), self.key, self.local_now)
        self.goal_left.update(by_node)
        self._add_counts(conn, {"goal": sum(by_node.values())})
        if self.preview:
            return
        rp = STATE.run_ports
        for node_id, n in by_node.items():
            mine = [rp.c.run_id == self.run_id, rp.c.node_id == node_id, rp.c.port == GOAL_PORT]
            if conn.execute(rp.update().where(*mine).values(n=rp.c.n + n)).rowcount == 0:
                conn.execute(rp.insert().values(run_id=self.run_id, node_id=node_id, port=GOAL_PORT, n=n))

    def _add_parts(self, conn: Connection, parts: dict[str, int]) -> None:
        """Add the SMS parts a render page wrote (kept per node in the history as port ``~parts``)."""
        self.parts.update(parts)
        self._add_counts(conn, {"parts": sum(parts.values())})
        if self.preview:
            return
        rp = STATE.run_ports
        for node_id, n in parts.items():
            mine = [rp.c.run_id == self.run_id, rp.c.node_id == node_id, rp.c.port == PARTS_PORT]
            if conn.execute(rp.update().where(*mine).values(n=rp.c.n + n)).rowcount == 0:
                conn.execute(rp.insert().values(run_id=self.run_id, node_id=node_id, port=PARTS_PORT, n=n))

    def _hold_for_window(self, conn: Connection, where: list) -> None:
        """Outside the sending window, messages due now wait at their node until it opens."""
        e = self.enrolments
        opens = self.window.next_open(self.local_now)
        conn.execute(e.update().where(*where).values(due_at=sa.literal(opens, e.c.due_at.type)))

    def _step(self, conn: Connection, node_id: str) -> None:
        e = self.enrolments
        node = self.scenario.node(node_id)
        kind = REGISTRY[node.type]
        where = [e.c.scenario == self.key, e.c.status == ACTIVE, e.c.node_id == node_id]
        due = [sa.or_(e.c.due_at.is_(None), e.c.due_at <= self.local_now)]
        if kind.sends and self.window is not None and not self.window.is_open(self.local_now):
            self._hold_for_window(conn, where + due)
            return
        if not kind.listens:  # a listening node hears its events before the time is up
            where += due
        limit = node.params.get("daily_limit")
        if limit:  # over the day's budget: the latest arrivals wait for tomorrow
            hold_over_budget(conn, e, where, limit, used_today(conn, kind, self.key, node_id, self.today), self.today)
            where.append(sa.or_(e.c.held.is_(None), e.c.held != BUDGET))
        targets = self._targets(node_id)
        if self.preview and len(targets) == 1 and type(kind).routes is NodeType.routes and not kind.acts:
            # Nothing to decide and, in a preview, nothing to do: move them in one statement.
            (port, target), = targets.items()
            moved = e.update().where(*where)
            if target is None:
                conn.execute(moved.values(status=FINISHED, ended_at=self.local_now, exit_port=port or None))
            else:
                self._add_reached(conn, target, conn.execute(moved.values(
                    node_id=target, prev_node_id=node_id, arrived_at=self.local_now,
                    due_at=sa.literal(self.holds[target], e.c.due_at.type))).rowcount)
            return
        subject = sa.select(e.c.id.label("enrolment_id"), e.c.customer_id, e.c.entered_at,
                            e.c.entry_day, e.c.arrived_at, e.c.due_at).where(*where).subquery()
        at_node = self._fill_route(conn, node_id, subject, [])
        if not at_node:
            return
        self._route_ports(conn, node_id)
        ctx = self._sql(self.route.c.enrolment_id, self.route.c.customer_id, None, None)
        delta: dict[str, int] = {}
        context = ApplyContext(conn, ctx, node_id, self.route, delta, self.frequency_cap,
                               sample=self.sms_sample if self.preview else None)
        if self.preview:
            kind.foresee(node.params, context)  # what it would do, written nowhere
        else:
            kind.apply(node.params, context)
        self._add_counts(conn, delta)
        if not self.preview:
            self._analyze(conn, STATE.outbox, delta.get("queued", 0) + delta.get("skipped", 0) + delta.get("capped", 0))
            self._analyze(conn, STATE.bonuses, delta.get("bonuses", 0))  # the render reads the latest bonus back
        route = self.route
        moved = 0
        for port, target in targets.items():
            moving = sa.select(route.c.enrolment_id).where(route.c.port == port)
            if target is None:
                conn.execute(e.update().where(e.c.id.in_(moving))
                             .values(status=FINISHED, ended_at=self.local_now, exit_port=port or None))
                continue
            n = conn.execute(e.update().where(e.c.id.in_(moving)).values(
                node_id=target, prev_node_id=node_id, arrived_at=self.local_now,
                due_at=sa.literal(self.holds[target], e.c.due_at.type))).rowcount
            moved += n
            self._add_reached(conn, target, n)
            if n:
                self._record_reach(conn, target, sa.select(route.c.customer_id).where(route.c.port == port))
            if not self.preview and n:
                j = STATE.journal
                conn.execute(j.insert().from_select(
                    ["enrolment_id", "scenario", "node_id", "at"],
                    sa.select(route.c.enrolment_id, sa.literal(self.key, sa.String), sa.literal(target, sa.String),
                              sa.literal(self.local_now, j.c.at.type)).where(route.c.port == port)))
        if not self.preview:  # the next steps and the render read the moved rows back
            self._analyze(conn, STATE.journal, moved)
            self._analyze(conn, e, moved)

    def _waiting(self, conn: Connection) -> dict[str, int]:
        e = self.enrolments
        budgets = [n.id for n in self.scenario.nodes if n.params.get("daily_limit")]
        if budgets:
            held = held_counts(conn, e, self.key)
            self.held_now = {nid: held.get(nid, 0) for nid in budgets}
        rows = conn.execute(sa.select(e.c.node_id, sa.func.count())
                            .where(e.c.scenario == self.key, e.c.status == ACTIVE).group_by(e.c.node_id)).all()
        return {nid: n for nid, n in rows}

    # -- entry points --------------------------------------------------------------------
    def run(self, *, render: bool = True, heartbeat: Callable[[], None] | None = None,
            stop: Callable[[], bool] | None = None) -> TickResult:
        """Run the tick for real: each step in its own transaction.

        ``heartbeat`` is called between steps (a runner lock renews its lease there; it may raise
        to stop the run there). ``stop`` is polled while the run works: once it returns True the
        statement in flight is cancelled and the run ends with :class:`RunStopped`.

        Every run that fails leaves its row in the history with the error; a run that found
        nothing to do and ended well leaves none (the scheduler wakes often), and so does one
        stopped on request before it did anything.
        """
        beat = heartbeat or (lambda: None)
        started = time.perf_counter()
        with self.crm.connect() as conn:
            with self._begin(conn):
                ensure_schema(conn)
                self._create_temp(conn)
                self.run_id = self._open_run(conn)
            entry = self.entry_due()
            self._canceller = _Canceller(conn, stop) if stop is not None else None
            try:
                self._work(conn, entry, beat, render)
                self._check_stop()
            except BaseException as exc:  # stopped, or failed: say so in the history
                stopped = self._canceller is not None and self._canceller.fired.is_set()
                requested = stopped or self._asked_to_stop(exc)
                error = "RunStopped: stopped while a statement ran" if stopped and not isinstance(exc, RunStopped) \
                    else f"{type(exc).__name__}: {exc}".rstrip(": ")
                self._record_end(conn, started, error, keep=not requested)
                if stopped and not isinstance(exc, RunStopped):
                    raise RunStopped("the run was stopped; the next run finishes the work") from exc
                raise
            finally:
                if self._canceller is not None:
                    self._canceller.close()
                    self._canceller = None
            with self._begin(conn):
                waiting = self._waiting(conn)
                reached, counts = self._close_run(conn, "done", started)
                self._stored_ports(conn)
        return self._result(entry, reached, waiting, counts, started)

    def _asked_to_stop(self, exc: BaseException) -> bool:
        """Whether the run ended because someone asked it to (not because something failed): a
        stop raised by the heartbeat, Ctrl-C, or the process exiting."""
        if isinstance(exc, KeyboardInterrupt | SystemExit | RunStopped):
            return True
        return self._in_beat and not isinstance(exc, sa.exc.SQLAlchemyError | sqlite3.Error)

    def _check_stop(self) -> None:
        # Asked directly too, not only through the watcher's poll: a stop asked just before a
        # step ends is the same RunStopped, however the poll's timing fell.
        if self._canceller is not None and (self._canceller.fired.is_set() or self._canceller.stop()):
            raise RunStopped("the run was stopped; the next run finishes the work")

    def _beat(self, beat: Callable[[], None]) -> None:
        self._check_stop()
        self._in_beat = True
        beat()
        self._in_beat = False

    def _record_end(self, conn: Connection, started: float, error: str, *, keep: bool) -> None:
        """Record a run that did not end well; on a connection of its own when the run's broke."""
        for attempt in range(2):
            try:
                if attempt == 0:
                    with self._begin(conn):
                        self._close_run(conn, "stopped", started, error, keep=keep)
                else:
                    with self.crm.connect() as fresh, self._begin(fresh):
                        self._close_run(fresh, "stopped", started, error, keep=keep)
                return
            except Exception:  # the first failure is the one to report: it is re-raised by the caller
                continue

    def _work(self, conn: Connection, entry: bool, beat: Callable[[], None], render: bool) -> None:
        if entry:
            with self._begin(conn):
                self._entry(conn)
                checkpoint("before-commit:entry")
            checkpoint("entry")
            self._analyze_written(conn)
            self._beat(beat)
        if self.goal:
            with self._begin(conn):
                self._leave_by_goal(conn)
            checkpoint("goal")
            self._beat(beat)
        for node in self.scenario.topological_order():
            if REGISTRY[node.type].entry:
                continue
            with self._begin(conn):
                self._step(conn, node.id)
                checkpoint(f"before-commit:step:{node.id}")
            checkpoint(f"step:{node.id}")
            self._analyze_written(conn)
            self._beat(beat)
        if render:
            render_pending(conn, self.crm, self.scenario, self.local_now, begin=self._begin,
                           on_failed=lambda n: self._add_counts(conn, {"failed": n}),
                           between_pages=lambda: self._beat(beat),  # a long render keeps the lease too
                           on_parts=lambda parts: self._add_parts(conn, parts))

    def _close_run(self, conn: Connection, status: str, started: float,
                   error: str | None = None, *, keep: bool = False) -> tuple[dict[str, int], dict[str, int]]:
        """Finish the run's history row and return its totals. A run that found nothing to do
        leaves no row (the scheduler wakes often), unless ``keep`` (a run that failed)."""
        reached, counts = self._stored_totals(conn)
        runs = STATE.runs
        if keep or reached or any(counts.values()) or self.entry_skipped:
            # The duration is this attempt's; a same-time re-run of a finished run leaves the row be.
            conn.execute(runs.update().where(runs.c.id == self.run_id, runs.c.status != "done").values(
                seconds=round(time.perf_counter() - started, 3)))
            conn.execute(runs.update().where(runs.c.id == self.run_id).values(
                status=status, **({"error": error[:2000]} if error else {})))
        else:
            conn.execute(runs.delete().where(runs.c.id == self.run_id))
        return reached, counts

    def run_preview(self) -> TickResult:
        """What a tick at ``now`` would do, changing nothing: the work goes to temporary tables."""
        started = time.perf_counter()
        with self.crm.connect(read_only=True) as conn:
            tx = self._begin(conn)
            try:
                if not sa.inspect(conn).has_table(STATE.enrolments.name):
                    # A CRM the engine never ran on: its tables exist for this preview only, as
                    # temporary tables of the same names, so a read-only CRM (a read-only file, a
                    # user who may not create tables) can be previewed too.
                    build_state_tables(temporary=True).metadata.create_all(conn)
                elif not sa.inspect(conn).has_table(STATE.suppressions.name):  # tables of an older schema
                    build_state_tables(temporary=True).suppressions.create(conn)
                self._create_temp(conn)
                self.enrolments = shadow_enrolments(conn, self.key)
                entry = self.entry_due()
                if entry:
                    self._entry(conn)
                if self.goal:
                    self._leave_by_goal(conn)
                for node in self.scenario.topological_order():
                    if not REGISTRY[node.type].entry:
                        self._step(conn, node.id)
                for node_id, customers in self.sms_sample.items():  # the parts their texts would take
                    n = rendered_parts(conn, self.crm, self.scenario, self.scenario.node(node_id).params, customers,
                                       self.local_now)
                    self.parts[node_id] += n
                    self.counts["parts"] += n
                waiting = self._waiting(conn)
            finally:
                tx.rollback()
        return self._result(entry, dict(self.reached), waiting, dict(self.counts), started)

    def _result(self, entry: bool, reached: dict, waiting: dict, counts: dict, started: float) -> TickResult:
        return TickResult(self.key, self.local_now, entry, [n.id for n in self.scenario.nodes], reached, waiting,
                          counts, time.perf_counter() - started, entry_skipped=self.entry_skipped,
                          run_id=None if self.preview else self.run_id,
                          ports={nid: dict(ports) for nid, ports in self.ports.items()},
                          goal=dict(self.goal_left) if self.goal else None, held=dict(self.held_now),
                          parts=dict(self.parts))

    def _create_temp(self, conn: Connection) -> None:
        for table in (self.flow, self.route):
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table.name}")
            table.create(conn)

    def _open_run(self, conn: Connection) -> int:
        runs = STATE.runs
        stale = [runs.c.scenario == self.key, runs.c.status == "running", runs.c.at < self.local_now]
        rc = STATE.run_counts
        conn.execute(runs.delete().where(*stale, runs.c.entered + runs.c.queued + runs.c.skipped + runs.c.failed
                                         + runs.c.bonuses == 0, ~sa.exists().where(rc.c.run_id == runs.c.id)))
        conn.execute(runs.update().where(*stale).values(status="interrupted"))
        found = conn.execute(sa.select(runs.c.id).where(runs.c.scenario == self.key,
                                                        runs.c.at == self.local_now)).scalar()
        if found is not None:
            return found
        return conn.execute(runs.insert().values(scenario=self.key, at=self.local_now, status="running",
                                                 version=self.version).returning(runs.c.id)).scalar_one()

    def _stored_ports(self, conn: Connection) -> None:
        """Who left each deciding node by each port, as the run's history holds it (a killed
        earlier attempt at the same moment included, as its other counts are)."""
        rp = STATE.run_ports
        for node_id, port, n in conn.execute(sa.select(rp.c.node_id, rp.c.port, rp.c.n)
                                             .where(rp.c.run_id == self.run_id)):
            if port == GOAL_PORT:
                self.goal_left[node_id] = n
            elif port == PARTS_PORT:
                self.parts[node_id] = n
            elif node_id in self.ports:
                self.ports[node_id][port] = n

    def _stored_totals(self, conn: Connection) -> tuple[dict[str, int], dict[str, int]]:
        """The run's counts as stored: they include the work of a killed earlier attempt."""
        rc, runs = STATE.run_counts, STATE.runs
        reached = dict(conn.execute(sa.select(rc.c.node_id, rc.c.reached).where(rc.c.run_id == self.run_id)).all())
        row = conn.execute(sa.select(*[runs.c[k] for k in COUNTERS]).where(runs.c.id == self.run_id)).one()
        return reached, dict(zip(COUNTERS, row, strict=True))


def tick(scenario: Scenario, crm: Crm, now: datetime, *, render: bool = True,
         heartbeat: Callable[[], None] | None = None, max_late_hours: float | None = None,
         frequency_cap: FrequencyCap | None = None, version: int | None = None,
         reach: sa.Table | None = None, stop: Callable[[], bool] | None = None) -> TickResult:
    """Run one tick of ``scenario`` at ``now`` against ``crm``; ``version`` is the published
    version it is (kept in the run history); ``reach`` keeps who reached each node (a simulation's);
    ``stop`` cancels it, also mid-statement, once it returns True (see :meth:`Tick.run`).

    Raises:
        ScenarioError: if the scenario does not fit the CRM.
        CrmError: if the CRM lacks a table or column.
        RunStopped: ``stop`` said so; the next run finishes the work.
    """
    check_against_crm(scenario, crm)
    return Tick(scenario, crm, now, max_late_hours=max_late_hours, frequency_cap=frequency_cap,
                version=version, reach=reach).run(render=render, heartbeat=heartbeat, stop=stop)


def preview(scenario: Scenario, crm: Crm, now: datetime, frequency_cap: FrequencyCap | None = None) -> TickResult:
    """Per node, how many customers a tick at ``now`` would bring there, changing nothing; with a
    frequency cap, the messages it would hold back count as ``capped``, not ``queued``."""
    check_against_crm(scenario, crm)
    return Tick(scenario, crm, now, preview=True, frequency_cap=frequency_cap).run_preview()
