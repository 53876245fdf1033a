"""The scenario as the engine runs it, and its file text (``*.scenario.json``, format version 1).

The file on disk is the contract of DESIGN.md. Saving writes keys in a fixed order so that
diffs of shared files stay readable. Reading and validating a file is :mod:`engine.scenario`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.nodes import REGISTRY

FORMAT = "scenarist.scenario"
VERSION = 1
TOP_KEYS = ("format", "version", "id", "name", "description", "settings", "nodes", "edges", "notes")
SETTINGS_KEYS = ("timezone", "reentry_days", "active_from", "active_until", "send_window", "control_share",
                 "conversion_days", "goal")
# Written only when set, so older files keep their bytes.
OPTIONAL_SETTINGS = ("send_window", "control_share", "conversion_days", "goal")
NODE_KEYS = ("id", "type", "title", "position", "params")
EDGE_KEYS = ("source", "port", "target")
NOTE_KEYS = ("id", "kind", "text", "translations", "position", "size")
NOTE_KINDS = ("note", "frame")
DEFAULT_SETTINGS = {"timezone": "Europe/Moscow", "reentry_days": None, "active_from": None, "active_until": None}


@dataclass
class Node:
    """One node: a stable id, its type, presentation (title, position) and parameters."""

    id: str
    type: str
    params: dict = field(default_factory=dict)
    title: str | None = None
    position: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True)
class Edge:
    """An edge from a node's output port to another node."""

    source: str
    port: str
    target: str


@dataclass
class Note:
    """A sticky note or a titled frame on the canvas: presentation only, the engine ignores it.

    Attributes:
        id: Stable within the file's notes (copy and paste give new ones).
        kind: ``"note"`` (a text on the canvas) or ``"frame"`` (a titled box that groups the nodes in it).
        text: What it says (a frame's title), in the language it was written in.
        position: Its top-left corner on the canvas.
        size: Its width and height.
        translations: Language code -> the text in that language (templates ship them), shown instead
            of ``text`` in that interface language.
    """

    id: str
    kind: str
    text: str
    position: tuple[float, float] = (0.0, 0.0)
    size: tuple[float, float] = (220.0, 120.0)
    translations: dict[str, str] = field(default_factory=dict)

    def shown(self, language: str) -> str:
        """The text to show in an interface language: its translation when there is one."""
        return self.translations.get(language) or self.text


@dataclass
class Scenario:
    """A whole scenario as the engine runs it."""

    name: str
    nodes: list[Node]
    edges: list[Edge]
    settings: dict = field(default_factory=lambda: dict(DEFAULT_SETTINGS))
    description: str = ""
    id: str | None = None
    notes: list[Note] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The name under which the engine keeps this scenario's state: its id, else its name."""
        return self.id or self.name

    def node(self, node_id: str) -> Node:
        """The node with this id."""
        return self._by_id()[node_id]

    def _by_id(self) -> dict[str, Node]:
        return {n.id: n for n in self.nodes}

    def trigger(self) -> Node:
        """The scenario's only entry node (its trigger)."""
        return next(n for n in self.nodes if n.type in REGISTRY and REGISTRY[n.type].entry)

    def target(self, node_id: str, port: str) -> str | None:
        """The node an output port leads to, or None where the way ends."""
        for e in self.edges:
            if e.source == node_id and e.port == port:
                return e.target
        return None

    def topological_order(self) -> list[Node]:
        """Nodes so that every edge goes forward (the graph is known to be acyclic)."""
        by_id = self._by_id()
        indegree = {n.id: 0 for n in self.nodes}
        for e in self.edges:
            indegree[e.target] += 1
        ready = [n.id for n in self.nodes if indegree[n.id] == 0]
        order: list[Node] = []
        while ready:
            nid = ready.pop(0)
            order.append(by_id[nid])
            for e in self.edges:
                if e.source == nid:
                    indegree[e.target] -= 1
                    if indegree[e.target] == 0:
                        ready.append(e.target)
        return order

    def to_dict(self) -> dict:
        """The file's JSON object, keys in their fixed order."""
        data: dict[str, Any] = {"format": FORMAT, "version": VERSION}
        if self.id:
            data["id"] = self.id
        data["name"] = self.name
        data["description"] = self.description
        data["settings"] = {k: self.settings.get(k) for k in SETTINGS_KEYS
                            if k not in OPTIONAL_SETTINGS or self.settings.get(k) is not None}
        data["nodes"] = [_node_dict(n) for n in self.nodes]
        data["edges"] = [{"source": e.source, "port": e.port, "target": e.target} for e in self.edges]
        if self.notes:  # only when there are some: a file without notes keeps its bytes
            data["notes"] = [_note_dict(n) for n in self.notes]
        return data


def _note_dict(note: Note) -> dict:
    out: dict[str, Any] = {"id": note.id, "kind": note.kind, "text": note.text}
    if note.translations:
        out["translations"] = dict(sorted(note.translations.items()))
    out["position"] = [_num(note.position[0]), _num(note.position[1])]
    out["size"] = [_num(note.size[0]), _num(note.size[1])]
    return out


def _node_dict(node: Node) -> dict:
    out: dict[str, Any] = {"id": node.id, "type": node.type}
    if node.title:
        out["title"] = node.title
    out["position"] = [_num(node.position[0]), _num(node.position[1])]
    declared = [p.name for p in REGISTRY[node.type].params] if node.type in REGISTRY else []
    order = declared + sorted(k for k in node.params if k not in declared)
    out["params"] = {k: node.params[k] for k in order if k in node.params and node.params[k] is not None}
    return out


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 2)


_POSITION = re.compile(r'"(position|size)": \[\s+(-?[\d.]+),\s+(-?[\d.]+)\s+\]')


def dumps(scenario: Scenario) -> str:
    """The scenario as the text of a file (UTF-8 JSON, two-space indent, newline at the end).

    Positions (and the sizes of notes) stay on one line: moving a node on the canvas then changes one
    line of a diff.
    """
    text = json.dumps(scenario.to_dict(), indent=2, ensure_ascii=False)
    return _POSITION.sub(r'"\1": [\2, \3]', text) + "\n"


def save(scenario: Scenario, path: str | Path) -> None:
    """Write the scenario to ``path`` atomically (a crash never leaves half a file)."""
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(dumps(scenario), encoding="utf-8")
    tmp.replace(target)


