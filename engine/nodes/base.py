"""The declaration every node type makes once: ports, parameters, checks and execution."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from connectors.texts import Entry, catalog
from engine.conditions import CheckEnv, SqlContext
from engine.params import Param
from engine.problems import Problem, problem

Route = tuple[str, sa.ColumnElement | None]
PORT_NAME_MAX = 32
STAY = "~stay"  # the route of customers a listening node keeps for now (never a real port name)


@dataclass
class CheckContext:
    """What a node's own checks may look at.

    Attributes:
        node_types: Node id -> type of every node of the scenario.
        customer_fields: The CRM's customer fields -> what they hold (number, text, bool, date,
            other), or None without a CRM.
        crm_has: (table, column) -> bool for optional CRM columns, or None without a CRM.
        flag: (node type, flag name) -> whether that type has the flag (for references).
    """

    node_types: dict[str, str]
    customer_fields: Any = None
    crm_has: Any = None
    flag: Any = None

    def conditions(self, node_id: str) -> CheckEnv:
        """What the checks of the node's conditions look at."""
        return CheckEnv(node_id, self.node_types, self.customer_fields, self.flag or (lambda _t, _f: False))


@dataclass
class ApplyContext:
    """What a node's side effects run with, inside the step's transaction.

    Attributes:
        conn: The connection holding the step's transaction.
        sql: The condition context (CRM, state tables, time).
        node_id: The node being applied.
        route: Temporary table (enrolment_id, customer_id, port) of the customers at the node.
        counts: Per-run counters to add to (queued, skipped, capped, bonuses).
        frequency_cap: The shop-wide cap on messages per customer, if any.
        sample: For a preview: node id -> the customers an SMS node would queue for (to count the
            parts their texts take), or None.
    """

    conn: Connection
    sql: SqlContext
    node_id: str
    route: sa.Table
    counts: dict[str, int]
    frequency_cap: Any = None
    sample: dict[str, list[int]] | None = None


class NodeType:
    """Base declaration of a node type; subclasses set the class attributes and override hooks.

    Attributes:
        name: The ``type`` string in scenario files.
        order: Its place in the palette (the registry is sorted by it).
        title: Name shown in the palette, in English.
        description: One sentence for tooltips and reports, in English.
        words: Its other words in English: port names (``port.<port>``), the phrases of its
            sentence (``say...``) and its problems. All of them, the title, the description and its
            parameters' labels are in the engine's catalog as ``node.<type>.<key>``.
        color: Node colour on the canvas, ``#rrggbb``.
        icon: Icon file name under ``resources/icons``.
        params: Declared parameters, in form order.
        has_input: Whether edges may enter the node.
        pure: No side effects and no memory: customers who have not entered yet may pass
            through it, so a customer only enrols when reaching a node that acts or holds.
        listens: Customers may leave before their time is up (an awaited event): every tick
            routes all of them, and those routed to ``STAY`` remain.
        sends: Sends messages to customers, so the scenario's sending window applies.
        notifies: Writes a note to staff through the outbox (a task): rendered and delivered like a
            message, with no consent, no cap and no sending window.
        entry: Customers enter the scenario here; a scenario has exactly one such node.
        holds: Customers may sit at the node for a while (a wait, a delay, a sending window), so
            it shows how many wait there.
        grants: Grants bonuses (conditions on a used bonus name such a node).
        passing_port: The port of the customers it lets through (a filter's ``yes``): its badge
            reads "passed of entered".
        branching: Its ports are branches the person names (a split, a split by condition): results
            compare them side by side.
        checks_partial: Its own checks run even while a parameter has the wrong type (they say more
            than the type error alone).
    """

    name: ClassVar[str]
    order: ClassVar[int] = 100
    title: ClassVar[str]
    description: ClassVar[str]
    words: ClassVar[dict[str, Entry]] = {}
    color: ClassVar[str]
    icon: ClassVar[str]
    params: ClassVar[tuple[Param, ...]] = ()
    has_input: ClassVar[bool] = True
    pure: ClassVar[bool] = False
    listens: ClassVar[bool] = False
    sends: ClassVar[bool] = False
    notifies: ClassVar[bool] = False
    entry: ClassVar[bool] = False
    holds: ClassVar[bool] = False
    grants: ClassVar[bool] = False
    branching: ClassVar[bool] = False
    passing_port: ClassVar[str | None] = None
    checks_partial: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:
            return
        prefix = f"node.{cls.name}."
        english: dict[str, Entry] = {prefix + "title": cls.title, prefix + "description": cls.description}
        english |= {prefix + key: value for key, value in cls.words.items()}
        for param in cls.params:
            english[f"{prefix}param.{param.name}.label"] = param.label
            if param.help:
                english[f"{prefix}param.{param.name}.help"] = param.help
            if isinstance(param.extra.get("unset"), str):
                english[f"{prefix}param.{param.name}.unset"] = param.extra["unset"]
        catalog("engine", english)

    def code(self, key: str) -> str:
        """The catalog code of one of the type's words."""
        return f"node.{self.name}.{key}"

    def problem(self, key: str, node_id: str, field: str | None = None, /, **args: Any) -> Problem:
        """A problem of this type's own (its words are ``words[key]``), at a node and a field."""
        return problem(self.code(key), node_id, field, **args)

    def ports(self, params: dict) -> list[str]:
        """Output ports for these parameters."""
        return ["out"]

    def describe(self, params: dict, say: Any) -> str:
        """One plain sentence saying what the node does to the customers who reach it."""
        raise KeyError(self.name)  # a type without a sentence of its own gets its description

    def decides(self, params: dict) -> bool:
        """Whether customers leave by one of several ports (a filter, a split, a wait for an event)."""
        return len(self.ports(params)) > 1

    def customer_fields(self, params: dict) -> list[str]:
        """The customer fields the node's parameters name (to check them against a CRM)."""
        return []

    def defaults(self) -> dict:
        """Parameters of a newly created node."""
        return {p.name: p.default for p in self.params if p.default is not None}

    def check(self, node_id: str, params: dict, ctx: CheckContext) -> list[Problem]:
        """Checks beyond each parameter's declared type and range."""
        return []

    def routes(self, params: dict, ctx: SqlContext, scenario_key: str, node_id: str) -> list[Route]:
        """Ordered (port, predicate) pairs; the first true one wins, ``None`` is "otherwise"."""
        return [("out", None)]

    def hold_until(self, params: dict, now: datetime, tz: ZoneInfo) -> datetime | None:
        """For a node that holds customers: the aware time a customer arriving ``now`` leaves."""
        return None

    @property
    def acts(self) -> bool:
        """Whether the node has side effects (it sends or grants), which a preview foresees."""
        return self.sends or self.grants or self.notifies

    def apply(self, params: dict, ctx: ApplyContext) -> None:
        """Side effects for every customer at the node (queue messages, grant bonuses)."""

    def foresee(self, params: dict, ctx: ApplyContext) -> None:
        """What :meth:`apply` would do for every customer at the node, counted into ``ctx.counts``
        and written nowhere (a preview, the question before a run)."""


def port_name_problems(port: Any, seen: set[str], node_id: str, where: str) -> list[Problem]:
    """Problems of a branch's port name (a short identifier, once per node); records it in ``seen``."""
    problems: list[Problem] = []
    if not isinstance(port, str) or not port or len(port) > PORT_NAME_MAX or not port.isidentifier():
        problems.append(problem("branch.port_name", node_id, where, port=str(port)))
    elif port in seen:
        problems.append(problem("branch.twice", node_id, where, port=port))
    if isinstance(port, str):
        seen.add(port)
    return problems
