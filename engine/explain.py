"""Why a customer would (not) enter a scenario today: the entry path, condition by condition.

Along the way a run's entry takes (the trigger, then the filters and splits by condition before
the first node that acts or holds), each condition is evaluated for one customer with the same
SQL the run uses, and what it looks at is read beside it ("no order in the last 180 days: last
completed order 2026-05-26: holds"). Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from connectors.crm import Crm
from connectors.texts import catalog
from engine.conditions import KINDS, SqlContext, compile_condition
from engine.describe import Say, titles_of
from engine.model import Node, Scenario
from engine.nodes import REGISTRY
from engine.runner import events_since
from engine.state import ACTIVE, STATE
from engine.timeutil import as_aware, to_local_naive, zone

WORDS = catalog("engine", {
    "explain.trigger.schedule": "every customer",
    "explain.trigger.registered": "registered {date}",
    "explain.trigger.ordered": "last completed order {date}",
    "explain.trigger.event": "last event {event} {date}",
    "explain.trigger.date": "{field} {date}",
    "explain.trigger.nothing": "nothing since {date}",
    "explain.reentry.never": "never was in this scenario before",
    "explain.reentry.days": "is not in this scenario now and did not leave it in the last {days}",
    "explain.reentry.once": "is not in this scenario now",
    "explain.in.never": "never in it",
    "explain.in.now": "in it now, at {node} since {date}",
    "explain.in.left": "left it {date}",
    "explain.active": "the campaign runs today",
    "explain.active.value": "today is {date}",
    "explain.port": "goes on by {port}",
    "explain.enters": "enters at {node}",
    "explain.next": "goes on to {node}",
    "explain.ends": "leaves the scenario at {node}",
    "explain.ends.nowhere": "the way ends after {node}",
})


@dataclass
class Condition:
    """One condition for one customer: in words, what it looks at, whether it holds."""

    condition: str
    value: str
    passed: bool

    def to_json(self) -> dict[str, Any]:
        """``{"condition", "value", "passed"}``."""
        return {"condition": self.condition, "value": self.value, "passed": self.passed}


@dataclass
class Step:
    """One node of the entry path for one customer.

    Attributes:
        node: The node's id.
        title: Its title.
        passed: Whether the customer goes on (a trigger admits them; a filter says yes).
        outcome: Where they go from here, in words.
        conditions: Its conditions for this customer.
    """

    node: str
    title: str
    passed: bool
    outcome: str
    conditions: list[Condition] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """``{"node", "title", "passed", "outcome", "conditions"}``."""
        return {"node": self.node, "title": self.title, "passed": self.passed, "outcome": self.outcome,
                "conditions": [c.to_json() for c in self.conditions]}


def explain_entry(conn: sa.Connection, crm: Crm, scenario: Scenario, customer_id: Any, now: datetime,
                  lang: str = "en") -> list[Step]:
    """The entry path of ``scenario`` at ``now`` for one customer, node by node."""
    tz = zone(scenario.settings.get("timezone") or "Europe/Moscow")
    local_now = to_local_naive(as_aware(now, tz), tz)
    today = local_now.date()
    titles = titles_of(scenario, lang)
    say = Say(lang, titles, today)
    cid = crm.col("customers", "id")
    ctx = SqlContext(crm=crm, state=STATE, scenario_key=scenario.key, today=today, local_now=local_now,
                     customer=crm.customers, enrolment_id=sa.null(), entered_at=crm.ts_value(local_now),
                     customer_id=cid, entry_day=sa.literal(today.toordinal()))
    has_state = sa.inspect(conn).has_table(STATE.enrolments.name)

    def one(*columns: Any) -> tuple:
        return tuple(conn.execute(sa.select(*columns).select_from(crm.customers).where(cid == customer_id)).one())

    trigger = scenario.trigger()
    since = events_since(conn, scenario.key, local_now) if has_state else local_now - timedelta(days=1)
    admits = REGISTRY[trigger.type].admits(trigger.params, ctx, since)
    conditions = [_trigger_condition(trigger, admits, ctx, since, say, one),
                  _reentry(conn, scenario, customer_id, today, say, titles) if has_state
                  else Condition(_reentry_words(scenario, say), say("explain.in.never"), True)]
    active = _active(scenario, today, say)
    if active is not None:
        conditions.append(active)
    passed = all(c.passed for c in conditions)
    first = scenario.target(trigger.id, "out")
    steps = [Step(trigger.id, titles[trigger.id], passed, _where(scenario, trigger.id, first, say), conditions)]
    node_id = first
    while node_id is not None:
        node = scenario.node(node_id)
        kind = REGISTRY[node.type]
        if not kind.pure or not kind.ports(node.params):
            break
        step, node_id = _decide(scenario, node, ctx, say, one)
        steps.append(step)
    return steps


def _decide(scenario: Scenario, node: Node, ctx: SqlContext, say: Say, one: Any) -> tuple[Step, str | None]:
    """A deciding node (a filter, a split by condition) for the customer: its conditions, its port."""
    kind = REGISTRY[node.type]
    conds = _conditions_of(node)
    routes = kind.routes(node.params, ctx, ctx.scenario_key, node.id)
    whens = [(pred, sa.literal(port, sa.String)) for port, pred in routes if pred is not None]
    otherwise = next((port for port, pred in routes if pred is None), "")
    measured = [KINDS[c["kind"]].measure(c, ctx) if c["kind"] in KINDS else [] for c in conds]
    columns = [sa.case(*whens, else_=sa.literal(otherwise, sa.String)) if whens else sa.literal(otherwise),
               *[sa.case((compile_condition(c, ctx), 1), else_=0) for c in conds],
               *[m for ms in measured for m in ms]]
    row = one(*columns)
    port, holds, values = row[0], row[1:1 + len(conds)], list(row[1 + len(conds):])
    found = []
    for cond, held, ms in zip(conds, holds, measured, strict=True):
        mine, values = values[:len(ms)], values[len(ms):]
        found.append(Condition(say.qualifier(cond), _say_value(cond, mine, ctx, say, one), bool(held)))
    target = scenario.target(node.id, port)
    passed = port == kind.passing_port if kind.passing_port else True
    return Step(node.id, say.title(node.id), passed, _where(scenario, node.id, target, say, port), found), target


def _conditions_of(node: Node) -> list[dict]:
    """A filter's conditions; a split by condition's branches, each as a group."""
    params = node.params or {}
    if "conditions" in params:
        return list(params["conditions"])
    return [{"kind": "group", "match": b.get("match", "all"), "conditions": b.get("conditions", [])}
            for b in params.get("branches") or [] if isinstance(b, dict) and "conditions" in b]


def _say_value(cond: dict, values: list, ctx: SqlContext, say: Say, one: Any) -> str:
    """What a condition looks at, in words; a group's conditions each, joined."""
    kind = KINDS.get(cond.get("kind"))
    if kind is None:
        return ""
    inner = kind.inner(cond)
    if inner is None:
        return kind.say_measure(cond, values, say)
    parts = []
    for sub in inner:
        sub_kind = KINDS.get(sub.get("kind"))
        measured = sub_kind.measure(sub, ctx) if sub_kind and sub_kind.inner(sub) is None else []
        parts.append(_say_value(sub, list(one(*measured)) if measured else [], ctx, say, one))
    return "; ".join(p for p in parts if p)


