"""Rendering of queued outbox rows: one page of rows at a time, one commit per page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from connectors.templates import TemplateError, compile_template, render
from engine.faults import checkpoint
from engine.model import Scenario
from engine.nodes import REGISTRY
from engine.state import FAILED, NEW, PENDING, STATE

PAGE = 2000


def template_context(customer: dict, orders: dict, bonus: dict, scenario: Scenario) -> dict:
    """The plain-dict context every message template sees (see DESIGN.md)."""
    return {"customer": customer, "orders": orders, "bonus": bonus,
            "scenario": {"name": scenario.name, "id": scenario.key}}


def _page_query(crm: Any, scenario_key: str, after_id: int) -> sa.Select:
    out, b = STATE.outbox, STATE.bonuses
    cust = crm.customers
    customer_id = crm.col("customers", "id")
    mine = b.alias("mine")
    latest_bonus = sa.select(sa.func.max(mine.c.id)).where(mine.c.enrolment_id == out.c.enrolment_id).scalar_subquery()
    return (
        sa.select(
            out.c.id, out.c.node_id, out.c.customer_id.label("customer_key"),
            *[c.label(f"c_{c.name}") for c in cust.c],
            b.c.code.label("b_code"), b.c.amount.label("b_amount"), b.c.discount.label("b_discount"),
            b.c.expires_at.label("b_expires_at"), b.c.kind.label("b_kind"),
        )
        .select_from(out.outerjoin(cust, customer_id == out.c.customer_id)
                     .outerjoin(b, b.c.id == latest_bonus))
        .where(out.c.scenario == scenario_key, out.c.status == NEW, out.c.id > after_id)
        .order_by(out.c.id)
        .limit(PAGE)
    )


def _order_totals(conn: Connection, crm: Any, customer_ids: list[int]) -> dict[int, dict]:
    """Completed-order count, total and last date of each customer of a page, in one query."""
    owner = crm.col("orders", "customer_id")
    query = (sa.select(owner, sa.func.count(), sa.func.coalesce(sa.func.sum(crm.col("orders", "total")), 0),
                       sa.func.max(crm.col("orders", "created_at")))
             .where(owner.in_(customer_ids), crm.col("orders", "status").in_(crm.mapping.completed_statuses))
             .group_by(owner))
    return {cid: {"count": n, "total": total, "last_order_at": last}
            for cid, n, total, last in conn.execute(query).all()}


def render_pending(conn: Connection, crm: Any, scenario: Scenario, local_now: datetime,
                   begin: Callable[[Connection], Any],
                   on_failed: Callable[[int], None] | None = None) -> dict[str, int]:
    """Render every new outbox row of the scenario; returns counts of rendered and failed rows.

    A row whose template fails for its customer (an undefined name, a subject with a line
    break, an oversized text) is marked failed with the reason; the others go on.
    ``on_failed`` is called inside each page's transaction with that page's failures.
    """
    templates: dict[str, tuple[Any, Any]] = {}
    for node in scenario.nodes:
        if REGISTRY[node.type].sends:
            templates[node.id] = (compile_template(node.params.get("subject", "")),
                                  compile_template(node.params["body"]))
    names = _canonical_names(crm)
    done = {"rendered": 0, "failed": 0}
    after, page = 0, 0
    while True:
        with begin(conn):
            rows = conn.execute(_page_query(crm, scenario.key, after)).mappings().all()
            if not rows:
                return done
            totals = _order_totals(conn, crm, sorted({row["customer_key"] for row in rows}))
            updates = [_render_row(row, totals, templates, names, scenario) for row in rows]
            failed = sum(1 for u in updates if u["s"] == FAILED)
            done["failed"] += failed
            done["rendered"] += len(updates) - failed
            if failed and on_failed:
                on_failed(failed)
            out = STATE.outbox
            conn.execute(out.update().where(out.c.id == sa.bindparam("oid")).values(
                subject=sa.bindparam("subj"), body=sa.bindparam("txt"), status=sa.bindparam("s"),
                error=sa.bindparam("err"), rendered_at=local_now), updates)
            after = rows[-1]["id"]
        page += 1
        checkpoint(f"render:{page}")


def _canonical_names(crm: Any) -> dict[str, str]:
    """The shop's customer column names -> the names templates use (``customer.first_name``)."""
    return {actual: canonical for canonical, actual in crm.mapping.columns.get("customers", {}).items()}


