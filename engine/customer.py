"""One customer's story in the engine's tables: found by id, email or phone, then every
enrolment with its path, messages, bonuses, conversions and end.

Everything is read from what the runs already keep (enrolments, journal, outbox, bonus ledger)
and the shop's orders; nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from connectors.crm import Crm
from engine.conversions import windows
from engine.model import Scenario
from engine.scenario import from_dict, parse_text
from engine.state import NOT_COUNTED_AS_SENT, STATE

SUGGESTIONS = 10  # customers the search offers while one types
_NOT_DIGIT = re.compile(r"\D")


@dataclass
class Enrolment:
    """One time a customer went through a scenario.

    Attributes:
        scenario: The scenario's key.
        id: The enrolment's row.
        entered_at: When the customer entered (local time of the scenario).
        status: ``active`` or ``finished``.
        node_id: Where the customer is now, or where the way ended.
        ended_at: When it ended (None while active).
        exit_port: How it ended: None (an exit node or the end of a way), ``ended-by-user``, ...
        path: (node id, arrival time) in order.
        messages: Per message: node, channel, recipient, status, error, created_at, sent_at.
        bonuses: Per bonus: node, kind, amount, code, discount, issued_at, expires_at.
        conversions: Per order credited to this enrolment's messages: order, node, at, total.
    """

    scenario: str
    id: int
    entered_at: datetime
    status: str
    node_id: str
    ended_at: datetime | None
    exit_port: str | None
    path: list[tuple[str, datetime]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    bonuses: list[dict[str, Any]] = field(default_factory=list)
    conversions: list[dict[str, Any]] = field(default_factory=list)


def find_customers(conn: sa.Connection, crm: Crm, text: str, *, exact: bool = True,
                   limit: int = SUGGESTIONS) -> list[dict[str, Any]]:
    """Customers whose id, email or phone is ``text`` (``exact``), or begins with it, or whose
    name does (the search that suggests while one types). Each as {actual column: value}."""
    found = customer_match(crm, text, exact=exact)
    if found is None:
        return []
    rows = conn.execute(sa.select(crm.customers).where(found).order_by(crm.col("customers", "id")).limit(limit))
    return [dict(r) for r in rows.mappings()]


def customer_match(crm: Crm, text: str, *, exact: bool = True) -> sa.ColumnElement | None:
    """The SQL test of :func:`find_customers` on the customers table (None for blank text)."""
    text = text.strip()
    if not text:
        return None
    cid, email, phone = crm.col("customers", "id"), crm.col("customers", "email"), crm.col("customers", "phone")
    digits = _NOT_DIGIT.sub("", text)
    bare_phone = phone
    for ch in (" ", "-", "(", ")", "+", "."):
        bare_phone = sa.func.replace(bare_phone, ch, "")
    if exact:
        found = [sa.func.lower(email) == text.lower()]
        if text.isdigit() and int(text) <= _largest(cid):  # a phone's digits are no id to compare
            found.append(cid == int(text))
        if len(digits) >= 5:
            found.append(bare_phone == digits)
        return sa.or_(*found)
    prefix = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    found = [sa.func.lower(email).like(prefix, escape="\\"), sa.cast(cid, sa.String).like(prefix, escape="\\")]
    if digits:
        found.append(bare_phone.like(digits + "%"))
    for name in ("first_name", "last_name"):
        if crm.has("customers", name):
            found.append(sa.func.lower(crm.col("customers", name)).like(prefix, escape="\\"))
    return sa.or_(*found)


def _largest(column: sa.ColumnElement) -> int:
    """The largest id an integer column holds (PostgreSQL refuses to compare with a larger one)."""
    small = isinstance(column.type, sa.Integer) and not isinstance(column.type, sa.BigInteger)
    return 2**31 - 1 if small else 2**63 - 1


def known_scenarios(conn: sa.Connection) -> dict[str, Scenario]:
    """The latest published version of every scenario the engine ran, by key."""
    v = STATE.versions
    if not sa.inspect(conn).has_table(v.name):
        return {}
    latest = sa.select(v.c.scenario, sa.func.max(v.c.version).label("version")).group_by(v.c.scenario).subquery()
    out: dict[str, Scenario] = {}
    for key, body in conn.execute(sa.select(v.c.scenario, v.c.body).join(
            latest, sa.and_(v.c.scenario == latest.c.scenario, v.c.version == latest.c.version))):
        try:
            out[key] = from_dict(parse_text(body))
        except Exception:  # a version this Scenarist cannot read still has its enrolments listed
            continue
    return out


def customer_enrolments(conn: sa.Connection, crm: Crm, customer_id: Any,
                        scenarios: dict[str, Scenario]) -> list[Enrolment]:
    """Every enrolment of one customer in any scenario, oldest first, with what happened in it."""
    e, j, out, b = STATE.enrolments, STATE.journal, STATE.outbox, STATE.bonuses
    if not sa.inspect(conn).has_table(e.name):
        return []
    found = [Enrolment(r.scenario, r.id, r.entered_at, r.status, r.node_id, r.ended_at, r.exit_port)
             for r in conn.execute(sa.select(e).where(e.c.customer_id == customer_id)
                                   .order_by(e.c.entered_at, e.c.id))]
    by_id = {x.id: x for x in found}
    if not by_id:
        return []
    ids = list(by_id)
    for r in conn.execute(sa.select(j.c.enrolment_id, j.c.node_id, j.c.at).where(j.c.enrolment_id.in_(ids))
                          .order_by(j.c.at, j.c.id)):
        by_id[r.enrolment_id].path.append((r.node_id, r.at))
    for r in conn.execute(sa.select(out).where(out.c.enrolment_id.in_(ids)).order_by(out.c.created_at, out.c.id)
                          ).mappings():
        by_id[r["enrolment_id"]].messages.append(
            {k: r[k] for k in ("node_id", "channel", "recipient", "subject", "status", "error", "created_at",
                               "sent_at")})
    for r in conn.execute(sa.select(b).where(b.c.enrolment_id.in_(ids)).order_by(b.c.issued_at, b.c.id)).mappings():
        by_id[r["enrolment_id"]].bonuses.append(
            {"node_id": r["node_id"], "kind": r["kind"], "amount": float(r["amount"]) if r["amount"] is not None
             else None, "code": r["code"], "discount": r["discount"], "issued_at": r["issued_at"],
             "expires_at": r["expires_at"]})
    _credit_orders(conn, crm, customer_id, found, scenarios)
    return found


def _credit_orders(conn: sa.Connection, crm: Crm, customer_id: Any, found: list[Enrolment],
                   scenarios: dict[str, Scenario]) -> None:
    """Each completed order of the customer credited, as :mod:`engine.conversions` credits it, to
    the latest message of a scenario whose window it falls in (last touch within the scenario)."""
    created = crm.ts(crm.col("orders", "created_at"))
    orders = conn.execute(sa.select(crm.col("orders", "id"), created, crm.col("orders", "total"))
                          .where(crm.col("orders", "customer_id") == customer_id,
                                 crm.col("orders", "status").in_(crm.mapping.completed_statuses))
                          .order_by(created)).all()
    for key in {x.scenario for x in found}:
        scenario = scenarios.get(key)
        days = windows(scenario) if scenario is not None else {}
        flow = {n.id: i for i, n in enumerate(scenario.topological_order())} if scenario is not None else {}
        touches = [(_moment(m["sent_at"] or m["created_at"]), flow.get(m["node_id"], 0), m["node_id"], x)
                   for x in found if x.scenario == key for m in x.messages
                   if m["status"] not in NOT_COUNTED_AS_SENT and m["node_id"] in days]
        for order_id, ordered, total in orders:
            ordered = _moment(ordered)
            within = [t for t in touches if t[0] <= ordered < t[0] + timedelta(days=days[t[2]])]
            if within:
                _, _, node_id, enrolment = max(within, key=lambda t: (t[0], t[1]))
                enrolment.conversions.append({"order": order_id, "node_id": node_id, "at": ordered,
                                              "total": float(total or 0)})


def _moment(value: object) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime.fromisoformat(str(value))
