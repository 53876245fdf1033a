"""An editing session: the scenario being edited, the CRM it is checked and counted against,
its problems and its latest counts. The window only wires widgets to it; a test drives it
without any.

The session never writes to the CRM: its counts are previews, its message samples render one
customer. It holds one open connection to the connected CRM until it is closed or connected
elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from copy import deepcopy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.crm import open_crm
from app.lookup import Lookup, customer_label, customers_at_node, lookup_customer, suggest_customers
from app.preview import Countable, countable, preview_scenario
from app.results import NodeResults, canvas_results
from app.settings import Settings, lenient_user_settings
from app.test_send import TestSent, send_params
from connectors.crm import Crm, CrmError
from connectors.schema import canonical_metadata
from connectors.texts import Text, TextError
from engine.model import Scenario
from engine.problems import Problem, ScenarioError
from engine.render import render_sample, sample_customers
from engine.runner import TickResult
from engine.scenario import load
from engine.validation import customer_fields_used, validate


class EditingSession:
    """The scenario being edited and what it is checked and counted against.

    Attributes:
        scenario: The scenario as the editor holds it now.
        path: Its file, if it has one.
        crm_url: The connected CRM's URL ("" for none).
        crm: The open CRM, or None when none is connected or it cannot be used.
        crm_error: Why the CRM cannot be used, or None.
        fields: The CRM's customer fields, or None without a usable CRM.
        problems: The scenario's problems against the CRM (errors and warnings).
        counts: The latest counts (a preview), or None.
    """

    def __init__(self, scenario: Scenario, path: Path | None = None, *,
                 settings: Callable[[], Settings] = lenient_user_settings,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.scenario = scenario
        self.path = path
        self.settings = settings
        self.clock = clock or (lambda: datetime.now(UTC))
        self.crm_url = ""
        self.crm: Crm | None = None
        self.crm_error: Text | None = None
        self.fields: dict[str, str] | None = None
        self.counts: TickResult | None = None
        self.not_counted: dict[str, Text] = {}
        self._connection = ExitStack()
        self.problems: list[Problem] = self.check()

    @classmethod
    def open(cls, path: str | Path, **options: Any) -> EditingSession:
        """A session on a scenario file.

        Raises:
            ScenarioError: the file is broken, with every problem.
        """
        return cls(load(path), Path(path), **options)

    # -- the scenario ---------------------------------------------------------------------------
    def set_scenario(self, scenario: Scenario) -> list[Problem]:
        """The scenario changed (an edit, an undo): check it again; returns its problems."""
        self.scenario = scenario
        self.counts = None
        self.problems = self.check()
        return self.problems

    def set_params(self, node_id: str, params: dict) -> list[Problem]:
        """Give one node new parameters; returns the scenario's problems."""
        changed = deepcopy(self.scenario)
        changed.node(node_id).params = deepcopy(params)
        return self.set_scenario(changed)

    def check(self) -> list[Problem]:
        """The scenario's problems, with the CRM's fields when a CRM is connected."""
        has = self.crm.has if self.crm is not None else None
        return validate(self.scenario.to_dict(), self.fields, has)

    def errors(self) -> list[Problem]:
        """The problems that keep the scenario from running."""
        return [p for p in self.problems if p.severity == "error"]

    # -- the CRM --------------------------------------------------------------------------------
    def connect(self, url: str, password: str | None = None) -> bool:
        """Use the CRM at ``url`` for checks, counts and message samples ("" for none).

        Returns:
            Whether the CRM can be used; else ``crm_error`` says why.
        """
        self.disconnect()
        self.crm_url = url
        if url:
            try:
                self.crm = self._connection.enter_context(open_crm(url, self.settings(), password=password))
                self.fields = self.crm.field_kinds()
            except TextError as exc:
                self.crm_error = exc.text
            except Exception as exc:  # the database's own error, worded by the database
                self.crm_error = Text("crm.cannot_connect", {"reason": f"{type(exc).__name__}: {exc}"})
        self.problems = self.check()
        return self.crm_error is None

    def disconnect(self) -> None:
        """Close the CRM connection."""
        self._connection.close()
        self.crm, self.fields, self.crm_error, self.counts = None, None, None, None

    def close(self) -> None:
        """End the session (closes the CRM)."""
        self.disconnect()

    def field_names(self) -> list[str]:
        """The customer fields a condition may name: the CRM's, or the canonical ones without a CRM."""
        if self.fields:
            return sorted(self.fields)
        return [c.name for c in canonical_metadata()[1].c]

    def missing_fields(self) -> list[str]:
        """Customer fields the scenario uses that the connected CRM does not have."""
        if not self.fields:
            return []
        return [name for name in customer_fields_used(self.scenario) if name not in self.fields]

    # -- counts and samples ---------------------------------------------------------------------
    def countable(self) -> Countable:
        """The part of the scenario that can be counted now, and why the rest cannot."""
        has = self.crm.has if self.crm is not None else None
        return countable(self.scenario, lambda s: validate(s.to_dict(), self.fields, has))

    def can_count(self) -> bool:
        """Whether counts can be made: a usable CRM and a start that can be counted."""
        return self.crm is not None and self.countable().scenario is not None

    def count(self, now: datetime | None = None) -> TickResult:
        """Count now, changing nothing: who would reach each node and wait there. Nodes that
        cannot be counted yet (a problem, not connected) are in ``not_counted`` with the reason;
        everything before them keeps its counts.

        Raises:
            CrmError: no usable CRM.
            ScenarioError: nothing can be counted (the start or the file has an error).
        """
        if self.crm is None:
            raise CrmError("crm.cannot_connect", reason=self.crm_error or "no CRM")
        part = self.countable()
        if part.scenario is None:
            raise ScenarioError(self.errors())
        self.not_counted = part.not_counted
        self.counts = preview_scenario(part.scenario, self.crm, now or self.clock(), self.settings().frequency_cap)
        return self.counts

    def render_sample(self, params: dict, customer_id: int) -> tuple[str, str]:
        """A message node's subject and body for one customer, as the engine would render them.

        Raises:
            LookupError: no usable CRM, or no such customer.
            TemplateError: the template fails for this customer.
        """
        if self.crm is None:
            raise LookupError("no CRM connected")
        return render_sample(self.crm, self.scenario, params, customer_id, self.clock())

    def send_test(self, params: dict, customer_id: int, to: str) -> TestSent:
        """Send a message node's parameters, rendered for one customer, to ``to`` through the
        settings' channel, subject prefixed "[TEST]"; the CRM is only read.

        Raises:
            LookupError: no usable CRM.
            TestSendRefused: the test cannot be sent as asked (the text says why).
        """
        if self.crm is None:
            raise LookupError("no CRM connected")
        return send_params(self.scenario, params, self.crm, self.settings(), customer_id, to, self.clock())

    def sample_customers(self) -> list[tuple[int, str]]:
        """(id, label) of customers to pick one from for a message sample.

        Raises:
            LookupError: no usable CRM (the message says why).
        """
        if self.crm is None:
            raise LookupError(str(self.crm_error) if self.crm_error else "not connected")
        return sample_customers(self.crm)

    # -- the customer lookup -------------------------------------------------------------------
    def _lookup_crm(self) -> Crm:
        if self.crm is None:
            raise CrmError("crm.cannot_connect", reason=self.crm_error or "no CRM")
        return self.crm

    def suggest_customers(self, text: str) -> list[tuple[Any, str]]:
        """(id, label) of the customers whose id, email, phone or name begins with ``text``.

        Raises:
            CrmError: no usable CRM.
        """
        crm = self._lookup_crm()
        return [customer_label(crm, row) for row in suggest_customers(crm, text)]

    def customers_at(self, scenario: Scenario, node_id: str, text: str = "") -> list[tuple[Any, str]]:
        """(id, label) of the customers at a node: waiting there now, else those who reached it."""
        crm = self._lookup_crm()
        return [customer_label(crm, row) for row in customers_at_node(crm, scenario, node_id, text)]

    def lookup(self, scenario: Scenario, query: str, lang: str = "en") -> Lookup:
        """The customer lookup of ``query`` (an id, email or phone) at the session's clock.

        Raises:
            CrmError: no usable CRM.
            CustomerNotFound: nobody, or several customers, match.
        """
        return lookup_customer(self._lookup_crm(), scenario, query, self.clock(), lang)

    def results(self, scenario: Scenario, days: int | None) -> dict[str, NodeResults]:
        """Per node, its results over the last ``days`` days (None: all time), for the canvas.

        Raises:
            CrmError: no usable CRM.
        """
        return canvas_results(self._lookup_crm(), scenario, self.clock(), days)
