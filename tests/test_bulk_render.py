"""Issue 16: messages rendered in bulk, exactly as one by one.

Each template is compiled once per run and its Jinja context reused from customer to customer;
a page reads only the values its templates use and is written back with one statement
(PostgreSQL: arrays). Real SQLite files and the real PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime

from connectors.crm import Crm
from engine.render import PAGE
from engine.runner import tick
from engine.scenario import from_dict
from tests.helpers import make_crm, rows
from tests.test_engine import day
from tests.test_render_safety import messages_scenario, people


def _outbox(url: str, node_id: str) -> list[tuple]:
    return rows(url, f"SELECT customer_id, status, subject, body, error FROM scenarist_outbox "
                     f"WHERE node_id = '{node_id}' ORDER BY customer_id")


def test_a_variable_one_customer_set_is_not_seen_by_the_next(crm_url):
    make_crm(crm_url, people(3), [])
    body = "{% if customer.first_name == 'N2' %}{% set greeting = 'Dear' %}{% endif %}{{ greeting }} " \
           "{{ customer.first_name }}"
    crm = Crm.open(crm_url)
    result = tick(from_dict(messages_scenario(("mail", body))), crm, day(0))
    crm.dispose()
    undefined = "UndefinedError: 'greeting' is undefined"
    assert _outbox(crm_url, "mail") == [
        (1, "failed", None, None, undefined),
        (2, "pending", "Hi N2", "Dear N2", None),
        (3, "failed", None, None, undefined),
    ]
    assert result.counts["queued"] == 3 and result.counts["failed"] == 2


def test_a_template_using_the_whole_customer_sees_every_field(crm_url):
    people_ = [{**p, "city": "Омск", "birthday": datetime(1990, 5, 17)} for p in people(2)]
    make_crm(crm_url, people_, [])
    whole = "{{ customer|length }} fields, {{ customer|dictsort|map('first')|join(',') }}"
    crm = Crm.open(crm_url)
    tick(from_dict(messages_scenario(("whole", whole), ("one", "{{ customer.city }}"))), crm, day(0))
    crm.dispose()
    fields = "birthday,bonus_points,city,email,email_subscribed,first_name,id,last_name,phone,registered_at," \
             "sms_subscribed"
    assert _outbox(crm_url, "whole") == [(i, "pending", f"Hi N{i}", f"11 fields, {fields}", None) for i in (1, 2)]
    assert _outbox(crm_url, "one") == [(i, "pending", f"Hi N{i}", "Омск", None) for i in (1, 2)]


def test_pages_of_messages_render_each_customer_with_their_own_orders(crm_url):
    n = PAGE + 500  # two pages
    orders = [{"id": i, "customer_id": i, "created_at": datetime(2025, 1, 1 + i % 28, 12), "total": i}
              for i in range(1, n + 1) if i % 3 == 0]
    make_crm(crm_url, people(n), orders)
    body = "{{ customer.first_name }}: {{ orders.count }} order(s), {{ orders.total }}"
    crm = Crm.open(crm_url)
    result = tick(from_dict(messages_scenario(("mail", body))), crm, day(0))
    crm.dispose()
    found = _outbox(crm_url, "mail")
    assert len(found) == n and result.counts["queued"] == n and result.counts.get("failed", 0) == 0
    expected = [(i, "pending", f"Hi N{i}", f"N{i}: {1 if i % 3 == 0 else 0} order(s), {i if i % 3 == 0 else 0}",
                 None) for i in range(1, n + 1)]
    # SQLite and PostgreSQL write a total of 3 as 3 or 3.00 as the column's type says: compare as numbers.
    assert [(c, s, subj, b.rsplit(", ", 1)[0], e) for c, s, subj, b, e in found] == \
        [(c, s, subj, b.rsplit(", ", 1)[0], e) for c, s, subj, b, e in expected]
    assert [float(b.rsplit(", ", 1)[1]) for *_x, b, _e in found] == [float(b.rsplit(", ", 1)[1])
                                                                      for *_x, b, _e in expected]
