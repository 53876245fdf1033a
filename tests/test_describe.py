"""Plain-language descriptions: exact sentences for representative nodes, every condition kind
and operator, the node types and settings being added, and no failure on anything unknown."""

from __future__ import annotations

import pytest

from engine.describe import (
    describe_condition,
    describe_conditions,
    describe_node,
    describe_settings,
    describe_window,
)
from engine.nodes import REGISTRY
from engine.scenario import Node, Scenario, from_dict
from tests.helpers import reactivation


def scenario_with(*nodes: Node) -> Scenario:
    """A scenario holding ``nodes`` plus a bonus node 'promo' titled for references."""
    promo = Node("promo", "bonus", {"kind": "promo_code", "prefix": "BACK"}, title="Promo code 500")
    return Scenario(name="t", nodes=[promo, *nodes], edges=[])


def node_text(type_name: str, params: dict) -> str:
    node = Node("n1", type_name, params)
    return describe_node(scenario_with(node), node)


def test_reactivation_template_in_words() -> None:
    scenario = from_dict(reactivation())
    said = {n.id: describe_node(scenario, n) for n in scenario.nodes}
    assert said == {
        "start": "Every day at 10:00, customers enter the scenario.",
        "churned": "Customers with a valid email, subscribed to email, registered more than 180 days ago, "
                   "with at least 1 order and no order in the last 180 days go on by 'yes'; the others by 'no'.",
        "mail1": "Send an email '[first name], we miss you'",  # variables said as what they show
        "wait7": "Wait 7 days",
        "promo": "Give a promo code (500 ₽ off), valid 14 days",
        "mail2": "Send an email '[first name], a gift for you: [discount]'",
        "wait12": "Wait 12 days",
        "used": "Customers who used the bonus from 'Promo code 500' go on by 'yes'; the others by 'no'.",
        "mail3": "Send an email 'Your code [promo code] expires in two days'",
    }
    # Whoever ordered since entering is done: the scenario's goal says so, no filter repeats it.
    assert dict(describe_settings(scenario.settings))["Goal"] == (
        "Customers with at least 1 order since entering the scenario have reached the goal: they leave the "
        "scenario at once, wherever they wait, and get nothing more from it.")


@pytest.mark.parametrize(("params", "expected"), [
    ({"days": 7, "release_at": "10:00"}, "Wait 7 days (then until 10:00)"),
    ({"days": 1}, "Wait 1 day"),
    ({"hours": 3}, "Wait 3 hours"),
    ({"minutes": 30, "release_at": "09:30"}, "Wait 30 minutes (then until 09:30)"),
])
def test_wait(params: dict, expected: str) -> None:
    assert node_text("wait", params) == expected


@pytest.mark.parametrize(("params", "expected"), [
    ({"channel": "email", "subject": "We miss you, {{ customer.first_name }}", "body": "x"},
     "Send an email 'We miss you, [first name]'"),
    ({"channel": "sms", "body": "Hello!\nYour code is {{ bonus.code }}"},
     "Send an SMS 'Hello! Your code is [promo code]'"),
    ({"channel": "webhook", "body": "a" * 100}, "Send a webhook message '" + "a" * 79 + "…'"),
    ({"channel": "email", "subject": "Hi", "body": "x", "delay_days": 2, "conversion_days": 7},
     "Send an email 'Hi' 2 days later; an order within 7 days counts as its conversion"),
    ({"channel": "email", "subject": "", "body": ""}, "Send an email"),
])
def test_message(params: dict, expected: str) -> None:
    assert node_text("message", params) == expected


@pytest.mark.parametrize(("params", "expected"), [
    ({"kind": "points", "amount": 500, "expires_in_days": 14}, "Give 500 points, valid 14 days"),
    ({"kind": "points", "amount": 1, "expires_in_days": 1}, "Give 1 point, valid 1 day"),
    ({"kind": "points", "amount": 2500.0}, "Give 2,500 points"),
    ({"kind": "promo_code", "prefix": "BACK", "discount": "10%", "expires_in_days": 14},
     "Give a promo code (10% off), valid 14 days"),
    ({"kind": "promo_code", "prefix": "BACK", "discount": "free delivery"}, "Give a promo code (free delivery)"),
    ({"kind": "promo_code", "prefix": "BACK", "amount": 300}, "Give a promo code worth 300"),
    ({"kind": "promo_code", "prefix": "BACK"}, "Give a promo code"),
])
def test_bonus(params: dict, expected: str) -> None:
    assert node_text("bonus", params) == expected


