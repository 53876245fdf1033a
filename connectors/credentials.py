"""Secrets: the CRM password and channel passwords, from the environment, this session or the keyring.

The keyring policy of DESIGN.md: a backend that fails (no Secret Service on a headless Linux),
is disabled (null) or keeps passwords in plain text is detected and named in plain words; a
password is then kept for this session only if the user says so, never written silently.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

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
        raise KeyringUnavailable("keyring.refused", backend=status.backend, reason=str(exc)) from exc
    return Text("keyring.kept", {"backend": status.backend})


def crm_password(url: str) -> str | None:
    """The password for a CRM URL, or None (SQLite, trust or peer authentication)."""
    if sa.make_url(url).get_backend_name() == "sqlite":
        return None
    return get_secret(account_for(url), PASSWORD_ENV)
