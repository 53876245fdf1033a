"""Customer lookup: "where is this customer and why?", once for the command line and the window.

A customer found by id, email or phone; for every scenario they were ever in, each enrolment
(entry, the path node by node, messages with their status and reason, bonuses, the orders the
messages brought, how it ended); and, for the scenario at hand, why they would or would not
enter today, condition by condition with their own values. All in the words of one language,
with step titles instead of ids and the customer's fields under the shop's own column names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from app.results import entry_path
from connectors.crm import Crm
from connectors.texts import Text, TextError, catalog, words
from engine.customer import Enrolment, customer_enrolments, customer_match, find_customers, known_scenarios
from engine.describe import titles_of
from engine.explain import Step, explain_entry
from engine.goal import GOAL_EXIT
from engine.holdout import CONTROL
from engine.model import Scenario
from engine.nodes import REGISTRY
from engine.state import STATE

WORDS = catalog("app", {
    "lookup.not_found": "no customer has the id, email or phone '{query}'",
    "lookup.several": "several customers match '{query}' (ids {ids}): give the id",
    "lookup.status.sent": "sent",
    "lookup.status.queued": "queued",
    "lookup.status.skipped": "skipped",
    "lookup.status.capped": "held back",
    "lookup.status.failed": "failed",
    "lookup.status.unknown": "may or may not have arrived",
    "lookup.reason.email": "no consent to email or no valid email address",
    "lookup.reason.sms": "no consent to SMS or no phone number",
    "lookup.reason.webhook": "no consent to SMS or no phone number",
    "lookup.reason.capped": "over the frequency cap",
    "lookup.end.active": "still in the scenario, at {node} since {at}",
    "lookup.end.exit": "left the scenario at {node} on {at}",
    "lookup.end.way": "the way ended after {node} on {at}",
    "lookup.end.removed": "taken out of the scenario by the user on {at}",
    "lookup.end.goal": "reached the scenario's goal while at {node} on {at}: nothing more was sent",
    "lookup.end.held_out": "held out in the scenario's control group on {at}: got nothing",
    "lookup.end.control": "took the control branch {port} of {node} on {at}: got nothing",
    "lookup.end.other": "ended at {node} on {at} ({how})",
})
STATUS = {"new": "queued", "pending": "queued", "sending": "queued"}


class CustomerNotFound(TextError):
    """The customer cannot be found, or the query names several."""


@dataclass
class Lookup:
    """What the lookup found, ready for JSON and for the window.

    Attributes:
        customer: The customer's row under the shop's own column names.
        explain: The entry path today, node by node.
        enrolments: Every enrolment in any scenario, oldest first, in words.
    """

    customer: dict[str, Any]
    explain: list[Step] = field(default_factory=list)
    enrolments: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """``{"customer", "explain", "enrolments"}`` as plain JSON values."""
        return {"customer": {k: plain(v) for k, v in self.customer.items()},
                "explain": [s.to_json() for s in self.explain], "enrolments": self.enrolments}


def plain(value: Any) -> Any:
    """A database value as JSON holds it: times in ISO form, amounts as numbers."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def suggest_customers(crm: Crm, text: str, limit: int = 10) -> list[dict[str, Any]]:
    """Customers whose id, email, phone or name begins with ``text``, for a search as one types."""
    with crm.connect(read_only=True) as conn:
        return find_customers(conn, crm, text, exact=False, limit=limit)


def customers_at_node(crm: Crm, scenario: Scenario, node_id: str, text: str = "",
                      limit: int = 200) -> list[dict[str, Any]]:
    """The customers at a node of ``scenario``: those waiting there now, else those who reached it
    (at the start and the filters before the first step that acts or holds, which keep no trace:
    everyone who entered), narrowed to those whose id, email, phone or name begins with ``text``."""
    e, j = STATE.enrolments, STATE.journal
    cid = crm.col("customers", "id")
    narrowed = customer_match(crm, text, exact=False)
    with crm.connect(read_only=True) as conn:
        if not sa.inspect(conn).has_table(e.name):
            return []
        waiting = sa.select(e.c.customer_id).where(e.c.scenario == scenario.key, e.c.status == "active",
                                                   e.c.node_id == node_id)
        reached = sa.select(e.c.customer_id).join(j, j.c.enrolment_id == e.c.id).where(
            e.c.scenario == scenario.key, j.c.node_id == node_id)
        if node_id in entry_path(scenario):
            reached = sa.select(e.c.customer_id).where(e.c.scenario == scenario.key)
        for there in (waiting, reached):
            if conn.execute(sa.select(sa.exists(there))).scalar():
                found = sa.select(crm.customers).where(cid.in_(there), *([] if narrowed is None else [narrowed]))
                return [dict(r) for r in conn.execute(found.order_by(cid).limit(limit)).mappings()]
    return []


