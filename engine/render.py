"""Rendering of queued outbox rows, one page of rows at a time.

Each page is read in a short transaction, rendered outside any transaction (a template may
use its whole time budget, and an SQLite write lock held meanwhile would lock out every other
writer of the shop's database) and written back in another short one. A value of the CRM that
cannot be read (SQLite stores anything: 'yesterday' as a date, bytes that are not UTF-8) fails
only the messages whose templates use it, with a reason that names the customer, the field and
the value. A template that runs out of its budget fails every message of its node in the run
with that one reason, without spending the budget again for each customer.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from connectors.templates import (
    MAX_RENDER_SECONDS,
    BudgetExceeded,
    Renderer,
    TemplateError,
    compile_template,
    render,
    unreadable,
)
from connectors.unsubscribe import UNSUBSCRIBE_MARK, fill
from engine.faults import checkpoint
from engine.model import Scenario
from engine.nodes import REGISTRY
from engine.sms import sms_nodes, sms_parts
from engine.state import FAILED, NEW, PENDING, STATE
from engine.template_vars import used_names

PAGE = 2000
SAMPLE_LINK = "https://unsubscribe.example/…"  # a sample's {{ unsubscribe_url }}: each recipient gets their own


def template_context(customer: dict, orders: dict, bonus: dict, scenario: Scenario) -> dict:
    """The plain-dict context every message template sees (see DESIGN.md)."""
    return {"customer": customer, "orders": orders, "bonus": bonus,
            "scenario": {"name": scenario.name, "id": scenario.key},
            "unsubscribe_url": UNSUBSCRIBE_MARK}  # each recipient's own link goes there when it is sent


# -- reading values that may not be what their column says -------------------------------------

class _NotUtf8(bytes):
    """The bytes of an SQLite TEXT value that is not valid UTF-8."""


def _lenient_text(raw: bytes) -> Any:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _NotUtf8(raw)


@contextmanager
def _lenient_sqlite_text(conn: Connection) -> Iterator[None]:
    """Let one SQLite TEXT value that is not UTF-8 reach the caller instead of failing the page."""
    dbapi = conn.connection.dbapi_connection if conn.dialect.name == "sqlite" else None
    if not isinstance(dbapi, sqlite3.Connection):
        yield
        return
    previous = dbapi.text_factory
    dbapi.text_factory = _lenient_text
    try:
        yield
    finally:
        dbapi.text_factory = previous


def _expected(column_type: sa.types.TypeEngine) -> str:
    if isinstance(column_type, sa.DateTime):
        return "a date and time"
    if isinstance(column_type, sa.Date):
        return "a date"
    if isinstance(column_type, sa.Numeric | sa.Float | sa.Integer):
        return "a number"
    if isinstance(column_type, sa.Boolean):
        return "true or false"
    return f"a {column_type.__class__.__name__} value"


def _fallback(column_type: sa.types.TypeEngine, value: Any) -> Any:
    """Forms SQLite keeps that SQLAlchemy's strict readers refuse (README: 'Connecting your own CRM')."""
    if isinstance(value, str):
        if isinstance(column_type, sa.DateTime):
            return datetime.fromisoformat(value)
        if isinstance(column_type, sa.Date):
            return datetime.fromisoformat(value).date()
        if isinstance(column_type, sa.Numeric):
            number = Decimal(value)
            if number.is_finite():
                return number
    raise ValueError(value)


class _Reader:
    """Reads raw column values and converts them one by one, so that one bad value stays one
    customer's problem."""

    def __init__(self, dialect: sa.Dialect):
        self.dialect = dialect
        # PostgreSQL keeps only what its column's type admits: its values come converted already.
        self.lenient = dialect.name == "sqlite"
        self._processors: dict[int, Any] = {}

    def raw(self, column: Any) -> Any:
        """The column without SQLAlchemy's conversion (which fails the whole page on one value)."""
        return sa.type_coerce(column, sa.types.NullType()) if self.lenient else column

    def value(self, column_type: sa.types.TypeEngine, value: Any, what: str) -> Any:
        """The value converted as its column's type says, or an unreadable value naming ``what``."""
        if value is None or not self.lenient:
            return value
        if isinstance(value, _NotUtf8):
            return unreadable(f"{what} holds text that is not valid UTF-8: {_shown(bytes(value))}")
        key = id(column_type)
        if key not in self._processors:
            self._processors[key] = column_type.dialect_impl(self.dialect).result_processor(self.dialect, None)
        convert = self._processors[key]
        if convert is None:
            return value
        try:
            return convert(value)
        except Exception:  # any failure to read is this one value's
            try:
                return _fallback(column_type, value)
            except Exception:
                return unreadable(f"{what} holds {_shown(value)}, which is not {_expected(column_type)}")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


