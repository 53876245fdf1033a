"""A condition on the messages a customer received from any scenario, in a period."""

from __future__ import annotations

from typing import Any, ClassVar

import sqlalchemy as sa

from engine.conditions.base import (
    COMPARE,
    CheckEnv,
    ConditionKind,
    Slot,
    SqlContext,
    check_op,
    compare,
    register,
    whole,
)
from engine.problems import Problem
from engine.timeutil import days_ago_start


class MessagesCondition(ConditionKind):
    """Messages counted as sent (queued, delivered) to the customer by any scenario."""

    name = "messages"
    order = 40
    keys = frozenset({"kind", "op", "value", "within_days"})
    default: ClassVar = {"kind": "messages", "op": "eq", "value": 0}
    slots = (Slot("op", "choice", COMPARE), Slot("value", "value"), Slot("within_days", "days", line=2, stretch=2))
    words: ClassVar = {
        "title": "Messages received",
        "unknown_op": "unknown operator '{op}' for messages; use one of {ops}",
        "say": "who received {quantity}{scope}",
        "say.none": "who received no message{scope}",
        "value": "{messages}{scope}",
    }

    def check(self, cond: dict, where: str, env: CheckEnv) -> list[Problem]:
        problems = check_op(cond, where, env, self, COMPARE)
        problems += whole(cond.get("value"), where, env, "value", minimum=0)
        if "within_days" in cond:
            problems += whole(cond["within_days"], where, env, "within_days", minimum=1)
        return problems

    def compile(self, cond: dict, ctx: SqlContext) -> sa.ColumnElement:
        return compare(self._count(cond, ctx), cond["op"], cond["value"])

    def _count(self, cond: dict, ctx: SqlContext) -> sa.ScalarSelect:
        from engine.state import NOT_COUNTED_AS_SENT

        out = ctx.state.outbox
        where = [out.c.customer_id == ctx.customer.c[ctx.crm.mapping.column("customers", "id")],
                 out.c.status.not_in(NOT_COUNTED_AS_SENT)]
        if "within_days" in cond:
            where.append(out.c.created_at >= days_ago_start(ctx.today, cond["within_days"] - 1))
        return sa.select(sa.func.count()).where(*where).scalar_subquery()

    def measure(self, cond: dict, ctx: SqlContext) -> list[sa.ColumnElement]:
        return [self._count(cond, ctx)]

    def say_measure(self, cond: dict, values: list, say: Any) -> str:
        return say(self.code("value"), messages=say.count(values[0] or 0, "message"), scope=say.scope(cond))

    def describe(self, cond: dict, say: Any) -> str:
        if say.is_none(cond["op"], cond["value"]):
            return say(self.code("say.none"), scope=say.scope(cond))
        return say(self.code("say"), quantity=say.quantity(cond["op"], cond["value"], "message"),
                   scope=say.scope(cond))

    def schema(self) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": False, "required": ["kind", "op", "value"],
                "properties": {"kind": {"const": self.name}, "op": {"enum": list(COMPARE)},
                               "value": {"type": "integer", "minimum": 0}, "within_days": {"type": "integer",
                                                                                           "minimum": 1}}}


MESSAGES = register(MessagesCondition())
