"""Editing the delivery settings (channels, frequency cap, currency) of the settings file, for the
window's *Settings → Delivery…*.

The file stays the one ``run`` and ``serve`` read (app/settings.py), written by tomlkit so that the
user's comments, blank lines and order survive: only the keys whose value changed are written, so
an unchanged file is written back byte for byte. Every value is checked by the same checks as
``run`` before anything is written; a refused value names its channel and field, and the file
stays as it was. Passwords go to the keyring (app/settings.py's accounts), never into the file.
"""

from __future__ import annotations

import re
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit

from app.channel_fields import FIELDS, channel_names, field_of
from app.settings import (
    KINDS,
    Settings,
    SettingsError,
    channel_account,
    channel_secret,
    default_path,
    load_settings,
    write_atomically,
)
from connectors.credentials import KeyringStatus, KeyringUnavailable, keyring_status, set_secret
from connectors.texts import DEFAULT_CURRENCY, Text, TextError, lookup

__all__ = ["ChannelForm", "DeliveryForm", "DeliveryRefused", "KeyringStatus", "KeyringUnavailable", "check_form",
           "has_secret", "keep_secret", "password_storage", "read_form", "save_form"]

NEW_FILE_HEADER = ("Scenarist's settings: delivery channels, the frequency cap and the currency (see the README,\n"
                   "\"Delivery settings\"). Passwords are never here: they are in the keyring.")


class DeliveryRefused(TextError):
    """A value the settings refuse. ``channel`` and ``key`` name the field (None: the file as a whole)."""

    def __init__(self, code: str, channel: str | None = None, key: str | None = None, **args: Any) -> None:
        super().__init__(code, **args)
        self.channel, self.key = channel, key


@dataclass
class ChannelForm:
    """One channel as the form shows it.

    Attributes:
        kind: ``smtp``, ``webhook``, ``file``, or None when the channel is not used.
        values: Key -> value of the kind's fields (None or absent: not set, the default applies).
    """

    kind: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class DeliveryForm:
    """What *Settings → Delivery…* edits."""

    channels: dict[str, ChannelForm] = field(default_factory=dict)
    cap: tuple[int, int] | None = None  # (messages, days)
    currency: str = DEFAULT_CURRENCY


def read_form(path: Path | None = None) -> DeliveryForm:
    """The form's values from the settings file (a missing file: nothing set).

    Raises:
        SettingsError: the file is not TOML (it cannot be edited without losing what it holds).
    """
    file = path or default_path()
    data = _read(file)[1]
    form = DeliveryForm(currency=data.get("shop", {}).get("currency", DEFAULT_CURRENCY))
    cap = data.get("frequency_cap")
    if isinstance(cap, dict) and {"messages", "days"} <= set(cap):
        form.cap = (cap["messages"], cap["days"])
    present = data.get("channels", {})
    for name in channel_names(list(present)):
        conf = present.get(name)
        if isinstance(conf, dict) and conf.get("kind") in FIELDS:
            form.channels[name] = ChannelForm(conf["kind"], {f.key: conf.get(f.key) for f in FIELDS[conf["kind"]]})
        else:
            form.channels[name] = ChannelForm()
    return form


def _read(file: Path) -> tuple[tomlkit.TOMLDocument, dict]:
    if not file.exists():
        doc = tomlkit.document()
        for line in NEW_FILE_HEADER.splitlines():
            doc.add(tomlkit.comment(line))
        doc.add(tomlkit.nl())
        return doc, {}
    text = file.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)  # first: its words are the ones run and serve give
        return tomlkit.parse(text), data
    except (tomllib.TOMLDecodeError, tomlkit.exceptions.TOMLKitError) as exc:
        raise SettingsError(f"{file}: {exc}") from exc


def _changed(table: Any, key: str, value: Any) -> bool:
    if key not in table:
        return True
    old = table[key].unwrap() if hasattr(table[key], "unwrap") else table[key]
    return old != value or isinstance(old, bool) != isinstance(value, bool)  # true is no 1


def _put(table: Any, key: str, value: Any, default: Any = None) -> None:
    """Set ``key`` to ``value`` only when it changes (an unchanged value keeps its bytes and comment);
    None, an empty text or, for a key that was absent, the default, leave the key out."""
    if value is None or value == "" or (key not in table and value == default):
        if key in table:
            del table[key]
        return
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # rate_per_second = 5, not 5.0
    if _changed(table, key, value):
        table[key] = value


def _apply_channel(channels: Any, name: str, channel: ChannelForm) -> None:
    if channel.kind is None:
        if name in channels:
            del channels[name]
        return
    if name not in channels:
        channels[name] = tomlkit.table()
    table = channels[name]
    if table.get("kind") != channel.kind:
        table["kind"] = channel.kind
        for key in [k for k in table if k not in KINDS[channel.kind]]:
            del table[key]  # keys of the kind it was, which the new kind refuses
    for spec in FIELDS[channel.kind]:
        if spec.key in channel.values:
            _put(table, spec.key, channel.values[spec.key], spec.default)