# -- one page -------------------------------------------------------------------------------------

def _page_query(crm: Any, reader: _Reader, scenario_key: str, after_id: int, columns: list[sa.Column]) -> sa.Select:
    out = STATE.outbox
    cust = crm.customers
    customer_id = crm.col("customers", "id")
    return (
        sa.select(out.c.id, out.c.node_id, out.c.enrolment_id, out.c.customer_id.label("customer_key"),
                  *[reader.raw(c).label(f"c_{c.name}") for c in columns])
        .select_from(out.outerjoin(cust, customer_id == out.c.customer_id))
        .where(out.c.scenario == scenario_key, out.c.status == NEW, out.c.id > after_id)
        .order_by(out.c.id)
        .limit(PAGE)
    )


def _among(column: Any, values: list, conn: Connection) -> Any:
    """``column IN values``; on PostgreSQL as ``= ANY(array)``, one parameter instead of a page's
    thousands (planning those cost more than the lookup)."""
    if conn.dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, values, type_=postgresql.ARRAY(column.type)))
    return column.in_(values)


NO_ORDERS = {"count": 0, "total": 0, "last_order_at": None}


def _order_totals(conn: Connection, crm: Any, reader: _Reader, customer_ids: list[int]) -> dict[int, dict]:
    """Completed-order count, total and last date of each customer of a page, in one query."""
    owner, total = crm.col("orders", "customer_id"), crm.col("orders", "total")
    created = crm.col("orders", "created_at")
    query = (sa.select(owner, sa.func.count(), reader.raw(sa.func.coalesce(sa.func.sum(total), 0)),
                       reader.raw(sa.func.max(created)))
             .where(_among(owner, customer_ids, conn), crm.col("orders", "status").in_(crm.mapping.completed_statuses))
             .group_by(owner))
    return {cid: {"count": n,
                  "total": reader.value(total.type, amount, f"customer {cid}: orders.total"),
                  "last_order_at": reader.value(created.type, last, f"customer {cid}: orders.last_order_at")}
            for cid, n, amount, last in conn.execute(query).all()}


def _latest_bonuses(conn: Connection, enrolment_ids: list[int]) -> dict[int, dict]:
    """The latest bonus of each enrolment of a page, in one query.

    One lookup by the enrolments' index for the whole page: a correlated ``max(id)`` per row
    lets a planner without fresh statistics walk the whole ledger backwards for every message.
    """
    b = STATE.bonuses
    found: dict[int, tuple[int, dict]] = {}
    query = sa.select(b.c.enrolment_id, b.c.id, b.c.code, b.c.amount, b.c.discount, b.c.expires_at, b.c.kind) \
        .where(_among(b.c.enrolment_id, enrolment_ids, conn))
    for enrolment_id, bonus_id, code, amount, discount, expires_at, kind in conn.execute(query).all():
        if enrolment_id not in found or bonus_id > found[enrolment_id][0]:
            found[enrolment_id] = (bonus_id, {"code": code, "amount": amount, "discount": discount,
                                              "expires_at": expires_at, "kind": kind})
    return {enrolment_id: bonus for enrolment_id, (_id, bonus) in found.items()}


NO_BONUS: dict[str, Any] = {"code": None, "amount": None, "discount": None, "expires_at": None, "kind": None}


@contextmanager
def _reading(conn: Connection, begin: Callable[[Connection], Any]) -> Iterator[None]:
    """A short transaction that only reads: on SQLite it takes no write lock."""
    if conn.dialect.name != "sqlite":
        with begin(conn):
            yield
        return
    previous = conn.get_execution_options().get("sqlite_begin")
    conn.execution_options(sqlite_begin="DEFERRED")
    try:
        with begin(conn), _lenient_sqlite_text(conn):
            yield
    finally:
        conn.execution_options(sqlite_begin=previous or "IMMEDIATE")


