"""The run history: what each run of a scenario did, for the window and the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from engine.state import STATE


@dataclass
class RunRecord:
    """One run of a scenario.

    Attributes:
        id: The run's row id.
        at: Local time of the run (scenario timezone).
        status: running, done, stopped or interrupted.
        entered: Customers who entered.
        queued: Messages queued.
        skipped: Messages skipped (no consent or no address).
        capped: Messages not sent for the frequency cap.
        failed: Messages whose template failed, plus deliveries refused.
        bonuses: Bonuses granted.
        sent: Messages delivered after the run.
        seconds: How long the tick took (None for runs before schema 2).
        error: Why the run stopped, if it did.
        version: The published version of the scenario that ran (None: run before versions were kept).
        reached: Node id -> customers who reached the node in this run.
        suppressed: Messages not sent because the recipient is on the suppression list (schema 5).
        goal: Customers who left the scenario by its goal in this run (schema 5).
    """

    id: int
    at: datetime
    status: str
    entered: int
    queued: int
    skipped: int
    capped: int
    failed: int
    bonuses: int
    sent: int
    seconds: float | None
    error: str | None
    version: int | None = None
    reached: dict[str, int] = field(default_factory=dict)
    suppressed: int = 0
    goal: int = 0


def run_history(conn: sa.Connection, scenario_key: str, limit: int = 100) -> list[RunRecord]:
    """The latest runs of a scenario, newest first, with their per-node counts."""
    runs, rc = STATE.runs, STATE.run_counts
    if not sa.inspect(conn).has_table(runs.name):
        return []
    rows = conn.execute(sa.select(runs).where(runs.c.scenario == scenario_key)
                        .order_by(runs.c.at.desc(), runs.c.id.desc()).limit(limit)).mappings().all()
    records = [RunRecord(id=r["id"], at=r["at"], status=r["status"], entered=r["entered"], queued=r["queued"],
                         skipped=r["skipped"], capped=r["capped"], failed=r["failed"] + r["undelivered"],
                         bonuses=r["bonuses"],
                         sent=r["sent"], seconds=r["seconds"], error=r["error"], version=r["version"],
                         suppressed=r["suppressed"], goal=r["goal"])
               for r in rows]
    by_id = {r.id: r for r in records}
    if by_id:
        for run_id, node_id, reached in conn.execute(
                sa.select(rc.c.run_id, rc.c.node_id, rc.c.reached).where(rc.c.run_id.in_(list(by_id)))):
            by_id[run_id].reached[node_id] = reached
    return records


def record_delivery(conn: sa.Connection, run_id: int, sent: int, undelivered: int, suppressed: int = 0) -> None:
    """Add what the delivery after a run did to the run's row (``suppressed``: messages not sent
    because their recipient went on the suppression list after they were queued)."""
    runs = STATE.runs
    conn.execute(runs.update().where(runs.c.id == run_id).values(sent=runs.c.sent + sent,
                                                                 undelivered=runs.c.undelivered + undelivered,
                                                                 suppressed=runs.c.suppressed + suppressed))


def node_counts(conn: sa.Connection, scenario_key: str) -> dict[str, dict[str, int]]:
    """Per node: customers that reached it, summed over every run, and those waiting there now.

    Returns:
        Node id -> ``{"reached": n, "waiting": n}`` (a node nobody reached is absent); empty
        when the engine's tables do not exist yet.
    """
    from engine.state import ACTIVE

    runs, rc, enrolments = STATE.runs, STATE.run_counts, STATE.enrolments
    if not sa.inspect(conn).has_table(runs.name):
        return {}
    out: dict[str, dict[str, int]] = {}
    reached = (sa.select(rc.c.node_id, sa.func.sum(rc.c.reached))
               .join(runs, runs.c.id == rc.c.run_id).where(runs.c.scenario == scenario_key).group_by(rc.c.node_id))
    for node_id, n in conn.execute(reached):
        out[node_id] = {"reached": int(n or 0), "waiting": 0}
    waiting = (sa.select(enrolments.c.node_id, sa.func.count())
               .where(enrolments.c.scenario == scenario_key, enrolments.c.status == ACTIVE)
               .group_by(enrolments.c.node_id))
    for node_id, n in conn.execute(waiting):
        out.setdefault(node_id, {"reached": 0, "waiting": 0})["waiting"] = int(n)
    return out
