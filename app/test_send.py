"""A test send: one message node rendered for a chosen customer and sent to an address of your
own through the real channel, its subject prefixed "[TEST]". Nothing is written to the CRM: no
outbox row, no frequency cap, no conversion, no budget; the CRM is only read.

The command line (``main.py test-send``) and the message form's *Send a test…* both call
:func:`send_test`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from app.settings import Settings, build_channels
from app.suppressions import SuppressionError, check_address
from connectors.channels import DeliveryError, OutgoingMessage
from connectors.crm import Crm
from connectors.templates import TemplateError
from connectors.texts import Text
from engine.model import Scenario
from engine.nodes import REGISTRY
from engine.render import render_sample
from engine.template_words import template_error

PREFIX = "[TEST] "


class TestSendRefused(ValueError):
    """The test cannot be sent as asked (bad input): ``text`` says why. Nothing was sent."""

    def __init__(self, text: Text):
        super().__init__(text.code)
        self.text = text


@dataclass(frozen=True)
class TestSent:
    """What the server said about a test message.

    Attributes:
        accepted: The server took it.
        reason: Its refusal, in its own words (None when accepted).
        subject: The subject as sent.
    """

    accepted: bool
    reason: str | None
    subject: str


def send_test(scenario: Scenario, node_id: str, crm: Crm, settings: Settings, customer_id: int, to: str,
              now: datetime) -> TestSent:
    """Render ``node_id`` for ``customer_id`` and send it to ``to`` through its channel.

    Raises:
        TestSendRefused: the node is not a message, its channel has no settings, the address does
            not fit the channel, there is no such customer, or the template fails for them.
    """
    node = next((n for n in scenario.nodes if n.id == node_id), None)
    if node is None or not REGISTRY[node.type].sends:
        raise TestSendRefused(Text("test_send.not_message", {"node": node_id}))
    return send_params(scenario, node.params, crm, settings, customer_id, to, now, node_id)


def send_params(scenario: Scenario, params: dict, crm: Crm, settings: Settings, customer_id: int, to: str,
                now: datetime, node_id: str = "form") -> TestSent:
    """:func:`send_test` for a message node's parameters as a form holds them (maybe not saved yet).

    Raises:
        TestSendRefused: as :func:`send_test`.
    """
    channel_name = params.get("channel", "email")
    try:
        address = check_address(channel_name, to)
    except SuppressionError as exc:
        raise TestSendRefused(exc.text) from exc
    try:
        subject, body = render_sample(crm, scenario, params, customer_id, now, link=None)
    except LookupError as exc:
        raise TestSendRefused(Text("test_send.no_customer", {"customer": customer_id})) from exc
    except TemplateError as exc:
        raise TestSendRefused(Text("test_send.template", {"reason": template_error(exc)})) from exc
    channels = build_channels(settings)
    channel = channels.get(channel_name)
    if channel is None:
        raise TestSendRefused(Text("test_send.no_channel", {"channel": channel_name}))
    subject = PREFIX + subject if channel_name == "email" else subject
    key = f"test:{scenario.key}:{node_id}:{secrets.token_hex(6)}"  # never an outbox key: a retry is a new test
    try:
        channel.send(OutgoingMessage(key, channel_name, address, subject,
                                     body if channel_name == "email" else PREFIX + body, customer_id))
    except DeliveryError as exc:
        return TestSent(False, str(exc), subject)
    finally:
        for each in channels.values():
            each.close()
    return TestSent(True, None, subject)
