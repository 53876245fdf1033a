"""User-visible messages as a code and its arguments, worded by each layer's catalog.

Every layer below the window (connectors, engine, app) writes what a person reads as a
:class:`Text`: a stable code such as ``crm.no_table`` and its arguments. The words come from
that layer's :class:`Catalog`: English in the code that declares it, other languages in one file
per layer and language (``resources/i18n/<layer>_<lang>.toml``). So an interface translates by
code, never by matching English wording, and a test can list every code without a translation.

Arguments are shown as written, except:

- a :class:`Text` (a message inside a message) is worded in the same language;
- a whole number is written with the language's digit grouping;
- an argument with a :data:`NAMED` name (``type``, ``op``, ``port``...) is looked up as the key
  ``<prefix><value>`` first, so that a node type or an operator reads as the interface calls it;
- ``node`` (a node id) is replaced by the node's title when the caller knows the titles.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

I18N = Path(__file__).resolve().parent.parent / "resources" / "i18n"
LANGUAGES = ("en", "ru")
# Arguments whose values are identifiers with words of their own: argument name -> key prefix.
NAMED = {"type": "node.{}.title", "op": "op.{}", "port": "port.{}", "kind": "condition.{}.title",
         "agg": "agg.{}", "channel": "choice.{}"}


@dataclass(frozen=True)
class Text:
    """A message for a person: a code and the values it mentions.

    Attributes:
        code: The catalog key, e.g. ``crm.no_table``.
        args: The values its words name, e.g. ``{"table": "clients"}``.
    """

    code: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:  # English for logs, errors and the command line: digits and identifiers as they are
        return words(self, "en", plain=True)


class TextError(Exception):
    """An error whose message is a :class:`Text` (``str()`` gives its English words)."""

    def __init__(self, code: str, **args: Any) -> None:
        self.text = Text(code, args)
        super().__init__(str(self.text))


# A word with plural forms is a list: its form is chosen by the argument ``n``.
Entry = str | Sequence[str]


@dataclass
class Catalog:
    """One layer's words: English declared in code, other languages read from its files.

    Attributes:
        name: The layer (``connectors``, ``engine``, ``app``): its files are ``<name>_<lang>.toml``.
        english: Code -> English words with ``{named}`` blanks (a list for plural forms).
    """

    name: str
    english: dict[str, Entry]

    def entries(self, lang: str) -> Mapping[str, Entry]:
        """Code -> words in ``lang`` (English for ``en``; empty when the language has no file)."""
        return self.english if lang == "en" else _load(self.name, lang)

    def missing(self, lang: str) -> list[str]:
        """The codes that have no words in ``lang``."""
        have = self.entries(lang)
        return [code for code in self.english if code not in have]


CATALOGS: list[Catalog] = []


def catalog(name: str, english: dict[str, Entry]) -> Catalog:
    """Declare (or extend) a layer's catalog; returns it."""
    for existing in CATALOGS:
        if existing.name == name:
            existing.english.update(english)
            return existing
    made = Catalog(name, dict(english))
    CATALOGS.append(made)
    return made


@cache
def _load(name: str, lang: str) -> dict[str, Entry]:
    path = I18N / f"{name}_{lang}.toml"
    if not path.exists():
        return {}
    return dict(tomllib.loads(path.read_text(encoding="utf-8")))


def lookup(code: str, lang: str) -> Entry | None:
    """The words of a code in ``lang``, falling back to English; None for an unknown code."""
    for cat in CATALOGS:
        if code in cat.english:
            return cat.entries(lang).get(code, cat.english[code])
    return None


def plural_form(n: float, lang: str) -> int:
    """Which form a count takes: English has 2 (1 day, 2 days), Russian 3 (1 день, 2 дня, 5 дней)."""
    if lang == "ru":
        k = int(abs(n))
        if k != abs(n):
            return 1
        if k % 10 == 1 and k % 100 != 11:
            return 0
        if 2 <= k % 10 <= 4 and not 12 <= k % 100 <= 14:
            return 1
        return 2
    return 0 if n == 1 else 1


def pick(entry: Entry, n: float, lang: str) -> str:
    """The form of an entry that the count ``n`` takes."""
    if isinstance(entry, str):
        return entry
    return entry[min(plural_form(n, lang), len(entry) - 1)]


def number(n: float, lang: str) -> str:
    """A number as the language writes it: 5,000 and 2.5 in English; 5 000 and 2,5 in Russian."""
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    text = f"{n:,}" if isinstance(n, int) else f"{n:,.2f}".rstrip("0").rstrip(".")
    if lang == "ru":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


DEFAULT_CURRENCY = "₽"


def money(amount: float, lang: str, currency: str = DEFAULT_CURRENCY, *, cents: bool = False) -> str:
    """An amount of money, whole units, with the shop's currency: "12 345 ₽" in Russian; "₽12,345"
    in English for a one-character symbol, "12,345 EUR" for a code; with ``cents``, two decimals
    ("₽3.60", "3,60 ₽": SMS cost by the part)."""
    text = number(round(amount), lang)
    if cents:
        text = f"{amount:,.2f}"
        text = text.replace(",", "\u202f").replace(".", ",") if lang == "ru" else text
    if lang != "ru" and len(currency) == 1:
        return f"{currency}{text}"
    return f"{text}\u00a0{currency}"


def percent(share: float, lang: str) -> str:
    """A share (0.4) as a percentage with one decimal, as the language writes it: 40.0% or 40,0 %."""
    text = f"{100 * share:.1f}"
    return f"{text.replace('.', ',')}\u00a0%" if lang == "ru" else f"{text}%"


def phrase(code: str, lang: str = "en", **args: Any) -> str:
    """The words of ``code`` with its blanks filled (the code itself when no catalog knows it)."""
    return words(Text(code, args), lang)


def words(text: Text, lang: str = "en", titles: Mapping[str, str] | None = None,
          name_of: Callable[[str, str], str | None] | None = None, *, plain: bool = False) -> str:
    """A message in a language.

    Args:
        text: The message.
        lang: ``en`` or ``ru`` (another code gives English).
        titles: Node id -> title, so that a message names nodes as the person titled them.
        name_of: An extra lookup (argument name, value) -> words, for names this layer cannot know.
        plain: For logs and the command line: numbers as digits (5000, not 5,000) and identifiers
            (node types, operators) as the file writes them, not as the interface names them.
    """
    entry = lookup(text.code, lang)
    if entry is None:
        return text.code
    n = text.args.get("n", 1)
    template = pick(entry, n if isinstance(n, int | float) else 1, lang)
    shown = {key: _arg(key, value, lang, titles, name_of, plain) for key, value in text.args.items()}
    try:
        return template.format(**shown)
    except (KeyError, IndexError, ValueError):  # a translation naming a blank the code lacks
        return pick(lookup(text.code, "en") or text.code, 1, "en").format_map(_Blank(shown))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _arg(key: str, value: Any, lang: str, titles: Mapping[str, str] | None,
         name_of: Callable[[str, str], str | None] | None, plain: bool) -> Any:
    if isinstance(value, Text):
        return words(value, lang, titles, name_of, plain=plain)
    if isinstance(value, list | tuple) and value and all(isinstance(v, Text) for v in value):
        return "; ".join(words(v, lang, titles, name_of, plain=plain) for v in value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(value) if plain else number(value, lang)
    if isinstance(value, str) and not plain:
        if key == "node" and titles and value in titles:
            return titles[value]
        if name_of is not None and (named := name_of(key, value)) is not None:
            return named
        if key in NAMED and (entry := lookup(NAMED[key].format(value), lang)) is not None:
            return pick(entry, 1, lang)
    return value
