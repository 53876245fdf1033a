"""What the delivery settings' form shows, as data: each channel kind's fields, the SMTP presets, and
the frequency cap and currency. The window builds its form from these lists, so a new key of a channel
is one more :class:`Field` here (with its words in app/words.py) and its check in app/settings.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.settings import CHANNEL_NAMES
from connectors.channels import FILE_FORMATS, ON_TIMEOUT, SECURITY

# What each kind of field holds, and so which widget the form uses for it.
TEXT, NUMBER, WHOLE, CHOICE, FLAG, TEMPLATE, PATH = "text", "number", "whole", "choice", "flag", "template", "path"


@dataclass(frozen=True)
class Field:
    """One key of a channel's table in the settings file.

    Attributes:
        key: The TOML key (``host``, ``rate_per_second``).
        kind: TEXT, NUMBER (a decimal), WHOLE (an integer), CHOICE, FLAG (true/false), TEMPLATE or PATH.
        default: What the channel uses when the key is absent (shown, never written unless changed).
        choices: The values of a CHOICE.
        minimum: The smallest NUMBER or WHOLE.
        maximum: The largest NUMBER or WHOLE.
        required: The channel cannot work without it.
        example: Shown greyed in an empty field.
    """

    key: str
    kind: str = TEXT
    default: Any = None
    choices: tuple[str, ...] = ()
    minimum: float = 0
    maximum: float = 1e9
    required: bool = False
    example: str = ""

    @property
    def label(self) -> str:
        """The code of the field's name in the interface's language (app/words.py)."""
        return f"delivery.field.{self.key}"

    @property
    def must(self) -> str:
        """The code of what the field must hold, said when a value is refused."""
        return f"delivery.must.{self.key}"


FIELDS: dict[str, tuple[Field, ...]] = {
    "smtp": (
        Field("host", required=True, example="smtp.example.com"),
        Field("port", WHOLE, default=587, minimum=1, maximum=65535),
        Field("security", CHOICE, default="starttls", choices=SECURITY),
        Field("username", example="shop@example.com"),
        Field("from", required=True, example="My Shop <shop@example.com>"),
        Field("reply_to", example="help@example.com"),
        Field("unsubscribe", example="mailto:unsubscribe@example.com"),
        Field("rate_per_second", NUMBER, default=0, maximum=1000),
        Field("connections", WHOLE, default=4, minimum=1, maximum=32),
        Field("timeout", NUMBER, default=30, minimum=0.1, maximum=600),
        Field("cafile", PATH),
        Field("allow_plain", FLAG, default=False),
    ),
    "webhook": (
        Field("url", required=True, example="https://gateway.example.com/send"),
        Field("body", TEMPLATE, default='{"to": {{ recipient|tojson }}, "text": {{ body|tojson }}}'),
        Field("secret_header", example="Authorization"),
        Field("rate_per_second", NUMBER, default=0, maximum=1000),
        Field("connections", WHOLE, default=4, minimum=1, maximum=32),
        Field("timeout", NUMBER, default=10, minimum=0.1, maximum=600),
        Field("on_timeout", CHOICE, default="retry", choices=ON_TIMEOUT),
    ),
    "file": (
        Field("folder", PATH, required=True, example="~/scenarist-outbox"),
        Field("format", CHOICE, default="eml", choices=FILE_FORMATS),
        Field("rate_per_second", NUMBER, default=0, maximum=1000),
    ),
}
# The kind of secret a kind keeps in the keyring: the SMTP password, a webhook's secret header value.
SECRET_OF = {"smtp": "username", "webhook": "secret_header"}


@dataclass(frozen=True)
class SmtpPreset:
    """A mail provider's SMTP server: what the form fills in (and the user may still change)."""

    name: str
    host: str
    port: int
    security: str


SMTP_PRESETS: tuple[SmtpPreset, ...] = (
    SmtpPreset("Gmail", "smtp.gmail.com", 587, "starttls"),
    SmtpPreset("Yandex", "smtp.yandex.ru", 465, "ssl"),
    SmtpPreset("Mail.ru", "smtp.mail.ru", 465, "ssl"),
    SmtpPreset("Outlook / Office 365", "smtp.office365.com", 587, "starttls"),
)


def preset_of(conf: dict[str, Any]) -> SmtpPreset | None:
    """The preset a channel's server is, or None (a server of one's own: "custom")."""
    port = conf.get("port") or field_of("smtp", "port").default
    security = conf.get("security") or field_of("smtp", "security").default
    return next((p for p in SMTP_PRESETS if (p.host, p.port, p.security) == (conf.get("host"), port, security)),
                None)


def channel_names(present: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The channels the form offers: the known ones, then any other the file has."""
    return [*CHANNEL_NAMES, *(name for name in present if name not in CHANNEL_NAMES)]


def field_of(kind: str, key: str) -> Field | None:
    """A kind's field by key."""
    return next((f for f in FIELDS.get(kind, ()) if f.key == key), None)
