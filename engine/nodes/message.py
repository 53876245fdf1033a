"""The message node: queues one message per customer into the outbox, rendered later."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from connectors.schema import canonical_metadata
from connectors.templates import TemplateError
from engine.conditions import compile_conditions
from engine.nodes.base import ApplyContext, CheckContext, NodeType
from engine.params import Param
from engine.problems import Problem, problem
from engine.state import CAPPED, NEW, NOT_COUNTED_AS_SENT, SKIPPED, STATE, SUPPRESSED
from engine.suppression import listed
from engine.template_vars import unknown
from engine.template_words import template_error
from engine.timeutil import days_later

# Who may be sent to on each channel: consent and an address, as filter conditions.
REACHABLE = {
    "email": [{"kind": "field", "field": "email", "op": "is_valid_email"},
              {"kind": "field", "field": "email_subscribed", "op": "is_true"}],
    "sms": [{"kind": "field", "field": "phone", "op": "is_set"},
            {"kind": "field", "field": "sms_subscribed", "op": "is_true"}],
}
REACHABLE["webhook"] = REACHABLE["sms"]
ADDRESS = {"email": "email", "sms": "phone", "webhook": "phone"}


# The customer fields a template may name when no CRM is connected: the canonical ones.
CANONICAL_FIELDS = tuple(c.name for c in canonical_metadata()[1].c)
DEFAULT_CONVERSION_DAYS = 7  # a message without a window of its own: the usual week


def idempotency_key(scenario_key: str, node_id: str, enrolment_id: int) -> str:
    """The outbox key of one message: one per enrolment and message node, ever."""
    return f"{scenario_key}:{node_id}:{enrolment_id}"


class Message(NodeType):
    """Sends an email, SMS or webhook message rendered from Jinja2 templates."""

    name = "message"
    order = 60
    title = "Send message"
    description = "Each customer gets one message on the channel; those without consent are skipped."
    color = "#d9534f"
    icon = "message.svg"
    params: ClassVar = (
        Param("channel", "choice", "Channel", default="email", required=True,
              choices=("email", "sms", "webhook"), help="How the message is delivered."),
        Param("subject", "template", "Subject", default="", max_length=500,
              help="Email subject (Jinja2): {{ customer.first_name }} and friends.",
              extra={"when": ("channel", ("email", "webhook"))}),  # an SMS has no subject
        Param("body", "template", "Body", default="", required=True, max_length=64 * 1024,
              help="Message text (Jinja2) with customer, orders, bonus and scenario."),
        Param("delay_days", "int", "Send after (days)", minimum=1, maximum=365,
              help="Hold each customer this many days at the node before the message goes out."),
        Param("daily_limit", "int", "Daily limit", minimum=1, maximum=10_000_000, extra={"unset": "no limit"},
              help="At most this many messages a day; the other customers wait here for the next day, "
                   "earliest first."),
        Param("conversion_days", "int", "Conversion window (days)", minimum=1, maximum=365,
              extra={"unset": "a week"},
              help="Orders placed within this many days after the message count as its conversions "
                   "(a week when not set)."),
    )
    sends = True
    holds = True  # an action delay or the sending window keeps customers here
    words: ClassVar = {
        "no_subject": "an email needs a subject",
        "empty": "the message body is empty",
        "say.email": "Send an email {text}",
        "say.sms": "Send an SMS {text}",
        "say.webhook": "Send a webhook message {text}",
        "say.email.blank": "Send an email",
        "say.sms.blank": "Send an SMS",
        "say.webhook.blank": "Send a webhook message",
        "say.delay": " {days} later",
        "say.conversion": "; an order within {days} counts as its conversion",
        "say.limit": ", at most {n} a day (the others wait for the next day)",
    }

    def hold_until(self, params: dict, now: datetime, tz: ZoneInfo) -> datetime | None:
        """An action delay holds the customer; the message goes out when it is over."""
        days = params.get("delay_days")
        if not days:
            return None
        return days_later(now, days, tz)  # calendar days, as a wait counts them

    def check(self, node_id: str, params: dict, ctx: CheckContext) -> list[Problem]:
        problems = template_problems(node_id, params, ctx)
        if params.get("channel") == "email" and not params.get("subject"):
            problems.append(self.problem("no_subject", node_id, "params.subject"))
        if isinstance(params.get("body"), str) and not params["body"].strip():
            problems.append(self.problem("empty", node_id, "params.body"))
        return problems

    def describe(self, params: dict, say: Any) -> str:
        channel = params.get("channel", "email")
        text = params.get("subject") if channel == "email" and params.get("subject") else params.get("body", "")
        text = say.shorten(say.template(text or ""))
        out = say(self.code(f"say.{channel}"), text=say.quote(text)) if text else say(self.code(f"say.{channel}.blank"))
        if params.get("delay_days"):
            out += say(self.code("say.delay"), days=say.count(params["delay_days"], "day"))
        if params.get("daily_limit"):
            out += say(self.code("say.limit"), n=say.number(params["daily_limit"]))
        if params.get("conversion_days"):
            out += say(self.code("say.conversion"), days=say.count(params["conversion_days"], "day"))
        return out

    def foresee(self, params: dict, ctx: ApplyContext) -> None:
        """Counts as :meth:`apply` would queue (per channel: ``queued.email``), skip and cap."""
        sql, route = ctx.sql, ctx.route
        channel = params["channel"]
        reachable = compile_conditions(REACHABLE[channel], "all", sql)
        suppressed = sa.and_(reachable, listed(channel, sql.crm.col("customers", ADDRESS[channel])))
        over = _over_cap(ctx, reachable)
        over = sa.false() if over is None else sa.and_(over, sa.not_(suppressed))
        sendable = sa.and_(reachable, sa.not_(suppressed), sa.not_(over))
        queued, capped, listed_n, total = ctx.conn.execute(
            sa.select(sa.func.count(sa.case((sendable, 1))), sa.func.count(sa.case((over, 1))),
                      sa.func.count(sa.case((suppressed, 1))), sa.func.count())
            .select_from(route.outerjoin(sql.customer, sql.crm.col("customers", "id") == route.c.customer_id))
        ).one()
        if channel == "sms" and ctx.sample is not None:  # whose texts the preview renders to count parts
            ctx.sample[ctx.node_id] = [cid for (cid,) in ctx.conn.execute(
                sa.select(route.c.customer_id).select_from(
                    route.outerjoin(sql.customer, sql.crm.col("customers", "id") == route.c.customer_id))
                .where(sendable))]
        figures = {"queued": queued, f"queued.{channel}": queued, "skipped": total - queued - capped - listed_n}
        if capped:
            figures["capped"] = capped
        if listed_n:
            figures["suppressed"] = listed_n
        for key, n in figures.items():
            ctx.counts[key] = ctx.counts.get(key, 0) + n

    def apply(self, params: dict, ctx: ApplyContext) -> None:
        sql, route, out = ctx.sql, ctx.route, STATE.outbox
        channel = params["channel"]
        key_prefix = f"{sql.scenario_key}:{ctx.node_id}:"
        reachable = compile_conditions(REACHABLE[channel], "all", sql)
        address = sql.crm.col("customers", ADDRESS[channel])
        status = sa.case((reachable, NEW), else_=SKIPPED)
        error = sa.case((reachable, sa.null()), else_=f"no consent or no valid {ADDRESS[channel]}")
        cap = ctx.frequency_cap
        over = _over_cap(ctx, reachable)
        if over is not None:
            status = sa.case((over, CAPPED), else_=status)
            error = sa.case((over, f"frequency cap: {cap.messages} messages in {cap.days} days"), else_=error)
        suppressed = sa.and_(reachable, listed(channel, address))  # before the cap: it is never sent
        status = sa.case((suppressed, SUPPRESSED), else_=status)
        error = sa.case((suppressed, "suppressed: the recipient is on the suppression list"), else_=error)
        rows = (
            sa.select(
                sa.literal(key_prefix, sa.String) + sa.cast(route.c.enrolment_id, sa.String),
                sa.literal(sql.scenario_key, sa.String), sa.literal(ctx.node_id, sa.String),
                route.c.enrolment_id, route.c.customer_id, sa.literal(channel, sa.String),
                sa.cast(address, sa.String),
                status,
                error,
                sa.literal(sql.local_now, out.c.created_at.type),
            )
            .select_from(route.outerjoin(sql.customer, sql.crm.col("customers", "id") == route.c.customer_id))
            .where(~sa.exists().where(out.c.enrolment_id == route.c.enrolment_id,
                                      out.c.node_id == ctx.node_id))
        )
        ctx.conn.execute(out.insert().from_select(
            ["idempotency_key", "scenario", "node_id", "enrolment_id", "customer_id", "channel",
             "recipient", "status", "error", "created_at"], rows))
        counted = ctx.conn.execute(
            sa.select(out.c.status, sa.func.count())
            .where(out.c.node_id == ctx.node_id, out.c.scenario == sql.scenario_key,
                   out.c.enrolment_id.in_(sa.select(route.c.enrolment_id)))
            .group_by(out.c.status)).all()
        for found, n in counted:
            name = {SKIPPED: "skipped", CAPPED: "capped", SUPPRESSED: "suppressed"}.get(found, "queued")
            ctx.counts[name] = ctx.counts.get(name, 0) + n


def template_problems(node_id: str, params: dict, ctx: CheckContext, keys: tuple[str, ...] = ("subject", "body")
                      ) -> list[Problem]:
    """Problems of a node's templates: syntax, and names no message can show."""
    problems: list[Problem] = []
    fields = ctx.customer_fields if ctx.customer_fields is not None else CANONICAL_FIELDS
    for key in keys:
        source = params.get(key)
        if not isinstance(source, str):
            continue
        try:
            names = unknown(source, fields)
        except TemplateError as exc:
            problems.append(problem("template.error", node_id, f"params.{key}", line=exc.line,
                                    reason=template_error(exc)))
            continue
        # Without a CRM the shop's own extra columns are unknown: a customer field is then a warning.
        guess = ctx.customer_fields is None
        problems += [problem("template.unknown_name", node_id, f"params.{key}", line=line, name=name, known=known,
                             severity="warning" if guess and name.startswith("customer.") else "error")
                     for name, known, line in names]
    return problems


def _over_cap(ctx: ApplyContext, reachable: Any) -> Any:
    """Whether a reachable customer of the route already got the frequency cap's messages in its
    period (None without a cap). Rows written earlier in this tick count too: each step commits
    before the next."""
    cap, out, sql = ctx.frequency_cap, STATE.outbox, ctx.sql
    if cap is None:
        return None
    recent = (sa.select(sa.func.count()).where(
        out.c.customer_id == ctx.route.c.customer_id, out.c.status.not_in(NOT_COUNTED_AS_SENT),
        out.c.channel.in_(tuple(ADDRESS)),  # messages to the customer: a task for staff is not one
        out.c.created_at >= sa.literal(sql.local_now - timedelta(days=cap.days), out.c.created_at.type))
        .scalar_subquery())
    return sa.and_(reachable, recent >= cap.messages)
