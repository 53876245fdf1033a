"""The declaration every condition kind makes once: its keys, its words, its builder's widgets,
its checks, its SQL and its description.

Every value reaches the database as a bound parameter. Day arithmetic is in calendar days of
the scenario's timezone: ``days_since(t)`` is today's local date minus the local date of ``t``.
So ``older_than_days N`` means days_since > N, ``newer_than_days N`` days_since < N,
``within_days N`` days_since < N (today and the N-1 days before).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

import sqlalchemy as sa

from connectors.texts import Entry, catalog
from engine.problems import Problem, problem
from engine.timeutil import days_ago_start

COMPARE = ("eq", "ne", "lt", "le", "gt", "ge")
MATCHES = ("all", "any")
# The order a condition's keys are written in, as in the shipped templates, so that files diff cleanly.
KEY_ORDER = ("kind", "field", "agg", "node", "within_days", "since", "status", "op", "value", "match", "conditions")


@dataclass(frozen=True)
class Slot:
    """One widget of a condition in the builder, editing one key of the condition.

    Attributes:
        key: The condition's key it edits.
        widget: ``field`` (a customer field), ``choice`` (one of ``choices``), ``value`` (typed
            text), ``days`` (a number of days, 0 for "ever"), ``since`` (any time, since entry,
            since a node) or ``node`` (a node that ``refers`` names, by a flag of its type).
        choices: The values of a ``choice``; their words are ``<kind words>.<key>.<value>``.
        line: 0 beside the condition's kind (what it looks at), 1 for the first line of the row,
            2 for its refinements.
        stretch: The share of the line's width.
        refers: For ``node``: the flag a node type must have (``grants``).
    """

    key: str
    widget: str
    choices: tuple[str, ...] = ()
    line: int = 1
    stretch: int = 1
    refers: str = ""


@dataclass
class CheckEnv:
    """What a condition's checks may look at.

    Attributes:
        node_id: The node holding the condition.
        node_types: Node id -> type of every node of the scenario.
        customer_fields: The CRM's customer fields -> what they hold (number, text, bool, date,
            other), or None without a CRM.
        flag: (node type name, flag name) -> whether that type has the flag.
        depth: How deep in groups the condition sits.
    """

    node_id: str
    node_types: Mapping[str, str]
    customer_fields: Mapping[str, str] | None
    flag: Callable[[str, str], bool]
    depth: int = 0

    def problem(self, code: str, where: str, **args: Any) -> Problem:
        """A problem at a field path of this node."""
        return problem(code, self.node_id, where, **args)


@dataclass
class SqlContext:
    """What a condition compiles against.

    Attributes:
        crm: The CRM connector (tables, dialect helpers).
        state: The engine's tables.
        scenario_key: The scenario whose state is read.
        today: The local date of ``now``.
        local_now: Naive local ``now``.
        customer: The customers table (joined with the subject).
        enrolment_id: The subject's enrolment id column (NULL before entry).
        entered_at: The subject's entry time column.
        customer_id: The subject's customer id column.
        entry_day: The subject's entry day (proleptic ordinal of the local date).
        arrived_at: When the subject reached its current node (nodes that listen for events).
        due_at: When the subject's time at its current node is up (NULL: no limit).
    """

    crm: Any
    state: Any
    scenario_key: str
    today: date
    local_now: datetime
    customer: sa.Table
    enrolment_id: sa.ColumnElement
    entered_at: sa.ColumnElement
    customer_id: sa.ColumnElement
    entry_day: sa.ColumnElement
    arrived_at: sa.ColumnElement | None = None
    due_at: sa.ColumnElement | None = None


class ConditionKind:
    """Base declaration of a condition kind; subclasses set the attributes and override the hooks.

    Attributes:
        name: The ``kind`` string in scenario files.
        order: Its place in the builder's kind list and in the schema.
        keys: The keys a condition of this kind may have (``kind`` included).
        words: Its words in English: ``title`` (in the kind list), the labels of its choices
            (``<key>.<value>``) and its problems and phrases; registered as ``condition.<name>.<key>``.
        default: A new condition of this kind, as the builder adds it.
        slots: The builder's widgets, in order.
        listed: Offered in the builder's kind list (a group has a button of its own).
    """

    name: ClassVar[str]
    order: ClassVar[int] = 50
    keys: ClassVar[frozenset[str]]
    words: ClassVar[dict[str, Entry]] = {}
    default: ClassVar[dict]
    slots: ClassVar[tuple[Slot, ...]] = ()
    listed: ClassVar[bool] = True

    def code(self, key: str) -> str:
        """The catalog code of one of the kind's words."""
        return f"condition.{self.name}.{key}"

    def check(self, cond: dict, where: str, env: CheckEnv) -> list[Problem]:
        """Problems of one condition of this kind (its keys are known to be allowed)."""
        return []

    def compile(self, cond: dict, ctx: SqlContext) -> sa.ColumnElement:
        """The condition as one SQL boolean over the customer and the subject."""
        raise NotImplementedError

    def describe(self, cond: dict, say: Any) -> str:
        """The condition as a qualifier of "customers", e.g. "registered more than 180 days ago"."""
        raise NotImplementedError

    def fields(self, cond: dict) -> list[str]:
        """The customer fields the condition names."""
        return []

    def measure(self, cond: dict, ctx: SqlContext) -> list[sa.ColumnElement]:
        """What the condition looks at for one subject, as SQL values: the customer lookup shows
        them beside the condition ("last completed order 2026-05-26")."""
        return []

    def say_measure(self, cond: dict, values: list, say: Any) -> str:
        """The values :meth:`measure` found, in words."""
        return ""

    def inner(self, cond: dict) -> list | None:
        """The conditions nested in this one (a group's), or None."""
        return None

    def value_of(self, cond: dict, key: str, text: str) -> Any:
        """The value of ``key`` typed as ``text`` in the builder (None leaves the key out)."""
        return parse_value(text)

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of a condition of this kind (``$ref`` ``#/$defs/condition`` for nested ones)."""
        raise NotImplementedError


# -- shared checks -------------------------------------------------------------------------------

def whole(value: Any, where: str, env: CheckEnv, key: str, minimum: int) -> list[Problem]:
    """A whole number of at least ``minimum``, or the problem saying otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        return [env.problem("value.whole_plain", f"{where}.{key}")]
    if value < minimum:
        return [env.problem("value.at_least", f"{where}.{key}", minimum=minimum)]
    return []


def check_op(cond: dict, where: str, env: CheckEnv, kind: ConditionKind, ops: tuple[str, ...]) -> list[Problem]:
    """The condition's operator is one of ``ops`` (else the kind's ``unknown_op`` problem)."""
    if cond.get("op") not in ops:
        return [env.problem(kind.code("unknown_op"), f"{where}.op", op=str(cond.get("op")), ops=", ".join(ops))]
    return []


def is_scalar(value: Any) -> bool:
    """Text, a number or true/false."""
    return isinstance(value, str | int | float | bool)


def parse_value(text: str) -> Any:
    """A typed value from what was typed: whole number, number, true/false or text."""
    text = text.strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d*", text):
        return float(text)
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


# -- shared SQL ----------------------------------------------------------------------------------

def compare(expr: Any, op: str, value: Any) -> sa.ColumnElement:
    """``expr op value`` for one of :data:`COMPARE`."""
    return {
        "eq": lambda: expr == value, "ne": lambda: expr != value,
        "lt": lambda: expr < value, "le": lambda: expr <= value,
        "gt": lambda: expr > value, "ge": lambda: expr >= value,
    }[op]()


def days_since_bounds(ts: sa.ColumnElement, op: str, n: int, ctx: SqlContext) -> sa.ColumnElement:
    """``days_since(ts) op n`` as comparisons of ``ts`` with local midnights."""
    def at_least(k: int) -> sa.ColumnElement:  # days_since >= k
        return ts < ctx.crm.ts_value(days_ago_start(ctx.today, k - 1))

    def at_most(k: int) -> sa.ColumnElement:  # days_since <= k
        if k < 0:
            return sa.false()
        return ts >= ctx.crm.ts_value(days_ago_start(ctx.today, k))

    return {
        "ge": lambda: at_least(n), "gt": lambda: at_least(n + 1),
        "le": lambda: at_most(n), "lt": lambda: at_most(n - 1),
        "eq": lambda: sa.and_(at_least(n), at_most(n)),
        "ne": lambda: sa.or_(at_least(n + 1), at_most(n - 1)),
    }[op]()


# -- the kinds, and conditions as lists ------------------------------------------------------------

KINDS: dict[str, ConditionKind] = {}
MAX_DEPTH = 8


def register(kind: ConditionKind) -> ConditionKind:
    """Make a condition kind known, with its words (each kind's module registers itself)."""
    KINDS[kind.name] = kind
    ordered = sorted(KINDS.values(), key=lambda k: k.order)
    KINDS.clear()
    KINDS.update((k.name, k) for k in ordered)
    catalog("engine", {kind.code(key): value for key, value in kind.words.items()})
    return kind


def check_conditions(conditions: Any, where: str, env: CheckEnv) -> list[Problem]:
    """Every problem in a list of conditions, each naming the node and the field path."""
    if not isinstance(conditions, list):
        return [env.problem("condition.not_list", where)]
    problems: list[Problem] = []
    for i, cond in enumerate(conditions):
        problems += check_condition(cond, f"{where}[{i}]", env)
    return problems


def check_condition(cond: Any, where: str, env: CheckEnv) -> list[Problem]:
    """The problems of one condition: its kind, its keys, then the kind's own checks."""
    if not isinstance(cond, dict):
        return [env.problem("condition.not_object", where)]
    kind = KINDS.get(cond.get("kind"))
    if kind is None:
        return [env.problem("condition.unknown_kind", f"{where}.kind", kind=str(cond.get("kind")),
                            kinds=", ".join(KINDS))]
    problems = [env.problem("condition.unknown_key", f"{where}.{k}", key=k, kind=kind.name)
                for k in sorted(set(cond) - kind.keys)]
    value = cond.get("value")
    if isinstance(value, str) and "\x00" in value:
        problems.append(env.problem("value.nul", f"{where}.value"))
    return problems + kind.check(cond, where, env)


def compile_conditions(conditions: list, match: str, ctx: SqlContext) -> sa.ColumnElement:
    """One SQL boolean for a list of conditions joined by ``match`` (all | any)."""
    parts = [compile_condition(c, ctx) for c in conditions]
    if match == "any":
        return sa.or_(sa.false(), *parts)
    return sa.and_(sa.true(), *parts)


def compile_condition(cond: dict, ctx: SqlContext) -> sa.ColumnElement:
    """One condition as an SQL boolean over the customer and the subject."""
    return KINDS[cond["kind"]].compile(cond, ctx)


def references(conditions: list, kind: str, key: str) -> list[str]:
    """Every value of ``key`` in conditions of ``kind``, nested groups included."""
    found: list[str] = []
    for cond in conditions or []:
        declared = KINDS.get(cond.get("kind")) if isinstance(cond, dict) else None
        if declared is None:
            continue
        nested = declared.inner(cond)
        if nested is not None:
            found += references(nested, kind, key)
        elif declared.name == kind and isinstance(cond.get(key), str):
            found.append(cond[key])
    return found
