"""The A/B split: each enrolment goes down one branch, chosen by weight and fixed by a hash."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

import sqlalchemy as sa

from engine.conditions import SqlContext
from engine.nodes.base import CheckContext, NodeType, Route, port_name_problems
from engine.params import Param
from engine.problems import Problem


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
    order = 80
    title = "A/B split"
    description = "Customers are divided between branches by weight; each keeps its branch."
    color = "#8a63d2"
    icon = "split.svg"
    branching = True
    params: ClassVar = (
        Param("branches", "branches", "Branches", required=True,
              default=[{"port": "a", "weight": 50}, {"port": "b", "weight": 50}],
              help="Output ports and their weights."),
    )
    words: ClassVar = {
        "two_branches": "a split needs at least two branches",
        "branch_shape": "a branch is an object with 'port' and 'weight'",
        "weight": "weight must be a whole number from 0 to 10000",
        "zero": "the weights add up to zero",
        "say": "A/B split: {branches}",
        "say.branch": "{port} {percent}%",
        "say.control": "{port} {percent}% (control: gets nothing)",
        "control": "'control' must be true or false",
        "two_controls": "a split has one control branch at most",
        "control_acts": "the control branch '{port}' leads to '{node}', which sends or grants: a control gets nothing",
    }

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
            problems.append(self.problem("two_branches", node_id, "params.branches"))
        seen: set[str] = set()
        for i, branch in enumerate(branches):
            where = f"params.branches[{i}]"
            if not isinstance(branch, dict) or not {"port", "weight"} <= set(branch) <= {"port", "weight", "control"}:
                problems.append(self.problem("branch_shape", node_id, where))
                continue
            port, weight = branch["port"], branch["weight"]
            problems += port_name_problems(port, seen, node_id, f"{where}.port")
            if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 10000:
                problems.append(self.problem("weight", node_id, f"{where}.weight"))
            if "control" in branch and not isinstance(branch["control"], bool):
                problems.append(self.problem("control", node_id, f"{where}.control"))
        if sum(1 for b in branches if isinstance(b, dict) and b.get("control") is True) > 1:
            problems.append(self.problem("two_controls", node_id, "params.branches"))
        weights = [b.get("weight") for b in branches if isinstance(b, dict)]
        if weights and all(isinstance(w, int) and not isinstance(w, bool) for w in weights) and sum(weights) == 0:
            problems.append(self.problem("zero", node_id, "params.branches"))
        return problems

    def describe(self, params: dict, say: Any) -> str:
        branches = params["branches"]
        total = sum(b["weight"] for b in branches)
        parts = [say(self.code("say.control" if b.get("control") else "say.branch"), port=b["port"],
                     percent=say.number(round(100 * b["weight"] / total, 1) if total else 0)) for b in branches]
        return say(self.code("say"), branches=", ".join(parts))

    def control(self, params: dict) -> str | None:
        """The port of the control branch, if the split has one."""
        branches = params.get("branches") if isinstance(params.get("branches"), list) else []
        return next((b["port"] for b in branches if isinstance(b, dict) and b.get("control") is True), None)

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
