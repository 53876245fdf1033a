"""The notes and frames of a scenario file (its optional top-level ``"notes"`` list): checking them
and reading them. They are presentation only: the engine never looks at them when it runs.

A note's ``text`` is written in one language; ``translations`` (language code -> text) may give it in
others, and an interface shows the one of its language (:meth:`engine.model.Note.shown`).
"""

from __future__ import annotations

import re
from typing import Any

from engine.model import NOTE_KEYS, NOTE_KINDS, Note
from engine.problems import Problem, problem

NOTE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")
TEXT_MAX = 4000
SIZE_MAX = 100_000


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _pair(value: Any, positive: bool) -> bool:
    return (isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value)
            and (not positive or all(0 < v <= SIZE_MAX for v in value)))


def _text(value: Any, where: str) -> list[Problem]:
    if not isinstance(value, str):
        return [problem("value.text_plain", None, where)]
    if len(value) > TEXT_MAX:
        return [problem("value.too_long", None, where, length=len(value), maximum=TEXT_MAX)]
    return []


def check_notes(notes: Any) -> list[Problem]:
    """Every problem of a file's ``"notes"`` value (absent is fine: pass ``[]``)."""
    if not isinstance(notes, list):
        return [problem("notes.not_list", None, "notes")]
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, note in enumerate(notes):
        where = f"notes[{i}]"
        if not isinstance(note, dict):
            problems.append(problem("note.not_object", None, where))
            continue
        problems += [problem("file.unknown_key", None, f"{where}.{k}", key=k) for k in note if k not in NOTE_KEYS]
        nid = note.get("id")
        if not isinstance(nid, str) or not NOTE_ID.match(nid):
            problems.append(problem("note.bad_id", None, f"{where}.id", id=repr(nid)))
        elif nid in seen:
            problems.append(problem("note.twice", None, f"{where}.id", id=nid))
        else:
            seen.add(nid)
        if note.get("kind") not in NOTE_KINDS:
            problems.append(problem("note.kind", None, f"{where}.kind", found=repr(note.get("kind"))))
        problems += _text(note.get("text"), f"{where}.text")
        problems += _translations(note.get("translations", {}), f"{where}.translations")
        if not _pair(note.get("position"), positive=False):
            problems.append(problem("node.position", None, f"{where}.position"))
        if not _pair(note.get("size"), positive=True):
            problems.append(problem("note.size", None, f"{where}.size", maximum=SIZE_MAX))
    return problems


def _translations(value: Any, where: str) -> list[Problem]:
    if not isinstance(value, dict):
        return [problem("note.translations", None, where)]
    problems: list[Problem] = []
    for language, text in value.items():
        if not LANGUAGE.match(language):
            problems.append(problem("note.language", None, f"{where}.{language}", language=language))
        problems += _text(text, f"{where}.{language}")
    return problems


def notes_from(data: list[dict]) -> list[Note]:
    """The notes of a file's (already checked) ``"notes"`` list."""
    return [Note(id=n["id"], kind=n["kind"], text=n["text"], position=(n["position"][0], n["position"][1]),
                 size=(n["size"][0], n["size"][1]), translations=dict(n.get("translations") or {}))
            for n in data]
