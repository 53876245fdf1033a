"""The shipped scenario templates (``resources/templates``): one for every story of SCENARIOS.md."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from pathlib import Path

from engine.model import Scenario
from engine.problems import ScenarioError
from engine.scenario import load

TEMPLATES = Path(__file__).resolve().parent.parent / "resources" / "templates"
# The gallery's order: the story of SCENARIOS.md, section by section.
ORDER = ("reactivation", "churn-cascade-chain", "churn-cascade-parallel", "welcome", "abandoned-cart",
         "post-purchase", "anniversary", "segment-offers", "rf-lifecycle")



@dataclass
class Template:
    """One shipped template: its file, the scenario in it and its picture."""

    path: Path
    scenario: Scenario
    picture: Path

    @property
    def stem(self) -> str:
        """The file name without ``.scenario.json``."""
        return self.path.name.removesuffix(".scenario.json")


def templates(folder: Path = TEMPLATES) -> list[Template]:
    """Every template in ``folder`` that loads, in the gallery's order."""
    found: list[Template] = []
    for path in folder.glob("*.scenario.json"):
        try:
            scenario = load(path)
        except (ScenarioError, OSError):
            continue  # a broken file is left out, not shown half
        found.append(Template(path, scenario, path.with_name(path.name.replace(".scenario.json", ".png"))))
    rank = {name: i for i, name in enumerate(ORDER)}
    return sorted(found, key=lambda t: (rank.get(t.stem, len(rank)), t.stem))


def instantiate(template: Template) -> Scenario:
    """A new scenario from a template: its own id, so that two scenarios made from one
    template keep separate state in the CRM."""
    return replace(load(template.path), id=f"{template.scenario.id or template.stem}-{secrets.token_hex(3)}")
