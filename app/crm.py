"""Opening a CRM: the one place where a URL and the settings become a connection.

The password policy lives here. A URL never carries a password, wherever it comes from (the
command line, ``workspace.toml``, the window's preferences): the password is given by the
caller that just asked for it (the window's CRM dialog), or comes from the
``SCENARIST_CRM_PASSWORD`` environment variable, this session, or the keyring. An SQLite URL
must name an existing file unless the caller creates the shop (``demo-crm``): opening a typo
would otherwise leave an empty database behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from app.settings import Settings
from connectors.credentials import (
    KeyringStatus,
    KeyringUnavailable,
    account_for,
    crm_password,
    keyring_status,
    set_secret,
)
from connectors.crm import Crm, CrmError
from connectors.texts import Text

__all__ = ["Crm", "CrmError", "KeyringUnavailable", "check_url", "keep_password", "open_crm", "password_storage",
           "shop_size"]


def check_url(url: str, *, must_exist: bool = True) -> sa.URL:
    """A CRM URL checked against the policy, parsed.

    Raises:
        CrmError: the URL is malformed, carries a password, or names a missing SQLite file.
    """
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise CrmError("crm.bad_url", url=url) from exc
    if parsed.password:
        raise CrmError("crm.password_in_url")
    if must_exist and parsed.get_backend_name() == "sqlite" and parsed.database \
            and parsed.database != ":memory:" and not Path(parsed.database).exists():
        raise CrmError("crm.no_sqlite_file", path=parsed.database)
    return parsed


@contextmanager
def open_crm(url: str, settings: Settings | None = None, *, password: str | None = None,
             reflect: bool = True, must_exist: bool = True) -> Iterator[Crm]:
    """A connection to the CRM at ``url``, closed when the block ends.

    Args:
        url: An SQLAlchemy URL without a password (``sqlite:///shop.db``, ``postgresql://u@host/db``).
        settings: The settings holding the column mapping for this URL (none: the canonical names).
        password: The password the user just typed; else the environment, this session or the keyring.
        reflect: Check the CRM's tables at once, naming every missing table and column.
        must_exist: Refuse a missing SQLite file (False only where the shop is being created).

    Raises:
        CrmError: the URL breaks the policy, the database cannot be reached, or it lacks a table.
    """
    check_url(url, must_exist=must_exist)
    mapping = (settings or Settings()).mapping_for(url)
    crm = Crm.open(url, mapping=mapping, password=password if password is not None else crm_password(url))
    try:
        if reflect:
            crm.reflect()
        yield crm
    finally:
        crm.dispose()


def shop_size(crm: Crm) -> tuple[int, int]:
    """How many customers and orders the CRM holds (the CRM dialog's test says so)."""
    try:
        with crm.engine.connect() as conn:
            customers = conn.execute(sa.select(sa.func.count()).select_from(crm.customers)).scalar_one()
            orders = conn.execute(sa.select(sa.func.count()).select_from(crm.orders)).scalar_one()
    except sa.exc.SQLAlchemyError as exc:
        raise CrmError("crm.cannot_connect", reason=str(getattr(exc, "orig", exc))) from exc
    return customers, orders


def keep_password(url: str, password: str, *, session_only: bool = False) -> Text:
    """Keep a CRM's password in the keyring (or for this session only); returns where, in words.

    Raises:
        KeyringUnavailable: the keyring cannot keep it safely and ``session_only`` is false.
    """
    return set_secret(account_for(url), password, session_only=session_only)


def password_storage() -> KeyringStatus:
    """Whether the keyring can keep passwords safely, and why not."""
    return keyring_status()
