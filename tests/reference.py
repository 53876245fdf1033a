"""A naive reference of the engine's semantics, one customer at a time, in pure Python.

Written from DESIGN.md, the README ("How a scenario runs") and the documented node
semantics, not from the engine's SQL: the property test in ``test_property.py`` runs the
engine and this model side by side and compares what they did after every tick.

Everything is in naive local times of the scenario's timezone. Days are calendar days:
``days_since(t)`` is today's date minus the date of ``t``.

Covered: the schedule trigger; filters with field, orders and group conditions; waits
(days, hours or minutes, optional ``release_at``); messages (consent and address);
bonuses; splits; exits; ``reentry_days``; ``active_from`` / ``active_until``. Not covered:
``bonus_used``, ``messages`` and ``since: "node:<id>"`` conditions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from engine.nodes.split import split_bucket
from engine.scenario import Scenario

PURE = ("trigger", "filter", "exit")
TRUTHY = ("1", "1.0", "true", "t", "yes", "y")
WHITESPACE_IN_EMAIL = (" ", "\t", "\n", "\r")


@dataclass(frozen=True)
class Customer:
    """One CRM customer as the reference sees it."""

    id: int
    email: str | None
    phone: str | None
    first_name: str | None
    registered_at: datetime | None
    email_subscribed: bool
    sms_subscribed: bool
    city: str | None

    def field(self, name: str) -> Any:
        """The value of a customer column by name."""
        return getattr(self, name)


@dataclass(frozen=True)
class Order:
    """One CRM order."""

    customer_id: int
    created_at: datetime
    total: Decimal
    status: str


@dataclass
class Enrolment:
    """One customer's way through the scenario."""

    id: int
    customer_id: int
    node_id: str
    entered_at: datetime
    entry_day: int
    arrived_at: datetime
    due_at: datetime | None
    status: str = "active"
    ended_at: datetime | None = None


@dataclass(frozen=True)
class OutboxRow:
    """A message queued (or skipped) for one enrolment at one message node."""

    enrolment_id: int
    customer_id: int
    node_id: str
    skipped: bool


@dataclass(frozen=True)
class BonusRow:
    """A bonus granted to one enrolment at one bonus node."""

    enrolment_id: int
    customer_id: int
    node_id: str
    kind: str
    amount: Decimal | None


@dataclass
class Outcome:
    """What one reference tick did."""

    entry_due: bool
    reached: Counter[str] = field(default_factory=Counter)
    waiting: Counter[str] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)


@dataclass
class Subject:
    """Who a condition is evaluated for: a customer, its orders and its entry time."""

    customer: Customer
    orders: list[Order]
    entered_at: datetime
    today: date


# -- conditions ---------------------------------------------------------------------------
def days_since(moment: datetime, today: date) -> int:
    """Calendar days from the local date of ``moment`` to ``today``."""
    return (today - moment.date()).days


def compare(left: Any, op: str, right: Any) -> bool:
    """``left op right`` for the six comparison operators; None compares false."""
    if left is None:
        return False
    return {
        "eq": left == right, "ne": left != right, "lt": left < right,
        "le": left <= right, "gt": left > right, "ge": left >= right,
    }[op]


def is_valid_email(value: Any) -> bool:
    """One ``@``, a non-empty local part, a domain with a dot inside it, no spaces."""
    if not isinstance(value, str) or value.count("@") != 1:
        return False
    if any(ch in value for ch in WHITESPACE_IN_EMAIL):
        return False
    local, domain = value.split("@")
    return bool(local) and "." in domain[1:-1]


def is_true(value: Any) -> bool:
    """Truth of a customer flag column: NULL is not true."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    return str(value).lower() in TRUTHY


def is_set(value: Any) -> bool:
    """A value is set when it is not NULL and not blank text."""
    if value is None:
        return False
    return not (isinstance(value, str) and value.strip(" ") == "")


def field_holds(cond: dict, customer: Customer, today: date) -> bool:
    """One ``field`` condition for one customer."""
    op, value = cond["op"], cond.get("value")
    actual = customer.field(cond["field"])
    if op == "is_valid_email":
        return is_valid_email(actual)
    if op == "is_true":
        return is_true(actual)
    if op == "is_false":
        return not is_true(actual)
    if op == "is_set":
        return is_set(actual)
    if op == "is_empty":
        return not is_set(actual)
    if op == "older_than_days":
        return actual is not None and days_since(actual, today) > value
    if op == "newer_than_days":
        return actual is not None and days_since(actual, today) < value
    if op == "contains":
        return actual is not None and value.lower() in str(actual).lower()
    if op == "in":
        return actual is not None and actual in value
    if op == "ne":
        return actual is None or actual != value
    return compare(actual, op, value)


def orders_of(cond: dict, subject: Subject, completed: tuple[str, ...]) -> list[Order]:
    """The subject's orders a condition looks at (status, ``within_days``, ``since``)."""
    statuses = cond.get("status") or list(completed)
    chosen = [o for o in subject.orders if o.status in statuses]
    if "within_days" in cond:
        chosen = [o for o in chosen if days_since(o.created_at, subject.today) < cond["within_days"]]
    if cond.get("since") == "entry":
        chosen = [o for o in chosen if o.created_at >= subject.entered_at]
    elif cond.get("since"):
        raise NotImplementedError("since: node:<id> is not modelled")
    return chosen


