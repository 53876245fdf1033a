"""Declared parameters of node types, and the kinds of value a parameter holds.

A parameter kind is declared once (:data:`KINDS`): how a value of it is checked, its JSON Schema,
and which family of form widget edits it (the editor has one builder per family).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from connectors.texts import Text
from engine.problems import BadValue, Problem, problem
from engine.timeutil import parse_hhmm


@dataclass(frozen=True)
class Param:
    """One parameter of a node type, as the file stores it and the editor shows it.

    Attributes:
        name: Key in the node's ``params``.
        kind: A key of :data:`KINDS`: int, number, string, text, template, time, choice,
            conditions, branches (weighted ports) or cases (ports with conditions).
        label: Short label for forms, in English (other languages: the engine's words file,
            ``node.<type>.param.<name>.label``).
        default: Value a new node gets; ``None`` means the key is absent.
        required: The key must be present.
        minimum: Smallest allowed number.
        maximum: Largest allowed number.
        choices: Allowed values of a ``choice`` (their words: ``choice.<value>``).
        max_length: Longest allowed string.
        help: One sentence for tooltips, in English.
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


@dataclass(frozen=True)
class ParamKind:
    """What every parameter of one kind shares.

    Attributes:
        name: The kind's name, as :attr:`Param.kind` gives it.
        widget: The family of form widget that edits it: spin, decimal, line, text, template,
            time, combo, conditions, branches or cases.
        check: (param, value) -> the problem's code and values, or None when the value fits.
        schema: param -> the JSON Schema of its values.
    """

    name: str
    widget: str
    check: Callable[[Param, Any], tuple[str, dict] | None]
    schema: Callable[[Param], dict[str, Any]]


def _number_check(whole: bool) -> Callable[[Param, Any], tuple[str, dict] | None]:
    def check(param: Param, value: Any) -> tuple[str, dict] | None:
        if isinstance(value, bool) or not isinstance(value, int if whole else int | float):
            return ("value.whole" if whole else "value.number"), {"value": shown(value)}
        if param.minimum is not None and value < param.minimum:
            return "value.min", {"minimum": _num(param.minimum), "value": value}
        if param.maximum is not None and value > param.maximum:
            return "value.max", {"maximum": _num(param.maximum), "value": value}
        return None
    return check


def _text_check(param: Param, value: Any) -> tuple[str, dict] | None:
    if not isinstance(value, str):
        return "value.text", {"value": shown(value)}
    if "\x00" in value:
        return "value.nul", {}
    if param.max_length is not None and len(value) > param.max_length:
        return "value.too_long", {"length": len(value), "maximum": param.max_length}
    if param.kind == "choice" and value not in param.choices:
        return "value.choice", {"choices": ", ".join(param.choices), "value": value}
    if param.kind == "time":
        try:
            parse_hhmm(value)
        except BadValue as exc:
            return exc.text.code, dict(exc.text.args)
    return None


def _list_check(param: Param, value: Any) -> tuple[str, dict] | None:
    return None if isinstance(value, list) else ("value.list", {"value": shown(value)})


def _number_schema(param: Param) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "integer" if param.kind == "int" else "number"}
    if param.minimum is not None:
        out["minimum"] = param.minimum
    if param.maximum is not None:
        out["maximum"] = param.maximum
    return out


def _text_schema(param: Param) -> dict[str, Any]:
    if param.kind == "choice":
        return {"enum": list(param.choices)}
    if param.kind == "time":
        return {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}
    out: dict[str, Any] = {"type": "string"}
    if param.max_length is not None:
        out["maxLength"] = param.max_length
    return out


PORT_PATTERN = "^[A-Za-z_][A-Za-z0-9_]{0,31}$"
CONDITIONS_SCHEMA = {"type": "array", "items": {"$ref": "#/$defs/condition"}}

KINDS: dict[str, ParamKind] = {k.name: k for k in (
    ParamKind("int", "spin", _number_check(whole=True), _number_schema),
    ParamKind("number", "decimal", _number_check(whole=False), _number_schema),
    ParamKind("string", "line", _text_check, _text_schema),
    ParamKind("text", "text", _text_check, _text_schema),
    ParamKind("template", "template", _text_check, _text_schema),
    ParamKind("time", "time", _text_check, _text_schema),
    ParamKind("choice", "combo", _text_check, _text_schema),
    ParamKind("conditions", "conditions", _list_check, lambda p: CONDITIONS_SCHEMA),
    ParamKind("branches", "branches", _list_check, lambda p: {"type": "array", "minItems": 2, "items": {
        "type": "object", "additionalProperties": False, "required": ["port", "weight"],
        "properties": {"port": {"type": "string", "pattern": PORT_PATTERN},
                       "weight": {"type": "integer", "minimum": 0, "maximum": 10000},
                       "control": {"type": "boolean"}}}}),
    ParamKind("cases", "cases", _list_check, lambda p: {"type": "array", "minItems": 1, "items": {
        "type": "object", "additionalProperties": False, "required": ["port", "conditions"],
        "properties": {"port": {"type": "string", "pattern": PORT_PATTERN}, "match": {"enum": ["all", "any"]},
                       "conditions": CONDITIONS_SCHEMA}}}),
)}


def check_value(param: Param, value: Any, node_id: str) -> list[Problem]:
    """Check one parameter value against its declaration (type, range, choices).

    Conditions, branches and templates get their deeper checks from their own modules.
    """
    found = KINDS[param.kind].check(param, value)
    if found is None:
        return []
    code, args = found
    return [problem(code, node_id, f"params.{param.name}", **args)]


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def shown(value: Any) -> Text | int | float:
    """A value as a message names it: null, true, text 'abc', a list, or the number itself."""
    if value is None:
        return Text("shown.null")
    if isinstance(value, bool):
        return Text("shown.true" if value else "shown.false")
    if isinstance(value, str):
        return Text("shown.text", {"text": value[:40]})
    if isinstance(value, list):
        return Text("shown.list")
    if isinstance(value, dict):
        return Text("shown.object")
    if isinstance(value, int | float):
        return value
    return Text("shown.text", {"text": repr(value)})