def _apply(doc: tomlkit.TOMLDocument, form: DeliveryForm) -> None:
    if any(c.kind for c in form.channels.values()) and "channels" not in doc:
        doc["channels"] = tomlkit.table(is_super_table=True)
    for name, channel in form.channels.items():
        if "channels" in doc:
            _apply_channel(doc["channels"], name, channel)
    if "channels" in doc and not doc["channels"]:
        del doc["channels"]
    if form.cap is None:
        if "frequency_cap" in doc:
            del doc["frequency_cap"]
    else:
        if "frequency_cap" not in doc:
            doc["frequency_cap"] = tomlkit.table()
        _put(doc["frequency_cap"], "messages", form.cap[0])
        _put(doc["frequency_cap"], "days", form.cap[1])
    currency = (form.currency or "").strip()
    if "shop" in doc or currency != DEFAULT_CURRENCY:
        if "shop" not in doc:
            doc["shop"] = tomlkit.table()
        _put(doc["shop"], "currency", currency or None, DEFAULT_CURRENCY)


def check_form(form: DeliveryForm, path: Path | None = None) -> tuple[str, Settings]:
    """The settings file's text with the form applied, and the settings ``run`` would read from it.

    Raises:
        DeliveryRefused: naming the channel and field of the first value refused.
        SettingsError: the file is not TOML.
    """
    file = path or default_path()
    doc = _read(file)[0]
    _apply(doc, form)
    text = tomlkit.dumps(doc)
    with tempfile.TemporaryDirectory(prefix="scenarist-settings-") as scratch:
        probe = Path(scratch) / "settings.toml"
        probe.write_text(text, encoding="utf-8")
        try:
            settings = load_settings(probe)
        except SettingsError as exc:
            raise _refused(str(exc).replace(str(probe), file.name), exc, form) from exc
    settings.path = file
    return text, settings


_CHANNEL_KEY = re.compile(r"\[channels\.([\w-]+)\]: (?:'([\w.-]+)'|(security) = )")


def channel_title(name: str) -> Text | str:
    """A channel's name as the form shows it (a channel of another name: as it is)."""
    code = f"delivery.channel.{name}"
    return Text(code) if lookup(code, "en") is not None else name


def _refused(message: str, exc: SettingsError, form: DeliveryForm) -> DeliveryRefused:
    """A refusal of the settings' checks as the field it is about, in the form's words."""
    found = _CHANNEL_KEY.search(message)
    if found:
        channel, key = found.group(1), (found.group(2) or found.group(3)).split(".")[0]
        kind = form.channels.get(channel, ChannelForm()).kind or ""
        spec = field_of(kind, key)
        label: Text | str = Text(spec.label) if spec else key
        must = Text(spec.must if spec and lookup(spec.must, "en") is not None else "delivery.must.value")
        cause = exc.__cause__
        if key == "body" and cause is not None:  # the template's own mistake, with its line
            return DeliveryRefused("delivery.refused.detail", channel, key, channel_title=channel_title(channel),
                                   field=label, must=must, detail=str(cause))
        return DeliveryRefused("delivery.refused", channel, key, channel_title=channel_title(channel), field=label,
                               must=must)
    if "[frequency_cap]" in message:
        return DeliveryRefused("delivery.refused.cap", None, "frequency_cap")
    if "[shop]" in message:
        return DeliveryRefused("delivery.refused.currency", None, "currency")
    return DeliveryRefused("delivery.refused.file", None, None, detail=message)


def save_form(form: DeliveryForm, path: Path | None = None) -> Path:
    """Write the form into the settings file, after every check; returns the file.

    Raises:
        DeliveryRefused: a value is refused; nothing was written.
        SettingsError: the file is not TOML; nothing was written.
    """
    file = path or default_path()
    text, _settings = check_form(form, file)
    old = file.read_text(encoding="utf-8") if file.exists() else None
    if text != old:  # a table taken out may leave its blank line at the end
        write_atomically(file, text.rstrip("\n") + "\n")
    return file


def has_secret(channel: str) -> bool:
    """Whether a password (or secret header value) is kept for the channel (environment, session, keyring)."""
    return channel_secret(channel) is not None


def keep_secret(channel: str, secret: str, *, session_only: bool = False) -> Text:
    """Keep a channel's password in the keyring (or for this session only); returns where, in words.

    Raises:
        KeyringUnavailable: the keyring cannot keep it safely and ``session_only`` is false.
    """
    return set_secret(channel_account(channel), secret, session_only=session_only)


def password_storage() -> KeyringStatus:
    """Whether the keyring can keep passwords safely, and why not."""
    return keyring_status()