def orders_holds(cond: dict, subject: Subject, completed: tuple[str, ...]) -> bool:
    """One ``orders`` condition for one subject."""
    chosen = orders_of(cond, subject, completed)
    op, value = cond["op"], cond["value"]
    if cond["agg"] == "count":
        return compare(len(chosen), op, value)
    if cond["agg"] == "sum":
        return compare(sum((o.total for o in chosen), Decimal(0)), op, Decimal(str(value)))
    if not chosen:  # no orders: no days_since_last, and any condition on it is false
        return False
    last = max(o.created_at for o in chosen)
    return compare(days_since(last, subject.today), op, value)


def holds(conditions: list, match: str, subject: Subject, completed: tuple[str, ...]) -> bool:
    """A list of conditions joined by ``match`` (an empty ``all`` holds, an empty ``any`` not)."""
    results = (condition_holds(c, subject, completed) for c in conditions)
    return any(results) if match == "any" else all(results)


def condition_holds(cond: dict, subject: Subject, completed: tuple[str, ...]) -> bool:
    """One condition of any kind."""
    kind = cond["kind"]
    if kind == "group":
        return holds(cond.get("conditions", []), cond.get("match", "all"), subject, completed)
    if kind == "field":
        return field_holds(cond, subject.customer, subject.today)
    if kind == "orders":
        return orders_holds(cond, subject, completed)
    raise NotImplementedError(f"condition kind {kind!r} is not modelled")


def reachable(channel: str, customer: Customer) -> bool:
    """Consent and an address for the channel."""
    if channel == "email":
        return is_valid_email(customer.email) and is_true(customer.email_subscribed)
    return is_set(customer.phone) and is_true(customer.sms_subscribed)


