"""The connectors' words: the CRM, the keyring and the template sandbox, in English.

Other languages: ``resources/i18n/connectors_<lang>.toml`` (see :mod:`connectors.texts`).
"""

from __future__ import annotations

from connectors.texts import catalog

WORDS = catalog("connectors", {
    # the CRM (connectors/crm.py, app/crm.py)
    "crm.bad_url": "'{url}' is not a database URL",
    "crm.password_in_url": "the CRM's address must not contain a password: keep it in the keyring "
                           "(python main.py secret set crm URL) or in the SCENARIST_CRM_PASSWORD environment variable",
    "crm.sqlite_memory": "an SQLite CRM must be a file: sqlite:///path/to/shop.db",
    "crm.no_sqlite_file": "there is no SQLite file at {path}",
    "crm.unsupported": "unsupported database '{backend}': use SQLite or PostgreSQL",
    "crm.cannot_connect": "cannot connect to the CRM: {reason}",
    "crm.no_table": "the CRM has no table '{table}' (the {canonical} table)",
    "crm.no_column": "table '{table}' has no column '{column}' (the {canonical} column)",
    "crm.no_such_table": "the CRM has no {canonical} table",
    "crm.missing": "{items}",
    "crm.connected": "Connected: {customers} customers, {orders} orders.",
    # the keyring (connectors/credentials.py)
    "keyring.not_installed": "the keyring package is not installed",
    "keyring.no_service": "this computer has no keyring service (a headless Linux has no Secret Service), "
                          "so passwords cannot be stored safely",
    "keyring.disabled": "the keyring is switched off (null backend), so passwords cannot be stored",
    "keyring.plaintext": "the keyring would store passwords unencrypted in a file",
    "keyring.unusable": "{problem}. Keep it for this session only, or set it in an environment variable "
                        "on a headless server.",
    "keyring.refused": "the keyring ({backend}) refused the password: {reason}",
    "keyring.kept_session": "for this session only",
    "keyring.kept": "in the keyring ({backend})",
})
