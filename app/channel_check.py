"""*Test* of a channel in the delivery settings, with the values as the form holds them (saved or not):
an SMTP server is connected to and logged in to, as a run would; a webhook gets one request, to an
address the user confirmed; a file channel writes one test message into its folder.

A result is a :class:`~connectors.texts.Text`; a refusal keeps the server's own words (``535 5.7.8
Authentication credentials invalid``), since those are what the mail provider's help pages explain.
"""

from __future__ import annotations

import smtplib
import uuid
from copy import deepcopy
from pathlib import Path

from app.delivery_settings import DeliveryForm, channel_title, check_form
from app.settings import build_channels
from connectors.channels import DeliveryError, FileChannel, OutgoingMessage, SmtpChannel, WebhookChannel
from connectors.credentials import mask_url
from connectors.texts import Text

TEST_RECIPIENT = "+10000000000"


def try_channel(form: DeliveryForm, name: str, *, secret: str | None = None, url: str | None = None,
                 recipient: str | None = None, path: Path | None = None) -> tuple[bool, Text]:
    """Try one channel as the form holds it; returns whether it worked and what happened, in words.

    Args:
        form: The form's values (the channel's, checked as ``run`` checks them).
        name: The channel (``email``, ``sms``, ``webhook``).
        secret: A password just typed (else the one kept for the channel).
        url: For a webhook, the address the user confirmed (else the channel's own).
        recipient: For a webhook, the phone or address the test message is for.
        path: The settings file (default: the user's).

    Raises:
        DeliveryRefused: a value of the form is refused (naming the field); nothing was tried.
    """
    form = deepcopy(form)
    channel_form = form.channels.get(name)
    if channel_form is None or channel_form.kind is None:
        return False, Text("delivery.test.not_used", {"channel_title": channel_title(name)})
    if url is not None and channel_form.kind == "webhook":
        channel_form.values["url"] = url
    _text, settings = check_form(form, path)
    channel = build_channels(settings, {name: secret} if secret else None)[name]
    title = channel_title(name)
    try:
        if isinstance(channel, SmtpChannel):
            channel.check()
            login = "delivery.test.smtp_ok" if channel.username else "delivery.test.smtp_ok_no_login"
            return True, Text(login, {"channel_title": title, "server": f"{channel.host}:{channel.port}",
                                      "user": channel.username or ""})
        message = OutgoingMessage(key=f"scenarist-test:{name}:{uuid.uuid4().hex[:12]}", channel=name,
                                  recipient=recipient or TEST_RECIPIENT, subject=str(Text("delivery.test.subject")),
                                  body=str(Text("delivery.test.body")), customer_id=0)
        channel.send(message)
    except DeliveryError as exc:
        return False, _failure(exc, title)
    finally:
        channel.close()
    if isinstance(channel, WebhookChannel):
        return True, Text("delivery.test.webhook_ok", {"channel_title": title, "url": mask_url(channel.url)})
    assert isinstance(channel, FileChannel)
    return True, Text("delivery.test.file_ok", {"channel_title": title, "folder": str(channel.folder)})


def _failure(exc: DeliveryError, title: Text | str) -> Text:
    cause = exc.__cause__
    if isinstance(cause, smtplib.SMTPAuthenticationError):  # the server's code and words, as it said them
        said = cause.smtp_error.decode(errors="replace") if isinstance(cause.smtp_error, bytes) else cause.smtp_error
        return Text("delivery.test.login_refused", {"channel_title": title, "said": f"{cause.smtp_code} {said}"})
    if exc.auth:
        return Text("delivery.test.refused_secret", {"channel_title": title, "said": str(exc)})
    if exc.stop:
        return Text("delivery.test.unsafe", {"channel_title": title, "said": str(exc)})
    return Text("delivery.test.failed", {"channel_title": title, "said": str(exc)})