def render_pending(conn: Connection, crm: Any, scenario: Scenario, local_now: datetime,
                   begin: Callable[[Connection], Any],
                   on_failed: Callable[[int], None] | None = None,
                   between_pages: Callable[[], None] | None = None,
                   on_parts: Callable[[dict[str, int]], None] | None = None) -> dict[str, int]:
    """Render every new outbox row of the scenario; returns counts of rendered and failed rows.

    A row whose template fails for its customer (an undefined name, a subject with a line
    break, a value of the CRM that cannot be read) is marked failed with the reason; the
    others go on. A template over its budget fails the rest of its node's rows in this call
    with the same reason. ``on_failed`` is called inside each page's write transaction with
    that page's failures, ``on_parts`` with the SMS parts the page's SMS nodes rendered (node id ->
    parts); ``between_pages`` after each page is written (it may raise to stop).
    Each template is compiled once, a page reads only the values its templates use, and its
    results are written back with one statement.
    """
    sms = sms_nodes(scenario)
    templates = _node_templates(scenario)
    needs = page_needs(scenario, crm)
    page = _Page(crm, scenario, _Reader(conn.dialect), needs, templates)
    done = {"rendered": 0, "failed": 0}
    after, number = 0, 0
    while True:
        with _reading(conn, begin):
            rows = page.read(conn, after)
        if not rows:
            return done
        updates = [page.render(row) for row in rows]
        failed = sum(1 for u in updates if u["s"] == FAILED)
        with begin(conn):
            write_page(conn, updates, local_now)
            if failed and on_failed:
                on_failed(failed)
            parts: dict[str, int] = {}
            for row, u in zip(rows, updates, strict=True):
                if u["s"] == PENDING and row["node_id"] in sms:
                    parts[row["node_id"]] = parts.get(row["node_id"], 0) + sms_parts(u["txt"] or "").parts
            if parts and on_parts:
                on_parts(parts)
        done["failed"] += failed
        done["rendered"] += len(updates) - failed
        after = rows[-1]["id"]
        number += 1
        checkpoint(f"render:{number}")
        if between_pages is not None:
            between_pages()


def _renders(node: Any) -> bool:
    """Whether the node's messages are rendered (it sends to customers, or notifies the staff)."""
    return REGISTRY[node.type].sends or REGISTRY[node.type].notifies


def _node_templates(scenario: Scenario) -> dict[str, tuple[Renderer, Renderer] | str]:
    """Each sending node's subject and body, compiled once for the whole render (or why not)."""
    templates: dict[str, tuple[Renderer, Renderer] | str] = {}
    for node in scenario.nodes:
        if _renders(node):
            try:
                templates[node.id] = (Renderer(compile_template(node.params.get("subject", ""))),
                                      Renderer(compile_template(node.params["body"])))
            except TemplateError as exc:  # validation refuses these: a node stays its own problem
                templates[node.id] = f"the template does not compile: {exc}"
    return templates


@dataclass
class Needs:
    """What the scenario's message templates read: the customer's fields (None: all of them, as
    when a template uses ``customer`` as a whole), and whether ``orders`` and ``bonus``."""

    fields: set[str] | None
    orders: bool
    bonus: bool


def page_needs(scenario: Scenario, crm: Any) -> Needs:
    """Needs of every sending node's subject and body together; anything unsure reads everything."""
    fields: set[str] | None = set()
    names: set[str] = set()
    for node in scenario.nodes:
        if not _renders(node):
            continue
        for source in (node.params.get("subject", ""), node.params.get("body", "")):
            try:
                read, own = used_names(source)
            except TemplateError:
                continue  # this node renders nothing
            names |= {name for name, _attr in read} | own
            if "customer" in own or any(name == "customer" and attr is None for name, attr in read):
                fields = None  # a template that sets or passes ``customer`` on gets every field
            elif fields is not None:
                fields |= {attr for name, attr in read if name == "customer" and attr is not None}
    return Needs(fields, "orders" in names, "bonus" in names)


class _Page:
    """Reads one page of new outbox rows with what their templates use, and renders a row."""

    def __init__(self, crm: Any, scenario: Scenario, reader: _Reader, needs: Needs, templates: dict):
        self.crm, self.scenario, self.reader, self.needs, self.templates = crm, scenario, reader, needs, templates
        names = _canonical_names(crm)
        self.columns = [(c, names.get(c.name, c.name)) for c in crm.customers.c
                        if needs.fields is None or names.get(c.name, c.name) in needs.fields]
        self.totals: dict[int, dict] = {}
        self.bonuses: dict[int, dict] = {}

    def read(self, conn: Connection, after: int) -> list:
        """The next page of rows after ``after``, with their order totals and latest bonuses."""
        query = _page_query(self.crm, self.reader, self.scenario.key, after, [c for c, _f in self.columns])
        rows = conn.execute(query).mappings().all()
        if rows and self.needs.orders:
            self.totals = _order_totals(conn, self.crm, self.reader, sorted({r["customer_key"] for r in rows}))
        if rows and self.needs.bonus:
            self.bonuses = _latest_bonuses(conn, sorted({r["enrolment_id"] for r in rows}))
        return rows

    def render(self, row: Any) -> dict:
        """The update of one row: its subject and body, or why it failed."""
        customer_id = row["customer_key"]
        customer = {field: self.reader.value(column.type, row[f"c_{column.name}"],
                                             f"customer {customer_id}: field '{field}'")
                    for column, field in self.columns}
        return _render_row(row, customer, self.totals, self.bonuses, self.templates, self.scenario)


