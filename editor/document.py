"""One open scenario: its canvas, its file, its scenario-level fields, and every edit as an
undoable command on one undo stack (the canvas's own)."""

from __future__ import annotations

import json
from copy import deepcopy
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal
from PySide6.QtGui import QUndoCommand

from editor.graph import (
    ParamsCommand,
    ScenarioGraph,
    load_into,
    params_of,
    set_params,
    to_scenario,
    type_key,
)
from editor.i18n import counted, interface_language, translate, type_title
from editor.nodegraph import BaseNode
from editor.placement import keep_clear
from engine.describe import describe_node
from engine.model import DEFAULT_SETTINGS, Node, Note, Scenario, dumps, save
from engine.nodes import REGISTRY, entry_type
from engine.notes import check_notes, notes_from
from engine.scenario import load

FRAGMENT = "scenarist.fragment"
AUTOMATIC_TITLE_MAX = 40  # a step's sentence longer than this is no title
PASTE_OFFSET = 40.0


class MetaCommand(QUndoCommand):
    """An undoable change of the scenario's name, description or settings."""

    def __init__(self, doc: Document, changes: dict[str, Any], text: str) -> None:
        super().__init__(text)
        self.doc = doc
        self.new = changes
        self.old = {k: doc.meta_value(k) for k in changes}

    def redo(self) -> None:
        self.doc.apply_meta(self.new)

    def undo(self) -> None:
        self.doc.apply_meta(self.old)


