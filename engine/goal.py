"""The scenario's goal: customers who meet it leave the scenario before any step acts.

The scenario setting ``goal`` is ``{"match": "all" | "any", "conditions": [...]}``, the
conditions of a filter (``since: "entry"`` included). Every tick, right after the day's entry
and before any node moves, every active enrolment whose customer meets the goal ends with the
exit ``goal``: those waiting, held by an action delay or a sending window included. Which node
each left from stays on the enrolment (its ``node_id``), and the run counts them per node.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from connectors.texts import catalog
from engine.conditions import MATCHES, CheckEnv, SqlContext, check_conditions, compile_conditions, references
from engine.problems import Problem, problem
from engine.state import ACTIVE, FINISHED

GOAL_KEYS = ("match", "conditions")
GOAL_EXIT = "goal"  # the exit port of an enrolment that met the goal
GOAL_PORT = "~goal"  # the run history's per-node count of them (never a real port name)
WHERE = "settings.goal"

catalog("engine", {
    "goal.not_object": "the goal must be an object with 'match' and 'conditions'",
    "goal.match": "the goal's match must be 'all' or 'any'",
    "goal.empty": "a goal needs at least one condition (remove the goal instead)",
})


def check_goal(value: Any, env: CheckEnv) -> list[Problem]:
    """Problems of a ``goal`` setting, each naming its field (``settings.goal.conditions[0].op``)."""
    if value is None:
        return []
    if not isinstance(value, dict):
        return [problem("goal.not_object", None, WHERE)]
    problems = [problem("file.unknown_key", None, f"{WHERE}.{k}", key=k) for k in value if k not in GOAL_KEYS]
    if value.get("match", "all") not in MATCHES:
        problems.append(problem("goal.match", None, f"{WHERE}.match"))
    conditions = value.get("conditions")
    if isinstance(conditions, list) and not conditions:
        return [*problems, problem("goal.empty", None, f"{WHERE}.conditions")]
    return problems + check_conditions(conditions, f"{WHERE}.conditions", env)


def goal_fields(value: Any) -> list[str]:
    """The customer fields a goal names."""
    if not isinstance(value, dict) or not isinstance(value.get("conditions"), list):
        return []
    return references(value["conditions"], "field", "field")


def leave_by_goal(conn: Connection, goal: dict, enrolments: sa.Table, route: sa.Table, ctx_for: Any,
                  customers: sa.Table, customer_id: Any, scenario_key: str, local_now: Any) -> dict[str, int]:
    """End every active enrolment of the scenario whose customer meets ``goal``; returns node id ->
    how many left from it.

    Args:
        conn: The connection holding the step's transaction.
        goal: The valid ``goal`` setting.
        enrolments: The enrolments table (a preview's shadow).
        route: The runner's temporary route table, to keep who leaves (port: their node).
        ctx_for: Builds the condition context from the subject's columns.
        customers: The CRM's customers table.
        customer_id: Its id column.
        scenario_key: The scenario.
        local_now: Naive local time of the tick.
    """
    e = enrolments
    ctx: SqlContext = ctx_for(e.c.id, e.c.customer_id, e.c.entered_at, e.c.entry_day, e.c.arrived_at, e.c.due_at)
    met = compile_conditions(goal["conditions"], goal.get("match", "all"), ctx)
    leaving = (sa.select(e.c.id, e.c.customer_id, e.c.node_id)
               .select_from(e.join(customers, customer_id == e.c.customer_id))
               .where(e.c.scenario == scenario_key, e.c.status == ACTIVE, met))
    conn.execute(route.delete())
    conn.execute(route.insert().from_select(["enrolment_id", "customer_id", "port"], leaving))
    by_node = dict(conn.execute(sa.select(route.c.port, sa.func.count()).group_by(route.c.port)).all())
    if by_node:
        conn.execute(e.update().where(e.c.id.in_(sa.select(route.c.enrolment_id)))
                     .values(status=FINISHED, ended_at=local_now, exit_port=GOAL_EXIT, held=None))
    return by_node
