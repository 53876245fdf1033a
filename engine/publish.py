"""Published versions: what the scheduler runs, and the customers a new version strands.

Publishing stores the scenario file as an immutable, numbered version. Customers keep their
places at nodes that still exist (by id) in the new version; those sitting at a node the new
version deleted are stranded: listed, never dropped, for the user to move to another node or
end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from connectors.crm import Crm
from engine.model import Scenario, dumps
from engine.nodes import REGISTRY
from engine.scenario import from_dict, parse_text
from engine.state import ACTIVE, FINISHED, STATE, ensure_schema
from engine.timeutil import as_aware, to_local_naive, zone
from engine.validation import check_against_crm


@dataclass
class Published:
    """The outcome of a publish: the version number and the stranded customers per node."""

    version: int
    new: bool
    stranded: dict[str, int]


def would_publish(crm: Crm, scenario: Scenario) -> tuple[int, bool]:
    """The version publishing ``scenario`` would give, and whether it would be a new one (nothing
    is written: the question before a scenario is switched on)."""
    versions = STATE.versions
    with crm.connect(read_only=True) as conn:
        if not sa.inspect(conn).has_table(versions.name):
            return 1, True
        latest = conn.execute(sa.select(versions.c.version, versions.c.body).where(versions.c.scenario == scenario.key)
                              .order_by(versions.c.version.desc()).limit(1)).first()
    if latest is None:
        return 1, True
    return (latest.version, False) if latest.body == dumps(scenario) else (latest.version + 1, True)


def publish(crm: Crm, scenario: Scenario, now: datetime) -> Published:
    """Publish ``scenario`` as a new version unless it equals the latest one.

    Raises:
        ScenarioError: the scenario does not fit the CRM; nothing is written (not even the
            engine's tables, on a CRM it never ran on).
    """
    check_against_crm(scenario, crm)
    versions = STATE.versions
    body = dumps(scenario)
    local = to_local_naive(now, zone(scenario.settings["timezone"]))
    with crm.engine.begin() as conn:
        ensure_schema(conn)
        latest = conn.execute(sa.select(versions.c.version, versions.c.body).where(versions.c.scenario == scenario.key)
                              .order_by(versions.c.version.desc()).limit(1)).first()
        if latest and latest.body == body:
            number, new = latest.version, False
        else:
            number, new = (latest.version + 1 if latest else 1), True
            conn.execute(versions.insert().values(scenario=scenario.key, version=number, body=body,
                                                  published_at=local))
    return Published(number, new, stranded(crm, scenario))


def latest_version(crm: Crm, key: str) -> tuple[int, Scenario] | None:
    """The number and scenario of the latest published version of a scenario, or None (also on a
    CRM the engine never ran on: reading creates nothing)."""
    versions = STATE.versions
    with crm.connect(read_only=True) as conn, conn.begin():
        if not sa.inspect(conn).has_table(versions.name):
            return None
        row = conn.execute(sa.select(versions.c.version, versions.c.body).where(versions.c.scenario == key)
                           .order_by(versions.c.version.desc()).limit(1)).first()
    return None if row is None else (row.version, from_dict(parse_text(row.body)))


def latest_published(crm: Crm, key: str) -> Scenario | None:
    """The latest published version of a scenario, or None."""
    found = latest_version(crm, key)
    return None if found is None else found[1]


def stranded(crm: Crm, scenario: Scenario) -> dict[str, int]:
    """Active enrolments sitting at nodes this version does not have, counted per node."""
    e = STATE.enrolments
    with crm.engine.connect() as conn:
        found = conn.execute(sa.select(e.c.node_id, sa.func.count())
                             .where(e.c.scenario == scenario.key, e.c.status == ACTIVE,
                                    e.c.node_id.not_in([n.id for n in scenario.nodes]))
                             .group_by(e.c.node_id)).all()
    return dict(found)


def move_stranded(crm: Crm, scenario: Scenario, from_node: str, to_node: str, now: datetime) -> int:
    """Move the customers stranded at ``from_node`` to ``to_node`` of this version.

    Raises:
        ValueError: if ``from_node`` still exists or ``to_node`` does not, or ``to_node`` takes no input.
    """
    ids = {n.id for n in scenario.nodes}
    if from_node in ids:
        raise ValueError(f"node '{from_node}' is still in the scenario: its customers are not stranded")
    if to_node not in ids or not REGISTRY[scenario.node(to_node).type].has_input:
        raise ValueError(f"node '{to_node}' is not a node of this version that customers can be moved to")
    tz = zone(scenario.settings["timezone"])
    local = to_local_naive(now, tz)
    node = scenario.node(to_node)
    due = REGISTRY[node.type].hold_until(node.params, as_aware(now, tz), tz)
    e, j = STATE.enrolments, STATE.journal
    mine = [e.c.scenario == scenario.key, e.c.status == ACTIVE, e.c.node_id == from_node]
    with crm.engine.begin() as conn:
        moved = conn.execute(e.update().where(*mine).values(
            node_id=to_node, prev_node_id=from_node, arrived_at=local,
            due_at=None if due is None else to_local_naive(due, tz))).rowcount
        conn.execute(j.insert().from_select(
            ["enrolment_id", "scenario", "node_id", "at"],
            sa.select(e.c.id, e.c.scenario, e.c.node_id, e.c.arrived_at).where(
                e.c.scenario == scenario.key, e.c.status == ACTIVE, e.c.node_id == to_node,
                e.c.prev_node_id == from_node, e.c.arrived_at == local)))
    return moved


def end_stranded(crm: Crm, scenario: Scenario, from_node: str, now: datetime) -> int:
    """End the enrolments stranded at ``from_node`` (they may enter again under the re-entry rule)."""
    if from_node in {n.id for n in scenario.nodes}:
        raise ValueError(f"node '{from_node}' is still in the scenario: its customers are not stranded")
    e = STATE.enrolments
    local = to_local_naive(now, zone(scenario.settings["timezone"]))
    with crm.engine.begin() as conn:
        return conn.execute(e.update().where(e.c.scenario == scenario.key, e.c.status == ACTIVE,
                                             e.c.node_id == from_node)
                            .values(status=FINISHED, ended_at=local, exit_port="ended-by-user")).rowcount
