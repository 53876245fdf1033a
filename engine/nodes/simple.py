"""Node types without side effects: trigger, filter, split, exit."""

from __future__ import annotations

import hashlib
from typing import ClassVar

import sqlalchemy as sa

from engine.conditions import SqlContext, compile_conditions, validate_conditions
from engine.nodes.base import CheckContext, NodeType, Route
from engine.params import Param
from engine.problems import Problem

PORT_NAME_MAX = 32


class Trigger(NodeType):
    """Where customers enter: ``schedule`` admits every customer once a day at ``at``."""

    name = "trigger"
    title = "Start: every day"
    description = "Customers enter the scenario once a day at the given time."
    color = "#3d8bd9"
    icon = "trigger.svg"
    has_input = False
    pure = True
    params: ClassVar = (
        Param("kind", "choice", "Starts", default="schedule", required=True, choices=("schedule",),
              help="What lets customers in: every day at a time."),
        Param("at", "time", "At", default="10:00", required=True,
              help="Local time of day (scenario timezone) when customers enter."),
    )

    def admits(self, params: dict, ctx: SqlContext) -> sa.ColumnElement:
        """The customers this trigger lets in (every customer, for a schedule)."""
        return sa.true()


class Filter(NodeType):
    """Sends customers matching the conditions to ``yes`` and the others to ``no``."""

    name = "filter"
    title = "Filter customers"
    description = "Customers who match the conditions go on by 'yes', the others by 'no'."
    color = "#d9a13d"
    icon = "filter.svg"
    pure = True
    params: ClassVar = (
        Param("match", "choice", "Match", default="all", required=True, choices=("all", "any"),
              help="All conditions must hold, or any one of them."),
        Param("conditions", "conditions", "Conditions", default=[], required=True,
              help="What a customer must match."),
    )

    def ports(self, params: dict) -> list[str]:
        return ["yes", "no"]

    def check(self, node_id: str, params: dict, ctx: CheckContext) -> list[Problem]:
        return validate_conditions(params.get("conditions", []), node_id, "params.conditions",
                                   ctx.node_types, ctx.customer_fields)

    def routes(self, params: dict, ctx: SqlContext, scenario_key: str, node_id: str) -> list[Route]:
        return [("yes", compile_conditions(params["conditions"], params.get("match", "all"), ctx)),
                ("no", None)]


def split_bucket(scenario_key: str, node_id: str, customer_id: int, entry_day: int, total: int) -> int:
    """The branch bucket of one enrolment, 0 <= bucket < total (the SQL below computes the same)."""
    salt = _split_salt(scenario_key, node_id)
    mixed = (customer_id + entry_day * 7919 + salt) % 2147483647
    return (mixed * 2654435761) % 4294967296 % total


def _split_salt(scenario_key: str, node_id: str) -> int:
    return int(hashlib.sha256(f"{scenario_key}\x00{node_id}".encode()).hexdigest()[:5], 16)


class Split(NodeType):
    """Sends each enrolment down one branch, chosen by weights and fixed by a hash."""

    name = "split"
    title = "A/B split"
    description = "Customers are divided between branches by weight; each keeps its branch."
    color = "#8a63d2"
    icon = "split.svg"
    params: ClassVar = (
        Param("branches", "branches", "Branches", required=True,
              default=[{"port": "a", "weight": 50}, {"port": "b", "weight": 50}],
              help="Output ports and their weights."),
    )

    def ports(self, params: dict) -> list[str]:
        branches = params.get("branches")
        if not isinstance(branches, list):
            return []
        return [b["port"] for b in branches if isinstance(b, dict) and isinstance(b.get("port"), str)]

    def check(self, node_id: str, params: dict, ctx: CheckContext) -> list[Problem]:
        branches = params.get("branches")
        if not isinstance(branches, list):
            return []
        problems: list[Problem] = []
        if len(branches) < 2:
            problems.append(Problem("a split needs at least two branches", node_id, "params.branches"))
        seen: set[str] = set()
        for i, branch in enumerate(branches):
            where = f"params.branches[{i}]"
            if not isinstance(branch, dict) or set(branch) != {"port", "weight"}:
                problems.append(Problem("a branch is an object with 'port' and 'weight'", node_id, where))
                continue
            port, weight = branch["port"], branch["weight"]
            if not isinstance(port, str) or not port or len(port) > PORT_NAME_MAX or not port.isidentifier():
                problems.append(Problem(f"port name '{port}' must be a short identifier", node_id, f"{where}.port"))
            elif port in seen:
                problems.append(Problem(f"port '{port}' appears twice", node_id, f"{where}.port"))
            if isinstance(port, str):
                seen.add(port)
            if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 10000:
                problems.append(Problem("weight must be a whole number from 0 to 10000", node_id, f"{where}.weight"))
        weights = [b.get("weight") for b in branches if isinstance(b, dict)]
        if weights and all(isinstance(w, int) and not isinstance(w, bool) for w in weights) and sum(weights) == 0:
            problems.append(Problem("the weights add up to zero", node_id, "params.branches"))
        return problems

    def routes(self, params: dict, ctx: SqlContext, scenario_key: str, node_id: str) -> list[Route]:
        """Routes by the hash bucket of (scenario, node, customer, entry day): see split_bucket."""
        customer_id, entry_day = ctx.customer_id, ctx.entry_day
        branches = params["branches"]
        total = sum(b["weight"] for b in branches)
        salt = _split_salt(scenario_key, node_id)
        mixed = (customer_id + entry_day * sa.literal(7919, sa.BigInteger) + sa.literal(salt, sa.BigInteger)) \
            % sa.literal(2147483647, sa.BigInteger)
        bucket = (mixed * sa.literal(2654435761, sa.BigInteger)) % sa.literal(4294967296, sa.BigInteger) \
            % sa.literal(total, sa.BigInteger)
        routes: list[Route] = []
        upper = 0
        for branch in branches[:-1]:
            upper += branch["weight"]
            routes.append((branch["port"], bucket < upper))
        routes.append((branches[-1]["port"], None))
        return routes


class Exit(NodeType):
    """Ends the customer's way through the scenario."""

    name = "exit"
    title = "Exit"
    description = "The customer leaves the scenario here."
    color = "#7a7f87"
    icon = "exit.svg"
    pure = True

    def ports(self, params: dict) -> list[str]:
        return []

    def routes(self, params: dict, ctx: SqlContext, scenario_key: str, node_id: str) -> list[Route]:
        return []