def _where(scenario: Scenario, node_id: str, target: str | None, say: Say, port: str | None = None) -> str:
    """Where a customer goes from ``node_id``: by a port to a node that enrols them, an exit, or nowhere."""
    node = scenario.node(node_id)
    by = say("explain.port", port=say.port(node.type, port)) + ", " \
        if port and len(REGISTRY[node.type].ports(node.params)) > 1 else ""
    if target is None:
        return by + say("explain.ends.nowhere", node=say.quote(say.title(node_id)))
    after = scenario.node(target)
    kind = REGISTRY[after.type]
    code = "explain.enters" if not kind.pure else "explain.next" if kind.ports(after.params) else "explain.ends"
    return by + say(code, node=say.quote(say.title(target)))


def _trigger_condition(trigger: Node, admits: Any, ctx: SqlContext, since: datetime, say: Say,
                       one: Any) -> Condition:
    """Whether the trigger admits the customer, with the date it looks at."""
    crm, params = ctx.crm, trigger.params
    kind = params.get("kind", "schedule")
    customer_id = crm.col("customers", "id")
    if kind == "new_customer":
        measure = crm.col("customers", "registered_at")
    elif kind == "new_order":
        measure = (sa.select(sa.func.max(crm.ts(crm.col("orders", "created_at"))))
                   .where(crm.col("orders", "customer_id") == customer_id,
                          crm.col("orders", "status").in_(crm.mapping.completed_statuses)).scalar_subquery())
    elif kind == "event":
        measure = (sa.select(sa.func.max(crm.ts(crm.col("events", "created_at"))))
                   .where(crm.col("events", "customer_id") == customer_id,
                          crm.col("events", "name") == params["event"]).scalar_subquery())
    elif kind == "date" and params.get("field") in crm.customer_fields():
        measure = crm.customer_fields()[params["field"]]
    else:
        measure = sa.null()
    held, value = one(sa.case((admits, 1), else_=0), measure)
    date = str(value)[:10] if value is not None else None
    words = {"schedule": ("explain.trigger.schedule", {}),
             "new_customer": ("explain.trigger.registered", {"date": date}),
             "new_order": ("explain.trigger.ordered", {"date": date}),
             "event": ("explain.trigger.event", {"event": say.quote(str(params.get("event"))), "date": date}),
             "date": ("explain.trigger.date", {"field": say.field(str(params.get("field"))), "date": date})}[kind]
    if kind != "schedule" and date is None:
        words = ("explain.trigger.nothing", {"date": str(since)[:10]})
    sentence = describe_node_sentence(trigger, say)
    return Condition(sentence, say(words[0], **words[1]), bool(held))


