"""Previewing a scenario: what a run at a moment would do, per node, changing nothing.

The one path of ``preview``, the window's counts and the figures of a run that has not happened.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from datetime import datetime

from app.crm import open_crm
from app.settings import Settings, lenient_user_settings
from connectors.crm import Crm, CrmError
from engine.model import Scenario
from engine.problems import ScenarioError
from engine.runner import TickResult, preview

__all__ = ["PreviewSource", "TickResult", "preview_scenario"]


def preview_scenario(scenario: Scenario, crm: Crm, now: datetime) -> TickResult:
    """Per node, how many customers a run at ``now`` would bring there and leave waiting.

    Raises:
        ScenarioError: the scenario does not fit the CRM (a field it lacks).
        CrmError: the CRM lacks a table or column.
    """
    return preview(scenario, crm, now)


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
            return preview_scenario(scenario, self._crm, now)
        except (CrmError, ScenarioError):
            raise
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        """Close the CRM."""
        self._open.close()
        self._crm, self.url = None, None
