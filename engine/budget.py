"""Budgets: a message or bonus node's optional ``daily_limit``.

At most ``daily_limit`` customers go through the node per local day (each gets its message, or
its points or code). The others wait at the node for the next day, earliest arrivals first, and
are never dropped: their time at the node is pushed to the next local midnight and they are
marked ``held = "budget"``, so the counts can say how many the budget holds.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.state import STATE

BUDGET = "budget"  # the enrolments' ``held`` of those the budget holds


def used_today(conn: Connection, node_type: Any, scenario_key: str, node_id: str, today: date) -> int:
    """How many customers the node served today: its outbox rows, or its ledger rows."""
    midnight = datetime.combine(today, time())
    if node_type.grants:
        b = STATE.bonuses
        return conn.execute(sa.select(sa.func.count()).where(
            b.c.scenario == scenario_key, b.c.node_id == node_id,
            b.c.issued_at >= sa.literal(midnight, b.c.issued_at.type))).scalar_one()
    out = STATE.outbox
    return conn.execute(sa.select(sa.func.count()).where(
        out.c.scenario == scenario_key, out.c.node_id == node_id,
        out.c.created_at >= sa.literal(midnight, out.c.created_at.type))).scalar_one()


def hold_over_budget(conn: Connection, enrolments: sa.Table, where: list, limit: int, used: int,
                     today: date) -> int:
    """Of the enrolments due at the node (``where``), keep the first ``limit - used`` by arrival and
    hold the rest until the next local midnight; returns how many are held."""
    e = enrolments
    conn.execute(e.update().where(*where, e.c.held == BUDGET).values(held=None))
    beyond = (sa.select(e.c.id).where(*where).order_by(e.c.arrived_at, e.c.id)
              .limit(-1 if conn.dialect.name == "sqlite" else None).offset(max(0, limit - used)))
    tomorrow = datetime.combine(today + timedelta(days=1), time())
    return conn.execute(e.update().where(e.c.id.in_(beyond.scalar_subquery()))
                        .values(due_at=sa.literal(tomorrow, e.c.due_at.type), held=BUDGET)).rowcount


def held_counts(conn: Connection, enrolments: sa.Table, scenario_key: str) -> dict[str, int]:
    """Node id -> the customers the budget holds there now."""
    e = enrolments
    return dict(conn.execute(sa.select(e.c.node_id, sa.func.count())
                             .where(e.c.scenario == scenario_key, e.c.status == "active", e.c.held == BUDGET)
                             .group_by(e.c.node_id)).all())
