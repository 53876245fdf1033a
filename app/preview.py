"""Previewing a scenario: what a run at a moment would do, per node, changing nothing.

The one path of ``preview``, the window's counts and the figures of a run that has not happened.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime

from app.crm import open_crm
from app.settings import Settings, lenient_user_settings
from connectors.crm import Crm, CrmError
from connectors.texts import Text
from engine.limits import FrequencyCap
from engine.model import Scenario
from engine.nodes import REGISTRY
from engine.problems import Problem, ScenarioError
from engine.runner import TickResult, preview

__all__ = ["Countable", "PreviewSource", "TickResult", "countable", "preview_scenario"]


def preview_scenario(scenario: Scenario, crm: Crm, now: datetime, frequency_cap: FrequencyCap | None = None
                     ) -> TickResult:
    """Per node, how many customers a run at ``now`` would bring there and leave waiting; the
    messages the settings' frequency cap would hold back count as ``capped``.

    Raises:
        ScenarioError: the scenario does not fit the CRM (a field it lacks).
        CrmError: the CRM lacks a table or column.
    """
    return preview(scenario, crm, now, frequency_cap)


class PreviewSource:
    """Previews on one CRM kept open between them (the window counts after every edit),
    reopened when the URL changes or :meth:`close` was called."""

    def __init__(self, settings: Callable[[], Settings] = lenient_user_settings) -> None:
        self.settings = settings
        self.url: str | None = None
        self._open = ExitStack()
        self._crm: Crm | None = None

    def count(self, scenario: Scenario, url: str, now: datetime) -> TickResult:
        """:func:`preview_scenario` on the CRM at ``url``.

        Raises:
            CrmError, ScenarioError: as :func:`preview_scenario`; the CRM is closed after any
                other error (a broken connection), so the next count reopens it.
        """
        if url != self.url or self._crm is None:
            self.close()
            self._crm = self._open.enter_context(open_crm(url, self.settings()))
            self.url = url
        try:
            return preview_scenario(scenario, self._crm, now, self.settings().frequency_cap)
        except (CrmError, ScenarioError):
            raise
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        """Close the CRM."""
        self._open.close()
        self._crm, self.url = None, None


# Problems of the file as a whole that still let the rest of it be counted.
HARMLESS = ("file.name", "file.description", "file.id")


@dataclass
class Countable:
    """The part of a scenario that can be counted while the rest is being built.

    Attributes:
        scenario: The scenario without the nodes that cannot be counted (None: nothing can be).
        not_counted: Node id -> why it is not counted (its own problem, or a problem before it).
    """

    scenario: Scenario | None
    not_counted: dict[str, Text] = field(default_factory=dict)


def countable(scenario: Scenario, check: Callable[[Scenario], list[Problem]]) -> Countable:
    """The scenario as far as it can be counted: nodes with an error are left out, with every node
    that can only be reached through them, and so are nodes no path from the start reaches.

    Args:
        scenario: The scenario as drawn.
        check: The scenario's problems (against the CRM): asked again of what is kept, since
            leaving a node out may break a reference to it.
    """
    not_counted: dict[str, Text] = {}
    kept: Scenario | None = scenario
    for _ in range(len(scenario.nodes) + 1):
        errors = [p for p in check(kept) if p.severity == "error"]
        if not errors:
            break
        if any(p.node is None and p.code not in HARMLESS for p in errors):
            reason = Text("count.not_counted.file")
            return Countable(None, {n.id: not_counted.get(n.id, reason) for n in scenario.nodes})
        broken = {p.node: p.text for p in errors if p.node is not None}
        not_counted |= broken
        kept = _without(kept, set(broken))
        if kept is None:
            return Countable(None, {n.id: not_counted.get(n.id, Text("count.not_counted.start"))
                                    for n in scenario.nodes})
    for node in scenario.nodes:
        if node.id not in not_counted and node.id not in {n.id for n in kept.nodes}:
            upstream = any(e.target == node.id for e in scenario.edges)
            not_counted[node.id] = Text("count.not_counted.after" if upstream else "count.not_counted.unconnected")
    return Countable(kept, not_counted)


def _without(scenario: Scenario, broken: set[str]) -> Scenario | None:
    """The scenario without ``broken`` nodes and what only they lead to (None without its start)."""
    entry = next((n.id for n in scenario.nodes if n.type in REGISTRY and REGISTRY[n.type].entry), None)
    if entry is None or entry in broken:
        return None
    edges = [e for e in scenario.edges if e.source not in broken and e.target not in broken]
    reached, todo = {entry}, [entry]
    while todo:
        here = todo.pop()
        for e in edges:
            if e.source == here and e.target not in reached:
                reached.add(e.target)
                todo.append(e.target)
    return Scenario(name=scenario.name, nodes=[n for n in scenario.nodes if n.id in reached],
                    edges=[e for e in edges if e.source in reached], settings=dict(scenario.settings),
                    description=scenario.description, id=scenario.id)
