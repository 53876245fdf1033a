"""Declared parameters of node types, and the generic checks of their values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.problems import Problem
from engine.timeutil import parse_hhmm


@dataclass(frozen=True)
class Param:
    """One parameter of a node type, as the file stores it and the editor shows it.

    Attributes:
        name: Key in the node's ``params``.
        kind: int, number, string, text, template, time, choice, conditions, branches (weighted
            ports) or cases (ports with conditions).
        label: Short label for forms.
        default: Value a new node gets; ``None`` means the key is absent.
        required: The key must be present.
        minimum: Smallest allowed number.
        maximum: Largest allowed number.
        choices: Allowed values of a ``choice``.
        max_length: Longest allowed string.
        help: One sentence for tooltips.
        extra: Form hints; ``{"one_of": group}`` makes parameters of one group a single
            "amount and unit" field, of which exactly one is set; ``{"when": (param, values)}``
            shows the parameter only while ``param`` has one of ``values``; ``{"unset": text}``
            names what an optional number left out means.
    """

    name: str
    kind: str
    label: str
    default: Any = None
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    help: str = ""
    extra: dict = field(default_factory=dict)


def check_value(param: Param, value: Any, node_id: str) -> list[Problem]:
    """Check one parameter value against its declaration (type, range, choices).

    Conditions, branches and templates get their deeper checks from their own modules.
    """
    where = f"params.{param.name}"

    def bad(message: str) -> list[Problem]:
        return [Problem(message, node=node_id, field=where)]

    kind = param.kind
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return bad(f"must be a whole number, not {_show(value)}")
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return bad(f"must be a number, not {_show(value)}")
    elif kind in ("string", "text", "template", "choice", "time"):
        if not isinstance(value, str):
            return bad(f"must be text, not {_show(value)}")
        if "\x00" in value:
            return bad("contains a NUL character")
        if param.max_length is not None and len(value) > param.max_length:
            return bad(f"is {len(value)} characters long; at most {param.max_length} are allowed")
        if kind == "choice" and value not in param.choices:
            return bad(f"must be one of {', '.join(param.choices)}, not '{value}'")
        if kind == "time":
            try:
                parse_hhmm(value)
            except ValueError as exc:
                return bad(str(exc))
    elif kind in ("conditions", "branches", "cases") and not isinstance(value, list):
        return bad(f"must be a list, not {_show(value)}")
    if kind in ("int", "number"):
        if param.minimum is not None and value < param.minimum:
            return bad(f"must be at least {_num(param.minimum)}, not {value}")
        if param.maximum is not None and value > param.maximum:
            return bad(f"must be at most {_num(param.maximum)}, not {value}")
    return []


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"text '{value[:40]}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return repr(value)
