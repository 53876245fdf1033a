"""A condition on a bonus of this enrolment: ``{"kind": "bonus_used", "node": "promo", "op": "is_true"}``."""

from __future__ import annotations

from typing import Any, ClassVar

import sqlalchemy as sa

from engine.conditions.base import CheckEnv, ConditionKind, Slot, SqlContext, register
from engine.problems import Problem

OPS = ("is_true", "is_false")


class BonusUsedCondition(ConditionKind):
    """A promo code counts as used once an order carrying it was placed after it was issued;
    points count as used once the customer ordered after they were credited."""

    name = "bonus_used"
    order = 30
    keys = frozenset({"kind", "node", "op"})
    default: ClassVar = {"kind": "bonus_used", "node": "", "op": "is_true"}
    slots = (Slot("node", "node", line=0, refers="grants"), Slot("op", "choice", OPS))
    words: ClassVar = {
        "title": "Bonus used",
        "op.is_true": "is used",
        "op.is_false": "is not used",
        "not_a_bonus": "node '{node}' is a {type}, not a bonus",
        "op": "must be 'is_true' or 'is_false'",
        "say.is_true": "who used the bonus from {node}",
        "say.is_false": "who have not used the bonus from {node}",
        "value.used": "used",
        "value.unused": "not used",
    }

    def check(self, cond: dict, where: str, env: CheckEnv) -> list[Problem]:
        problems: list[Problem] = []
        ref = cond.get("node")
        if ref not in env.node_types:
            problems.append(env.problem("condition.missing_node", f"{where}.node", node=str(ref)))
        elif not env.flag(env.node_types[ref], "grants"):
            problems.append(env.problem(self.code("not_a_bonus"), f"{where}.node", node=ref,
                                        type=env.node_types[ref]))
        if cond.get("op") not in OPS:
            problems.append(env.problem(self.code("op"), f"{where}.op"))
        return problems

    def compile(self, cond: dict, ctx: SqlContext) -> sa.ColumnElement:
        crm, b = ctx.crm, ctx.state.bonuses
        created = crm.ts(crm.col("orders", "created_at"))
        ordered_after = [created >= b.c.issued_at, crm.col("orders", "status").in_(crm.mapping.completed_statuses)]
        by_code = sa.and_(b.c.code.is_not(None), crm.col("orders", "promo_code") == b.c.code) \
            if crm.has("orders", "promo_code") else sa.false()
        by_points = sa.and_(b.c.code.is_(None), crm.col("orders", "customer_id") == b.c.customer_id)
        used = sa.exists().where(b.c.enrolment_id == ctx.enrolment_id, b.c.node_id == cond["node"],
                                 sa.or_(by_code, by_points), *ordered_after)
        return used if cond["op"] == "is_true" else sa.not_(used)

    def measure(self, cond: dict, ctx: SqlContext) -> list[sa.ColumnElement]:
        return [sa.case((self.compile({**cond, "op": "is_true"}, ctx), 1), else_=0)]

    def say_measure(self, cond: dict, values: list, say: Any) -> str:
        return say(self.code("value.used" if values[0] else "value.unused"))

    def describe(self, cond: dict, say: Any) -> str:
        op = "is_false" if cond.get("op") == "is_false" else "is_true"
        return say(self.code(f"say.{op}"), node=say.quote(say.title(cond["node"])))

    def value_of(self, cond: dict, key: str, text: str) -> Any:
        return text.strip()

    def schema(self) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": False, "required": ["kind", "node", "op"],
                "properties": {"kind": {"const": self.name}, "node": {"type": "string"}, "op": {"enum": list(OPS)}}}


BONUS_USED = register(BonusUsedCondition())