# -- the model ----------------------------------------------------------------------------
class Reference:
    """The scenario's state and ticks, one customer at a time."""

    def __init__(self, scenario: Scenario, completed: tuple[str, ...] = ("completed",)):
        self.scenario = scenario
        self.completed = completed
        self.nodes = {n.id: n for n in scenario.nodes}
        self.edges = {(e.source, e.port): e.target for e in scenario.edges}
        self.order = self._topological()
        self.enrolments: list[Enrolment] = []
        self.outbox: list[OutboxRow] = []
        self.bonuses: list[BonusRow] = []
        self.entry_days: set[date] = set()
        self.ports_taken: Counter[tuple[str, str | None]] = Counter()

    def _topological(self) -> list[str]:
        """Node ids so that every edge goes forward (depth-first, independent of the engine's)."""
        done: list[str] = []
        seen: set[str] = set()

        def visit(nid: str) -> None:
            if nid in seen:
                return
            seen.add(nid)
            for (src, _port), dst in self.edges.items():
                if src == nid:
                    visit(dst)
            done.append(nid)

        for nid in self.nodes:
            visit(nid)
        return done[::-1]

    # -- nodes --------------------------------------------------------------------------
    def _hold(self, node_id: str, arrival: datetime) -> datetime | None:
        """When a customer arriving at ``node_id`` at ``arrival`` may leave (waits only)."""
        node = self.nodes[node_id]
        if node.type != "wait":
            return None
        p = node.params
        if "days" in p:  # the same local wall time N calendar days later
            due = datetime.combine(arrival.date() + timedelta(days=p["days"]), arrival.time())
        elif "hours" in p:
            due = arrival + timedelta(hours=p["hours"])
        else:
            due = arrival + timedelta(minutes=p["minutes"])
        if p.get("release_at"):
            hh, mm = (int(x) for x in p["release_at"].split(":"))
            candidate = datetime.combine(due.date(), time(hh, mm))
            if candidate < due:
                candidate += timedelta(days=1)
            due = candidate
        return due

    def _port(self, node_id: str, subject: Subject, entry_day: int) -> str | None:
        """The output port a subject leaves ``node_id`` by (None: the node has no ports)."""
        node = self.nodes[node_id]
        p = node.params
        if node.type == "filter":
            ok = holds(p.get("conditions", []), p.get("match", "all"), subject, self.completed)
            self.ports_taken[(node_id, "yes" if ok else "no")] += 1
            return "yes" if ok else "no"
        if node.type == "split":
            branches = p["branches"]
            total = sum(b["weight"] for b in branches)
            bucket = split_bucket(self.scenario.key, node_id, subject.customer.id, entry_day, total)
            upper = 0
            for branch in branches[:-1]:
                upper += branch["weight"]
                if bucket < upper:
                    return branch["port"]
            return branches[-1]["port"]
        if node.type == "exit":
            return None
        return "out"

    def _target(self, node_id: str, port: str | None) -> str | None:
        return None if port is None else self.edges.get((node_id, port))

    def _apply(self, node_id: str, enr: Enrolment, customer: Customer, out: Outcome) -> None:
        """Side effects of a message or bonus node for one enrolment (once per node, ever)."""
        node = self.nodes[node_id]
        if node.type == "message":
            if any(r.enrolment_id == enr.id and r.node_id == node_id for r in self.outbox):
                return
            skipped = not reachable(node.params["channel"], customer)
            self.outbox.append(OutboxRow(enr.id, enr.customer_id, node_id, skipped))
            out.counts["skipped" if skipped else "queued"] += 1
        elif node.type == "bonus":
            if any(b.enrolment_id == enr.id and b.node_id == node_id for b in self.bonuses):
                return
            amount = node.params.get("amount")
            self.bonuses.append(BonusRow(enr.id, enr.customer_id, node_id, node.params["kind"],
                                         None if amount is None else Decimal(str(amount))))
            out.counts["bonuses"] += 1

    # -- the tick -----------------------------------------------------------------------
    def entry_due(self, now: datetime) -> bool:
        """Whether the day's entry may happen at ``now``."""
        settings, today = self.scenario.settings, now.date()
        if settings.get("active_from") and today < date.fromisoformat(settings["active_from"]):
            return False
        if settings.get("active_until") and today > date.fromisoformat(settings["active_until"]):
            return False
        hh, mm = (int(x) for x in self.scenario.trigger().params["at"].split(":"))
        return now.time() >= time(hh, mm)

    def eligible(self, customer_id: int, today: date) -> bool:
        """No active enrolment, and the last one ended more than ``reentry_days`` days ago."""
        mine = [e for e in self.enrolments if e.customer_id == customer_id]
        if any(e.status == "active" for e in mine):
            return False
        if not mine:
            return True
        reentry = self.scenario.settings.get("reentry_days")
        if reentry is None:
            return False
        # Blocked while the last enrolment ended on or after local midnight of today - reentry.
        last_end = max(e.ended_at for e in mine if e.ended_at is not None)
        return last_end.date() < today - timedelta(days=reentry)

    def tick(self, now: datetime, customers: list[Customer], orders: list[Order]) -> Outcome:
        """One tick at naive local ``now`` over the CRM as it is at ``now``."""
        today = now.date()
        by_id = {c.id: c for c in customers}
        orders_by: dict[int, list[Order]] = {c.id: [] for c in customers}
        for o in orders:
            orders_by.setdefault(o.customer_id, []).append(o)
        out = Outcome(entry_due=self.entry_due(now))
        trigger = self.scenario.trigger().id
        if out.entry_due and today not in self.entry_days:
            self.entry_days.add(today)
            for c in sorted(customers, key=lambda c: c.id):
                if not self.eligible(c.id, today):
                    continue
                subject = Subject(c, orders_by[c.id], now, today)
                node: str | None = trigger
                while node is not None:
                    out.reached[node] += 1
                    if self.nodes[node].type not in PURE:
                        self.enrolments.append(Enrolment(
                            id=len(self.enrolments) + 1, customer_id=c.id, node_id=node, entered_at=now,
                            entry_day=today.toordinal(), arrived_at=now, due_at=self._hold(node, now)))
                        out.counts["entered"] += 1
                        break
                    node = self._target(node, self._port(node, subject, today.toordinal()))
        for node_id in self.order:
            if self.nodes[node_id].type == "trigger":
                continue
            due = [e for e in self.enrolments if e.status == "active" and e.node_id == node_id
                   and (e.due_at is None or e.due_at <= now)]
            for enr in due:
                customer = by_id.get(enr.customer_id)
                if customer is None:
                    raise NotImplementedError("customers are never deleted in these tests")
                subject = Subject(customer, orders_by[customer.id], enr.entered_at, today)
                port = self._port(node_id, subject, enr.entry_day)
                self._apply(node_id, enr, customer, out)
                target = self._target(node_id, port)
                if target is None:
                    enr.status, enr.ended_at = "finished", now
                    continue
                enr.node_id, enr.arrived_at, enr.due_at = target, now, self._hold(target, now)
                out.reached[target] += 1
        for e in self.enrolments:
            if e.status == "active":
                out.waiting[e.node_id] += 1
        return out

    # -- views for comparison -----------------------------------------------------------
    def enrolment_rows(self) -> Counter[tuple[int, str, str]]:
        """(customer_id, node_id, status) of every enrolment, with multiplicity."""
        return Counter((e.customer_id, e.node_id, e.status) for e in self.enrolments)

    def outbox_rows(self) -> Counter[tuple[int, str, bool]]:
        """(customer_id, node_id, skipped) of every outbox row, with multiplicity."""
        return Counter((r.customer_id, r.node_id, r.skipped) for r in self.outbox)

    def bonus_rows(self) -> Counter[tuple[int, str]]:
        """(customer_id, node_id) of every bonus ledger row, with multiplicity."""
        return Counter((b.customer_id, b.node_id) for b in self.bonuses)

    def points(self) -> dict[int, Decimal]:
        """Points credited per customer."""
        total: dict[int, Decimal] = {}
        for b in self.bonuses:
            if b.kind == "points" and b.amount is not None:
                total[b.customer_id] = total.get(b.customer_id, Decimal(0)) + b.amount
        return total
