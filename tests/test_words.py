"""Every message of the layers below the window has its words in every language, by code."""

from __future__ import annotations

import importlib
import pkgutil
import string

import pytest

import app
import connectors
import engine
from connectors.texts import CATALOGS, Text, number, pick, plural_form, words


def _all_catalogs() -> list:
    for package in (connectors, engine, app):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)  # each module declares the words it uses
    return CATALOGS


def _blanks(entry: str | list[str]) -> set[str]:
    forms = [entry] if isinstance(entry, str) else entry
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


@pytest.mark.parametrize("lang", ["ru"])
def test_every_code_has_words_in_every_language(lang):
    catalogs = _all_catalogs()
    assert {c.name for c in catalogs} >= {"connectors", "app"}
    missing = {c.name: c.missing(lang) for c in catalogs if c.missing(lang)}
    assert not missing, f"codes without {lang} words (add them to resources/i18n/<layer>_{lang}.toml): {missing}"
    for cat in catalogs:
        for code, english in cat.english.items():
            translated = cat.entries(lang)[code]
            assert _blanks(translated) <= _blanks(english), (cat.name, code, "names a blank the code does not give")
            if not isinstance(english, str):
                assert len(translated) == 3, (cat.name, code, "Russian has three plural forms")


def test_no_translation_is_left_over_from_a_removed_code():
    for cat in _all_catalogs():
        extra = set(cat.entries("ru")) - set(cat.english)
        assert not extra, f"{cat.name}_ru.toml has words for codes nobody uses: {sorted(extra)}"


def test_a_message_is_worded_by_its_code_with_its_values():
    text = Text("crm.connected", {"customers": 5000, "orders": 12345})
    assert words(text, "en") == "Connected: 5,000 customers, 12,345 orders."
    assert words(text, "ru") == "Подключено: клиентов — 5\u202f000, заказов — 12\u202f345."
    assert str(text) == "Connected: 5000 customers, 12345 orders."  # logs and the command line: plain digits
    nested = Text("crm.cannot_connect", {"reason": Text("crm.no_sqlite_file", {"path": "/x.db"})})
    assert words(nested, "ru") == "не удаётся подключиться к CRM: нет файла SQLite /x.db"


def test_russian_plurals_and_numbers():
    assert [plural_form(n, "ru") for n in (1, 2, 5, 11, 12, 21, 22, 25, 111, 1.5)] == [0, 1, 2, 2, 2, 0, 1, 2, 2, 1]
    assert pick(["день", "дня", "дней"], 21, "ru") == "день" and pick(["day", "days"], 21, "en") == "days"
    assert number(2.5, "ru") == "2,5" and number(1234567, "en") == "1,234,567"
