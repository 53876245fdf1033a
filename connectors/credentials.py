"""Secrets: the CRM password and channel passwords, from the environment, this session or the keyring.

The keyring policy of DESIGN.md: a backend that fails (no Secret Service on a headless Linux),
is disabled (null) or keeps passwords in plain text is detected and named in plain words; a
password is then kept for this session only if the user says so, never written silently.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

import sqlalchemy as sa

from connectors.texts import Text, TextError

SERVICE = "scenarist"
PASSWORD_ENV = "SCENARIST_CRM_PASSWORD"
_SESSION: dict[str, str] = {}


class KeyringUnavailable(TextError):
    """The keyring cannot keep a password safely; the message says why and what to do."""


@dataclass(frozen=True)
class KeyringStatus:
    """Whether the system keyring can keep passwords safely."""

    usable: bool
    backend: str
    problem: Text | None = None


def keyring_status() -> KeyringStatus:
    """Inspect the active keyring backend without touching any password."""
    try:
        import keyring
        from keyring.backends import fail, null
    except ImportError:
        return KeyringStatus(False, "none", Text("keyring.not_installed"))
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if isinstance(backend, fail.Keyring):
        return KeyringStatus(False, name, Text("keyring.no_service"))
    if isinstance(backend, null.Keyring):
        return KeyringStatus(False, name, Text("keyring.disabled"))
    if "plaintext" in name.lower() or "plaintext" in type(backend).__name__.lower():
        return KeyringStatus(False, name, Text("keyring.plaintext"))
    return KeyringStatus(True, name)


def account_for(url: str) -> str:
    """The keyring account name of a database URL: ``user@host:port/database``."""
    u = sa.make_url(url)
    return f"{u.username or ''}@{u.host or ''}:{u.port or ''}/{u.database or ''}"


def get_secret(account: str, env: str | None = None) -> str | None:
    """A secret from the environment variable ``env``, this session, or the keyring (in that order).

    A keyring that cannot be used counts as holding nothing: the server asking for the password
    will say what is missing.
    """
    if env and os.environ.get(env):
        return os.environ[env]
    if account in _SESSION:
        return _SESSION[account]
    if not keyring_status().usable:
        return None
    import keyring

    try:
        return keyring.get_password(SERVICE, account)
    except Exception:  # a backend that fails on use, after all
        return None


def set_secret(account: str, secret: str, *, session_only: bool = False) -> Text:
    """Keep a secret in the keyring, or for this session only when asked.

    Returns:
        Where it was kept, in words for the user.

    Raises:
        KeyringUnavailable: when the keyring cannot keep it safely and ``session_only`` is false.
    """
    if session_only:
        _SESSION[account] = secret
        return Text("keyring.kept_session")
    status = keyring_status()
    if not status.usable:
        raise KeyringUnavailable("keyring.unusable", problem=status.problem)
    import keyring

    try:
        keyring.set_password(SERVICE, account, secret)
    except Exception as exc:  # the backend looked fine but refused
        # A backend may quote what it was given: the secret never reaches a message.
        reason = str(exc).replace(secret, MASK) if secret else str(exc)
        raise KeyringUnavailable("keyring.refused", backend=status.backend, reason=reason) from exc
    return Text("keyring.kept", {"backend": status.backend})


def crm_password(url: str) -> str | None:
    """The password for a CRM URL, or None (SQLite, trust or peer authentication)."""
    if sa.make_url(url).get_backend_name() == "sqlite":
        return None
    return get_secret(account_for(url), PASSWORD_ENV)


MASK = "***"
_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"']+")
_OPAQUE = re.compile(r"[A-Za-z0-9+/=_.~:-]+")
_SCHEME = re.compile(r"(?i)^(bearer|basic|token|digest|apikey|api-key|key|hmac|negotiate)\s+\S")


def looks_like_token(value: str) -> bool:
    """Whether a text looks like an opaque credential (an API key, a bearer token, a hex digest).

    Words, numbers and ordinary names do not: a token is long and mixes upper and lower case
    letters with digits, or is a long run of hexadecimal digits.
    """
    value = value.strip()
    if len(value) < 20 or not _OPAQUE.fullmatch(value):
        return False
    if len(value) >= 32 and re.fullmatch(r"[0-9a-fA-F-]+", value) and re.search(r"\d", value):
        return True
    return bool(re.search(r"[a-z]", value) and re.search(r"[A-Z]", value) and re.search(r"\d", value))


def looks_like_credential(value: str) -> bool:
    """Whether a header value carries a credential: an auth scheme (``Bearer ...``) or a token."""
    return bool(_SCHEME.match(value.strip())) or looks_like_token(value)


def mask_url(url: str) -> str:
    """A URL fit to store or print: scheme, host, port and path kept, secrets replaced by ``***``.

    The user and password of ``user:password@host``, every query value, the fragment and any
    path segment that looks like a token (``/bot123456:AAE.../send``) are masked.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return MASK
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{MASK}@{host}" if parts.username or parts.password else host
    if port is not None:
        netloc += f":{port}"
    path = "/".join(MASK if looks_like_token(seg) else seg for seg in parts.path.split("/"))
    query = "&".join(f"{quote(k, safe='')}={MASK}" for k, _ in parse_qsl(parts.query, keep_blank_values=True))
    if parts.query and not query:
        query = MASK
    return urlunsplit((parts.scheme, netloc, path, query, MASK if parts.fragment else ""))


def mask_urls(text: str) -> str:
    """A text with every URL in it masked as :func:`mask_url` does (errors, logs, reports)."""
    def one(match: re.Match) -> str:
        url = match.group(0)
        tail = len(url) - len(url.rstrip(".,:;!?)]}"))  # punctuation of the sentence, not of the URL
        return mask_url(url[:len(url) - tail]) + url[len(url) - tail:]

    return _URL.sub(one, text)
