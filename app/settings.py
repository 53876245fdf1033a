"""The user's settings file (TOML): delivery channels and retry policy.

Secrets never live in the file: a channel's password or secret header value comes from the
environment (``SCENARIST_<CHANNEL>_SECRET``, e.g. ``SCENARIST_EMAIL_SECRET``) or from the
keyring (service ``scenarist``, account ``channel:<name>``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from connectors.channels import Channel, FileChannel, SmtpChannel, WebhookChannel
from connectors.credentials import crm_password, get_secret
from connectors.crm import REQUIRED, Crm, Mapping
from engine.dispatch import DeliveryPolicy
from engine.limits import FrequencyCap

CHANNEL_NAMES = ("email", "sms", "webhook")
SECRET_WORDS = ("password", "secret", "token", "api_key", "apikey")
KINDS = {
    "smtp": {"kind", "host", "port", "security", "username", "from", "reply_to", "unsubscribe", "timeout",
             "rate_per_second", "cafile"},
    "webhook": {"kind", "url", "body", "headers", "secret_header", "timeout", "rate_per_second"},
    "file": {"kind", "folder", "format", "rate_per_second"},
}


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

    def mapping_for(self, url: str) -> Mapping | None:
        """The column mapping kept for a CRM URL, if any."""
        return self.mappings.get(url)


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
    file = Path(path) if explicit else default_path()
    if not file.exists():
        if explicit:
            raise SettingsError(f"no settings file at {file}")
        return Settings()
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{file}: {exc}") from exc
    settings = Settings(path=file)
    for key in data:
        if key not in ("channels", "delivery", "crm", "frequency_cap"):
            raise SettingsError(f"{file}: unknown section [{key}]")
    delivery = data.get("delivery", {})
    for key, value in delivery.items():
        if key not in ("max_attempts", "backoff_seconds") or isinstance(value, bool) \
                or not isinstance(value, int | float) or value <= 0:
            raise SettingsError(f"{file}: [delivery] {key} must be max_attempts or backoff_seconds, a positive number")
        setattr(settings.policy, key, value)
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


def _check_channel(file: Path, name: str, conf: Any) -> dict[str, Any]:
    where = f"{file}: [channels.{name}]"
    if name not in CHANNEL_NAMES:
        raise SettingsError(f"{where}: channels are named {', '.join(CHANNEL_NAMES)}")
    if not isinstance(conf, dict) or conf.get("kind") not in KINDS:
        raise SettingsError(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
    for key in conf:
        if any(word in key.lower() for word in SECRET_WORDS):
            raise SettingsError(f"{where}: '{key}' looks like a secret; secrets come from the environment "
                                f"({secret_env(name)}) or the keyring, never from this file")
        if key not in KINDS[conf["kind"]]:
            raise SettingsError(f"{where}: unknown key '{key}' for kind '{conf['kind']}'")
    required = {"smtp": ("host", "from"), "webhook": ("url",), "file": ("folder",)}[conf["kind"]]
    for key in required:
        if not conf.get(key):
            raise SettingsError(f"{where}: '{key}' is required")
    return conf


def channel_account(channel: str) -> str:
    """The keyring account of a channel's secret."""
    return f"channel:{channel}"


def secret_env(channel: str) -> str:
    """The environment variable holding a channel's secret."""
    return f"SCENARIST_{channel.upper()}_SECRET"


def channel_secret(channel: str) -> str | None:
    """A channel's password or secret header value: environment, this session, then the keyring."""
    return get_secret(channel_account(channel), secret_env(channel))


def build_channels(settings: Settings) -> dict[str, Channel]:
    """Channel objects for the configured channels."""
    channels: dict[str, Channel] = {}
    for name, conf in settings.channels.items():
        rate = float(conf.get("rate_per_second", 0))
        if conf["kind"] == "smtp":
            channels[name] = SmtpChannel(
                host=conf["host"], port=int(conf.get("port", 587)), sender=conf["from"],
                security=conf.get("security", "starttls"), username=conf.get("username"),
                password=channel_secret(name) if conf.get("username") else None, reply_to=conf.get("reply_to"),
                unsubscribe=conf.get("unsubscribe"), timeout=float(conf.get("timeout", 30)), rate_per_second=rate,
                cafile=str(Path(conf["cafile"]).expanduser()) if conf.get("cafile") else None)
        elif conf["kind"] == "webhook":
            headers = dict(conf.get("headers", {}))
            if conf.get("secret_header"):
                headers[conf["secret_header"]] = channel_secret(name) or ""
            kwargs = {"body": conf["body"]} if "body" in conf else {}
            channels[name] = WebhookChannel(conf["url"], headers=headers, timeout=float(conf.get("timeout", 10)),
                                            rate_per_second=rate, **kwargs)
        else:
            channels[name] = FileChannel(Path(conf["folder"]).expanduser(), format=conf.get("format", "eml"),
                                         rate_per_second=rate)
    return channels


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
