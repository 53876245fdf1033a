"""The split by condition: each customer goes down the first branch whose conditions hold."""

from __future__ import annotations

from typing import Any, ClassVar

from engine.conditions import MATCHES, SqlContext, check_conditions, compile_conditions, references
from engine.nodes.base import CheckContext, NodeType, Route, port_name_problems
from engine.params import Param
from engine.problems import Problem

OTHERWISE = "other"  # the switch's last port: customers no branch took


class Switch(NodeType):
    """Sends each customer down the first branch whose conditions hold, or by ``other``."""

    name = "switch"
    order = 30
    title = "Split by condition"
    description = "Each customer goes down the first branch whose conditions they match, or by 'other'."
    color = "#b5651d"
    icon = "switch.svg"
    pure = True
    branching = True
    params: ClassVar = (
        Param("branches", "cases", "Branches", required=True,
              default=[{"port": "first", "match": "all", "conditions": []}],
              help="Branches tried in order; each has its port and conditions."),
    )
    words: ClassVar = {
        "port.other": "other",
        "one_branch": "a split by condition needs at least one branch",
        "branch_shape": "a branch is an object with 'port', 'match' and 'conditions'",
        "reserved": "port '{port}' is the port of customers no branch takes",
        "say.first": "{Who} go on by {port}",
        "say.next": "then {who} by {port}",
        "say.other": "the others by {port}",
    }

    def ports(self, params: dict) -> list[str]:
        branches = params.get("branches")
        names = [b["port"] for b in branches if isinstance(b, dict) and isinstance(b.get("port"), str)] \
            if isinstance(branches, list) else []
        return [*names, OTHERWISE]

    def check(self, node_id: str, params: dict, ctx: CheckContext) -> list[Problem]:
        branches = params.get("branches")
        if not isinstance(branches, list):
            return []
        problems: list[Problem] = []
        if not branches:
            problems.append(self.problem("one_branch", node_id, "params.branches"))
        seen: set[str] = set()
        env = ctx.conditions(node_id)
        for i, branch in enumerate(branches):
            where = f"params.branches[{i}]"
            if not isinstance(branch, dict) or not {"port", "conditions"} <= set(branch) \
                    or not set(branch) <= {"port", "match", "conditions"}:
                problems.append(self.problem("branch_shape", node_id, where))
                continue
            port = branch["port"]
            if port == OTHERWISE:
                problems.append(self.problem("reserved", node_id, f"{where}.port", port=port))
            else:
                problems += port_name_problems(port, seen, node_id, f"{where}.port")
            if branch.get("match", "all") not in MATCHES:
                problems.append(Problem("value.match", {}, node_id, f"{where}.match"))
            problems += check_conditions(branch["conditions"], f"{where}.conditions", env)
        return problems

    def customer_fields(self, params: dict) -> list[str]:
        branches = params.get("branches") if isinstance(params.get("branches"), list) else []
        return [f for b in branches if isinstance(b, dict)
                for f in references(b.get("conditions") or [], "field", "field")]

    def describe(self, params: dict, say: Any) -> str:
        branches = [b for b in params["branches"] if isinstance(b, dict)]
        parts = []
        for i, branch in enumerate(branches):
            if branch["port"] == OTHERWISE and not branch.get("conditions"):
                continue  # the "others" port is said once, at the end
            port = say.quote(branch["port"])
            who = say.customers(branch.get("conditions") or [], branch.get("match", "all"))
            parts.append(say(self.code("say.first"), Who=say.capital(who), port=port) if i == 0
                         else say(self.code("say.next"), who=who, port=port))
        parts.append(say(self.code("say.other"), port=say.port(self.name, OTHERWISE)))
        return "; ".join(parts) + "."

    def routes(self, params: dict, ctx: SqlContext, scenario_key: str, node_id: str) -> list[Route]:
        return [*[(b["port"], compile_conditions(b["conditions"], b.get("match", "all"), ctx))
                  for b in params["branches"]], (OTHERWISE, None)]
