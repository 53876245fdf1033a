"""What a run, a preview or a simulation costs: SMS parts at the settings' ``cost_per_part``,
next to the bonuses granted (points and promo codes). One definition for the command line, the
window and the client report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.settings import Settings


@dataclass(frozen=True)
class Costs:
    """The costs of some work.

    Attributes:
        parts: SMS parts.
        cost_per_part: What one part costs (None: the settings do not say).
        points: Loyalty points granted.
        bonuses: Bonuses granted (points credited and promo codes issued, each once).
    """

    parts: int
    cost_per_part: float | None
    points: float = 0
    bonuses: int = 0

    @property
    def sms_cost(self) -> float | None:
        """Parts times their price (None without a price)."""
        return None if self.cost_per_part is None else round(self.parts * self.cost_per_part, 2)

    def to_json(self) -> dict[str, Any]:
        """Plain numbers for ``--json``."""
        return {"sms_parts": self.parts, "cost_per_part": self.cost_per_part, "sms_cost": self.sms_cost,
                "points": self.points, "bonuses": self.bonuses}


def costs_of(counts: dict[str, Any], settings: Settings) -> Costs:
    """The costs of a run or a preview from its counts (``parts``, ``points``, ``bonuses``)."""
    return Costs(int(counts.get("parts", 0)), settings.cost_per_part, counts.get("points", 0),
                 int(counts.get("bonuses", 0)))


def simulation_costs(result: dict[str, Any], settings: Settings) -> Costs:
    """The costs of a simulation (its ``to_json()`` object) over all its days."""
    totals = result.get("totals") or {}
    return Costs(int(totals.get("parts", 0)), settings.cost_per_part, totals.get("points", 0),
                 int(totals.get("bonuses", 0)))
