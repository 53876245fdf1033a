"""Plain-language descriptions of a scenario: one sentence per node, its settings in words.

The client report shows them beside the picture ("Customers subscribed to email with no order in
the last 180 days go on by 'yes'; the others by 'no'."). No Qt here.

Every word lives in one :class:`Language` table (``EN`` below): phrases with named blanks, nouns
with their plural forms, field names, month and weekday names, and the two grammar rules a language
needs (which plural form a number takes, how a list is joined). Another language, say Russian with
its three plural forms, is one more table registered in ``LANGUAGES``; the code does not change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from engine.model import Node, Scenario
from engine.nodes import REGISTRY

TEXT_MAX = 80  # longest quoted subject or message text in a sentence


@dataclass(frozen=True)
class Language:
    """Everything language-specific about descriptions.

    Attributes:
        code: The language's code (``en``).
        phrases: Key -> text with ``{named}`` blanks.
        nouns: Noun -> its forms, in the order ``plural_form`` indexes them.
        fields: Customer column -> how it is called in a sentence.
        months: Month names, January first.
        weekdays: Weekday names, Monday first (ISO 1..7).
        plural_form: A count -> the index of the noun form it takes.
        join: Items and a conjunction word -> one phrase ("a, b and c").
        number: A number as written in a sentence.
    """

    code: str
    phrases: Mapping[str, str]
    nouns: Mapping[str, tuple[str, ...]]
    fields: Mapping[str, str]
    months: tuple[str, ...]
    weekdays: tuple[str, ...]
    plural_form: Callable[[float], int]
    join: Callable[[Sequence[str], str], str]
    number: Callable[[float], str]

    def t(self, key: str, **blanks: Any) -> str:
        """The phrase ``key`` with its blanks filled."""
        return self.phrases[key].format(**blanks)

    def has(self, key: str) -> bool:
        """Whether the table has a phrase for ``key``."""
        return key in self.phrases

    def count(self, n: float, noun: str) -> str:
        """``n`` and the noun in the form the number takes: "1 day", "7 days"."""
        forms = self.nouns[noun]
        return f"{self.number(n)} {forms[min(self.plural_form(n), len(forms) - 1)]}"

    def noun(self, noun: str, n: float = 1) -> str:
        """The noun alone, in the form ``n`` takes."""
        forms = self.nouns[noun]
        return forms[min(self.plural_form(n), len(forms) - 1)]

    def field(self, name: str) -> str:
        """A customer column as a sentence calls it (its own name, underscores as spaces, when unknown)."""
        return self.fields.get(name, name.replace("_", " "))


def _en_plural(n: float) -> int:
    return 0 if n == 1 else 1


def _en_number(n: float) -> str:
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    return f"{n:,}"


def _en_join(items: Sequence[str], word: str) -> str:
    # Adjacent qualifiers that both start with "with" share it:
    # "with at least 1 order and no order in the last 180 days".
    parts = list(items)
    for i in range(len(parts) - 1, 0, -1):
        if parts[i].startswith("with ") and parts[i - 1].startswith("with "):
            parts[i] = parts[i][len("with "):]
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {word} {parts[-1]}"


EN = Language(
    code="en",
    phrases={
        # joining words
        "and": "and", "or": "or", "quote": "'{text}'", "ellipsis": "…",
        "customers": "customers {who}", "all_customers": "all customers", "no_customer": "no customer",
        "group": "({inner})",
        # field conditions: "cond.field.<op>.<field>" wins over "cond.field.<op>"
        "cond.field.is_valid_email.email": "with a valid email",
        "cond.field.is_valid_email": "whose {field} is a valid email address",
        "cond.field.is_true.email_subscribed": "subscribed to email",
        "cond.field.is_false.email_subscribed": "not subscribed to email",
        "cond.field.is_true.sms_subscribed": "subscribed to SMS",
        "cond.field.is_false.sms_subscribed": "not subscribed to SMS",
        "cond.field.is_true": "whose {field} is true",
        "cond.field.is_false": "whose {field} is not true",
        "cond.field.is_set.email": "with an email address",
        "cond.field.is_empty.email": "without an email address",
        "cond.field.is_set.phone": "with a phone number",
        "cond.field.is_empty.phone": "without a phone number",
        "cond.field.is_set": "whose {field} is filled in",
        "cond.field.is_empty": "whose {field} is empty",
        "cond.field.older_than_days.registered_at": "registered more than {days} ago",
        "cond.field.newer_than_days.registered_at": "registered less than {days} ago",
        "cond.field.older_than_days": "whose {field} is more than {days} ago",
        "cond.field.newer_than_days": "whose {field} is less than {days} ago",
        "cond.field.eq": "whose {field} is {value}",
        "cond.field.ne": "whose {field} is not {value}",
        "cond.field.lt": "whose {field} is less than {value}",
        "cond.field.le": "whose {field} is at most {value}",
        "cond.field.gt": "whose {field} is more than {value}",
        "cond.field.ge": "whose {field} is at least {value}",
        "cond.field.date.lt": "whose {field} is before {value}",
        "cond.field.date.le": "whose {field} is on or before {value}",
        "cond.field.date.gt": "whose {field} is after {value}",
        "cond.field.date.ge": "whose {field} is on or after {value}",
        "cond.field.in": "whose {field} is one of {values}",
        "cond.field.contains": "whose {field} contains {value}",
        "value.true": "true", "value.false": "false", "value.empty": "empty",
        # amounts compared: "at least 5,000"
        "cmp.eq": "exactly {n}", "cmp.ne": "not exactly {n}", "cmp.lt": "less than {n}",
        "cmp.le": "at most {n}", "cmp.gt": "more than {n}", "cmp.ge": "at least {n}",
        # counted things: "at least 3 orders", "fewer than 2 messages"
        "qty.eq": "exactly {n}", "qty.ne": "not exactly {n}", "qty.lt": "fewer than {n}",
        "qty.le": "at most {n}", "qty.gt": "more than {n}", "qty.ge": "at least {n}",
        "qty.none": "no {noun}", "qty.some": "at least {n}", "qty.any": "any number of {nouns}",
        # order conditions
        "cond.orders.count": "with {quantity}{scope}",
        "cond.orders.sum": "with orders{scope} totalling {amount}",
        "cond.orders.days_since_last": "whose last order{scope} was {days} ago",
        "cond.orders.days_since_last.today": "whose last order{scope} was today",
        "cond.orders.count.range": "with {low} to {high}{scope}",
        "cond.orders.days_since_last.range": "whose last order{scope} was {low} to {high} ago",
        "scope.within": " in the last {days}", "scope.today": " today",
        "scope.entry": " since entering the scenario", "scope.node": " since reaching {node}",
        "scope.status": " with status {statuses}",
        "cond.bonus_used.is_true": "who used the bonus from {node}",
        "cond.bonus_used.is_false": "who have not used the bonus from {node}",
        "cond.messages": "who received {quantity}{scope}",
        "cond.unknown": "matching a condition of kind {kind}",
        # nodes
        "trigger.schedule": "Every day at {at}, customers enter the scenario.",
        "trigger.new_customer": "Every day at {at}, customers who registered since the previous entry enter the "
                                "scenario.",
        "trigger.new_order": "Every day at {at}, customers who placed an order since the previous entry enter the "
                             "scenario.",
        "trigger.event": "Every day at {at}, customers with the event {event} since the previous entry enter the "
                         "scenario.",
        "trigger.date": "Every day at {at}, customers whose {date} comes {when} enter the scenario.",
        "trigger.date.first_order": "first order's anniversary",
        "trigger.date.today": "today", "trigger.date.tomorrow": "tomorrow", "trigger.date.in": "in {days}",
        "filter": "{Who} go on by {yes}; the others by {no}.",
        "filter.everyone": "All customers go on by {yes}.",
        "filter.nobody": "All customers go on by {no}.",
        "switch.first": "{Who} go on by {port}",
        "switch.next": "then {who} by {port}",
        "switch.other": "the others by {port}",
        "wait": "Wait {duration}",
        "wait.release": "Wait {duration} (then until {at})",
        "wait_event.order": "Wait up to {duration} for an order: customers who order go on by {event}, "
                            "the others by {timeout}.",
        "wait_event.named": "Wait up to {duration} for the event {name}: customers with it go on by {event}, "
                            "the others by {timeout}.",
        "wait_event.order.open": "Wait for an order: customers who order go on by {event}.",
        "wait_event.named.open": "Wait for the event {name}: customers with it go on by {event}.",
        "message.email": "Send an email {text}",
        "message.sms": "Send an SMS {text}",
        "message.webhook": "Send a webhook message {text}",
        "message.email.blank": "Send an email", "message.sms.blank": "Send an SMS",
        "message.webhook.blank": "Send a webhook message",
        "message.delay": " {days} later",
        "message.conversion": "; an order within {days} counts as its conversion",
        "bonus.points": "Give {points}",
        "bonus.promo_code": "Give a promo code",
        "bonus.promo_code.discount": "Give a promo code ({discount})",
        "bonus.promo_code.amount": "Give a promo code worth {amount}",
        "bonus.off": "{discount} off",
        "bonus.expires": ", valid {days}",
        "split": "A/B split: {branches}",
        "split.branch": "{port} {percent}%",
        "exit": "The customer leaves the scenario.",
        "node.unknown": "A node of type {type}.",
        # settings
        "settings.timezone": "Timezone",
        "settings.timezone.value": "{zone} (days and times of day are local to it)",
        "settings.reentry": "Re-entry",
        "settings.reentry.never": "A customer goes through the scenario only once.",
        "settings.reentry.at_once": "A customer may enter again as soon as they have left.",
        "settings.reentry.days": "A customer may enter again {days} after leaving.",
        "settings.dates": "Campaign dates",
        "settings.dates.always": "Always active: no start or end date.",
        "settings.dates.from": "From {start}, with no end date.",
        "settings.dates.until": "Active now, until {end}.",
        "settings.dates.between": "From {start} until {end}.",
        "settings.window": "Sending window",
        "settings.window.none": "Messages go out as soon as they are due, any day and time.",
        "settings.window.value": "Messages go out {days}, {hours}; others wait for the window to open.",
        "settings.window.all_day": "at any time of day",
        "settings.window.hours": "from {start} to {end}",
        "settings.window.overnight": "from {start} to {end} the next morning",
        "settings.window.every_day": "every day",
        "settings.window.range": "{first} to {last}",
        "date": "{day} {month} {year}",
    },
    nouns={
        "minute": ("minute", "minutes"), "hour": ("hour", "hours"), "day": ("day", "days"),
        "order": ("order", "orders"), "message": ("message", "messages"), "point": ("point", "points"),
    },
    fields={
        "email": "email", "phone": "phone", "first_name": "first name", "last_name": "last name",
        "registered_at": "registration date", "email_subscribed": "email subscription",
        "sms_subscribed": "SMS subscription", "bonus_points": "bonus balance", "birthday": "birthday",
    },
    months=("January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December"),
    weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    plural_form=_en_plural,
    join=_en_join,
    number=_en_number,
)

LANGUAGES: dict[str, Language] = {"en": EN}
DATE_FIELDS = ("registered_at", "birthday")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
AMOUNT = re.compile(r"^[\d\s.,\u2009\u202f]+\s*(%|[^\w\s]|[A-Za-z]{1,3})?$")  # "10%", "500 ₽", "5 EUR"


def language(code: str = "en") -> Language:
    """The phrase table for a language code (English when there is none)."""
    return LANGUAGES.get(code, EN)


# -- conditions --------------------------------------------------------------------------------


def describe_conditions(conditions: list, match: str = "all", *, titles: Mapping[str, str] | None = None,
                        lang: str = "en") -> str:
    """The customers a list of conditions selects, in words.

    Args:
        conditions: Conditions as in a filter's ``params.conditions`` (nested groups included).
        match: ``all`` (every condition holds) or ``any`` (one is enough).
        titles: Node id -> title, to name the nodes that conditions refer to.
        lang: Language code of the phrase table.

    Returns:
        A noun phrase, e.g. "customers subscribed to email with no order in the last 180 days";
        "all customers" for no condition with ``all``, "no customer" with ``any``.
    """
    tr = language(lang)
    items = _qualifiers(conditions, tr, titles or {}, match)
    if not items:
        return tr.t("all_customers" if match != "any" else "no_customer")
    return tr.t("customers", who=tr.join(items, tr.t("or" if match == "any" else "and")))


def describe_condition(cond: dict, *, titles: Mapping[str, str] | None = None, lang: str = "en") -> str:
    """One condition as a qualifier of "customers", e.g. "registered more than 180 days ago"."""
    return _qualifier(cond, language(lang), titles or {})


def _qualifiers(conditions: Any, tr: Language, titles: Mapping[str, str], match: str = "all") -> list[str]:
    items = [c for c in conditions if not _always(c)] if isinstance(conditions, list) else []
    ranges = _ranges(items) if match != "any" else {}
    out = []
    for i, cond in enumerate(items):
        if i in ranges:
            low, high = ranges[i]
            if low is not None:  # the pair is said once, where its first half stands
                out.append(_range(items[low], items[high], tr, titles))
            continue
        out.append(_qualifier(cond, tr, titles))
    return out


def _always(cond: Any) -> bool:
    """An empty "all" group always holds: it adds nothing to say."""
    return isinstance(cond, dict) and cond.get("kind") == "group" and not cond.get("conditions") \
        and cond.get("match", "all") != "any"


RANGED = ("count", "days_since_last")  # whole numbers: "more than 2" is "at least 3"


def _bound(cond: Any) -> tuple[tuple, str, int] | None:
    """(what is measured, "low" or "high", the inclusive bound) of an order condition that is one side of a range."""
    if not isinstance(cond, dict) or cond.get("kind") != "orders" or cond.get("agg") not in RANGED:
        return None
    value, op = cond.get("value"), cond.get("op")
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    what = (cond["agg"], cond.get("within_days"), cond.get("since"), tuple(cond.get("status") or ()))
    side = {"ge": ("low", value), "gt": ("low", value + 1), "le": ("high", value), "lt": ("high", value - 1)}.get(op)
    return (what, *side) if side else None


def _ranges(items: list) -> dict[int, tuple[int | None, int]]:
    """Pairs of conditions that bound the same measure from both sides ("at least 10 and at most 30
    days since the last order"), to be said as one range: index -> (low index or None, high index)."""
    found: dict[int, tuple[int | None, int]] = {}
    bounds = [_bound(c) for c in items]
    for i, first in enumerate(bounds):
        if first is None or i in found:
            continue
        for j in range(i + 1, len(items)):
            second = bounds[j]
            if j in found or second is None or second[0] != first[0] or second[1] == first[1]:
                continue
            low, high = (i, j) if first[1] == "low" else (j, i)
            if 1 <= bounds[low][2] <= bounds[high][2]:  # "0 to 3 orders" reads better as "at most 3"
                found[i], found[j] = (low, high), (None, high)
            break
    return found


def _range(low: dict, high: dict, tr: Language, titles: Mapping[str, str]) -> str:
    _, _, a = _bound(low)
    _, _, b = _bound(high)
    if a == b:
        return _qualifier({**low, "op": "eq", "value": a}, tr, titles)
    scope = _scope(low, tr, titles)
    if low["agg"] == "count":
        return tr.t("cond.orders.count.range", low=tr.number(a), high=tr.count(b, "order"), scope=scope)
    return tr.t("cond.orders.days_since_last.range", low=tr.number(a), high=tr.count(b, "day"), scope=scope)


def _qualifier(cond: Any, tr: Language, titles: Mapping[str, str]) -> str:
    if not isinstance(cond, dict):
        return tr.t("cond.unknown", kind=tr.t("quote", text=str(cond)))
    kind = cond.get("kind")
    try:
        if kind == "group":
            inner = _qualifiers(cond.get("conditions"), tr, titles, cond.get("match", "all"))
            word = tr.t("or" if cond.get("match") == "any" else "and")
            if not inner:
                return tr.t("group", inner=tr.t("no_customer"))
            return inner[0] if len(inner) == 1 else tr.t("group", inner=tr.join(inner, word))
        if kind == "field":
            return _field(cond, tr)
        if kind == "orders":
            return _orders(cond, tr, titles)
        if kind == "bonus_used":
            node = _quote(titles.get(cond["node"], cond["node"]), tr)
            return tr.t(f"cond.bonus_used.{'is_false' if cond.get('op') == 'is_false' else 'is_true'}", node=node)
        if kind == "messages":
            return tr.t("cond.messages", quantity=_quantity(cond["op"], cond["value"], "message", tr),
                        scope=_scope(cond, tr, titles))
    except (KeyError, TypeError, ValueError):
        pass  # a half-written condition (the editor describes while the user types) still gets words
    return tr.t("cond.unknown", kind=_quote(str(kind), tr))


def _field(cond: dict, tr: Language) -> str:
    name, op, value = cond["field"], cond["op"], cond.get("value")
    blanks: dict[str, Any] = {"field": tr.field(name)}
    if op in ("older_than_days", "newer_than_days"):
        blanks["days"] = tr.count(value, "day")
    elif op == "in":
        blanks["values"] = ", ".join(_value(v, tr) for v in value)
    else:
        blanks["value"] = _value(value, tr)
    is_date = name in DATE_FIELDS or (isinstance(value, str) and ISO_DATE.match(value))
    for key in (f"cond.field.{op}.{name}", f"cond.field.date.{op}" if is_date else "", f"cond.field.{op}"):
        if key and tr.has(key):
            return tr.t(key, **blanks)
    raise KeyError(op)


def _value(value: Any, tr: Language) -> str:
    if isinstance(value, bool):
        return tr.t(f"value.{'true' if value else 'false'}")
    if isinstance(value, int | float):
        return tr.number(value)
    if value is None or value == "":
        return tr.t("value.empty")
    return _quote(str(value), tr)


def _quote(text: str, tr: Language) -> str:
    return tr.t("quote", text=text)


def _quantity(op: str, n: int, noun: str, tr: Language) -> str:
    """A count compared, as words: "at least 3 orders", "no order"."""
    if (op, n) in (("eq", 0), ("lt", 1), ("le", 0)):
        return tr.t("qty.none", noun=tr.noun(noun, 1))
    if (op, n) in (("gt", 0), ("ne", 0)):
        return f"{tr.t('qty.some', n=tr.number(1))} {tr.noun(noun, 1)}"
    if (op, n) == ("ge", 0):
        return tr.t("qty.any", nouns=tr.noun(noun, 2))
    return f"{tr.t(f'qty.{op}', n=tr.number(n))} {tr.noun(noun, n)}"


def _scope(cond: dict, tr: Language, titles: Mapping[str, str]) -> str:
    """Which orders or messages count: " in the last 30 days since entering the scenario"."""
    out = ""
    if "within_days" in cond:
        days = cond["within_days"]
        out += tr.t("scope.today") if days == 1 else tr.t("scope.within", days=tr.count(days, "day"))
    since = cond.get("since")
    if since == "entry":
        out += tr.t("scope.entry")
    elif isinstance(since, str) and since.startswith("node:"):
        out += tr.t("scope.node", node=_quote(titles.get(since[5:], since[5:]), tr))
    if cond.get("status"):
        out += tr.t("scope.status", statuses=tr.join([_quote(s, tr) for s in cond["status"]], tr.t("or")))
    return out


def _orders(cond: dict, tr: Language, titles: Mapping[str, str]) -> str:
    agg, op, value = cond["agg"], cond["op"], cond["value"]
    scope = _scope(cond, tr, titles)
    if agg == "count":
        return tr.t("cond.orders.count", quantity=_quantity(op, value, "order", tr), scope=scope)
    if agg == "sum":
        return tr.t("cond.orders.sum", scope=scope, amount=tr.t(f"cmp.{op}", n=tr.number(value)))
    if agg == "days_since_last":
        if (op, value) in (("eq", 0), ("le", 0), ("lt", 1)):
            return tr.t("cond.orders.days_since_last.today", scope=scope)
        return tr.t("cond.orders.days_since_last", scope=scope, days=tr.t(f"cmp.{op}", n=tr.count(value, "day")))
    raise KeyError(agg)


# -- nodes ---------------------------------------------------------------------------------------


def describe_node(scenario: Scenario, node: Node, *, lang: str = "en") -> str:
    """One plain-language sentence saying what a node does to the customers who reach it.

    Args:
        scenario: The node's scenario (to name the nodes its conditions refer to).
        node: The node.
        lang: Language code of the phrase table.

    Returns:
        E.g. "Wait 7 days (then until 10:00)". A type this module does not know, or parameters it
        cannot read, get the registry's description of the type instead: describing never fails.
    """
    tr = language(lang)
    titles = {n.id: n.title or n.id for n in scenario.nodes}
    describe = _NODES.get(node.type)
    if describe is not None:
        try:
            return describe(node.params or {}, tr, titles)
        except (KeyError, TypeError, ValueError, AttributeError, ZeroDivisionError):
            pass  # a node being edited may lack a parameter for a moment
    declared = REGISTRY.get(node.type)
    return declared.description if declared is not None else tr.t("node.unknown", type=_quote(node.type, tr))


def _trigger(params: dict, tr: Language, titles: Mapping[str, str]) -> str:
    kind, at = params.get("kind", "schedule"), params.get("at", "10:00")
    if kind == "event":
        return tr.t("trigger.event", at=at, event=_quote(params["event"], tr))
    if kind == "date":
        field = params["field"]
        days = params.get("days_before", 0)
        when = tr.t("trigger.date.today") if days == 0 else tr.t("trigger.date.tomorrow") if days == 1 \
            else tr.t("trigger.date.in", days=tr.count(days, "day"))
        name = tr.t("trigger.date.first_order") if field == "first_order" else tr.field(field)
        return tr.t("trigger.date", at=at, date=name, when=when)
    return tr.t(f"trigger.{kind}", at=at)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _filter(params: dict, tr: Language, titles: Mapping[str, str]) -> str:
    conditions, match = params.get("conditions") or [], params.get("match", "all")
    ports = {"yes": _quote("yes", tr), "no": _quote("no", tr)}
    if not _qualifiers(conditions, tr, titles):
        return tr.t("filter.nobody" if match == "any" else "filter.everyone", **ports)
    who = describe_conditions(conditions, match, titles=titles, lang=tr.code)
    return tr.t("filter", Who=_capital(who), **ports)


def _switch(params: dict, tr: Language, titles: Mapping[str, str]) -> str:
    branches = [b for b in params["branches"] if isinstance(b, dict)]
    parts = []
    for i, branch in enumerate(branches):
        port = _quote(branch["port"], tr)
        if branch["port"] == "other" and not branch.get("conditions"):
            continue  # the "others" port is said once, at the end
        who = describe_conditions(branch.get("conditions") or [], branch.get("match", "all"), titles=titles,
                                  lang=tr.code)
        parts.append(tr.t("switch.first", Who=_capital(who), port=port) if i == 0
                     else tr.t("switch.next", who=who, port=port))
    parts.append(tr.t("switch.other", port=_quote("other", tr)))
    return "; ".join(parts) + "."


def _duration(params: dict, tr: Language) -> str:
    for unit in ("days", "hours", "minutes"):
        if params.get(unit) is not None:
            return tr.count(params[unit], unit[:-1])
    raise KeyError("duration")


def _wait(params: dict, tr: Language, titles: Mapping[str, str]) -> str:
    duration = _duration(params, tr)
    if params.get("release_at"):
        return tr.t("wait.release", duration=duration, at=params["release_at"])
    return tr.t("wait", duration=duration)


def _wait_event(params: dict, tr: Language, titles: Mapping[str, str]) -> str:
    event = params.get("event", "order")
    key = "wait_event.order" if event == "order" else "wait_event.named"
    ports = {"event": _quote("event", tr), "timeout": _quote("timeout", tr), "name": _quote(str(event), tr)}
    if not any(params.get(u) is not None for u in ("days", "hours", "minutes")):
        return tr.t(f"{key}.open", **ports)
    return tr.t(key, duration=_duration(params, tr), **ports)


def _shorten(text: str, tr: Language) -> str:
    line = " ".join(text.split())
    return line if len(line) <= TEXT_MAX else line[:TEXT_MAX - 1].rstrip() + tr.t("ellipsis")


def _message(params: dict, tr: Language, titles: Mapping[str, str]) -> str:
    channel = params.get("channel", "email")
    text = params.get("subject") if channel == "email" and params.get("subject") else params.get("body", "")
    text = _shorten(text or "", tr)
    out = tr.t(f"message.{channel}", text=_quote(text, tr)) if text else tr.t(f"message.{channel}.blank")
    if params.get("delay_days"):
        out += tr.t("message.delay", days=tr.count(params["delay_days"], "day"))
    if params.get("conversion_days"):
        out += tr.t("message.conversion", days=tr.count(params["conversion_days"], "day"))
    return out


def _bonus(params: dict, tr: Language, titles: Mapping[str, str]) -> str:
    amount, discount = params.get("amount"), (params.get("discount") or "").strip()
    if params.get("kind") == "points":
        out = tr.t("bonus.points", points=tr.count(amount, "point")) if amount is not None \
            else tr.t("bonus.points", points=tr.noun("point", 2))
    elif discount:
        # "10%" reads "10% off"; "free delivery" or "500 ₽ off" read as written.
        shown = tr.t("bonus.off", discount=discount) if AMOUNT.match(discount) else discount
        out = tr.t("bonus.promo_code.discount", discount=shown)
    elif amount:
        out = tr.t("bonus.promo_code.amount", amount=tr.number(amount))
    else:
        out = tr.t("bonus.promo_code")
    if params.get("expires_in_days"):
        out += tr.t("bonus.expires", days=tr.count(params["expires_in_days"], "day"))
    return out


def _split(params: dict, tr: Language, titles: Mapping[str, str]) -> str:
    branches = params["branches"]
    total = sum(b["weight"] for b in branches)
    parts = []
    for b in branches:
        percent = round(100 * b["weight"] / total, 1) if total else 0
        parts.append(tr.t("split.branch", port=b["port"], percent=tr.number(percent)))
    return tr.t("split", branches=", ".join(parts))


def _exit(params: dict, tr: Language, titles: Mapping[str, str]) -> str:
    return tr.t("exit")


_NODES: dict[str, Callable[[dict, Language, Mapping[str, str]], str]] = {
    "trigger": _trigger, "filter": _filter, "switch": _switch, "wait": _wait, "wait_event": _wait_event,
    "message": _message, "bonus": _bonus, "split": _split, "exit": _exit,
}


# -- settings ------------------------------------------------------------------------------------


def describe_date(value: str | date, *, lang: str = "en") -> str:
    """A date as a sentence writes it: "1 March 2026" (the text itself when it is not a date)."""
    tr = language(lang)
    try:
        day = value if isinstance(value, date) else date.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return tr.t("date", day=day.day, month=tr.months[day.month - 1], year=day.year)


def _weekdays(days: list[int], tr: Language) -> str:
    chosen = sorted(set(days))
    if chosen == list(range(1, 8)):
        return tr.t("settings.window.every_day")
    runs: list[list[int]] = []
    for d in chosen:
        if runs and runs[-1][-1] == d - 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(tr.t("settings.window.range", first=tr.weekdays[run[0] - 1], last=tr.weekdays[run[-1] - 1]))
        else:
            parts += [tr.weekdays[d - 1] for d in run]
    return tr.join(parts, tr.t("and"))


def describe_window(window: dict | None, *, lang: str = "en") -> str:
    """A ``send_window`` setting in words: "Messages go out Monday to Friday, from 09:00 to 21:00; ..."."""
    tr = language(lang)
    if not window:
        return tr.t("settings.window.none")
    start, end = window.get("from", "00:00"), window.get("to", "00:00")
    if start == end:
        hours = tr.t("settings.window.all_day")
    else:
        hours = tr.t("settings.window.overnight" if start > end else "settings.window.hours", start=start, end=end)
    return tr.t("settings.window.value", days=_weekdays(window.get("weekdays") or list(range(1, 8)), tr),
                hours=hours)


def describe_settings(settings: Mapping[str, Any], *, lang: str = "en") -> list[tuple[str, str]]:
    """The scenario's settings as (label, sentence) pairs, for the report.

    Args:
        settings: The scenario's ``settings`` (timezone, reentry_days, active_from, active_until,
            send_window).
        lang: Language code of the phrase table.
    """
    tr = language(lang)
    reentry = settings.get("reentry_days")
    if reentry is None:
        reentry_text = tr.t("settings.reentry.never")
    elif reentry == 0:
        reentry_text = tr.t("settings.reentry.at_once")
    else:
        reentry_text = tr.t("settings.reentry.days", days=tr.count(reentry, "day"))
    start, end = settings.get("active_from"), settings.get("active_until")
    if start and end:
        dates = tr.t("settings.dates.between", start=describe_date(start, lang=lang), end=describe_date(end, lang=lang))
    elif start:
        dates = tr.t("settings.dates.from", start=describe_date(start, lang=lang))
    elif end:
        dates = tr.t("settings.dates.until", end=describe_date(end, lang=lang))
    else:
        dates = tr.t("settings.dates.always")
    return [
        (tr.t("settings.timezone"), tr.t("settings.timezone.value", zone=settings.get("timezone") or "Europe/Moscow")),
        (tr.t("settings.reentry"), reentry_text),
        (tr.t("settings.dates"), dates),
        (tr.t("settings.window"), describe_window(settings.get("send_window"), lang=lang)),
    ]