def lookup_customer(crm: Crm, scenario: Scenario, query: str, now: datetime, lang: str = "en") -> Lookup:
    """The lookup of the customer ``query`` names (an id, an email or a phone).

    Raises:
        CustomerNotFound: nobody, or several customers, match.
    """
    crm.reflect()
    with crm.connect(read_only=True) as conn:
        matches = find_customers(conn, crm, query)
        if not matches:
            raise CustomerNotFound("lookup.not_found", query=query)
        id_name = crm.col("customers", "id").name
        if len(matches) > 1:
            raise CustomerNotFound("lookup.several", query=query, ids=", ".join(str(m[id_name]) for m in matches))
        customer = matches[0]
        scenarios = {**known_scenarios(conn), scenario.key: scenario}
        history = customer_enrolments(conn, crm, customer[id_name], scenarios)
        explain = explain_entry(conn, crm, scenario, customer[id_name], now, lang)
    return Lookup(customer, explain, [enrolment_json(x, scenarios.get(x.scenario), lang) for x in history])


def enrolment_json(x: Enrolment, scenario: Scenario | None, lang: str) -> dict[str, Any]:
    """One enrolment in words: step titles, statuses, reasons, how it ended."""
    titles = titles_of(scenario, lang) if scenario is not None else {}
    title = lambda nid: titles.get(nid, nid)  # noqa: E731 - a node of a scenario this Scenarist no longer has
    say = lambda code, **args: words(Text(code, args), lang)  # noqa: E731
    messages = []
    for m in x.messages:
        status = STATUS.get(m["status"], m["status"])
        reason = None
        if status == "skipped":
            reason = say(f"lookup.reason.{m['channel']}")
        elif status == "capped":
            reason = say("lookup.reason.capped")
        elif m["error"]:
            reason = m["error"]
        messages.append({"node": m["node_id"], "title": title(m["node_id"]), "channel": m["channel"],
                         "recipient": m["recipient"], "status": status,
                         "status_words": say(f"lookup.status.{status}") if status in _STATUSES else status,
                         "reason": reason, "at": plain(m["created_at"]), "sent_at": plain(m["sent_at"])})
    return {
        "scenario": x.scenario, "scenario_name": scenario.name if scenario is not None else x.scenario,
        "entered_at": plain(x.entered_at), "status": x.status,
        "path": [{"node": nid, "title": title(nid), "at": plain(at)} for nid, at in x.path],
        "messages": messages,
        "bonuses": [{"node": b["node_id"], "title": title(b["node_id"]), "kind": b["kind"], "code": b["code"],
                     "points": b["amount"] if b["kind"] == "points" else None, "amount": b["amount"],
                     "discount": b["discount"], "issued_at": plain(b["issued_at"]),
                     "expires_at": plain(b["expires_at"])} for b in x.bonuses],
        "conversions": [{"order": plain(c["order"]), "node": c["node_id"], "title": title(c["node_id"]),
                         "at": plain(c["at"]), "total": c["total"]} for c in x.conversions],
        "end": _end(x, scenario, title, say),
    }


_STATUSES = ("sent", "queued", "skipped", "capped", "failed", "unknown")


def _end(x: Enrolment, scenario: Scenario | None, title: Any, say: Any) -> dict[str, Any]:
    node, at = title(x.node_id), plain(x.ended_at or (x.path[-1][1] if x.path else x.entered_at))
    quoted = say("quote", text=node)
    found = scenario.node(x.node_id) if scenario is not None and x.node_id in {n.id for n in scenario.nodes} else None
    kind = REGISTRY.get(found.type) if found is not None else None
    if x.status == "active":
        how = "active"
    elif x.exit_port == "ended-by-user":
        how = "removed"
    elif x.exit_port == GOAL_EXIT:
        how = "goal"
    elif x.exit_port == CONTROL and kind is not None and kind.entry:
        how = "held_out"
    elif x.exit_port and found is not None and found.type == "split" and x.exit_port == kind.control(found.params):
        how = "control"
    elif found is not None and found.type == "exit":
        how = "exit"
    elif not x.exit_port or (kind is not None and x.exit_port in kind.ports(found.params)):
        how = "end_of_way"  # the port it left by leads nowhere
    else:
        how = x.exit_port
    code = {"active": "lookup.end.active", "removed": "lookup.end.removed", "exit": "lookup.end.exit",
            "end_of_way": "lookup.end.way", "held_out": "lookup.end.held_out",
            "control": "lookup.end.control", "goal": "lookup.end.goal"}.get(how, "lookup.end.other")
    return {"how": how, "node": x.node_id, "title": node, "at": at,
            "words": say(code, node=quoted, at=str(at).replace("T", " ")[:16], how=how,
                         port=say("quote", text=x.exit_port or ""))}


def customer_label(crm: Crm, row: dict[str, Any]) -> tuple[Any, str]:
    """(id, "Anna Petrova · anna@example.com · +7 900 …") of a customer row, for lists."""
    name = crm.mapping.column

    def value(canonical: str) -> str:
        found = row.get(name("customers", canonical))
        return "" if found is None else str(found).strip()

    full = " ".join(p for p in (value("first_name"), value("last_name")) if p)
    parts = [p for p in (full, value("email"), value("phone")) if p]
    return row.get(name("customers", "id")), f"#{value('id')} " + " · ".join(parts)
