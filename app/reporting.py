"""The client report's data: what the scenario did (counts over its runs, or today's preview),
what its messages brought, and the latest simulation; :mod:`app.report` turns it into a page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app.report import build_report, latest_counts, write_report
from connectors.crm import Crm
from connectors.texts import DEFAULT_CURRENCY, Text, words
from engine.conversions import results_json
from engine.model import Scenario
from engine.runner import TickResult
from engine.uplift import uplift_json


@dataclass
class ReportData:
    """Everything a client report shows besides the picture.

    Attributes:
        scenario: The scenario as drawn.
        counts: Node id -> {"reached", "waiting"}, or None for no counts.
        counts_note: What the counts are.
        results: Message node id -> its conversions, or None.
        branches: Split node id -> branch port -> the conversions of its messages.
        simulation: The latest simulation's result (``SimulationResult.to_json()``), or None.
        uplift: What the scenario added against its controls (``{"splits", "holdout"}``), or None.
        currency: How money is written (the settings' ``[shop] currency``).
        cost_per_part: What an SMS part costs (the ``sms`` channel's ``cost_per_part``), if known.
    """

    scenario: Scenario
    counts: dict[str, dict[str, Any]] | None = None
    counts_note: Text | None = None
    results: dict[str, Any] | None = None
    branches: dict[str, Any] = field(default_factory=dict)
    simulation: dict[str, Any] | None = None
    currency: str = DEFAULT_CURRENCY
    uplift: dict[str, Any] | None = None
    cost_per_part: float | None = None


def gather_report(scenario: Scenario, crm: Crm | None, preview: TickResult | None = None,
                  simulation: dict[str, Any] | None = None, currency: str = DEFAULT_CURRENCY,
                  cost_per_part: float | None = None) -> ReportData:
    """The report's data: the scenario's history on the CRM when it ran there, else the latest preview.

    A CRM that fails while the data is read gives a report without its figures, never no report.
    """
    data = ReportData(scenario, simulation=simulation, currency=currency, cost_per_part=cost_per_part)
    if crm is not None:
        try:
            data.counts = latest_counts(crm, scenario.key) or None
            data.results, data.branches = results_json(crm, scenario)
            splits, holdout = uplift_json(crm, scenario)
            data.uplift = {"splits": splits, "holdout": holdout}
        except Exception:  # a report without counts beats no report
            data.counts, data.results, data.branches, data.uplift = None, None, {}, None
        if data.counts:
            data.counts_note = Text("report.counts.history")
    if not data.counts and preview is not None:
        data.counts = preview.to_json()["nodes"]
        data.counts_note = Text("report.counts.preview", {"date": f"{preview.at:%d.%m.%Y}"})
    return data


def save_report(path: str | Path, data: ReportData, picture_png: bytes | None, generated_at: datetime,
                lang: str = "en") -> Path:
    """Write the report page for ``data`` to ``path``.

    Raises:
        OSError: the file cannot be written.
    """
    page = build_report(data.scenario, picture_png=picture_png, counts=data.counts, simulation=data.simulation,
                        generated_at=generated_at, lang=lang, results=data.results, branches=data.branches,
                        counts_note=words(data.counts_note, lang) if data.counts_note else None,
                        currency=data.currency, uplift=data.uplift, cost_per_part=data.cost_per_part)
    write_report(path, page)
    return Path(path)