class Document(QObject):
    """An open scenario file.

    Signals:
        changed: after every edit, undo or redo (the window re-validates and re-counts).
        modified_changed(bool): the unsaved-changes state flipped.
        meta_changed: the name, description or settings changed.
    """

    changed = Signal()
    modified_changed = Signal(bool)
    meta_changed = Signal()

    def __init__(self, scenario: Scenario | None = None, path: Path | None = None) -> None:
        super().__init__()
        self.graph = ScenarioGraph()
        self.path = path
        self.meta = scenario or new_scenario()
        load_into(self.graph, self.meta)
        self.undo_stack = self.graph.undo_stack()
        self.undo_stack.setClean()
        self.undo_stack.indexChanged.connect(lambda _index: self.changed.emit())
        self.undo_stack.cleanChanged.connect(lambda clean: self.modified_changed.emit(not clean))

    @classmethod
    def open(cls, path: str | Path) -> Document:
        """Open a scenario file.

        Raises:
            ScenarioError: listing every problem of the file, each with its place.
        """
        path = Path(path)
        return cls(load(path), path)

    # -- the scenario -------------------------------------------------------------------------
    def scenario(self) -> Scenario:
        """The scenario as drawn now."""
        return to_scenario(self.graph, self.meta)

    def text(self) -> str:
        """The scenario in the file format."""
        return dumps(self.scenario())

    def is_modified(self) -> bool:
        """Whether there are edits since the last save or load."""
        return not self.undo_stack.isClean()

    def save(self, path: str | Path | None = None) -> Path:
        """Write the file (atomically); the document becomes unmodified."""
        target = Path(path) if path else self.path
        if target is None:
            raise ValueError("no file name yet: use save as")
        save(self.scenario(), target)
        self.path = target
        self.undo_stack.setClean()
        self.modified_changed.emit(False)
        return target

    # -- scenario-level fields ----------------------------------------------------------------
    def meta_value(self, key: str) -> Any:
        """The current value of ``name``, ``description`` or a settings key."""
        if key in ("name", "description"):
            return getattr(self.meta, key)
        return self.meta.settings.get(key)

    def apply_meta(self, values: dict[str, Any]) -> None:
        """Set scenario-level fields without an undo entry (the commands call this)."""
        for key, value in values.items():
            if key in ("name", "description"):
                setattr(self.meta, key, value)
            else:
                self.meta.settings[key] = value
        self.meta_changed.emit()

    def set_meta(self, key: str, value: Any) -> None:
        """Undoably set the name, description or a settings key."""
        if self.meta_value(key) != value:
            self.undo_stack.push(MetaCommand(self, {key: value}, meta_words(key)))

    # -- nodes ------------------------------------------------------------------------------
    def add_node(self, type_name: str, pos: tuple[float, float], into_edge: bool = False) -> BaseNode:
        """Undoably add a node of a registered type with its default parameters, its title's middle
        at ``pos`` or at the nearest spot where it covers no other node (into the edge there, when
        ``into_edge``)."""
        return self.graph.add_node_at(type_key(type_name), pos, into_edge=into_edge)

    def set_params(self, node: BaseNode, params: dict) -> None:
        """Undoably replace a node's parameters. A title that only said what the parameters were
        ("Wait 7 days") follows them ("Wait 14 days"), in the same undo step, until the user gives
        the node a title of their own."""
        old = params_of(node)
        if old == params:
            return
        name = translate("Document", "change “{name}”").format(name=node.name())
        follows = self._automatic_title(node, params)
        if follows is None:
            self.undo_stack.push(ParamsCommand(node, deepcopy(params), name))
            return
        self.undo_stack.beginMacro(name)
        self.undo_stack.push(ParamsCommand(node, deepcopy(params), name))
        node.set_property("name", follows)
        self.undo_stack.endMacro()

    def _automatic_title(self, node: BaseNode, params: dict) -> str | None:
        """The title a node's new parameters give it, when its title is the one its old ones gave."""
        scenario = self.scenario()
        said = scenario.node(node.get_property("node_id"))
        before = {describe_node(scenario, said, lang=lang) for lang in {"en", interface_language()}}
        if node.name() not in before:
            return None
        said.params = params
        after = describe_node(scenario, said, lang=interface_language())
        return after if len(after) <= AUTOMATIC_TITLE_MAX and after != node.name() else None

    def set_title(self, node: BaseNode, title: str) -> None:
        """Undoably rename a node on the canvas (its title in the file)."""
        title = title.strip() or type_title(node.scenarist_type)
        if title != node.name():
            node.set_property("name", title)

    def delete_selected(self) -> int:
        """Undoably delete the selected nodes (with their edges) and notes, in one step; returns how many."""
        nodes, notes = self.graph.selected_nodes(), self.graph.notes.selected()
        if nodes and notes:
            self.undo_stack.beginMacro(translate("Document", "delete nodes and notes"))
        if nodes:
            self.graph.delete_nodes(nodes)
        self.graph.notes.delete(notes)
        if nodes and notes:
            self.undo_stack.endMacro()
        return len(nodes) + len(notes)

    # -- clipboard ------------------------------------------------------------------------------
    def copy_selected(self) -> str | None:
        """The selected nodes and the edges between them as clipboard text, or None."""
        chosen, notes = self.graph.selected_nodes(), self.graph.notes.selected()
        if not chosen and not notes:
            return None
        ids = {n.get_property("node_id") for n in chosen}
        data = self.scenario().to_dict()
        nodes = [n for n in data["nodes"] if n["id"] in ids]
        edges = [e for e in data["edges"] if e["source"] in ids and e["target"] in ids]
        fragment = {"format": FRAGMENT, "nodes": nodes, "edges": edges}
        if notes:
            picked = {item.note.id for item in notes}
            fragment["notes"] = [n for n in data.get("notes", []) if n["id"] in picked]
        return json.dumps(fragment, ensure_ascii=False, indent=1)

    def paste(self, text: str) -> list[BaseNode]:
        """Undoably add the nodes of clipboard text (from this or another window) with new ids.

        Raises:
            ValueError: the text is not a copied piece of a scenario; nothing is added.
        """
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValueError(translate("Document", "the clipboard holds no Scenarist nodes")) from exc
        if not isinstance(data, dict) or data.get("format") != FRAGMENT:
            raise ValueError(translate("Document", "the clipboard holds no Scenarist nodes"))
        nodes = [n for n in data.get("nodes", []) if isinstance(n, dict)]
        unknown = sorted({str(n.get("type")) for n in nodes if n.get("type") not in REGISTRY})
        if unknown:
            raise ValueError(translate("Document", "the copied nodes have unknown types: {types}").format(
                types=", ".join(unknown)))
        notes = pasted_notes(data.get("notes"))
        step = counted().pasted_items_step(len(nodes) + len(notes)) if notes else counted().pasted_step(len(nodes))
        self.undo_stack.beginMacro(step.format(n=len(nodes) + len(notes)))
        try:
            made = self._paste_nodes(nodes, data.get("edges", []))
            items = self._paste_notes(notes)
            keep_clear(self.graph, list(made.values()), items)
        finally:
            self.undo_stack.endMacro()
        self.graph.select_only(list(made.values()))
        self.graph.notes.select(items)
        return list(made.values())

    def _paste_nodes(self, nodes: list[dict], edges: list) -> dict[str, BaseNode]:
        made: dict[str, BaseNode] = {}
        for n in nodes:
            x, y = n.get("position", (0, 0))
            node = self.graph.create_node(type_key(n["type"]), name=n.get("title") or type_title(n["type"]),
                                          pos=[float(x) + PASTE_OFFSET, float(y) + PASTE_OFFSET])
            set_params(node, n.get("params") or {})
            node.set_property("title", n.get("title") or "", push_undo=False)
            node.set_property("shown_name", node.name(), push_undo=False)
            made[str(n.get("id"))] = node
        for e in edges if isinstance(edges, list) else []:
            source, target = made.get(e.get("source")), made.get(e.get("target"))
            port = source.get_output(e.get("port")) if source else None
            if port is not None and target is not None:
                port.connect_to(target.get_input("in"))
        return made

    def _paste_notes(self, notes: list[Note]) -> list:
        """The copied notes as new ones (new ids, moved as the nodes are), in one command."""
        board, states, taken = self.graph.notes, {}, set()
        for note in notes:
            fresh = board.fresh_id(note.kind, taken)
            taken.add(fresh)
            states[fresh] = replace(note, id=fresh, position=(note.position[0] + PASTE_OFFSET,
                                                              note.position[1] + PASTE_OFFSET))
        if states:
            board.change(states, translate("Canvas", "add a note"))
        return [board.items[nid] for nid in states]


