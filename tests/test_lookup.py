"""Customer lookup: `why` on the command line, on SQLite and PostgreSQL and on a mapped CRM.

A small shop where every fact is known by hand: Anna entered on 2 March 2026 at 10:00, got the
"We miss you" email, was skipped by the SMS (no SMS consent), got a promo code and the "Your
code" email, ordered 2 500 on 3 March (credited to the last email: last touch), and left at the
exit on 5 March after a 3-day wait. Boris fails the filter's 180-day condition today.
"""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa

from tests.helpers import make_crm, query
from tests.test_cli import cli
from tests.test_engine_events import add

AT = "2026-03-02T10:00"
SCENARIO = {
    "format": "scenarist.scenario", "version": 1, "name": "Lookup story", "id": "lookup-story",
    "settings": {"timezone": "Europe/Moscow", "reentry_days": 180},
    "nodes": [
        {"id": "start", "type": "trigger", "title": "Every morning", "position": [0, 0],
         "params": {"kind": "schedule", "at": "10:00"}},
        {"id": "churned", "type": "filter", "title": "Churned", "position": [200, 0],
         "params": {"match": "all", "conditions": [
             {"kind": "field", "field": "email_subscribed", "op": "is_true"},
             {"kind": "orders", "agg": "count", "op": "ge", "value": 1},
             {"kind": "orders", "agg": "count", "within_days": 180, "op": "eq", "value": 0}]}},
        {"id": "mail1", "type": "message", "title": "We miss you", "position": [400, 0],
         "params": {"channel": "email", "subject": "We miss you", "body": "Come back"}},
        {"id": "sms1", "type": "message", "title": "SMS nudge", "position": [600, 0],
         "params": {"channel": "sms", "body": "Come back"}},
        {"id": "promo", "type": "bonus", "title": "Promo code", "position": [800, 0],
         "params": {"kind": "promo_code", "prefix": "BACK", "discount": "500 off", "expires_in_days": 14}},
        {"id": "mail2", "type": "message", "title": "Your code", "position": [1000, 0],
         "params": {"channel": "email", "subject": "Your code {{ bonus.code }}", "body": "{{ bonus.code }}"}},
        {"id": "wait3", "type": "wait", "title": "Three days", "position": [1200, 0], "params": {"days": 3}},
        {"id": "bye", "type": "exit", "title": "Goodbye", "position": [1400, 0], "params": {}},
    ],
    "edges": [{"source": a, "port": p, "target": b} for a, p, b in (
        ("start", "out", "churned"), ("churned", "yes", "mail1"), ("mail1", "out", "sms1"), ("sms1", "out", "promo"),
        ("promo", "out", "mail2"), ("mail2", "out", "wait3"), ("wait3", "out", "bye"))],
}
CUSTOMERS = [{"id": 1, "email": "anna@example.com", "phone": "+7 (900) 111-22-33", "first_name": "Anna"},
             {"id": 2, "email": "boris@example.com", "phone": "+7 900 444 55 66", "first_name": "Boris"}]
ORDERS = [{"id": 10, "customer_id": 1, "created_at": datetime(2025, 8, 1, 12)},
          {"id": 11, "customer_id": 2, "created_at": datetime(2025, 6, 1, 12)},
          {"id": 12, "customer_id": 2, "created_at": datetime(2026, 1, 15, 12)}]


def shop(tmp_path, url: str) -> tuple[str, str]:
    """The scenario file and a settings file with a file channel for email, after the story's runs."""
    make_crm(url, CUSTOMERS, ORDERS)
    path = tmp_path / "story.scenario.json"
    path.write_text(json.dumps(SCENARIO), encoding="utf-8")
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[channels.email]\nkind = "file"\nfolder = "{tmp_path / "outbox"}"\n', encoding="utf-8")
    for at in (AT, "2026-03-05T10:00"):
        done = cli("run", str(path), "--crm", url, "--settings", str(settings), "--at", at)
        assert done.returncode == 0, done.stderr
        if at == AT:
            add(url, "orders", [{"id": 13, "customer_id": 1, "created_at": datetime(2026, 3, 3, 12), "total": 2500,
                                 "status": "completed"}])
    return str(path), str(settings)


