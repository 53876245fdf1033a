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
    # exported tables (connectors/table_files.py) and their values (connectors/import_values.py)
    "table.no_file": "there is no file {path}",
    "table.old_excel": "{path}: this kind of spreadsheet cannot be read; save it as Excel (.xlsx) or CSV",
    "table.empty": "{path} is empty: its first line should name the columns",
    "table.bad_encoding": "{path}, line {line}: the text is not in {encoding}; save the file as UTF-8",
    "table.bad_csv": "{path}, line {line}: not readable as CSV ({reason})",
    "table.bad_xlsx": "{path} is not an Excel workbook (.xlsx) that can be read",
    "value.not_int": "'{value}' is not a whole number",
    "value.not_money": "'{value}' is not an amount of money (such as 1 234,50 or 1234.50)",
    "value.not_bool": "'{value}' is not yes or no (yes/no, да/нет, 1/0, true/false)",
    "value.not_datetime": "'{value}' is not a date and time (such as 31.12.2026 14:30 or 2026-12-31 14:30)",
    "value.not_date": "'{value}' is not a date (such as 31.12.2026 or 2026-12-31)",
    # the shop file an import writes (connectors/shop_store.py)
    "store.not_sqlite": "{path} is not an SQLite database: choose a new file or a shop made by Scenarist",
})
