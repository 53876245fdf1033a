"""Running a scenario once, for real: the one path that ``run``, ``serve`` and the window share.

The steps, always in this order:

1. the version: ``run FILE`` publishes the file as a new version when it changed (as enabling it
   in the scheduler does); ``serve`` runs the latest published version, publishing the file only
   when none is. Either way the run belongs to a known, numbered version;
2. the runner lock (one process per scenario), renewed between steps and, during delivery,
   after every message (by time: the lease is written once a third of it has passed);
3. the tick (entry, every due step, rendering), recorded in the run history with its version;
4. delivery through the channels of the settings, recorded in the same history row;
5. the lock is given back, whatever happened.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.settings import Settings, build_channels
from connectors.crm import Crm
from connectors.texts import DEFAULT_CURRENCY, Text
from engine.dispatch import DeliveryReport, deliver
from engine.history import record_delivery
from engine.limits import FrequencyCap
from engine.lock import RunnerLock
from engine.model import Scenario
from engine.publish import Published, latest_version, publish, would_publish
from engine.runner import TickResult, preview, tick


@dataclass
class RunOutcome:
    """What one run did.

    Attributes:
        scenario: The published version that ran.
        published: Its version number, whether this run published it, and who it strands.
        tick: The tick's counts.
        delivery: What delivery did (None when it was not asked for).
    """

    scenario: Scenario
    published: Published
    tick: TickResult
    delivery: DeliveryReport | None

    @property
    def sent(self) -> int:
        """Messages delivered after the tick."""
        return self.delivery.counts.get("sent", 0) if self.delivery else 0

    @property
    def refused(self) -> int:
        """Messages refused by a server, or interrupted mid-send (unknown)."""
        if self.delivery is None:
            return 0
        return self.delivery.counts.get("failed", 0) + len(self.delivery.unknown)

    def did_something(self) -> bool:
        """Whether anybody moved or anything was sent (the scheduler wakes often)."""
        return bool(sum(self.tick.reached.values()) or self.sent or self.refused)

    def summary(self) -> Text:
        """The run in one line, for logs and the scheduler's status."""
        if not self.did_something() and not self.tick.entry_skipped:
            return Text("run.nothing")
        args = {"entered": self.tick.counts.get("entered", 0), "reached": sum(self.tick.reached.values()),
                "queued": self.tick.counts.get("queued", 0), "sent": self.sent, "failed": self.refused,
                "version": self.published.version}
        return Text("run.summary.late" if self.tick.entry_skipped else "run.summary", args)

    def delivery_json(self) -> dict[str, Any] | None:
        """The ``delivery`` object of ``run --json``."""
        d = self.delivery
        if d is None:
            return None
        return {**{k: d.counts.get(k, 0) for k in ("sent", "failed", "retry", "unknown", "suppressed")},
                "waiting": d.waiting, "stopped": d.stopped, "unknown_keys": d.unknown,
                "listed": [{"channel": c, "address": a} for c, a in d.listed]}


def run_once(source: Scenario, crm: Crm, settings: Settings, now: datetime, *, publish_source: bool = True,
             deliver_messages: bool = True, max_late_hours: float | None = None,
             beat: Callable[[], None] | None = None, stop: Callable[[], bool] | None = None) -> RunOutcome:
    """Run a scenario once at ``now``.

    Args:
        source: The scenario as its file holds it.
        crm: The CRM (opened with :func:`app.crm.open_crm`).
        settings: Channels, delivery policy and the frequency cap.
        now: The moment of the run.
        publish_source: Publish ``source`` as a new version when it differs from the latest one
            (``run FILE``); else run the latest published version (``serve``, the window's scheduler).
        deliver_messages: Send what is queued (``run --no-deliver`` leaves it queued).
        max_late_hours: Skip a day's entry this late (the workspace's catch-up policy).
        beat: Called between steps and render pages; it may raise to stop the run there (the
            next run goes on).
        stop: Polled while the tick works: once it returns True the statement in flight is
            cancelled and :class:`engine.runner.RunStopped` is raised, without waiting for the
            step to end (a *Cancel run*, serve's SIGTERM).

    Raises:
        ScenarioBusy: another process runs the scenario; nothing was done.
        ScenarioError: the scenario does not fit the CRM.
        RunStopped: ``stop`` said so; the next run finishes the work.
    """
    found = None if publish_source else latest_version(crm, source.key)
    if found is None:
        published = publish(crm, source, now)
        found = latest_version(crm, source.key)  # what was just published, or the equal latest version
    else:
        published = Published(found[0], False, {})
    scenario = found[1]
    lock = RunnerLock(crm, scenario.key).acquire()

    def step() -> None:
        if beat is not None:
            beat()
        lock.heartbeat()

    beaten = [0.0]

    def delivering() -> None:
        # Called after every message: the lease must not run out however slow the channel, but
        # the caller's beat (progress, cancel) comes at most once a second, not per message.
        if beat is not None and time.monotonic() - beaten[0] >= 1.0:
            beaten[0] = time.monotonic()
            beat()
        lock.heartbeat()

    try:
        result = tick(scenario, crm, now, heartbeat=step, max_late_hours=max_late_hours,
                      frequency_cap=settings.frequency_cap, version=published.version, stop=stop)
        report = deliver(crm.engine, build_channels(settings), result.at, settings.policy, scenario.key,
                         heartbeat=delivering) if deliver_messages else None
    finally:
        lock.release()
    outcome = RunOutcome(scenario, published, result, report)
    late = report.counts.get("suppressed", 0) if report else 0
    if result.run_id is not None and (outcome.sent or outcome.refused or late):
        with crm.engine.begin() as conn:
            record_delivery(conn, result.run_id, outcome.sent, outcome.refused, late)
    return outcome