def why(path: str, url: str, settings: str, customer: str, at: str = "2026-03-06T10:00") -> dict:
    done = cli("why", path, "--crm", url, "--settings", settings, "--customer", customer, "--at", at, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_story_of_a_customer_who_converted(tmp_path, crm_url):
    path, settings = shop(tmp_path, crm_url)
    found = why(path, crm_url, settings, "anna@example.com")
    assert found["customer"]["first_name"] == "Anna" and found["customer"]["id"] == 1
    (story,) = found["enrolments"]
    assert (story["scenario_name"], story["entered_at"], story["status"]) == \
        ("Lookup story", "2026-03-02T10:00:00", "finished")
    assert [(p["title"], p["at"]) for p in story["path"]] == [
        ("We miss you", "2026-03-02T10:00:00"), ("SMS nudge", "2026-03-02T10:00:00"),
        ("Promo code", "2026-03-02T10:00:00"), ("Your code", "2026-03-02T10:00:00"),
        ("Three days", "2026-03-02T10:00:00"), ("Goodbye", "2026-03-05T10:00:00")]
    assert [(m["title"], m["channel"], m["status"], m["reason"]) for m in story["messages"]] == [
        ("We miss you", "email", "sent", None),
        ("SMS nudge", "sms", "skipped", "no consent to SMS or no phone number"),
        ("Your code", "email", "sent", None)]
    (bonus,) = story["bonuses"]
    assert bonus["title"] == "Promo code" and bonus["code"].startswith("BACK") and bonus["discount"] == "500 off"
    assert bonus["expires_at"] == "2026-03-16T10:00:00"
    code = query(crm_url, "SELECT code FROM scenarist_bonuses WHERE customer_id = 1")[0][0]
    assert bonus["code"] == code
    # The order of 3 March is within both emails' week; the later one along the flow gets it.
    assert story["conversions"] == [{"order": 13, "node": "mail2", "title": "Your code",
                                     "at": "2026-03-03T12:00:00", "total": 2500.0}]
    assert story["end"] == {"how": "exit", "node": "bye", "title": "Goodbye", "at": "2026-03-05T10:00:00",
                            "words": "left the scenario at 'Goodbye' on 2026-03-05 10:00"}
    # Today she would not enter: she left the scenario on 5 March, within the 180 days of re-entry.
    start = found["explain"][0]
    assert start["node"] == "start" and start["passed"] is False
    assert start["conditions"][1] == {
        "condition": "is not in this scenario now and did not leave it in the last 180 days",
        "value": "left it 2026-03-05", "passed": False}
    # The same customer by id and by phone, written another way.
    assert why(path, crm_url, settings, "1")["customer"]["email"] == "anna@example.com"
    assert why(path, crm_url, settings, "89001112233".replace("8", "7", 1))["customer"]["id"] == 1


def test_the_explanation_names_the_failing_condition_with_the_real_value(tmp_path, crm_url):
    path, settings = shop(tmp_path, crm_url)
    found = why(path, crm_url, settings, "boris@example.com", AT)
    assert found["enrolments"] == []
    start, churned = found["explain"]
    assert start == {"node": "start", "title": "Every morning", "passed": True,
                     "outcome": "goes on to 'Churned'", "conditions": [
                         {"condition": "Every day at 10:00, customers enter the scenario",
                          "value": "every customer", "passed": True},
                         {"condition": "is not in this scenario now and did not leave it in the last 180 days",
                          "value": "never in it", "passed": True}]}
    assert churned["passed"] is False
    assert churned["outcome"] == "goes on by 'no', the way ends after 'Churned'"
    assert churned["conditions"] == [
        {"condition": "subscribed to email", "value": "email_subscribed: true", "passed": True},
        {"condition": "with at least 1 order", "value": "2 orders, the last 2026-01-15", "passed": True},
        {"condition": "with no order in the last 180 days",
         "value": "1 order in the last 180 days, the last 2026-01-15", "passed": False}]


def test_a_customer_who_holds_every_condition(tmp_path, sqlite_url):
    """Anna on 2 March before she entered: the 180-day condition holds with her last order named."""
    make_crm(sqlite_url, CUSTOMERS, ORDERS)
    path = tmp_path / "story.scenario.json"
    path.write_text(json.dumps(SCENARIO), encoding="utf-8")
    settings = tmp_path / "settings.toml"
    settings.write_text("", encoding="utf-8")
    found = why(str(path), sqlite_url, str(settings), "anna@example.com", AT)
    churned = found["explain"][1]
    assert churned["passed"] is True and churned["outcome"] == "goes on by 'yes', enters at 'We miss you'"
    assert churned["conditions"][2] == {"condition": "with no order in the last 180 days",
                                        "value": "last completed order 2025-08-01", "passed": True}


def test_a_mapped_crm_shows_the_shops_own_column_names(tmp_path, crm_url):
    from tests.helpers import engine_for

    engine = engine_for(crm_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE clients (client_no INTEGER PRIMARY KEY, mail VARCHAR(100), "
                             "tel VARCHAR(30), fname VARCHAR(50), lname VARCHAR(50), signed_up TIMESTAMP, "
                             "mail_ok BOOLEAN, sms_ok BOOLEAN)"))
        conn.execute(sa.text("CREATE TABLE purchases (no INTEGER PRIMARY KEY, client_no INTEGER, "
                             "placed TIMESTAMP, amount NUMERIC(12,2), state VARCHAR(20))"))
        conn.execute(sa.text("INSERT INTO clients VALUES (7, 'olga@example.com', '+79005550000', 'Olga', 'K', "
                             "'2020-01-01 00:00:00', true, false)"))
        conn.execute(sa.text("INSERT INTO purchases VALUES (1, 7, '2025-12-20 12:00:00', 990, 'done')"))
    engine.dispose()
    settings = tmp_path / "settings.toml"
    settings.write_text(
        f'[[crm]]\nurl = "{crm_url}"\ncompleted_statuses = ["done"]\n'
        '[crm.tables]\ncustomers = "clients"\norders = "purchases"\n'
        '[crm.customers]\nid = "client_no"\nemail = "mail"\nphone = "tel"\nfirst_name = "fname"\n'
        'last_name = "lname"\nregistered_at = "signed_up"\nemail_subscribed = "mail_ok"\nsms_subscribed = "sms_ok"\n'
        '[crm.orders]\nid = "no"\ncustomer_id = "client_no"\ncreated_at = "placed"\ntotal = "amount"\n'
        'status = "state"\n', encoding="utf-8")
    path = tmp_path / "story.scenario.json"
    path.write_text(json.dumps(SCENARIO), encoding="utf-8")
    found = why(str(path), crm_url, str(settings), "OLGA@example.com", AT)
    assert found["customer"]["client_no"] == 7 and found["customer"]["mail"] == "olga@example.com"
    assert found["explain"][1]["conditions"] == [
        {"condition": "subscribed to email", "value": "mail_ok: true", "passed": True},
        {"condition": "with at least 1 order", "value": "1 order, the last 2025-12-20", "passed": True},
        {"condition": "with no order in the last 180 days",
         "value": "1 order in the last 180 days, the last 2025-12-20", "passed": False}]


def test_an_unknown_customer_is_bad_input(tmp_path, sqlite_url):
    make_crm(sqlite_url, CUSTOMERS, ORDERS)
    path = tmp_path / "story.scenario.json"
    path.write_text(json.dumps(SCENARIO), encoding="utf-8")
    done = cli("why", str(path), "--crm", sqlite_url, "--customer", "nobody@example.com")
    assert done.returncode == 2
    assert done.stderr.strip() == "error: no customer has the id, email or phone 'nobody@example.com'"


def test_why_without_json_prints_the_facts_for_people(tmp_path, sqlite_url):
    path, settings = shop(tmp_path, sqlite_url)
    done = cli("why", path, "--crm", sqlite_url, "--settings", settings, "--customer", "2", "--at", AT)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "  Churned: goes on by 'no', the way ends after 'Churned'" in lines
    assert "    with no order in the last 180 days: 1 order in the last 180 days, the last 2026-01-15: does not hold" \
        in lines
