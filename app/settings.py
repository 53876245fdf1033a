"""The user's settings file (TOML): delivery channels and retry policy.

Secrets never live in the file: a channel's password or secret header value comes from the
environment (``SCENARIST_<CHANNEL>_SECRET``, e.g. ``SCENARIST_EMAIL_SECRET``) or from the
keyring (service ``scenarist``, account ``channel:<name>``).

Every value is checked when the file is read, naming the key, so that a typo is refused before
a run changes anything (a tick commits before delivery begins): ``security = "STARTTLS"`` must
not become a plain connection that sends the password in clear.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from connectors.channels import (
    FILE_FORMATS,
    ON_TIMEOUT,
    SECURITY,
    Channel,
    FileChannel,
    SmtpChannel,
    WebhookChannel,
    is_loopback,
)
from connectors.credentials import KeyringUnavailable, crm_password, get_secret, looks_like_credential
from connectors.crm import REQUIRED, Crm, Mapping
from connectors.templates import TemplateError, compile_template, render
from connectors.texts import DEFAULT_CURRENCY
from connectors.unsubscribe import unsubscribe_key
from engine.dispatch import DeliveryPolicy
from engine.limits import FrequencyCap

CHANNEL_NAMES = ("email", "sms", "webhook")
STAFF_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
SECRET_WORDS = ("password", "secret", "token", "api_key", "apikey")
KINDS = {
    "smtp": {"kind", "host", "port", "security", "username", "from", "reply_to", "unsubscribe", "timeout",
             "rate_per_second", "cafile", "allow_plain", "connections", "unsubscribe_url", "to", "cost_per_part"},
    "webhook": {"kind", "url", "body", "headers", "secret_header", "timeout", "rate_per_second", "on_timeout",
                "bad_recipient", "to", "cost_per_part", "connections"},
    "file": {"kind", "folder", "format", "rate_per_second", "cost_per_part"},
}
# Headers whose value is a credential whatever it looks like.
CREDENTIAL_HEADERS = {"authorization", "proxy-authorization", "x-api-key", "api-key", "apikey", "x-auth-token",
                      "x-access-token", "x-token", "x-secret", "cookie"}
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
MAX_TIMEOUT = 600.0
MAX_CONNECTIONS = 32  # connections at once to one server: providers limit them (Gmail and Office 365 allow a few)
CONNECTIONS = 4  # when the channel does not say: a server 50 ms away then takes 80 messages a second


class SettingsError(Exception):
    """The settings file cannot be used; the message names the key."""


@dataclass
class Settings:
    """What ``run`` and ``serve`` need from the settings file."""

    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    policy: DeliveryPolicy = field(default_factory=DeliveryPolicy)
    mappings: dict[str, Mapping] = field(default_factory=dict)
    path: Path | None = None
    frequency_cap: FrequencyCap | None = None
    currency: str = DEFAULT_CURRENCY

    def mapping_for(self, url: str) -> Mapping | None:
        """The column mapping kept for a CRM URL, if any."""
        return self.mappings.get(url)

    @property
    def cost_per_part(self) -> float | None:
        """What one SMS part costs (the ``sms`` channel's ``cost_per_part``), if the settings say."""
        value = self.channels.get("sms", {}).get("cost_per_part")
        return None if value is None else float(value)


def data_dir() -> Path:
    """The user's Scenarist data folder (demo CRM, workspace)."""
    return Path(platformdirs.user_data_dir("Scenarist", "Scenarist"))


def default_path() -> Path:
    """The user's settings file."""
    return Path(platformdirs.user_config_dir("Scenarist", "Scenarist")) / "settings.toml"


def load_settings(path: str | Path | None = None) -> Settings:
    """Read and check a settings file; a missing default file means no channels.

    Raises:
        SettingsError: naming the line of a syntax error or the key that is wrong.
    """
    explicit = path is not None
    file = Path(path).expanduser() if explicit else default_path()
    if file.is_dir():
        raise SettingsError(f"{file} is a folder; the settings are a file (TOML), such as {file / 'settings.toml'}")
    if not file.exists():
        if explicit:
            raise SettingsError(f"no settings file at {file}")
        return Settings()
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{file}: {exc}") from exc
    except OSError as exc:
        raise SettingsError(f"cannot read the settings file {file}: {exc.strerror or exc}") from exc
    settings = Settings(path=file)
    for key in data:
        if key not in ("channels", "delivery", "crm", "frequency_cap", "shop"):
            raise SettingsError(f"{file}: unknown section [{key}]")
    settings.currency = _check_shop(file, data.get("shop", {}))
    _check_delivery(file, data.get("delivery", {}), settings.policy)
    try:  # [frequency_cap] messages = K, days = N: across all scenarios
        settings.frequency_cap = FrequencyCap.parse(data.get("frequency_cap"), "[frequency_cap]")
    except ValueError as exc:
        raise SettingsError(f"{file}: {exc}") from exc
    for name, conf in data.get("channels", {}).items():
        settings.channels[name] = _check_channel(file, name, conf)
    for i, conf in enumerate(data.get("crm", [])):
        url, mapping = _check_mapping(file, i, conf)
        settings.mappings[url] = mapping
    return settings


def lenient_user_settings() -> Settings:
    """The user's settings, or none when the file is broken: the window keeps counting and
    scheduling (the command line, which reads the same file, names the problem)."""
    try:
        return load_settings(None)
    except SettingsError:
        return Settings()


def _check_mapping(file: Path, index: int, conf: Any) -> tuple[str, Mapping]:
    where = f"{file}: [[crm]] number {index + 1}"
    if not isinstance(conf, dict) or not isinstance(conf.get("url"), str):
        raise SettingsError(f"{where}: 'url' (the CRM's URL as given to --crm) is required")
    allowed = {"url", "tables", "customers", "orders", "events", "completed_statuses"}
    for key in conf:
        if key not in allowed:
            raise SettingsError(f"{where}: unknown key '{key}'")
    for key in ("tables", "customers", "orders", "events"):
        part = conf.get(key, {})
        if not isinstance(part, dict) or not all(isinstance(v, str) and v for v in part.values()):
            raise SettingsError(f"{where}: [{key}] maps canonical names to your names, as text")
    unknown = set(conf.get("tables", {})) - {*REQUIRED, "events"}
    if unknown:
        raise SettingsError(f"{where}: [tables] knows only customers, orders and events, "
                            f"not {', '.join(sorted(unknown))}")
    statuses = conf.get("completed_statuses", ["completed"])
    if not isinstance(statuses, list) or not statuses or not all(isinstance(x, str) for x in statuses):
        raise SettingsError(f"{where}: 'completed_statuses' must be a non-empty list of texts")
    return conf["url"], Mapping(tables=dict(conf.get("tables", {})),
                                columns={t: dict(conf.get(t, {})) for t in ("customers", "orders", "events")},
                                completed_statuses=list(statuses))


def _check_shop(file: Path, shop: Any) -> str:
    """``[shop] currency``: how money is written in reports and the simulation (₽, EUR, $)."""
    where = f"{file}: [shop]"
    if not isinstance(shop, dict):
        raise SettingsError(f"{where} must be a section")
    for key in shop:
        if key != "currency":
            raise SettingsError(f"{where} knows only currency, not '{key}'")
    currency = shop.get("currency", DEFAULT_CURRENCY)
    if not isinstance(currency, str) or not 1 <= len(currency.strip()) <= 8:
        raise SettingsError(f"{where} currency must be a symbol or code of 1 to 8 characters, such as "
                            f'"₽" or "EUR", not {currency!r}')
    return currency.strip()


def _check_delivery(file: Path, delivery: Any, policy: DeliveryPolicy) -> None:
    where = f"{file}: [delivery]"
    if not isinstance(delivery, dict):
        raise SettingsError(f"{where} must be a section")
    for key, value in delivery.items():
        if key == "max_attempts":
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
                raise SettingsError(f"{where} max_attempts must be a whole number from 1 to 100, not {value!r}")
        elif key in ("backoff_seconds", "max_backoff_seconds"):
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise SettingsError(f"{where} {key} must be a positive number of seconds, not {value!r}")
        else:
            raise SettingsError(f"{where} knows max_attempts, backoff_seconds and max_backoff_seconds, not '{key}'")
        setattr(policy, key, value)
    if policy.max_backoff_seconds < policy.backoff_seconds:
        raise SettingsError(f"{where} max_backoff_seconds ({policy.max_backoff_seconds:g}) is shorter than "
                            f"backoff_seconds ({policy.backoff_seconds:g})")


def _is_secret_key(key: str) -> bool:
    # A key ending in _header names a header (secret_header = "Authorization"), it holds no secret.
    return not key.lower().endswith("_header") and any(word in key.lower() for word in SECRET_WORDS)


def _check_channel(file: Path, name: str, conf: Any) -> dict[str, Any]:
    where = f"{file}: [channels.{name}]"
    staff = name not in CHANNEL_NAMES  # a channel to the shop's staff (task nodes), with a fixed recipient
    if staff and not STAFF_NAME.match(name):
        raise SettingsError(f"{where}: channels are named {', '.join(CHANNEL_NAMES)}, or a short name in lower "
                            "case for a staff channel (staff, manager_mail...)")
    if not isinstance(conf, dict) or conf.get("kind") not in KINDS:
        raise SettingsError(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
    if staff and conf["kind"] != "webhook" and not conf.get("to"):  # a webhook's url is its fixed recipient
        raise SettingsError(f"{where}: channels are named {', '.join(CHANNEL_NAMES)}, or are staff channels for "
                            "task nodes with a fixed recipient: 'to', the address every task goes to "
                            "(to = \"manager@shop.example\")")
    if staff and conf["kind"] == "smtp" and "@" not in parseaddr(str(conf.get("to")))[1]:
        raise SettingsError(f"{where}: 'to' must be an email address such as \"manager@shop.example\"")
    if not staff and "to" in conf:
        raise SettingsError(f"{where}: 'to' is for staff channels: {name} messages go to each customer")
    for key in conf:
        if _is_secret_key(key):
            raise SettingsError(f"{where}: '{key}' looks like a secret; secrets come from the environment "
                                f"({secret_env(name)}) or the keyring, never from this file")
        if key not in KINDS[conf["kind"]]:
            raise SettingsError(f"{where}: unknown key '{key}' for kind '{conf['kind']}'")
    required = {"smtp": ("host", "from"), "webhook": ("url",), "file": ("folder",)}[conf["kind"]]
    for key in required:
        if not conf.get(key):
            raise SettingsError(f"{where}: '{key}' is required")
    check = _Check(where, conf)
    check.number("rate_per_second", minimum=0.0, inclusive=True)
    check.number("cost_per_part", minimum=0.0, inclusive=True)
    check.number("timeout", maximum=MAX_TIMEOUT)
    {"smtp": _check_smtp, "webhook": _check_webhook, "file": _check_file}[conf["kind"]](check, name)
    return conf


class _Check:
    """Type checks of one channel's keys, each refusal naming the key."""

    def __init__(self, where: str, conf: dict[str, Any]):
        self.where, self.conf = where, conf

    def fail(self, key: str, must: str) -> SettingsError:
        return SettingsError(f"{self.where}: '{key}' {must}, not {self.conf.get(key)!r}")

    def text(self, key: str, *, choices: tuple[str, ...] = ()) -> str | None:
        value = self.conf.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a text")
        if choices and value not in choices:
            raise self.fail(key, f"must be one of {', '.join(choices)}")
        return value

    def number(self, key: str, *, minimum: float = 0.0, maximum: float | None = None,
               inclusive: bool = False) -> None:
        value = self.conf.get(key)
        if value is None:
            return
        low = "0 or more" if inclusive else "greater than 0"
        ok = not isinstance(value, bool) and isinstance(value, int | float) and value == value \
            and (value >= minimum if inclusive else value > minimum) and (maximum is None or value <= maximum)
        if not ok:
            raise self.fail(key, f"must be a number {low}" + (f", at most {maximum:g}" if maximum else ""))

    def address(self, key: str) -> None:
        value = self.text(key)
        if value is not None and "@" not in parseaddr(value)[1]:
            raise self.fail(key, "must be an email address such as \"My Shop <shop@example.com>\"")


def _check_smtp(check: _Check, name: str) -> None:
    conf = check.conf
    host = check.text("host") or ""
    if any(c.isspace() for c in host) or "/" in host:
        raise check.fail("host", "must be a host name such as smtp.example.com")
    port = conf.get("port")
    if port is not None and (isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535):
        raise check.fail("port", "must be a whole number from 1 to 65535")
    security = check.text("security", choices=SECURITY) or "starttls"
    check.text("username")
    check.address("from")
    check.address("reply_to")
    check.text("unsubscribe")
    _check_unsubscribe_url(check)
    _check_connections(check)
    allow_plain = conf.get("allow_plain", False)
    if not isinstance(allow_plain, bool):
        raise check.fail("allow_plain", "must be true or false")
    if security == "none" and not is_loopback(host) and not allow_plain:
        raise SettingsError(f"{check.where}: security = \"none\" sends the messages and the password in clear: it "
                            f"is allowed only to this computer (localhost, 127.0.0.1), not to {host}, unless you "
                            "also set allow_plain = true; use \"starttls\" or \"ssl\"")
    cafile = check.text("cafile")
    if cafile is not None and not Path(cafile).expanduser().is_file():
        raise check.fail("cafile", "must name a certificate file (PEM) that exists")


def _check_connections(check: _Check) -> None:
    connections = check.conf.get("connections")
    if connections is not None and (isinstance(connections, bool) or not isinstance(connections, int)
                                    or not 1 <= connections <= MAX_CONNECTIONS):
        raise check.fail("connections", f"must be a whole number from 1 to {MAX_CONNECTIONS}")


def _check_unsubscribe_url(check: _Check) -> None:
    """``unsubscribe_url``: a template with ``{{ token }}`` that gives an http(s) address."""
    source = check.text("unsubscribe_url")
    if source is None:
        return
    try:
        sample = render(compile_template(source), {"token": "TOKEN"})
    except TemplateError as exc:
        raise check.fail("unsubscribe_url", f"must be a valid template ({exc})") from None
    if not sample.startswith(("https://", "http://")) or "TOKEN" not in sample or any(c.isspace() for c in sample):
        raise check.fail("unsubscribe_url", "must be a web address with {{ token }} in it, such as "
                                            "\"https://shop.example/unsubscribe?t={{ token }}\"")


def _check_webhook(check: _Check, name: str) -> None:
    conf = check.conf
    url = check.text("url") or ""
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError:
        raise check.fail("url", "has a port that is not a number") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"{check.where}: 'url' must start with https:// (or http://) and name a host")
    check.text("on_timeout", choices=ON_TIMEOUT)
    _check_connections(check)
    bad = check.text("bad_recipient")
    try:
        re.compile(bad or "")
    except re.error as exc:
        raise check.fail("bad_recipient", f"must be a regular expression ({exc})") from None
    secret_header = check.text("secret_header")
    if secret_header is not None and not _HEADER_NAME.fullmatch(secret_header):
        raise check.fail("secret_header", "must be a header name such as Authorization")
    headers = conf.get("headers", {})
    if not isinstance(headers, dict):
        raise check.fail("headers", "must be a table of header names and texts")
    for header, value in headers.items():
        key = f"headers.{header}"
        if not _HEADER_NAME.fullmatch(header):
            raise SettingsError(f"{check.where}: '{key}' is not a header name")
        if not isinstance(value, str) or "\r" in value or "\n" in value:
            raise SettingsError(f"{check.where}: '{key}' must be a text on one line")
        lowered = header.lower()
        if lowered in CREDENTIAL_HEADERS or any(word in lowered for word in SECRET_WORDS) \
                or looks_like_credential(value):
            raise SettingsError(
                f"{check.where}: '{key}' looks like a credential, and secrets never live in this file: write "
                f"secret_header = \"{header}\" and keep its value in the {secret_env(name)} environment variable "
                f"or the keyring (python main.py secret set channel {name})")
        if secret_header is not None and lowered == secret_header.lower():
            raise SettingsError(f"{check.where}: '{key}' is also the secret_header: keep only secret_header")
    if "body" in conf:
        body = check.text("body") or ""
        try:
            sample = render(compile_template(body), {"recipient": "+10000000000", "subject": "Subject",
                                                     "body": "Text", "key": "scenario:node:1", "customer_id": 1})
        except TemplateError as exc:
            raise SettingsError(f"{check.where}: 'body' is not a valid template: {exc}") from exc
        try:
            json.loads(sample)
        except ValueError as exc:
            raise SettingsError(f"{check.where}: 'body' does not give JSON ({exc}); put values in with tojson, "
                                "as in {{ recipient|tojson }}") from exc


def _check_file(check: _Check, name: str) -> None:
    check.text("folder")
    check.text("format", choices=FILE_FORMATS)


def channel_account(channel: str) -> str:
    """The keyring account of a channel's secret."""
    return f"channel:{channel}"


def secret_env(channel: str) -> str:
    """The environment variable holding a channel's secret."""
    return f"SCENARIST_{channel.upper()}_SECRET"


def channel_secret(channel: str) -> str | None:
    """A channel's password or secret header value: environment, this session, then the keyring."""
    return get_secret(channel_account(channel), secret_env(channel))


_kept_secret = channel_secret


def build_channels(settings: Settings, secrets: dict[str, str] | None = None) -> dict[str, Channel]:
    """Channel objects for the configured channels (``secrets``: a password just typed, by channel,
    used instead of the kept one: the settings dialog's Test)."""
    channels: dict[str, Channel] = {}

    def channel_secret(name: str) -> str | None:
        return (secrets or {}).get(name) or _kept_secret(name)

    for name, conf in settings.channels.items():
        rate = float(conf.get("rate_per_second", 0))
        if conf["kind"] == "smtp":
            channels[name] = SmtpChannel(
                host=conf["host"], port=int(conf.get("port", 587)), sender=conf["from"],
                security=conf.get("security", "starttls"), username=conf.get("username"),
                password=channel_secret(name) if conf.get("username") else None, reply_to=conf.get("reply_to"),
                unsubscribe=conf.get("unsubscribe"), timeout=float(conf.get("timeout", 30)), rate_per_second=rate,
                cafile=str(Path(conf["cafile"]).expanduser()) if conf.get("cafile") else None,
                allow_plain=bool(conf.get("allow_plain", False)), connections=int(conf.get("connections", CONNECTIONS)),
                unsubscribe_url=conf.get("unsubscribe_url"),
                unsubscribe_key=_signing_key() if conf.get("unsubscribe_url") else None, channel=name,
                to=conf.get("to"))
        elif conf["kind"] == "webhook":
            headers = dict(conf.get("headers", {}))
            if conf.get("secret_header"):
                headers[conf["secret_header"]] = channel_secret(name) or ""
            kwargs = {"body": conf["body"]} if "body" in conf else {}
            channels[name] = WebhookChannel(conf["url"], headers=headers, timeout=float(conf.get("timeout", 10)),
                                            rate_per_second=rate, on_timeout=conf.get("on_timeout", "retry"),
                                            bad_recipient=conf.get("bad_recipient"), to=conf.get("to"),
                                            connections=int(conf.get("connections", CONNECTIONS)), **kwargs)
        else:
            channels[name] = FileChannel(Path(conf["folder"]).expanduser(), format=conf.get("format", "eml"),
                                         rate_per_second=rate)
    return channels


def _signing_key() -> str | None:
    """The key of the unsubscribe tokens, made on first use; None where the keyring cannot keep
    one (the channel then stops and says so)."""
    try:
        return unsubscribe_key(create=True)
    except KeyringUnavailable:
        return None


def save_mapping(url: str, mapping: Mapping, path: str | Path | None = None) -> Path:
    """Keep a CRM's column mapping in the settings file, replacing the one for the same URL.

    The rest of the file, comments included, stays as the user wrote it.
    """
    import tomlkit

    file = Path(path) if path is not None else default_path()
    doc = tomlkit.parse(file.read_text(encoding="utf-8")) if file.exists() else tomlkit.document()
    entries = doc.get("crm")
    if entries is None:
        entries = tomlkit.aot()
        doc["crm"] = entries
    entry = tomlkit.table()
    entry["url"] = url
    entry["completed_statuses"] = list(mapping.completed_statuses)
    parts = {"tables": mapping.tables, **{t: mapping.columns.get(t, {}) for t in ("customers", "orders", "events")}}
    for key, values in parts.items():
        if values:
            part = tomlkit.table()
            for canonical, actual in values.items():
                part[canonical] = actual
            entry[key] = part
    kept = [e for e in entries if e.get("url") != url]
    entries.clear()
    for e in [*kept, entry]:
        entries.append(e)
    write_atomically(file, tomlkit.dumps(doc))
    return file


def write_atomically(file: Path, text: str) -> None:
    """Write a text file so that a reader sees the old or the new text, never half of it."""
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_name(file.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(file)


def open_crm(url: str, settings: Settings, password: str | None = None) -> Crm:
    """Open a CRM with the column mapping the settings keep for it and its stored password
    (or ``password`` when given)."""
    return Crm.open(url, mapping=settings.mapping_for(url), password=password if password is not None
                    else crm_password(url))