_COLUMNS = ("oid", "subj", "txt", "s", "err")


def write_page(conn: Connection, updates: list[dict], local_now: datetime) -> None:
    """Write a page's results back in one statement: PostgreSQL takes them as arrays (one round
    trip instead of one per row), SQLite, in this process, as one prepared statement run per row."""
    out = STATE.outbox
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(
            f"UPDATE {out.name} AS o SET subject = v.subj, body = v.txt, status = v.s, error = v.err, "
            "rendered_at = :at FROM unnest(CAST(:oid AS BIGINT[]), CAST(:subj AS TEXT[]), CAST(:txt AS TEXT[]), "
            "CAST(:s AS TEXT[]), CAST(:err AS TEXT[])) AS v(oid, subj, txt, s, err) "
            "WHERE o.id = v.oid AND o.status = :new"),
            {"at": local_now, "new": NEW, **{key: [u[key] for u in updates] for key in _COLUMNS}})
        return
    conn.execute(out.update().where(out.c.id == sa.bindparam("oid"), out.c.status == NEW).values(
        subject=sa.bindparam("subj"), body=sa.bindparam("txt"), status=sa.bindparam("s"),
        error=sa.bindparam("err"), rendered_at=local_now), updates)


def _canonical_names(crm: Any) -> dict[str, str]:
    """The shop's customer column names -> the names templates use (``customer.first_name``)."""
    return {actual: canonical for canonical, actual in crm.mapping.columns.get("customers", {}).items()}


def _customer(row: Any, crm: Any, names: dict, reader: _Reader, customer_id: Any) -> dict:
    out = {}
    for column in crm.customers.c:
        field = names.get(column.name, column.name)
        out[field] = reader.value(column.type, row[f"c_{column.name}"], f"customer {customer_id}: field '{field}'")
    return out


def _render_row(row: Any, customer: dict, totals: dict[int, dict], bonuses: dict[int, dict], templates: dict,
                scenario: Scenario) -> dict:
    result = {"oid": row["id"], "subj": None, "txt": None, "s": FAILED, "err": None}
    node_id = row["node_id"]
    found = templates.get(node_id)
    if found is None:
        result["err"] = f"message node '{node_id}' is no longer in the scenario"
        return result
    if isinstance(found, str):  # the node failed: compile error, or out of budget earlier in this run
        result["err"] = found
        return result
    orders = dict(totals.get(row["customer_key"], NO_ORDERS))
    bonus = dict(bonuses.get(row["enrolment_id"], NO_BONUS))
    try:
        subject, body = render_message(found, template_context(customer, orders, bonus, scenario))
    except BudgetExceeded as exc:
        templates[node_id] = f"{exc}: not rendered for any customer of node '{node_id}' in this run"
        result["err"] = templates[node_id]
        return result
    except TemplateError as exc:
        result["err"] = str(exc)
        return result
    result.update(subj=subject, txt=body, s=PENDING)
    return result


def render_message(templates: tuple[Any, Any], context: dict) -> tuple[str, str]:
    """Subject and body of one message, within one time budget for both.

    Raises:
        BudgetExceeded: the templates ran out of time or built too much text.
        TemplateError: they fail for this customer (the message says why).
    """
    subject_tpl, body_tpl = (t if isinstance(t, Renderer) else Renderer(t) for t in templates)
    deadline = time.monotonic() + MAX_RENDER_SECONDS
    subject = subject_tpl(context, deadline=deadline)
    if "\r" in subject or "\n" in subject:
        raise TemplateError("the subject contains a line break")
    return subject, body_tpl(context, deadline=deadline)