def test_split_and_exit() -> None:
    assert node_text("split", {"branches": [{"port": "a", "weight": 50}, {"port": "b", "weight": 50}]}) \
        == "A/B split: a 50%, b 50%"
    assert node_text("split", {"branches": [{"port": "a", "weight": 1}, {"port": "b", "weight": 1},
                                            {"port": "c", "weight": 1}]}) == "A/B split: a 33.3%, b 33.3%, c 33.3%"
    assert node_text("exit", {}) == "The customer leaves the scenario."


@pytest.mark.parametrize(("params", "expected"), [
    ({"kind": "schedule", "at": "09:00"}, "Every day at 09:00, customers enter the scenario."),
    ({"kind": "new_customer", "at": "10:00"},
     "Every day at 10:00, customers who registered since the previous entry enter the scenario."),
    ({"kind": "new_order", "at": "10:00"},
     "Every day at 10:00, customers who placed an order since the previous entry enter the scenario."),
    ({"kind": "event", "at": "10:00", "event": "cart_abandoned"},
     "Every day at 10:00, customers with the event 'cart_abandoned' since the previous entry enter the scenario."),
    ({"kind": "date", "at": "10:00", "field": "birthday", "days_before": 3},
     "Every day at 10:00, customers whose birthday comes in 3 days enter the scenario."),
    ({"kind": "date", "at": "08:00", "field": "first_order"},
     "Every day at 08:00, customers whose first order's anniversary comes today enter the scenario."),
    ({"kind": "date", "at": "08:00", "field": "wedding_day", "days_before": 1},
     "Every day at 08:00, customers whose wedding day comes tomorrow enter the scenario."),
])
def test_trigger_kinds(params: dict, expected: str) -> None:
    assert node_text("trigger", params) == expected


def test_switch() -> None:
    params = {"branches": [
        {"port": "vip", "match": "all", "conditions": [{"kind": "orders", "agg": "sum", "op": "ge", "value": 50000}]},
        {"port": "sms", "match": "any", "conditions": [
            {"kind": "field", "field": "sms_subscribed", "op": "is_true"},
            {"kind": "field", "field": "phone", "op": "is_set"}]},
        {"port": "other"},
    ]}
    assert node_text("switch", params) == (
        "Customers with orders totalling at least 50,000 go on by 'vip'; then customers subscribed to SMS or "
        "with a phone number by 'sms'; the others by 'other'.")


@pytest.mark.parametrize(("params", "expected"), [
    ({"event": "order", "days": 5},
     "Wait up to 5 days for an order: customers who order go on by 'event', the others by 'timeout'."),
    ({"event": "app_opened", "days": 1},
     "Wait up to 1 day for the event 'app_opened': customers with it go on by 'event', the others by 'timeout'."),
])
def test_wait_event(params: dict, expected: str) -> None:
    assert node_text("wait_event", params) == expected


def test_filter_without_conditions() -> None:
    assert node_text("filter", {"match": "all", "conditions": []}) == "All customers go on by 'yes'."
    assert node_text("filter", {"match": "any", "conditions": []}) == "All customers go on by 'no'."