META_WORDS = {
    "name": QT_TRANSLATE_NOOP("Document", "rename the scenario"),
    "description": QT_TRANSLATE_NOOP("Document", "change the description"),
    "timezone": QT_TRANSLATE_NOOP("Document", "change the timezone"),
    "reentry_days": QT_TRANSLATE_NOOP("Document", "change re-entry"),
    "active_from": QT_TRANSLATE_NOOP("Document", "change the start date"),
    "active_until": QT_TRANSLATE_NOOP("Document", "change the end date"),
    "send_window": QT_TRANSLATE_NOOP("Document", "change the sending window"),
    "goal": QT_TRANSLATE_NOOP("Document", "change the goal"),
}


def meta_words(key: str) -> str:
    """The undo step's name for a change of a scenario-level field."""
    return translate("Document", META_WORDS.get(key, QT_TRANSLATE_NOOP("Document", "change the settings")))


def pasted_notes(value: object) -> list[Note]:
    """The notes of a copied piece of a scenario (none when they are not well formed)."""
    if not isinstance(value, list) or not value or any(p.severity == "error" for p in check_notes(value)):
        return []
    return notes_from(value)


def new_scenario() -> Scenario:
    """A new scenario: a trigger alone, ready to be built on."""
    entry = entry_type()
    # The name is the file's from then on, so it is in the language of the moment.
    return Scenario(name=translate("Document", "New scenario"),
                    nodes=[Node(f"{entry.name}1", entry.name, entry.defaults(), None, (0.0, 0.0))],
                    edges=[], settings=dict(DEFAULT_SETTINGS))

