"""Simulating a scenario: the real engine, day by day, on a throwaway copy of the CRM.

The one path of ``simulate`` and the window's Scenario → Simulate…: the scenario is checked
against the CRM before a large CRM is copied, the response model gets the CRM's average order
when none is given, and the settings' frequency cap holds as it does for real runs. The CRM
itself is never written to and nothing is sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.crm import open_crm
from app.settings import Settings
from engine.model import Scenario
from engine.runner import check_against_crm
from engine.simulate import (
    MAX_DAYS,
    ResponseModel,
    SimulationCancelled,
    SimulationResult,
    average_order,
    simulate_copy,
    write_csv,
)

__all__ = ["MAX_DAYS", "Response", "SimulationCancelled", "SimulationResult", "run_simulation", "write_csv"]


@dataclass(frozen=True)
class Response:
    """How customers answer a message, as the user gives it.

    Attributes:
        rate: Chance (0 to 1) that a customer who got a message orders.
        within_days: The order comes 1 to this many days after the message.
        average_order: Mean order total; None for the CRM's average completed order.
        seed: Seed of the draws (the same seed gives the same orders).
        baseline: Chance (0 to 1) that an entrant orders on their own, message or not.
    """

    rate: float
    within_days: int = 7
    average_order: float | None = None
    seed: int = 1
    baseline: float = 0.0

    def problem(self) -> str | None:
        """What is wrong with these values, in the command line's words, or None."""
        if not 0 <= self.rate <= 1:
            return f"--response-rate must be between 0 and 1, not {self.rate:g}"
        if not 0 <= self.baseline <= 1:
            return f"--baseline-rate must be between 0 and 1, not {self.baseline:g}"
        if not 1 <= self.within_days <= MAX_DAYS:
            return f"--response-days must be between 1 and {MAX_DAYS}, not {self.within_days}"
        if self.average_order is not None and not self.average_order >= 0:
            return f"--average-order must be 0 or more, not {self.average_order:g}"
        return None


def run_simulation(scenario: Scenario, url: str, settings: Settings, days: int, start: datetime, *,
                   response: Response | None = None, progress: Callable[[int, int], None] | None = None,
                   cancel: threading.Event | None = None) -> SimulationResult:
    """Simulate ``days`` days from ``start`` on a copy of the CRM at ``url``.

    Raises:
        ValueError: ``days`` is out of range (1 to 3650).
        ScenarioError: the scenario does not fit the CRM; nothing was copied.
        CrmError: the CRM cannot be reached or lacks a table.
        SimulationCancelled: ``cancel`` was set; the copy is gone, the CRM untouched.
    """
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"the days to simulate must be between 1 and {MAX_DAYS}, not {days}")
    with open_crm(url, settings) as crm:
        check_against_crm(scenario, crm)  # refused before a large CRM is copied
        model = None
        if response is not None:
            mean = average_order(crm) if response.average_order is None else response.average_order
            model = ResponseModel(response.rate, response.within_days, mean, response.seed, response.baseline)
        # The shop-wide frequency cap that serve applies holds in the simulation too.
        options = {"frequency_cap": settings.frequency_cap} if settings.frequency_cap else None
        return simulate_copy(scenario, crm, days, start, response=model, progress=progress, cancel=cancel,
                             tick_options=options)
