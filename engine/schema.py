"""The JSON Schema of the scenario file, generated from the node registry.

``python -m engine.schema > resources/scenario.schema.json`` writes the shipped copy; a test
keeps the two equal. The validator in ``engine.validation`` gives the friendlier messages;
the schema is for other people's tools (editors, CI checks of shared scenario files).
"""

from __future__ import annotations

import json
from typing import Any

from engine.conditions import KINDS
from engine.model import FORMAT, NOTE_KINDS, VERSION
from engine.nodes import REGISTRY
from engine.notes import SIZE_MAX, TEXT_MAX
from engine.params import KINDS as PARAM_KINDS
from engine.params import Param


def _param_schema(param: Param) -> dict[str, Any]:
    return PARAM_KINDS[param.kind].schema(param)


def _node_schema(type_name: str) -> dict[str, Any]:
    node_type = REGISTRY[type_name]
    return {
        "if": {"properties": {"type": {"const": type_name}}},
        "then": {"properties": {"params": {
            "type": "object", "additionalProperties": False,
            "required": [p.name for p in node_type.params if p.required],
            "properties": {p.name: _param_schema(p) for p in node_type.params},
        }}},
    }


def _condition_schema() -> dict[str, Any]:
    return {"oneOf": [kind.schema() for kind in KINDS.values()]}


def _notes_schema() -> dict[str, Any]:
    text = {"type": "string", "maxLength": TEXT_MAX}
    return {"type": "array", "items": {
        "type": "object", "additionalProperties": False, "required": ["id", "kind", "text", "position", "size"],
        "properties": {
            "id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
            "kind": {"enum": list(NOTE_KINDS)},
            "text": text,
            "translations": {"type": "object", "additionalProperties": False,
                             "patternProperties": {"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$": text}},
            "position": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "number"}},
            "size": {"type": "array", "minItems": 2, "maxItems": 2,
                     "items": {"type": "number", "exclusiveMinimum": 0, "maximum": SIZE_MAX}}}}}


def build_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of scenario files, format version 1."""
    date_or_null = {"type": ["string", "null"], "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://scenarist.example/scenario.schema.json",
        "title": "Scenarist scenario",
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "version", "name", "nodes", "edges"],
        "properties": {
            "format": {"const": FORMAT},
            "version": {"const": VERSION},
            "id": {"type": "string", "minLength": 1, "maxLength": 200},
            "name": {"type": "string", "minLength": 1, "maxLength": 200},
            "description": {"type": "string"},
            "settings": {"type": "object", "additionalProperties": False, "properties": {
                "timezone": {"type": "string"},
                "reentry_days": {"type": ["integer", "null"], "minimum": 0},
                "active_from": date_or_null, "active_until": date_or_null,
                "send_window": {"type": "object", "additionalProperties": False, "properties": {
                    "weekdays": {"type": "array", "minItems": 1, "uniqueItems": True,
                                 "items": {"type": "integer", "minimum": 1, "maximum": 7}},
                    "from": {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$"},
                    "to": {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$"}}},
                "goal": {"type": "object", "additionalProperties": False, "required": ["conditions"],
                         "properties": {"match": {"enum": ["all", "any"]},
                                        "conditions": {"type": "array", "minItems": 1,
                                                       "items": {"$ref": "#/$defs/condition"}}}},
                "control_share": {"type": "number", "exclusiveMinimum": 0, "maximum": 0.5},
                "conversion_days": {"type": "integer", "minimum": 1, "maximum": 365}}},
            "nodes": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["id", "type"],
                "properties": {
                    "id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
                    "type": {"enum": list(REGISTRY)},
                    "title": {"type": "string"},
                    "position": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "number"}},
                    "params": {"type": "object"}},
                "allOf": [_node_schema(name) for name in REGISTRY]}},
            "edges": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["source", "port", "target"],
                "properties": {"source": {"type": "string"}, "port": {"type": "string"},
                               "target": {"type": "string"}}}},
            "notes": _notes_schema(),
        },
        "$defs": {"condition": _condition_schema()},
    }


def schema_text() -> str:
    """The schema as the text of the shipped file."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
