"""Delivery channels: SMTP email, webhooks (SMS and messenger gateways) and a file outbox.

A channel sends one message or raises :class:`DeliveryError` saying whether trying again may
help, whether the channel must stop (credentials refused, no safe connection), whether the
message may have gone out anyway, and whether the server stopped answering. A channel tells
"never left" from "may have left" by where it failed: before the message was handed over a
failure is safe to retry; after it, only the server knows.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import html
import http.client
import ipaddress
import json
import re
import select
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urljoin, urlsplit

from connectors.credentials import mask_url, mask_urls
from connectors.templates import TemplateError, compile_template, render
from connectors.unsubscribe import fill, link

SECURITY = ("starttls", "ssl", "none")
ON_TIMEOUT = ("retry", "unknown")
FILE_FORMATS = ("eml", "jsonl")
MAX_ANSWER = 64 * 1024  # of a gateway's answer we read this much: its status, and a "bad recipient" in it
BAD_RECIPIENT_CODES = (550, 551, 553)  # mailbox unavailable, user not local, mailbox name not allowed


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
        stop: The channel cannot be used safely as configured (no TLS offered, an untrusted
            certificate, a password that would go in clear): stop it, the message stays pending.
        maybe_sent: The connection broke after the message was handed over: it may have arrived.
        retry_after: Seconds the server asked to wait, if it said.
        timed_out: The server did not answer in time (the dispatcher pauses a channel that keeps
            timing out).
        bad_recipient: A permanent refusal that names the recipient (SMTP 550/551/553 on RCPT or
            DATA, a webhook's "bad recipient" answer): the address goes on the suppression list.
    """

    def __init__(self, reason: str, *, transient: bool = False, auth: bool = False, stop: bool = False,
                 maybe_sent: bool = False, retry_after: float | None = None, timed_out: bool = False,
                 bad_recipient: bool = False):
        super().__init__(mask_urls(reason))
        self.transient, self.auth, self.stop, self.maybe_sent = transient, auth, stop, maybe_sent
        self.retry_after, self.timed_out, self.bad_recipient = retry_after, timed_out, bad_recipient

    @property
    def stops_channel(self) -> bool:
        """Whether the channel stops for this dispatch (every message would fail the same way)."""
        return self.auth or self.stop


class Channel(Protocol):
    """What the dispatcher needs of a channel."""

    rate_per_second: float

    def send(self, message: OutgoingMessage) -> None:
        """Deliver one message or raise DeliveryError."""

    def close(self) -> None:
        """Release connections."""


def is_loopback(host: str) -> bool:
    """Whether a host name is this computer (``localhost``, 127.0.0.0/8, ``::1``)."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _timed_out(exc: BaseException | None) -> bool:
    """Whether an error is, or was caused by, a timeout (smtplib and http.client wrap them)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, TimeoutError):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _dropped(sock: Any) -> bool:
    """Whether a connection kept open between requests was closed by the other side meanwhile (it
    is readable: its end, or bytes nobody asked for), so the next request goes on a new one."""
    try:
        readable, _w, _x = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _certificate_problem(exc: BaseException) -> bool:
    return isinstance(exc, ssl.SSLCertVerificationError) or "certificate verify failed" in str(exc)


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


class _Watched:
    """Notes when the whole message (the text ending in CRLF.CRLF) has been handed to the server.

    smtplib sends commands as text and the message as bytes: a failure before this point means
    the server cannot have accepted the message; after it, it may have.
    """

    handed_over = False

    def send(self, s: Any) -> None:
        super().send(s)  # type: ignore[misc]
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):
            self.handed_over = True


def _handed_over(smtp: smtplib.SMTP) -> bool:
    """Whether the message text went out whole on this connection (see :class:`_Watched`)."""
    return bool(getattr(smtp, "handed_over", False))


class _SMTP(_Watched, smtplib.SMTP):
    pass


class _SMTPSSL(_Watched, smtplib.SMTP_SSL):
    pass