FIELD_CASES = [
    ({"field": "email", "op": "is_valid_email"}, "with a valid email"),
    ({"field": "work_email", "op": "is_valid_email"}, "whose work email is a valid email address"),
    ({"field": "email_subscribed", "op": "is_true"}, "subscribed to email"),
    ({"field": "email_subscribed", "op": "is_false"}, "not subscribed to email"),
    ({"field": "sms_subscribed", "op": "is_false"}, "not subscribed to SMS"),
    ({"field": "vip", "op": "is_true"}, "whose vip is true"),
    ({"field": "vip", "op": "is_false"}, "whose vip is not true"),
    ({"field": "phone", "op": "is_set"}, "with a phone number"),
    ({"field": "phone", "op": "is_empty"}, "without a phone number"),
    ({"field": "city", "op": "is_set"}, "whose city is filled in"),
    ({"field": "city", "op": "is_empty"}, "whose city is empty"),
    ({"field": "registered_at", "op": "older_than_days", "value": 180}, "registered more than 180 days ago"),
    ({"field": "registered_at", "op": "newer_than_days", "value": 1}, "registered less than 1 day ago"),
    ({"field": "birthday", "op": "older_than_days", "value": 30}, "whose birthday is more than 30 days ago"),
    ({"field": "last_visit", "op": "newer_than_days", "value": 7}, "whose last visit is less than 7 days ago"),
    ({"field": "city", "op": "eq", "value": "Moscow"}, "whose city is 'Moscow'"),
    ({"field": "city", "op": "ne", "value": "Moscow"}, "whose city is not 'Moscow'"),
    ({"field": "bonus_points", "op": "lt", "value": 100}, "whose bonus balance is less than 100"),
    ({"field": "bonus_points", "op": "le", "value": 100}, "whose bonus balance is at most 100"),
    ({"field": "bonus_points", "op": "gt", "value": 1500}, "whose bonus balance is more than 1,500"),
    ({"field": "bonus_points", "op": "ge", "value": 0.5}, "whose bonus balance is at least 0.5"),
    ({"field": "vip", "op": "eq", "value": True}, "whose vip is true"),
    ({"field": "registered_at", "op": "lt", "value": "2024-01-01"}, "whose registration date is before '2024-01-01'"),
    ({"field": "registered_at", "op": "ge", "value": "2024-01-01"},
     "whose registration date is on or after '2024-01-01'"),
    ({"field": "registered_at", "op": "eq", "value": "2024-01-01"}, "whose registration date is '2024-01-01'"),
    ({"field": "city", "op": "in", "value": ["Moscow", "Kazan"]}, "whose city is one of 'Moscow', 'Kazan'"),
    ({"field": "email", "op": "contains", "value": "@gmail."}, "whose email contains '@gmail.'"),
]


@pytest.mark.parametrize(("cond", "expected"), FIELD_CASES)
def test_field_conditions(cond: dict, expected: str) -> None:
    assert describe_condition({"kind": "field", **cond}) == expected


def test_every_field_op_is_covered() -> None:
    from engine.conditions import FIELD_OPS

    assert {c["op"] for c, _ in FIELD_CASES} == set(FIELD_OPS)


ORDER_CASES = [
    ({"agg": "count", "op": "ge", "value": 1}, "with at least 1 order"),
    ({"agg": "count", "op": "gt", "value": 0}, "with at least 1 order"),
    ({"agg": "count", "op": "ne", "value": 0}, "with at least 1 order"),
    ({"agg": "count", "op": "eq", "value": 0, "within_days": 180}, "with no order in the last 180 days"),
    ({"agg": "count", "op": "lt", "value": 1, "within_days": 1}, "with no order today"),
    ({"agg": "count", "op": "le", "value": 0, "since": "entry"}, "with no order since entering the scenario"),
    ({"agg": "count", "op": "ge", "value": 0}, "with any number of orders"),
    ({"agg": "count", "op": "gt", "value": 7}, "with more than 7 orders"),
    ({"agg": "count", "op": "lt", "value": 7, "within_days": 30}, "with fewer than 7 orders in the last 30 days"),
    ({"agg": "count", "op": "le", "value": 2}, "with at most 2 orders"),
    ({"agg": "count", "op": "eq", "value": 1}, "with exactly 1 order"),
    ({"agg": "count", "op": "ne", "value": 3}, "with not exactly 3 orders"),
    ({"agg": "count", "op": "ge", "value": 1, "since": "node:promo"}, "with at least 1 order since reaching "
                                                                      "'Promo code 500'"),
    ({"agg": "count", "op": "ge", "value": 1, "status": ["paid", "shipped"]},
     "with at least 1 order with status 'paid' or 'shipped'"),
    ({"agg": "sum", "op": "ge", "value": 3000, "within_days": 365},
     "with orders in the last 365 days totalling at least 3,000"),
    ({"agg": "sum", "op": "lt", "value": 999.5}, "with orders totalling less than 999.5"),
    ({"agg": "days_since_last", "op": "gt", "value": 30}, "whose last order was more than 30 days ago"),
    ({"agg": "days_since_last", "op": "ge", "value": 10}, "whose last order was at least 10 days ago"),
    ({"agg": "days_since_last", "op": "le", "value": 30}, "whose last order was at most 30 days ago"),
    ({"agg": "days_since_last", "op": "lt", "value": 2}, "whose last order was less than 2 days ago"),
    ({"agg": "days_since_last", "op": "eq", "value": 1}, "whose last order was exactly 1 day ago"),
    ({"agg": "days_since_last", "op": "ne", "value": 3}, "whose last order was not exactly 3 days ago"),
    ({"agg": "days_since_last", "op": "eq", "value": 0}, "whose last order was today"),
]


