"""Where a CRM password comes from: an environment variable, else the keyring."""

from __future__ import annotations

import os

import sqlalchemy as sa

SERVICE = "scenarist"
PASSWORD_ENV = "SCENARIST_CRM_PASSWORD"


def account_for(url: str) -> str:
    """The keyring account name of a database URL: ``user@host:port/database``."""
    u = sa.make_url(url)
    return f"{u.username or ''}@{u.host or ''}:{u.port or ''}/{u.database or ''}"


def crm_password(url: str) -> str | None:
    """The password for a CRM URL, or None when there is none to give (trust or peer auth).

    The environment variable wins so that headless servers need no keyring; a keyring that
    cannot be used is treated as holding nothing.
    """
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if sa.make_url(url).get_backend_name() == "sqlite":
        return None
    try:
        import keyring

        return keyring.get_password(SERVICE, account_for(url))
    except Exception:  # no usable backend (headless Linux): the connection will say what is wrong
        return None
