"""Delivery channels: SMTP email, webhooks (SMS and messenger gateways) and a file outbox.

A channel sends one message or raises :class:`DeliveryError` saying whether trying again may
help, whether the credentials were refused, or whether the message may have gone out anyway.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import re
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Any, Protocol

from connectors.templates import TemplateError, compile_template, render


@dataclass(frozen=True)
class OutgoingMessage:
    """One rendered outbox row on its way out."""

    key: str
    channel: str
    recipient: str
    subject: str
    body: str
    customer_id: int


class DeliveryError(Exception):
    """A message was not delivered.

    Attributes:
        transient: Trying again later may succeed (SMTP 4xx, HTTP 429/5xx, timeouts).
        auth: The server refused the credentials: stop the channel, do not retry each message.
        maybe_sent: The connection broke after the message was handed over: it may have arrived.
        retry_after: Seconds the server asked to wait, if it said.
    """

    def __init__(self, reason: str, *, transient: bool = False, auth: bool = False,
                 maybe_sent: bool = False, retry_after: float | None = None):
        super().__init__(reason)
        self.transient, self.auth, self.maybe_sent, self.retry_after = transient, auth, maybe_sent, retry_after


class Channel(Protocol):
    """What the dispatcher needs of a channel."""

    rate_per_second: float

    def send(self, message: OutgoingMessage) -> None:
        """Deliver one message or raise DeliveryError."""

    def close(self) -> None:
        """Release connections."""


def message_id(key: str, domain: str) -> str:
    """A Message-ID derived from the outbox idempotency key, the same on every attempt."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


_TAG = re.compile(r"<[^>]+>")


def _alternatives(body: str) -> tuple[str, str]:
    """(plain text, HTML) of a body written either as HTML or as plain text."""
    if body.lstrip().startswith("<"):
        return html.unescape(_TAG.sub("", body)).strip() + "\n", body
    paragraphs = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in body.strip().split("\n\n"))
    return body, f"<!doctype html><html><body>{paragraphs}</body></html>"


@dataclass
class SmtpChannel:
    """Email over SMTP (SSL, STARTTLS or plain on loopback), one connection reused per batch."""

    host: str
    port: int
    sender: str
    security: str = "starttls"
    username: str | None = None
    password: str | None = None
    reply_to: str | None = None
    unsubscribe: str | None = None
    timeout: float = 30.0
    rate_per_second: float = 0.0
    cafile: str | None = None
    _smtp: smtplib.SMTP | None = field(default=None, init=False, repr=False)

    def _connect(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        try:
            if self.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                                      context=self._tls())
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                if self.security == "starttls":
                    smtp.starttls(context=self._tls())
            if self.username:
                smtp.login(self.username, self.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(f"SMTP login refused: {exc.smtp_code} {_text(exc.smtp_error)}", auth=True) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"cannot reach the SMTP server {self.host}:{self.port}: {exc}", transient=True) from exc
        self._smtp = smtp
        return smtp

    def _tls(self) -> ssl.SSLContext:
        # Certificates are always verified; a server with its own CA is trusted through cafile.
        return ssl.create_default_context(cafile=self.cafile)

    def build(self, message: OutgoingMessage) -> EmailMessage:
        """The email for one outbox row."""
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        mail["Message-ID"] = message_id(message.key, parseaddr(self.sender)[1].rpartition("@")[2] or "scenarist")
        if self.reply_to:
            mail["Reply-To"] = self.reply_to
        if self.unsubscribe:
            mail["List-Unsubscribe"] = f"<{self.unsubscribe}>"
        plain, rich = _alternatives(message.body)
        mail.set_content(plain)
        mail.add_alternative(rich, subtype="html")
        return mail

    def send(self, message: OutgoingMessage) -> None:
        smtp = self._connect()
        try:
            refused = smtp.send_message(self.build(message))
        except smtplib.SMTPRecipientsRefused as exc:
            code, reason = next(iter(exc.recipients.values()))
            raise DeliveryError(f"recipient refused: {code} {_text(reason)}", transient=400 <= code < 500) from exc
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(f"SMTP {exc.smtp_code} {_text(exc.smtp_error)}",
                                transient=400 <= exc.smtp_code < 500) from exc
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._smtp = None
            # The server may have taken the message before the line dropped: never resend silently.
            raise DeliveryError(f"the connection broke while sending: {exc}", maybe_sent=True) from exc
        if refused:
            raise DeliveryError(f"recipient refused: {refused}")

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
            self._smtp = None


def _text(value: Any) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


@dataclass
class WebhookChannel:
    """A JSON POST per message to an SMS or messenger gateway, with an Idempotency-Key header.

    ``body`` is a Jinja2 template with ``recipient``, ``subject``, ``body``, ``key`` and
    ``customer_id``; values go in with ``tojson`` so the JSON is never assembled as text.
    """

    url: str
    body: str = '{"to": {{ recipient|tojson }}, "text": {{ body|tojson }}}'
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float = 10.0
    rate_per_second: float = 0.0

    def __post_init__(self) -> None:
        self._template = compile_template(self.body)

    def payload(self, message: OutgoingMessage) -> bytes:
        """The request body for one message (checked to be JSON)."""
        try:
            text = render(self._template, {"recipient": message.recipient, "subject": message.subject,
                                           "body": message.body, "key": message.key,
                                           "customer_id": message.customer_id})
            json.loads(text)
        except (TemplateError, ValueError) as exc:
            raise DeliveryError(f"the webhook body template does not give JSON: {exc}") from exc
        return text.encode()

    def send(self, message: OutgoingMessage) -> None:
        request = urllib.request.Request(self.url, data=self.payload(message), method="POST", headers={
            "Content-Type": "application/json", **self.headers, "Idempotency-Key": message.key})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            code = exc.code
            reason = f"HTTP {code} {exc.reason}"
            retry_after = _retry_after(exc.headers.get("Retry-After"))
            if code in (401, 403):
                raise DeliveryError(reason, auth=True) from exc
            raise DeliveryError(reason, transient=code == 429 or code >= 500, retry_after=retry_after) from exc
        except TimeoutError as exc:
            raise DeliveryError(f"no answer within {self.timeout:g} s", transient=True) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryError(f"cannot reach {self.url}: {exc}", transient=True) from exc

    def close(self) -> None:
        """Nothing to release: each request is its own connection."""


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


@dataclass
class FileChannel:
    """Writes each message into a folder, as an ``.eml`` file or a line of ``messages.jsonl``.

    For demos and dry runs. Files are named by the idempotency key, so a retry overwrites.
    """

    folder: Path
    format: str = "eml"
    sender: str = "Scenarist demo <demo@scenarist.invalid>"
    rate_per_second: float = 0.0

    def send(self, message: OutgoingMessage) -> None:
        folder = Path(self.folder)
        folder.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", message.key)
        if self.format == "jsonl":
            line = json.dumps({"key": message.key, "channel": message.channel, "to": message.recipient,
                               "subject": message.subject, "body": message.body}, ensure_ascii=False)
            with (folder / "messages.jsonl").open("a", encoding="utf-8") as out:
                out.write(line + "\n")
            return
        mail = SmtpChannel("localhost", 0, self.sender).build(message)
        (folder / f"{safe}.eml").write_bytes(bytes(mail))

    def close(self) -> None:
        """Nothing to release."""
