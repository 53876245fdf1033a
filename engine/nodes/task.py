"""The task node: a note about each customer for a manager, through a staff channel.

The note (a Jinja2 subject and body, with the customer, their orders and the scenario) goes to a
channel of the settings with a fixed recipient (``to = "manager@shop.example"`` for SMTP, a
webhook to a CRM, a Telegram bot or a helpdesk). It is about the customer, not to them: no
consent is asked, no frequency cap counts it, no sending window holds it. Like a message it goes
through the outbox, once per enrolment and node, so it arrives exactly once.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import sqlalchemy as sa

from engine.nodes.base import ApplyContext, CheckContext, NodeType
from engine.nodes.message import ADDRESS, template_problems
from engine.params import Param
from engine.problems import Problem
from engine.state import NEW, STATE

CHANNEL_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
DEFAULT_SUBJECT = "Call {{ customer.first_name }} {{ customer.last_name }}"
DEFAULT_NOTE = ("{{ customer.first_name }} {{ customer.last_name }}\n"
                "Email: {{ customer.email }}, phone: {{ customer.phone }}\n"
                "Orders: {{ orders.count }} for {{ orders.total }}, the last on {{ orders.last_order_at }}\n"
                "Rule: {{ scenario.name }}\n")


class Task(NodeType):
    """Sends a rendered note about each customer to a staff channel; every customer goes on by ``out``."""

    name = "task"
    order = 65
    title = "Task for a manager"
    description = ("A note about each customer goes to a staff channel (a manager's email, a CRM or helpdesk "
                   "webhook); no consent is needed and no cap counts it.")
    color = "#8e6cc8"
    icon = "task.svg"
    notifies = True
    params: ClassVar = (
        Param("channel", "string", "Staff channel", default="staff", required=True, max_length=32,
              help="The channel of the settings that reaches the staff ([channels.staff] with its 'to')."),
        Param("subject", "template", "Subject", default=DEFAULT_SUBJECT, max_length=500,
              help="The task's title (Jinja2): {{ customer.first_name }} and friends."),
        Param("body", "template", "Note", default=DEFAULT_NOTE, required=True, max_length=64 * 1024,
              help="What the manager reads (Jinja2) with customer, orders, bonus and scenario."),
    )
    words: ClassVar = {
        "channel": "the staff channel is a short name in lower case (letters, digits, _), not a customer channel "
                   "({channels})",
        "say": "Create a task for a manager through “{channel}”: {text}",
    }

    def check(self, node_id: str, params: dict, ctx: CheckContext) -> list[Problem]:
        problems = template_problems(node_id, params, ctx)
        channel = params.get("channel")
        if not isinstance(channel, str) or not CHANNEL_NAME.match(channel) or channel in ADDRESS:
            problems.append(self.problem("channel", node_id, "params.channel", channels=", ".join(ADDRESS)))
        return problems

    def describe(self, params: dict, say: Any) -> str:
        text = say.shorten(say.template(params.get("subject") or params.get("body") or ""))
        return say(self.code("say"), channel=params.get("channel", "staff"), text=say.quote(text))

    def foresee(self, params: dict, ctx: ApplyContext) -> None:
        """Every customer at the node gets a task: counted as ``tasks``."""
        n = ctx.conn.execute(sa.select(sa.func.count()).select_from(ctx.route)).scalar_one()
        ctx.counts["tasks"] = ctx.counts.get("tasks", 0) + n

    def apply(self, params: dict, ctx: ApplyContext) -> None:
        """One outbox row per enrolment, to the staff channel (its recipient is the channel's own)."""
        sql, route, out = ctx.sql, ctx.route, STATE.outbox
        rows = (sa.select(sa.literal(f"{sql.scenario_key}:{ctx.node_id}:", sa.String)
                          + sa.cast(route.c.enrolment_id, sa.String),
                          sa.literal(sql.scenario_key, sa.String), sa.literal(ctx.node_id, sa.String),
                          route.c.enrolment_id, route.c.customer_id, sa.literal(params["channel"], sa.String),
                          sa.literal(NEW, sa.String), sa.literal(sql.local_now, out.c.created_at.type))
                .where(~sa.exists().where(out.c.enrolment_id == route.c.enrolment_id, out.c.node_id == ctx.node_id)))
        added = ctx.conn.execute(out.insert().from_select(
            ["idempotency_key", "scenario", "node_id", "enrolment_id", "customer_id", "channel", "status",
             "created_at"], rows)).rowcount
        ctx.counts["tasks"] = ctx.counts.get("tasks", 0) + added
