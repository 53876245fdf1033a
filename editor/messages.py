"""The engine's and the connectors' messages (problems of a scenario, template errors, run
summaries, CRM and keyring errors) in the interface language.

The engine and the connectors have no Qt and write their messages in English with the values
filled in. Each pattern below is one of those messages with its values as ``{placeholders}``; a
message that matches a pattern is shown through the pattern's translation, with the same values.
A message no pattern matches (a new one, or a database's own error) is shown as it was written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from PySide6.QtCore import QT_TRANSLATE_NOOP

from connectors.texts import Text, words
from editor.graph import type_title
from editor.i18n import OP_LABELS, interface_language, op_label, translate
from engine.nodes import REGISTRY

CONTEXT = "Messages"
# Values that are messages themselves are translated in turn; node types and condition operators are
# named as the palette and the condition builder name them.
NESTED = ("message",)

PATTERNS = (
    # the scenario as a whole (engine/validation.py)
    QT_TRANSLATE_NOOP("Messages", "no path from the trigger reaches this node"),
    QT_TRANSLATE_NOOP("Messages", "the edges make a cycle: {cycle}"),
    QT_TRANSLATE_NOOP("Messages", "a scenario needs exactly one trigger node (found none)"),
    QT_TRANSLATE_NOOP("Messages", "a scenario needs exactly one trigger node (found {found})"),
    QT_TRANSLATE_NOOP("Messages", "the scenario needs a name of 1 to 200 characters"),
    QT_TRANSLATE_NOOP("Messages", "the scenario ends before it starts"),
    QT_TRANSLATE_NOOP("Messages", "must be a whole number of days (0 or more) or null"),
    QT_TRANSLATE_NOOP("Messages", "must be a date as YYYY-MM-DD or null, not {value}"),
    QT_TRANSLATE_NOOP("Messages", "unknown setting '{key}'"),
    QT_TRANSLATE_NOOP("Messages", "unknown key '{key}'"),
    QT_TRANSLATE_NOOP("Messages", "two nodes have the id '{node}'"),
    QT_TRANSLATE_NOOP("Messages", "unknown parameter '{name}' for a {type} node"),
    QT_TRANSLATE_NOOP("Messages", "missing parameter '{name}'"),
    QT_TRANSLATE_NOOP("Messages", "edge from a missing node '{node}'"),
    QT_TRANSLATE_NOOP("Messages", "edge to a missing node '{node}'"),
    QT_TRANSLATE_NOOP("Messages", "a {type} node has no output port '{port}' (ports: {ports})"),
    QT_TRANSLATE_NOOP("Messages", "node '{node}' is a {type} and takes no incoming edge"),
    QT_TRANSLATE_NOOP("Messages", "output '{port}' already has an edge (edges[{index}]); "
                                  "an output port takes one edge"),
    QT_TRANSLATE_NOOP("Messages", "'{name}' is not a known timezone (use an IANA name such as Europe/Moscow)"),
    QT_TRANSLATE_NOOP("Messages", "'{text}' is not a time of day as HH:MM (00:00 to 23:59)"),
    # parameter values (engine/params.py)
    QT_TRANSLATE_NOOP("Messages", "must be a whole number, not {value}"),
    QT_TRANSLATE_NOOP("Messages", "must be a number, not {value}"),
    QT_TRANSLATE_NOOP("Messages", "must be text, not {value}"),
    QT_TRANSLATE_NOOP("Messages", "contains a NUL character"),
    QT_TRANSLATE_NOOP("Messages", "is {length} characters long; at most {maximum} are allowed"),
    QT_TRANSLATE_NOOP("Messages", "must be one of {choices}, not '{value}'"),
    QT_TRANSLATE_NOOP("Messages", "must be at least {minimum}, not {value}"),
    QT_TRANSLATE_NOOP("Messages", "must be at most {maximum}, not {value}"),
    # node types (engine/nodes)
    QT_TRANSLATE_NOOP("Messages", "a wait needs exactly one of minutes, hours or days (found {found})"),
    QT_TRANSLATE_NOOP("Messages", "a split needs at least two branches"),
    QT_TRANSLATE_NOOP("Messages", "a branch is an object with 'port' and 'weight'"),
    QT_TRANSLATE_NOOP("Messages", "port name '{port}' must be a short identifier"),
    QT_TRANSLATE_NOOP("Messages", "port '{port}' appears twice"),
    QT_TRANSLATE_NOOP("Messages", "weight must be a whole number from 0 to 10000"),
    QT_TRANSLATE_NOOP("Messages", "the weights add up to zero"),
    QT_TRANSLATE_NOOP("Messages", "template error: {message}"),
    QT_TRANSLATE_NOOP("Messages", "an email needs a subject"),
    QT_TRANSLATE_NOOP("Messages", "the message body is empty"),
    QT_TRANSLATE_NOOP("Messages", "a promo code needs a prefix of 1 to 16 capital letters, digits, - or _"),
    QT_TRANSLATE_NOOP("Messages", "points need an amount"),
    QT_TRANSLATE_NOOP("Messages", "the CRM has no bonus_points column to credit; points stay in the ledger only"),
    # filter conditions (engine/conditions.py)
    QT_TRANSLATE_NOOP("Messages", "a condition must be an object"),
    QT_TRANSLATE_NOOP("Messages", "must be 'all' or 'any'"),
    QT_TRANSLATE_NOOP("Messages", "groups are nested more than {depth} deep"),
    QT_TRANSLATE_NOOP("Messages", "a field condition needs a field name"),
    QT_TRANSLATE_NOOP("Messages", "the CRM has no customer field '{field}'"),
    QT_TRANSLATE_NOOP("Messages", "'{op}' takes no value"),
    QT_TRANSLATE_NOOP("Messages", "'in' needs a list of values"),
    QT_TRANSLATE_NOOP("Messages", "'contains' needs non-empty text"),
    QT_TRANSLATE_NOOP("Messages", "'{op}' needs a value (text, number or true/false)"),
    QT_TRANSLATE_NOOP("Messages", "must be a number"),
    QT_TRANSLATE_NOOP("Messages", "must be a whole number"),
    QT_TRANSLATE_NOOP("Messages", "must be at least {minimum}"),
    QT_TRANSLATE_NOOP("Messages", "must be 'entry' or 'node:<id>'"),
    QT_TRANSLATE_NOOP("Messages", "refers to a missing node '{node}'"),
    QT_TRANSLATE_NOOP("Messages", "node '{node}' is a {type}, not a bonus"),
    QT_TRANSLATE_NOOP("Messages", "must be a non-empty list of order statuses"),
    # templates (engine/templates.py, and Jinja's commonest syntax errors)
    QT_TRANSLATE_NOOP("Messages", "line {line}: {message}"),
    QT_TRANSLATE_NOOP("Messages", "template is {length} characters; at most {maximum}"),
    QT_TRANSLATE_NOOP("Messages", "rendered text is {length} characters; at most {maximum}"),
    QT_TRANSLATE_NOOP("Messages", "unexpected end of template, expected '{token}'."),
    QT_TRANSLATE_NOOP("Messages", "unexpected '{token}'"),
    QT_TRANSLATE_NOOP("Messages", "expected token '{token}', got '{got}'"),
    QT_TRANSLATE_NOOP("Messages", "unexpected char {char} at {position}"),
    QT_TRANSLATE_NOOP("Messages", "'{name}' is undefined"),
    QT_TRANSLATE_NOOP("Messages", "Encountered unknown tag '{tag}'."),
    QT_TRANSLATE_NOOP("Messages", "Unexpected end of template. Jinja was looking for the following tags: {tags}. "
                                  "The innermost block that needs to be closed is '{block}'."),
    QT_TRANSLATE_NOOP("Messages", "No filter named '{name}'."),
    QT_TRANSLATE_NOOP("Messages", "expected name or number"),
    # the CRM and the keyring (connectors/)
    QT_TRANSLATE_NOOP("Messages", "cannot connect to the CRM: {message}"),
    QT_TRANSLATE_NOOP("Messages", "the CRM has no table '{table}' (the {canonical} table)"),
    QT_TRANSLATE_NOOP("Messages", "table '{table}' has no column '{column}' (the {canonical} column)"),
    QT_TRANSLATE_NOOP("Messages", "the CRM has no {canonical} table"),
    QT_TRANSLATE_NOOP("Messages", "an SQLite CRM must be a file: sqlite:///path/to/shop.db"),
    QT_TRANSLATE_NOOP("Messages", "unsupported database '{backend}': use SQLite or PostgreSQL"),
    QT_TRANSLATE_NOOP("Messages", "'{url}' is not a database URL: {message}"),
    QT_TRANSLATE_NOOP("Messages", "the keyring package is not installed"),
    QT_TRANSLATE_NOOP("Messages", "this computer has no keyring service (a headless Linux has no Secret Service), "
                                  "so passwords cannot be stored safely"),
    QT_TRANSLATE_NOOP("Messages", "the keyring is switched off (null backend), so passwords cannot be stored"),
    QT_TRANSLATE_NOOP("Messages", "the keyring would store passwords unencrypted in a file"),
    QT_TRANSLATE_NOOP("Messages", "{message}. Keep it for this session only, or set it in an environment variable "
                                  "on a headless server."),
    QT_TRANSLATE_NOOP("Messages", "the keyring ({backend}) refused the password: {message}"),
    QT_TRANSLATE_NOOP("Messages", "for this session only"),
    QT_TRANSLATE_NOOP("Messages", "in the keyring ({backend})"),
    # runs of the scheduler (app/serve.py)
    QT_TRANSLATE_NOOP("Messages", "entered {entered}, reached {reached}, queued {queued}, sent {sent}, "
                                  "failed {failed}, entry skipped (too late)"),
    QT_TRANSLATE_NOOP("Messages", "entered {entered}, reached {reached}, queued {queued}, sent {sent}, "
                                  "failed {failed}"),
    QT_TRANSLATE_NOOP("Messages", "nothing to do"),
    QT_TRANSLATE_NOOP("Messages", "stopped between steps; the next run finishes the work"),
    QT_TRANSLATE_NOOP("Messages", "not run: {message}"),
    QT_TRANSLATE_NOOP("Messages", "failed: {message}"),
)


@cache
def _compiled() -> list[tuple[re.Pattern, str]]:
    """Each pattern as a regular expression matching the whole message, values captured by name."""
    out = []
    for pattern in PATTERNS:
        parts = re.split(r"\{(\w+)\}", pattern)  # literal, name, literal, name, ...
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.*?)" for i, p in enumerate(parts))
        out.append((re.compile(regex + r"\Z", re.DOTALL), pattern))
    return out


def shown(message: Text | str | None, titles: Mapping[str, str] | None = None) -> str:
    """A message of the layers below in the interface language: a :class:`Text` by its code, an
    English text through the patterns below (until every message carries a code)."""
    if message is None:
        return ""
    if isinstance(message, Text):
        return words(message, interface_language(), titles)
    return engine_message(message)


def engine_message(text: str) -> str:
    """An English message of the engine in the interface language (as it is when no pattern fits)."""
    for regex, pattern in _compiled():
        match = regex.match(text)
        if match is None:
            continue
        translated = translate(CONTEXT, pattern)
        if translated == pattern:  # no translation (English): the engine's own words
            return text
        values = {k: engine_message(v) if k in NESTED else _value(k, v) for k, v in match.groupdict().items()}
        return translated.format(**values)
    if "; " in text:  # several messages joined (the CRM's missing tables and columns)
        return "; ".join(engine_message(part) for part in text.split("; "))
    return text


# Jinja names the tokens it expected in words; the user typed symbols.
TOKENS = {"end of print statement": "}}", "end of statement block": "%}"}


def _value(name: str, value: str) -> str:
    if name == "token":
        return TOKENS.get(value, value)
    if name == "tags":  # 'elif' or 'else' or 'endif': the words go, the tags stay
        return ", ".join(f"«{tag}»" for tag in re.findall(r"'([^']*)'", value)) or value
    if name == "type" and value in REGISTRY:
        return type_title(value)
    return op_label(value) if name == "op" and value in OP_LABELS else value
