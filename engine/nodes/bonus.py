"""The bonus node: credits loyalty points or issues a unique promo code, once per enrolment."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, ClassVar

import sqlalchemy as sa

from engine.nodes.base import ApplyContext, CheckContext, NodeType
from engine.params import Param
from engine.problems import Problem
from engine.state import STATE

PREFIX_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,15}$")
AMOUNT = re.compile(r"^[\d\s.,\u2009\u202f]+\s*(%|[^\w\s]|[A-Za-z]{1,3})?$")  # "10%", "500 ₽", "5 EUR"


class Bonus(NodeType):
    """Grants points (credited to the customer's balance through the ledger) or a promo code."""

    name = "bonus"
    order = 70
    title = "Give a bonus"
    description = "Credits loyalty points or issues a personal promo code."
    color = "#e0c341"
    icon = "bonus.svg"
    grants = True
    words: ClassVar = {
        "choice.points": "Loyalty points",
        "choice.promo_code": "Promo code",
        "prefix": "a promo code needs a prefix of 1 to 16 capital letters, digits, - or _",
        "amount": "points need an amount",
        "no_balance": "the CRM has no bonus_points column to credit; points stay in the ledger only",
        "say.points": "Give {points}",
        "say.promo_code": "Give a promo code",
        "say.promo_code.discount": "Give a promo code ({discount})",
        "say.promo_code.amount": "Give a promo code worth {amount}",
        "say.off": "{discount} off",
        "say.expires": ", valid {days}",
        "say.limit": ", at most {n} a day (the others wait for the next day)",
    }
    params: ClassVar = (
        Param("kind", "choice", "Bonus", default="promo_code", required=True,
              choices=("points", "promo_code"), help="Loyalty points or a promo code."),
        Param("amount", "number", "Amount", default=500, minimum=0, maximum=1_000_000,
              help="Points to credit, or the value of the promo code."),
        Param("prefix", "string", "Code prefix", default="BACK", max_length=16,
              help="Promo codes start with this (capital letters, digits, - and _)."),
        Param("discount", "string", "Discount", max_length=100,
              help="What the code gives, as shown to the customer (\"10%\", \"free delivery\")."),
        Param("daily_limit", "int", "Daily limit", minimum=1, maximum=10_000_000, extra={"unset": "no limit"},
              help="At most this many bonuses a day; the other customers wait here for the next day, "
                   "earliest first."),
        Param("expires_in_days", "int", "Expires in (days)", default=14, minimum=1, maximum=3650,
              help="Days until the bonus expires."),
    )

    def check(self, node_id: str, params: dict, ctx: CheckContext) -> list[Problem]:
        problems: list[Problem] = []
        if params.get("kind") == "promo_code":
            prefix = params.get("prefix")
            if not isinstance(prefix, str) or not PREFIX_RE.match(prefix):
                problems.append(self.problem("prefix", node_id, "params.prefix"))
        elif params.get("kind") == "points":
            if "amount" not in params:
                problems.append(self.problem("amount", node_id, "params.amount"))
            if ctx.crm_has is not None and not ctx.crm_has("customers", "bonus_points"):
                problems.append(Problem(self.code("no_balance"), {}, node_id, "params.kind", severity="warning"))
        return problems

    def describe(self, params: dict, say: Any) -> str:
        amount, discount = params.get("amount"), (params.get("discount") or "").strip()
        if params.get("kind") == "points":
            points = say.count(amount, "point") if amount is not None else say.noun("point", 2)
            out = say(self.code("say.points"), points=points)
        elif discount:
            # "10%" reads "10% off"; "free delivery" or "500 ₽ off" read as written.
            shown = say(self.code("say.off"), discount=discount) if AMOUNT.match(discount) else discount
            out = say(self.code("say.promo_code.discount"), discount=shown)
        elif amount:
            out = say(self.code("say.promo_code.amount"), amount=say.number(amount))
        else:
            out = say(self.code("say.promo_code"))
        if params.get("expires_in_days"):
            out += say(self.code("say.expires"), days=say.count(params["expires_in_days"], "day"))
        if params.get("daily_limit"):
            out += say(self.code("say.limit"), n=say.number(params["daily_limit"]))
        return out

    def foresee(self, params: dict, ctx: ApplyContext) -> None:
        """Counts as :meth:`apply` would grant: bonuses, and the points or the promo codes."""
        n = ctx.conn.execute(sa.select(sa.func.count()).select_from(ctx.route)).scalar_one()
        ctx.counts["bonuses"] = ctx.counts.get("bonuses", 0) + n
        if params["kind"] == "points":
            ctx.counts["points"] = ctx.counts.get("points", 0) + n * int(params.get("amount") or 0)
        else:
            ctx.counts["codes"] = ctx.counts.get("codes", 0) + n

    def apply(self, params: dict, ctx: ApplyContext) -> None:
        sql, route, b, conn = ctx.sql, ctx.route, STATE.bonuses, ctx.conn
        kind = params["kind"]
        expires = sql.local_now + timedelta(days=params["expires_in_days"]) if "expires_in_days" in params else None
        rows = sa.select(
            sa.literal(sql.scenario_key, sa.String), sa.literal(ctx.node_id, sa.String),
            route.c.enrolment_id, route.c.customer_id, sa.literal(kind, sa.String),
            sa.literal(params.get("amount"), b.c.amount.type), sa.literal(params.get("discount"), sa.String),
            sa.literal(sql.local_now, b.c.issued_at.type), sa.literal(expires, b.c.expires_at.type),
            sa.literal(kind == "promo_code", sa.Boolean),
        ).where(~sa.exists().where(b.c.enrolment_id == route.c.enrolment_id, b.c.node_id == ctx.node_id))
        inserted = conn.execute(b.insert().from_select(
            ["scenario", "node_id", "enrolment_id", "customer_id", "kind", "amount", "discount",
             "issued_at", "expires_at", "applied"], rows)).rowcount
        ctx.counts["bonuses"] = ctx.counts.get("bonuses", 0) + max(inserted, 0)
        mine = [b.c.scenario == sql.scenario_key, b.c.node_id == ctx.node_id]
        if kind == "promo_code":
            # Unique by the ledger id, unguessable by the keyed hash that follows it.
            secret = conn.execute(sa.select(STATE.meta.c.value).where(STATE.meta.c.key == "code_secret")).scalar_one()
            id_text = sa.cast(b.c.id, sa.String)
            code = (sa.literal(params["prefix"], sa.String) + id_text + "-"
                    + sa.func.upper(sa.func.substr(sa.func.md5(sa.literal(secret, sa.String) + id_text), 1, 5)))
            conn.execute(b.update().where(*mine, b.c.code.is_(None)).values(code=code))
            return
        if sql.crm.has("customers", "bonus_points"):
            customer_id = sql.crm.col("customers", "id")
            balance = sql.crm.col("customers", "bonus_points")
            pending = sa.select(sa.func.sum(b.c.amount)).where(
                *mine, b.c.applied.is_(False), b.c.customer_id == customer_id).scalar_subquery()
            conn.execute(
                sql.customer.update()
                .where(customer_id.in_(sa.select(b.c.customer_id).where(*mine, b.c.applied.is_(False))))
                .values({balance.name: sa.func.coalesce(balance, 0) + pending}))
        conn.execute(b.update().where(*mine, b.c.applied.is_(False)).values(applied=True))