@dataclass
class RunPlan:
    """What running a scenario now would do, before anything is done (the question the window
    asks before *Run now* and before switching a scenario on).

    Attributes:
        scenario: The version that would run.
        version: Its number (the next one when it would be published first).
        new_version: Whether running or switching it on would publish a new version.
        preview: The preview of a run now: who would enter, what would be queued and granted.
    """

    scenario: Scenario
    version: int
    new_version: bool
    preview: TickResult
    cost_per_part: float | None = None
    currency: str = DEFAULT_CURRENCY

    @property
    def entered(self) -> int:
        """Customers who would enter now."""
        return self.preview.counts.get("entered", 0)

    def messages(self) -> dict[str, int]:
        """Messages that would be queued, per channel (those the frequency cap holds back are not)."""
        return {key.split(".", 1)[1]: n for key, n in self.preview.counts.items() if key.startswith("queued.")}

    @property
    def capped(self) -> int:
        """Messages the frequency cap would hold back."""
        return self.preview.counts.get("capped", 0)

    @property
    def skipped(self) -> int:
        """Messages that would be skipped: no consent or no address."""
        return self.preview.counts.get("skipped", 0)

    @property
    def points(self) -> int:
        """Loyalty points that would be credited."""
        return self.preview.counts.get("points", 0)

    @property
    def tasks(self) -> int:
        """Tasks for managers that would be written (task nodes)."""
        return self.preview.counts.get("tasks", 0)

    @property
    def parts(self) -> int:
        """SMS parts the messages would take."""
        return self.preview.counts.get("parts", 0)

    @property
    def sms_cost(self) -> float | None:
        """What those parts would cost (None when the settings give no ``cost_per_part``)."""
        return None if self.cost_per_part is None else round(self.parts * self.cost_per_part, 2)

    @property
    def codes(self) -> int:
        """Promo codes that would be issued."""
        return self.preview.counts.get("codes", 0)


def plan_run(source: Scenario, crm: Crm, now: datetime, *, publish_source: bool = False,
             frequency_cap: FrequencyCap | None = None, cost_per_part: float | None = None,
             currency: str = DEFAULT_CURRENCY) -> RunPlan:
    """What :func:`run_once` would do now, changing nothing.

    Args:
        source: The scenario as its file holds it.
        crm: The CRM.
        now: The moment of the run.
        publish_source: Plan for ``source`` itself (switching it on, ``run FILE``); else for the
            latest published version, as the scheduler runs it.
        frequency_cap: The settings' cap: the messages it would hold back are ``capped``.
        cost_per_part: What an SMS part costs, to say what the run's SMS would cost.
        currency: How that money is written.

    Raises:
        ScenarioError: the scenario does not fit the CRM.
        RunStopped: ``stop`` said so; the next run finishes the work.
    """
    found = None if publish_source else latest_version(crm, source.key)
    if found is None:
        version, new = would_publish(crm, source)
        scenario = source
    else:
        (version, scenario), new = found, False
    return RunPlan(scenario, version, new, preview(scenario, crm, now, frequency_cap), cost_per_part,
                   currency)