@pytest.mark.parametrize(("cond", "expected"), ORDER_CASES)
def test_order_conditions(cond: dict, expected: str) -> None:
    assert describe_condition({"kind": "orders", **cond}, titles={"promo": "Promo code 500"}) == expected


def test_every_order_aggregate_and_op_is_covered() -> None:
    from engine.conditions import COMPARE, ORDER_AGGS

    assert {c["agg"] for c, _ in ORDER_CASES} == set(ORDER_AGGS)
    assert {c["op"] for c, _ in ORDER_CASES} == set(COMPARE)


@pytest.mark.parametrize(("cond", "expected"), [
    ({"kind": "bonus_used", "node": "promo", "op": "is_true"}, "who used the bonus from 'Promo code 500'"),
    ({"kind": "bonus_used", "node": "promo", "op": "is_false"}, "who have not used the bonus from 'Promo code 500'"),
    ({"kind": "messages", "op": "ge", "value": 3, "within_days": 7}, "who received at least 3 messages in the last "
                                                                     "7 days"),
    ({"kind": "messages", "op": "eq", "value": 0, "within_days": 30}, "who received no message in the last 30 days"),
    ({"kind": "messages", "op": "lt", "value": 5}, "who received fewer than 5 messages"),
])
def test_bonus_and_message_conditions(cond: dict, expected: str) -> None:
    assert describe_condition(cond, titles={"promo": "Promo code 500"}) == expected


def test_two_bounds_of_one_measure_read_as_a_range() -> None:
    def orders(agg: str, op: str, value: int, **more) -> dict:
        return {"kind": "orders", "agg": agg, "op": op, "value": value, **more}

    segment = [orders("count", "gt", 7), orders("days_since_last", "ge", 10), orders("days_since_last", "le", 30)]
    assert describe_conditions(segment) == \
        "customers with more than 7 orders and whose last order was 10 to 30 days ago"
    assert describe_conditions([orders("count", "ge", 1), orders("count", "lt", 3, within_days=90)]) == \
        "customers with at least 1 order and fewer than 3 orders in the last 90 days"  # different periods
    assert describe_conditions([orders("count", "lt", 3), orders("count", "gt", 0)]) == "customers with 1 to 2 orders"
    assert describe_conditions([orders("count", "ge", 1), orders("count", "le", 1)]) == "customers with exactly 1 order"
    assert describe_conditions([orders("count", "ge", 0), orders("count", "le", 4)]) == \
        "customers with any number of orders and at most 4 orders"
    # Either bound may hold: "or" never makes a range.
    assert describe_conditions(segment[1:], "any") == \
        "customers whose last order was at least 10 days ago or whose last order was at most 30 days ago"


def test_nested_groups() -> None:
    conditions = [
        {"kind": "field", "field": "email_subscribed", "op": "is_true"},
        {"kind": "group", "match": "any", "conditions": [
            {"kind": "orders", "agg": "count", "op": "gt", "value": 7},
            {"kind": "group", "match": "all", "conditions": [
                {"kind": "orders", "agg": "sum", "op": "ge", "value": 3000},
                {"kind": "field", "field": "city", "op": "eq", "value": "Kazan"}]}]},
        {"kind": "group", "match": "all", "conditions": []},  # always true: not said
        {"kind": "group", "match": "any", "conditions": [{"kind": "field", "field": "phone", "op": "is_set"}]},
    ]
    assert describe_conditions(conditions, "all") == (
        "customers subscribed to email, (with more than 7 orders or (with orders totalling at least 3,000 and "
        "whose city is 'Kazan')) and with a phone number")
    assert describe_conditions(conditions[:1] + conditions[3:], "any") == \
        "customers subscribed to email or with a phone number"
    assert describe_conditions([], "all") == "all customers"
    assert describe_conditions([], "any") == "no customer"


