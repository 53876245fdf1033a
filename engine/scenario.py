"""Reading a scenario file (``*.scenario.json``): parse, validate, build.

A file is refused with every problem listed, each naming its place. The model and the file's
text are :mod:`engine.model`; this module is where a file becomes a :class:`Scenario`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from connectors.texts import Text
from engine.model import DEFAULT_SETTINGS, Edge, Node, Note, Scenario, dumps, save
from engine.notes import notes_from
from engine.problems import ScenarioError, problem
from engine.validation import validate

__all__ = ["MAX_FILE_BYTES", "Edge", "Node", "Note", "Scenario", "dumps", "from_dict", "load", "parse_text",
           "read_text", "save"]

# The largest scenario file read: far above any real one (the biggest template is 10 KB, a
# message body at most 64 KiB), far below what would take a process's memory.
MAX_FILE_BYTES = 16 * 1024 * 1024


def _too_large(size: int) -> ScenarioError:
    return ScenarioError([problem("file.too_large", line=1, size=f"{size / 2**20:.1f}",
                                  maximum=MAX_FILE_BYTES // 2**20)])


def read_text(path: str | Path) -> str:
    """The text of a scenario file, refused before it is read when it is too large.

    Raises:
        ScenarioError: the file cannot be read, is not UTF-8 or is larger than :data:`MAX_FILE_BYTES`.
    """
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise _too_large(size)
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([problem("file.cannot_read", path=str(path), reason=str(exc))]) from exc


def parse_text(text: str) -> dict:
    """Parse a file's text into its JSON object.

    Raises:
        ScenarioError: for text that is not JSON (with the line) or not an object, or text
            larger than a scenario file may be.
    """
    if len(text) > MAX_FILE_BYTES:  # characters, at least as many bytes in UTF-8
        raise _too_large(len(text.encode("utf-8")))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # A string left open always runs to the end of the text: the file was cut inside it.
        cut = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        what = Text("file.truncated") if cut else exc.msg
        raise ScenarioError([problem("file.not_json", line=exc.lineno, reason=what, column=exc.colno)]) from exc
    except RecursionError as exc:  # nested deeper than Python's parser goes: no scenario is
        raise ScenarioError([problem("file.too_deep", line=1)]) from exc
    if not isinstance(data, dict):
        raise ScenarioError([problem("file.not_object", line=1)])
    return data


def from_dict(data: dict, customer_fields: set[str] | None = None, crm_has: Any = None) -> Scenario:
    """Validate a file's object and build the scenario.

    Args:
        data: The parsed JSON object.
        customer_fields: The CRM's customer columns, to check field conditions against.
        crm_has: (table, column) -> bool for optional CRM columns.

    Raises:
        ScenarioError: listing every problem, each naming the node and the field.
    """
    problems = validate(data, customer_fields, crm_has)
    if any(p.severity == "error" for p in problems):
        raise ScenarioError(problems)
    settings = dict(DEFAULT_SETTINGS)
    settings.update(data.get("settings") or {})
    return Scenario(
        id=data.get("id"),
        name=data["name"],
        description=data.get("description", ""),
        settings=settings,
        nodes=[Node(id=n["id"], type=n["type"], params=dict(n.get("params") or {}), title=n.get("title"),
                    position=tuple(n.get("position", (0, 0)))) for n in data["nodes"]],
        edges=[Edge(e["source"], e["port"], e["target"]) for e in data["edges"]],
        notes=notes_from(data.get("notes", [])),
    )


def load(path: str | Path, customer_fields: set[str] | None = None, crm_has: Any = None) -> Scenario:
    """Read and validate a scenario file.

    Raises:
        ScenarioError: for an unreadable, malformed or invalid file, with every problem.
    """
    return from_dict(parse_text(read_text(path)), customer_fields, crm_has)
