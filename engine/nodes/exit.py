"""The exit: the customer's way through the scenario ends here."""

from __future__ import annotations

from typing import Any, ClassVar

from engine.conditions import SqlContext
from engine.nodes.base import NodeType, Route


class Exit(NodeType):
    """Ends the customer's way through the scenario."""

    name = "exit"
    order = 90
    title = "Exit"
    description = "The customer leaves the scenario here."
    color = "#7a7f87"
    icon = "exit.svg"
    pure = True
    words: ClassVar = {"say": "The customer leaves the scenario."}

    def ports(self, params: dict) -> list[str]:
        return []

    def describe(self, params: dict, say: Any) -> str:
        return say(self.code("say"))

    def routes(self, params: dict, ctx: SqlContext, scenario_key: str, node_id: str) -> list[Route]:
        return []
