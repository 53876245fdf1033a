"""The filter: customers who match its conditions go on by ``yes``, the others by ``no``."""

from __future__ import annotations

from typing import Any, ClassVar

from engine.conditions import SqlContext, check_conditions, compile_conditions, references
from engine.nodes.base import CheckContext, NodeType, Route
from engine.params import Param
from engine.problems import Problem


class Filter(NodeType):
    """Sends customers matching the conditions to ``yes`` and the others to ``no``."""

    name = "filter"
    order = 20
    title = "Filter customers"
    description = "Customers who match the conditions go on by 'yes', the others by 'no'."
    color = "#d9a13d"
    icon = "filter.svg"
    pure = True
    checks_partial = True
    passing_port = "yes"
    params: ClassVar = (
        Param("match", "choice", "Match", default="all", required=True, choices=("all", "any"),
              help="All conditions must hold, or any one of them."),
        Param("conditions", "conditions", "Conditions", default=[], required=True,
              help="What a customer must match."),
    )
    words: ClassVar = {
        "port.yes": "yes",
        "port.no": "no",
        "say": "{Who} go on by {yes}; the others by {no}.",
        "say.everyone": "All customers go on by {yes}.",
        "say.nobody": "All customers go on by {no}.",
    }

    def ports(self, params: dict) -> list[str]:
        return ["yes", "no"]

    def check(self, node_id: str, params: dict, ctx: CheckContext) -> list[Problem]:
        return check_conditions(params.get("conditions", []), "params.conditions", ctx.conditions(node_id))

    def customer_fields(self, params: dict) -> list[str]:
        return references(params.get("conditions") or [], "field", "field")

    def describe(self, params: dict, say: Any) -> str:
        conditions, match = params.get("conditions") or [], params.get("match", "all")
        ports = {"yes": say.port(self.name, "yes"), "no": say.port(self.name, "no")}
        if not say.qualifiers(conditions):
            return say(self.code("say.nobody" if match == "any" else "say.everyone"), **ports)
        return say(self.code("say"), Who=say.capital(say.customers(conditions, match)), **ports)

    def routes(self, params: dict, ctx: SqlContext, scenario_key: str, node_id: str) -> list[Route]:
        return [("yes", compile_conditions(params["conditions"], params.get("match", "all"), ctx)),
                ("no", None)]