def sample_customers(crm: Any, limit: int = 200) -> list[tuple[int, str]]:
    """(id, label) of the first customers, for a person to pick one to preview a message for."""
    cid = crm.col("customers", "id")
    names = [c for c in ("first_name", "last_name", "email", "phone") if crm.has("customers", c)]
    cols = [sa.type_coerce(crm.col("customers", c), sa.String) for c in names]
    with crm.engine.connect() as conn, _lenient_sqlite_text(conn):
        rows = conn.execute(sa.select(cid, *cols).order_by(cid).limit(limit)).all()
    labels = []
    for row in rows:  # "Anna Petrova · anna@example.com · +7 900 …", as the customer lookup lists them
        got = {n: _label(v).strip() for n, v in zip(names, row[1:], strict=True) if v not in (None, "")}
        full = " ".join(got[n] for n in ("first_name", "last_name") if got.get(n))
        labels.append((row[0], " · ".join(p for p in (full, got.get("email"), got.get("phone")) if p)))
    return labels


def _label(value: Any) -> str:
    return bytes(value).decode("utf-8", "replace") if isinstance(value, _NotUtf8) else str(value)


def _sample_bonus(scenario: Scenario, now: datetime) -> dict[str, Any]:
    """A sample of the bonus a message may show: from the scenario's first bonus node."""
    bonus_node = next((n for n in scenario.nodes if REGISTRY[n.type].grants), None)
    if bonus_node is None:
        return dict(NO_BONUS)
    p = bonus_node.params
    return {"code": f"{p.get('prefix', 'CODE')}-7K3Q9X" if p.get("kind") == "promo_code" else None,
            "amount": p.get("amount"), "discount": p.get("discount"), "kind": p.get("kind"),
            "expires_at": now + timedelta(days=p["expires_in_days"]) if "expires_in_days" in p else None}


def render_sample(crm: Any, scenario: Scenario, params: dict, customer_id: int, now: datetime,
                  link: str | None = SAMPLE_LINK) -> tuple[str, str]:
    """Subject and body of a message node's templates for one customer, as the engine would
    render them; the bonus is a sample built from the scenario's first bonus node. ``link`` is
    what ``{{ unsubscribe_url }}`` shows (None: the mark the channel fills when it sends).

    Raises:
        TemplateError: the template fails for this customer (the message says why).
        LookupError: no customer has this id.
    """
    cid = crm.col("customers", "id")
    with crm.engine.connect() as conn, _lenient_sqlite_text(conn):
        reader = _Reader(conn.dialect)
        row = conn.execute(sa.select(*[reader.raw(c).label(f"c_{c.name}") for c in crm.customers.c])
                           .where(cid == customer_id)).mappings().first()
        if row is None:
            raise LookupError(f"no customer with id {customer_id}")
        totals = _order_totals(conn, crm, reader, [customer_id]).get(customer_id, NO_ORDERS)
    customer = _customer(row, crm, _canonical_names(crm), reader, customer_id)
    bonus = _sample_bonus(scenario, now)
    context = template_context(customer, dict(totals), bonus, scenario)
    subject, body = render_message((compile_template(params.get("subject", "")),
                                    compile_template(params.get("body", ""))), context)
    if link is None:
        return subject, body
    return fill(subject, link), fill(body, link)


def rendered_parts(conn: Connection, crm: Any, scenario: Scenario, params: dict, customer_ids: list[int],
                   now: datetime) -> int:
    """The SMS parts a message node's body takes, rendered for each of ``customer_ids`` (a preview's
    count: the bonus is the sample one; a customer the template fails for takes none)."""
    template = compile_template(params.get("body", ""))
    names, reader = _canonical_names(crm), _Reader(conn.dialect)
    cid, total = crm.col("customers", "id"), 0
    bonus = _sample_bonus(scenario, now)
    for start in range(0, len(customer_ids), PAGE):
        page = customer_ids[start:start + PAGE]
        with _lenient_sqlite_text(conn):
            found = conn.execute(sa.select(*[reader.raw(c).label(f"c_{c.name}") for c in crm.customers.c])
                                 .where(cid.in_(page))).mappings().all()
            totals = _order_totals(conn, crm, reader, page)
        for row in found:
            key = row[f"c_{cid.name}"]
            try:
                customer = _customer(row, crm, names, reader, key)
                context = template_context(customer, dict(totals.get(key, NO_ORDERS)), dict(bonus), scenario)
                total += sms_parts(fill(render(template, context), SAMPLE_LINK)).parts
            except (TemplateError, BudgetExceeded):
                continue
    return total
