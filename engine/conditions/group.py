"""A group of conditions joined by all or any: ``{"kind": "group", "match": "any", "conditions": [...]}``."""

from __future__ import annotations

from typing import Any, ClassVar

import sqlalchemy as sa

from engine.conditions.base import (
    MATCHES,
    MAX_DEPTH,
    CheckEnv,
    ConditionKind,
    SqlContext,
    check_conditions,
    compile_conditions,
    register,
)
from engine.problems import Problem


class GroupCondition(ConditionKind):
    """Conditions of its own, nested up to a depth, that hold together (all) or one at least (any)."""

    name = "group"
    order = 90
    keys = frozenset({"kind", "match", "conditions"})
    default: ClassVar = {"kind": "group", "match": "any", "conditions": []}
    listed = False  # the builder has a button of its own for a group
    words: ClassVar = {
        "title": "Group",
        "too_deep": "groups are nested more than {depth} deep",
        "say": "({inner})",
    }

    def inner(self, cond: dict) -> list | None:
        return cond.get("conditions") if isinstance(cond.get("conditions"), list) else []

    def check(self, cond: dict, where: str, env: CheckEnv) -> list[Problem]:
        problems: list[Problem] = []
        if cond.get("match", "all") not in MATCHES:
            problems.append(env.problem("value.match", f"{where}.match"))
        if env.depth >= MAX_DEPTH:
            return [*problems, env.problem(self.code("too_deep"), where, depth=MAX_DEPTH)]
        deeper = CheckEnv(env.node_id, env.node_types, env.customer_fields, env.flag, env.depth + 1)
        return problems + check_conditions(cond.get("conditions"), f"{where}.conditions", deeper)

    def compile(self, cond: dict, ctx: SqlContext) -> sa.ColumnElement:
        return compile_conditions(cond.get("conditions", []), cond.get("match", "all"), ctx)

    def describe(self, cond: dict, say: Any) -> str:
        inner = say.qualifiers(cond.get("conditions"), cond.get("match", "all"))
        if not inner:
            return say(self.code("say"), inner=say("no_customer"))
        word = say("or" if cond.get("match") == "any" else "and")
        return inner[0] if len(inner) == 1 else say(self.code("say"), inner=say.join(inner, word))

    def schema(self) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": False, "required": ["kind", "conditions"],
                "properties": {"kind": {"const": self.name}, "match": {"enum": list(MATCHES)},
                               "conditions": {"type": "array", "items": {"$ref": "#/$defs/condition"}}}}


GROUP = register(GroupCondition())
