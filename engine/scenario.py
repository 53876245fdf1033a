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

__all__ = ["Edge", "Node", "Note", "Scenario", "dumps", "from_dict", "load", "parse_text", "save"]


def parse_text(text: str) -> dict:
    """Parse a file's text into its JSON object.

    Raises:
        ScenarioError: for text that is not JSON (with the line) or not an object.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        what = Text("file.truncated") if exc.pos >= len(text.rstrip()) else exc.msg
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
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([problem("file.cannot_read", path=str(path), reason=str(exc))]) from exc
    return from_dict(parse_text(text), customer_fields, crm_has)