def test_unknown_things_never_fail() -> None:
    # A condition kind from the future, a half-typed condition, a node type nobody described yet,
    # a known type with broken parameters: all get words, never an exception.
    assert describe_condition({"kind": "visits", "op": "ge", "value": 3}) == "matching a condition of kind 'visits'"
    assert describe_condition({"kind": "orders", "agg": "count"}) == "matching a condition of kind 'orders'"
    assert node_text("teleport", {}) == "A node of type 'teleport'."
    assert node_text("wait", {}) == REGISTRY["wait"].description
    assert node_text("split", {"branches": "nonsense"}) == REGISTRY["split"].description
    assert node_text("message", {"channel": "pigeon", "body": "x"}) == REGISTRY["message"].description


def test_registered_types_always_get_a_sentence() -> None:
    for name, declared in REGISTRY.items():
        text = node_text(name, declared.defaults())
        assert text and "{" not in text.replace("{{", "").replace("}}", ""), (name, text)


def test_settings_in_words() -> None:
    said = describe_settings({"timezone": "Asia/Yekaterinburg", "reentry_days": 180, "active_from": "2026-03-01",
                              "active_until": "2026-03-31",
                              "send_window": {"weekdays": [1, 2, 3, 4, 5], "from": "09:00", "to": "21:00"}})
    assert said == [
        ("Timezone", "Asia/Yekaterinburg (days and times of day are local to it)"),
        ("Re-entry", "A customer may enter again 180 days after leaving."),
        ("Campaign dates", "From 1 March 2026 until 31 March 2026."),
        ("Sending window", "Messages go out Monday to Friday, from 09:00 to 21:00; others wait for the window to "
                           "open."),
    ]
    plain = dict(describe_settings({"timezone": "Europe/Moscow", "reentry_days": None, "active_from": None,
                                    "active_until": "2026-12-31"}))
    assert plain["Re-entry"] == "A customer goes through the scenario only once."
    assert plain["Campaign dates"] == "Active now, until 31 December 2026."
    assert plain["Sending window"] == "Messages go out as soon as they are due, any day and time."
    assert dict(describe_settings({"reentry_days": 0, "active_from": "2026-01-05"}))["Campaign dates"] \
        == "From 5 January 2026, with no end date."
    assert describe_window({"weekdays": [6, 7], "from": "20:00", "to": "02:00"}) == (
        "Messages go out Saturday and Sunday, from 20:00 to 02:00 the next morning; others wait for the window "
        "to open.")
    assert describe_window({"weekdays": [7, 1, 2, 3, 4, 5, 6], "from": "00:00", "to": "00:00"}).startswith(
        "Messages go out every day, at any time of day")


def test_the_same_sentences_in_russian() -> None:
    # The engine's words file holds Russian, with the three plural forms Russian needs.
    node = Node("w", "wait", {"days": 5})
    assert describe_node(scenario_with(node), node, lang="ru") == "Подождать 5 дней"
    node.params = {"days": 2, "release_at": "10:00"}
    assert describe_node(scenario_with(node), node, lang="ru") == "Подождать 2 дня (затем до 10:00)"
    scenario = from_dict(reactivation())
    said = {n.id: describe_node(scenario, n, lang="ru") for n in scenario.nodes}
    assert said["start"] == "Каждый день в 10:00 клиенты входят в сценарий."
    assert said["wait7"] == "Подождать 7 дней"
    assert said["used"] == "Клиенты, которые использовали бонус «Promo code 500», идут дальше по «да»; " \
                           "остальные — по «нет»."
    assert dict(describe_settings(scenario.settings, lang="ru"))["Повторный вход"] == \
        "Клиент может войти снова через 180 дней после выхода."