def describe_node_sentence(node: Node, say: Say) -> str:
    """A node's sentence without its closing full stop (a condition in a list)."""
    return REGISTRY[node.type].describe(node.params, say).rstrip(".")


def _reentry_words(scenario: Scenario, say: Say) -> str:
    days = scenario.settings.get("reentry_days")
    if days is None:
        return say("explain.reentry.never")
    if days == 0:
        return say("explain.reentry.once")
    return say("explain.reentry.days", days=say.count(days, "day"))


def _reentry(conn: sa.Connection, scenario: Scenario, customer_id: Any, today: Any, say: Say,
             titles: dict[str, str]) -> Condition:
    """Whether the re-entry rule lets the customer in: not in the scenario, not left too recently."""
    e = STATE.enrolments
    last = conn.execute(sa.select(e.c.status, e.c.node_id, e.c.arrived_at, e.c.ended_at)
                        .where(e.c.scenario == scenario.key, e.c.customer_id == customer_id)
                        .order_by(e.c.entered_at.desc(), e.c.id.desc()).limit(1)).first()
    days = scenario.settings.get("reentry_days")
    if last is None:
        return Condition(_reentry_words(scenario, say), say("explain.in.never"), True)
    if last.status == ACTIVE:
        value = say("explain.in.now", node=say.quote(titles.get(last.node_id, last.node_id)),
                    date=str(last.arrived_at)[:16])
        return Condition(_reentry_words(scenario, say), value, False)
    held = days is not None and last.ended_at.date() < today - timedelta(days=days)
    return Condition(_reentry_words(scenario, say), say("explain.in.left", date=str(last.ended_at)[:10]), held)


def _active(scenario: Scenario, today: Any, say: Say) -> Condition | None:
    """The campaign's dates, when the scenario has any."""
    start, end = scenario.settings.get("active_from"), scenario.settings.get("active_until")
    if not start and not end:
        return None
    held = (not start or today.isoformat() >= start) and (not end or today.isoformat() <= end)
    return Condition(say("explain.active"), say("explain.active.value", date=today.isoformat()), held)


__all__ = ["Condition", "Step", "explain_entry"]