NO_ORDERS = {"count": 0, "total": 0, "last_order_at": None}


def _render_row(row: Any, totals: dict[int, dict], templates: dict, names: dict, scenario: Scenario) -> dict:
    result = {"oid": row["id"], "subj": None, "txt": None, "s": FAILED, "err": None}
    if row["node_id"] not in templates:
        result["err"] = f"message node '{row['node_id']}' is no longer in the scenario"
        return result
    customer = {names.get(k[2:], k[2:]): v for k, v in row.items() if k.startswith("c_")}
    orders = dict(totals.get(row["customer_key"], NO_ORDERS))
    bonus = {"code": row["b_code"], "amount": row["b_amount"], "discount": row["b_discount"],
             "expires_at": row["b_expires_at"], "kind": row["b_kind"]}
    subject_tpl, body_tpl = templates[row["node_id"]]
    context = template_context(customer, orders, bonus, scenario)
    try:
        subject = render(subject_tpl, context)
        if "\r" in subject or "\n" in subject:
            raise TemplateError("the subject contains a line break")
        body = render(body_tpl, context)
    except TemplateError as exc:
        result["err"] = str(exc)
        return result
    result.update(subj=subject, txt=body, s=PENDING)
    return result


def sample_customers(crm: Any, limit: int = 200) -> list[tuple[int, str]]:
    """(id, label) of the first customers, for a person to pick one to preview a message for."""
    cid = crm.col("customers", "id")
    cols = [crm.col("customers", c) for c in ("first_name", "email") if crm.has("customers", c)]
    with crm.engine.connect() as conn:
        rows = conn.execute(sa.select(cid, *cols).order_by(cid).limit(limit)).all()
    return [(row[0], " · ".join(str(v) for v in row if v not in (None, ""))) for row in rows]


def render_sample(crm: Any, scenario: Scenario, params: dict, customer_id: int, now: datetime) -> tuple[str, str]:
    """Subject and body of a message node's templates for one customer, as the engine would
    render them; the bonus is a sample built from the scenario's first bonus node.

    Raises:
        TemplateError: the template fails for this customer (the message says why).
        LookupError: no customer has this id.
    """
    cid = crm.col("customers", "id")
    with crm.engine.connect() as conn:
        row = conn.execute(sa.select(crm.customers).where(cid == customer_id)).mappings().first()
        if row is None:
            raise LookupError(f"no customer with id {customer_id}")
        totals = _order_totals(conn, crm, [customer_id]).get(customer_id, NO_ORDERS)
    names = _canonical_names(crm)
    customer = {names.get(k, k): v for k, v in row.items()}
    bonus_node = next((n for n in scenario.nodes if REGISTRY[n.type].grants), None)
    bonus: dict[str, Any] = {"code": None, "amount": None, "discount": None, "expires_at": None, "kind": None}
    if bonus_node is not None:
        p = bonus_node.params
        bonus = {"code": f"{p.get('prefix', 'CODE')}-7K3Q9X" if p.get("kind") == "promo_code" else None,
                 "amount": p.get("amount"), "discount": p.get("discount"), "kind": p.get("kind"),
                 "expires_at": now + timedelta(days=p["expires_in_days"]) if "expires_in_days" in p else None}
    context = template_context(customer, dict(totals), bonus, scenario)
    subject = render(compile_template(params.get("subject", "")), context)
    if "\r" in subject or "\n" in subject:
        raise TemplateError("the subject contains a line break")
    return subject, render(compile_template(params.get("body", "")), context)