@dataclass
class SmtpChannel:
    """Email over SMTP (SSL, STARTTLS, or plain to this computer), one connection reused per batch.

    A password never goes over a plain connection unless the server is on loopback or
    ``allow_plain`` says so.
    """

    host: str
    port: int
    sender: str
    security: str = "starttls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    reply_to: str | None = None
    unsubscribe: str | None = None
    timeout: float = 30.0
    rate_per_second: float = 0.0
    cafile: str | None = None
    allow_plain: bool = False
    unsubscribe_url: str | None = None  # a template with {{ token }}: the one-click link (RFC 8058)
    unsubscribe_key: str | None = field(default=None, repr=False)
    channel: str = "email"  # the outbox channel it serves (tokens name it)
    to: str | None = None  # a staff channel's fixed recipient: every message goes there
    connections: int = 1  # how many of these a dispatch may send through at once (each its own connection)
    _smtp: smtplib.SMTP | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.security not in SECURITY:
            raise ValueError(f"security must be one of {', '.join(SECURITY)}, not {self.security!r}")
        self._unsubscribe = compile_template(self.unsubscribe_url) if self.unsubscribe_url else None

    def _link(self, message: OutgoingMessage) -> str | None:
        """The recipient's one-click unsubscribe URL (None without ``unsubscribe_url``)."""
        if self._unsubscribe is None:
            return None
        if not self.unsubscribe_key:
            raise DeliveryError("no key to sign unsubscribe links: the keyring cannot keep one; set "
                                "SCENARIST_UNSUBSCRIBE_KEY", stop=True)
        url = link(self._unsubscribe, self.unsubscribe_key, self.channel, message.recipient, message.customer_id)
        if "\r" in url or "\n" in url or not url.startswith(("https://", "http://")):
            raise DeliveryError(f"the unsubscribe_url template does not give a web address: {url[:200]!r}",
                                stop=True)
        return url

    def _connect(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        where = f"{self.host}:{self.port}"
        if self.security == "none" and self.username and not (is_loopback(self.host) or self.allow_plain):
            raise DeliveryError(f"refusing to send the password to {where} without TLS "
                                "(security = \"none\" is for this computer, or set allow_plain = true)", stop=True)
        smtp: smtplib.SMTP | None = None
        try:
            if self.security == "ssl":
                smtp = _SMTPSSL(self.host, self.port, timeout=self.timeout, context=self._tls())
            else:
                smtp = _SMTP(self.host, self.port, timeout=self.timeout)
                if self.security == "starttls":
                    smtp.starttls(context=self._tls())
            if self.username:
                smtp.login(self.username, self.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            _quietly_close(smtp)
            raise DeliveryError(f"SMTP login refused: {exc.smtp_code} {_text(exc.smtp_error)}", auth=True) from exc
        except smtplib.SMTPNotSupportedError as exc:  # no STARTTLS or no AUTH: never fall back to clear text
            _quietly_close(smtp)
            raise DeliveryError(f"the SMTP server {where} cannot be used as configured: {exc}", stop=True) from exc
        except (OSError, smtplib.SMTPException) as exc:
            _quietly_close(smtp)
            if _certificate_problem(exc):
                raise DeliveryError(f"the SMTP server {where} is not trusted: {exc}", stop=True) from exc
            timed_out = _timed_out(exc)
            what = f"no answer within {self.timeout:g} s" if timed_out else str(exc)
            raise DeliveryError(f"cannot reach the SMTP server {where}: {what}", transient=True,
                                timed_out=timed_out) from exc
        self._smtp = smtp
        return smtp

    def clone(self) -> SmtpChannel:
        """The same channel with a connection of its own (one per parallel sender)."""
        return dataclasses.replace(self)

    def check(self) -> None:
        """Connect and log in as a run would, then say goodbye (the settings' *Test*).

        Raises:
            DeliveryError: as :meth:`send` would before a message goes out (``auth`` for refused credentials).
        """
        self._connect()
        self.close()

    def _tls(self) -> ssl.SSLContext:
        # Certificates are always verified; a server with its own CA is trusted through cafile.
        return ssl.create_default_context(cafile=self.cafile)

    def build(self, message: OutgoingMessage) -> EmailMessage:
        """The email for one outbox row."""
        mail = EmailMessage()
        if self.to:
            message = OutgoingMessage(message.key, message.channel, self.to, message.subject, message.body,
                                      message.customer_id)
        mail["From"] = self.sender
        mail["To"] = message.recipient
        url = self._link(message)
        shown = url or self.unsubscribe or ""  # what {{ unsubscribe_url }} shows
        mail["Subject"] = fill(message.subject, shown)
        mail["Message-ID"] = message_id(message.key, parseaddr(self.sender)[1].rpartition("@")[2] or "scenarist")
        if self.reply_to:
            mail["Reply-To"] = self.reply_to
        targets = [f"<{t}>" for t in (url, self.unsubscribe) if t]
        if targets:
            mail["List-Unsubscribe"] = ", ".join(targets)
        if url:  # RFC 8058: a POST to the URL unsubscribes, no page to click through
            mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        plain, rich = _alternatives(fill(message.body, shown))
        mail.set_content(plain)
        mail.add_alternative(rich, subtype="html")
        return mail

    def send(self, message: OutgoingMessage) -> None:
        """Send one email.

        Raises:
            DeliveryError: the server refused it (permanent or transient by its code), the
                connection failed before it went out (transient), or broke after it was handed
                over (may have been sent).
        """
        try:
            mail = self.build(message)
        except (ValueError, TypeError, IndexError) as exc:  # an address or header the email format refuses
            raise DeliveryError(f"cannot write this email: {exc}") from exc
        nobody = f"'{self.to or message.recipient}' is not an email address anyone can receive"
        if not any(address for _name, address in getaddresses(mail.get_all("To", []))):
            # '@x.ru' or 'a@.ru' leave no address once parsed: smtplib would send to nobody, forever
            raise DeliveryError(nobody)
        for attempt in (1, 2):
            reused = self._smtp is not None
            smtp = self._connect()
            smtp.handed_over = False  # type: ignore[attr-defined]
            try:
                refused = smtp.send_message(mail)
            except smtplib.SMTPNotSupportedError as exc:  # checked before a byte of it is sent
                raise DeliveryError(f"the SMTP server cannot take this address: {exc}") from exc
            except smtplib.SMTPRecipientsRefused as exc:
                self._forget_if_closed(smtp)
                if not exc.recipients:  # the server was given no recipient at all
                    raise DeliveryError(nobody) from exc
                code, reason = next(iter(exc.recipients.values()))
                raise DeliveryError(f"recipient refused: {code} {_text(reason)}", transient=400 <= code < 500,
                                    bad_recipient=code in BAD_RECIPIENT_CODES) from exc
            except smtplib.SMTPResponseException as exc:  # the server said no, in words: it did not take it
                self._forget_if_closed(smtp)
                if exc.smtp_code == 421 and reused and attempt == 1 and not _handed_over(smtp):
                    self._forget(smtp)
                    continue  # "closing the connection" on one kept open between messages: once more, anew
                named = isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code in BAD_RECIPIENT_CODES
                raise DeliveryError(f"SMTP {exc.smtp_code} {_text(exc.smtp_error)}",
                                    transient=400 <= exc.smtp_code < 500, bad_recipient=named) from exc
            except OSError as exc:  # smtplib's own errors are OSErrors too: a line that broke or went silent
                self._forget(smtp)
                timed_out = _timed_out(exc)
                what = f"no answer within {self.timeout:g} s" if timed_out else str(exc)
                if _handed_over(smtp):
                    # The server may have taken the message before the line dropped: never resend silently.
                    raise DeliveryError(f"the connection broke after the message was handed over: {what}",
                                        maybe_sent=True, timed_out=timed_out) from exc
                if reused and attempt == 1 and not timed_out:
                    continue  # the server closed a connection kept open between messages: once more, anew
                raise DeliveryError(f"the SMTP server {self.host}:{self.port} failed before the message went out: "
                                    f"{what}", transient=True, timed_out=timed_out) from exc
            if refused:
                raise DeliveryError(f"recipient refused: {refused}")
            return

    def _forget_if_closed(self, smtp: smtplib.SMTP) -> None:
        if smtp.sock is None:  # smtplib closed it (a 421): the next message connects anew
            self._forget(smtp)

    def _forget(self, smtp: smtplib.SMTP) -> None:
        _quietly_close(smtp)
        if self._smtp is smtp:
            self._smtp = None

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
            _quietly_close(self._smtp)
            self._smtp = None


def _quietly_close(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        with contextlib.suppress(OSError):
            smtp.close()


def _text(value: Any) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


@dataclass
class WebhookChannel:
    """A JSON POST per message to an SMS or messenger gateway, with an Idempotency-Key header.

    ``body`` is a Jinja2 template with ``recipient``, ``subject``, ``body``, ``key`` and
    ``customer_id``; values go in with ``tojson`` so the JSON is never assembled as text.
    Redirects are never followed: a 3xx answer fails the message and names where it pointed, so
    the body is never lost in a GET and the headers (the secret among them) never reach another
    address. ``on_timeout`` says what becomes of a message whose request went out but whose
    answer never came: ``retry`` (with the same Idempotency-Key; right when the gateway honours
    it) or ``unknown`` (listed, never resent by itself).
    """

    url: str
    body: str = '{"to": {{ recipient|tojson }}, "text": {{ body|tojson }}}'
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    timeout: float = 10.0
    rate_per_second: float = 0.0
    on_timeout: str = "retry"
    bad_recipient: str | None = None  # a regular expression: a 4xx whose answer matches names a bad recipient
    to: str | None = None  # a staff channel's fixed recipient (a chat, a queue), given as ``recipient``
    connections: int = 1  # how many of these a dispatch may send through at once (each its own connection)
    _conn: http.client.HTTPConnection | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._template = compile_template(self.body)
        try:
            self._bad = re.compile(self.bad_recipient, re.IGNORECASE) if self.bad_recipient else None
        except re.error as exc:
            raise ValueError(f"bad_recipient is not a valid regular expression: {exc}") from exc
        self._parts = urlsplit(self.url)
        try:
            self._parts.port  # noqa: B018 - a port that is not a number raises here, not at the first send
        except ValueError as exc:
            raise ValueError(f"the webhook url has a bad port: {mask_url(self.url)}") from exc
        if self._parts.scheme not in ("http", "https") or not self._parts.hostname:
            raise ValueError("a webhook url starts with http:// or https:// and names a host, "
                             f"not {mask_url(self.url)}")
        if self.on_timeout not in ON_TIMEOUT:
            raise ValueError(f"on_timeout must be one of {', '.join(ON_TIMEOUT)}, not {self.on_timeout!r}")
        self._auth: dict[str, str] = {}
        if self._parts.username is not None:  # user:password@host, as curl and browsers send it
            pair = f"{unquote(self._parts.username)}:{unquote(self._parts.password or '')}"
            self._auth["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()

    def __repr__(self) -> str:
        return f"WebhookChannel(url={mask_url(self.url)!r}, timeout={self.timeout!r}, on_timeout={self.on_timeout!r})"

    def payload(self, message: OutgoingMessage) -> bytes:
        """The request body for one message (checked to be JSON)."""
        try:
            text = render(self._template, {"recipient": self.to or message.recipient,
                                           "subject": fill(message.subject, ""),
                                           "body": fill(message.body, ""), "key": message.key,
                                           "customer_id": message.customer_id})
            json.loads(text)
        except (TemplateError, ValueError) as exc:
            raise DeliveryError(f"the webhook body template does not give JSON: {exc}") from exc
        return text.encode()

    def _connection(self) -> http.client.HTTPConnection:
        parts = self._parts
        if parts.scheme == "https":
            return http.client.HTTPSConnection(parts.hostname, parts.port, timeout=self.timeout,
                                               context=ssl.create_default_context())
        return http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)

    def clone(self) -> WebhookChannel:
        """The same channel with a connection of its own (one per parallel sender)."""
        return dataclasses.replace(self)

    def _open(self) -> tuple[http.client.HTTPConnection, bool]:
        """The kept connection when the gateway still holds it open (then True), else a new one."""
        kept = self._conn
        if kept is not None and kept.sock is not None and not _dropped(kept.sock):
            return kept, True
        self._forget()
        conn = self._connection()
        where = mask_url(self.url)
        try:
            conn.connect()
        except OSError as exc:
            conn.close()
            if _certificate_problem(exc):
                raise DeliveryError(f"{where} is not trusted: {exc}", stop=True) from exc
            timed_out = _timed_out(exc)
            what = f"no connection within {self.timeout:g} s" if timed_out else str(exc)
            raise DeliveryError(f"cannot reach {where}: {what}", transient=True, timed_out=timed_out) from exc
        self._conn = conn
        return conn, False

    def _forget(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def send(self, message: OutgoingMessage) -> None:
        """POST one message, over the connection kept open since the last one when the gateway allows.

        Raises:
            DeliveryError: the gateway refused it (by its status), could not be reached (the
                request never went out: transient), or did not answer after the request went out
                (transient or may-have-been-sent, as ``on_timeout`` says).
        """
        data = self.payload(message)
        parts, where = self._parts, mask_url(self.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {"Content-Type": "application/json", **self._auth, **self.headers, "Idempotency-Key": message.key}
        for attempt in (1, 2):
            conn, reused = self._open()
            try:
                conn.request("POST", target, body=data, headers=headers)
            except (OSError, http.client.HTTPException) as exc:  # the request did not get out whole
                self._forget()
                if reused and attempt == 1 and not _timed_out(exc):
                    continue  # the gateway closed the connection kept open: once more, anew
                raise DeliveryError(f"cannot send to {where}: {exc}", transient=True,
                                    timed_out=_timed_out(exc)) from exc
            try:
                response = conn.getresponse()
            except (OSError, http.client.HTTPException) as exc:
                self._forget()
                raise self._no_answer(exc, where) from exc
            status, reason = response.status, response.reason
            location, retry_after = response.getheader("Location"), response.getheader("Retry-After")
            answer = b""
            try:
                answer = response.read(MAX_ANSWER)  # the status is the answer; the body is read to reuse the line
            except (OSError, http.client.HTTPException):
                self._forget()  # a body cut short changes nothing, but the line is not used again
            else:
                if response.will_close or not response.isclosed():  # not kept open, or an answer too long
                    self._forget()
            self._judge(status, reason, location, retry_after, answer.decode("utf-8", errors="replace"))
            return

    def _no_answer(self, exc: BaseException, where: str) -> DeliveryError:
        timed_out = _timed_out(exc)
        what = (f"no answer within {self.timeout:g} s" if timed_out
                else f"the connection broke before the answer ({exc})")
        if self.on_timeout == "unknown":
            return DeliveryError(f"{what}; the gateway may have taken it (on_timeout = \"unknown\")",
                                 maybe_sent=True, timed_out=timed_out)
        return DeliveryError(f"{what}; tried again later with the same Idempotency-Key", transient=True,
                             timed_out=timed_out)

    def _judge(self, status: int, reason: str, location: str | None, retry_after: str | None,
               answer: str = "") -> None:
        if 200 <= status < 300:
            return
        said = f"HTTP {status} {reason}".rstrip()
        if 400 <= status < 500 and status not in (401, 403, 429) and self._bad is not None \
                and (found := self._bad.search(answer)):
            raise DeliveryError(f"{said}: the gateway says the recipient is bad ({found.group(0)[:200]})",
                                bad_recipient=True)
        if 300 <= status < 400:
            target = mask_url(urljoin(self.url, location)) if location else "nowhere (no Location header)"
            raise DeliveryError(f"{said}: the gateway redirects to {target}; webhooks never follow redirects "
                                "(put the address that takes the messages in url)")
        if status in (401, 403):
            raise DeliveryError(said, auth=True)
        raise DeliveryError(said, transient=status == 429 or status >= 500, retry_after=_retry_after(retry_after))

    def close(self) -> None:
        """Close the connection kept open, if any."""
        self._forget()


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

    def __post_init__(self) -> None:
        if self.format not in FILE_FORMATS:
            raise ValueError(f"format must be one of {', '.join(FILE_FORMATS)}, not {self.format!r}")

    def send(self, message: OutgoingMessage) -> None:
        """Write one message.

        Raises:
            DeliveryError: the folder cannot be made or written (transient: a disk, a mount or a
                permission that may be fixed before the next run).
        """
        folder = Path(self.folder)
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", message.key)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if self.format == "jsonl":
                line = json.dumps({"key": message.key, "channel": message.channel, "to": message.recipient,
                                   "subject": fill(message.subject, ""), "body": fill(message.body, "")},
                                  ensure_ascii=False)
                with (folder / "messages.jsonl").open("a", encoding="utf-8") as out:
                    out.write(line + "\n")  # one write: a line is whole or absent
                return
            mail = SmtpChannel("localhost", 0, self.sender).build(message)
            (folder / f"{safe}.eml").write_bytes(bytes(mail))
        except OSError as exc:
            raise DeliveryError(f"cannot write to the folder {folder}: {exc}", transient=True) from exc

    def close(self) -> None:
        """Nothing to release."""
