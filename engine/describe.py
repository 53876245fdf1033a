"""Plain-language descriptions of a scenario: one sentence per node, its settings in words.

The client report and the window show them beside the picture ("Customers subscribed to email
with no order in the last 180 days go on by 'yes'; the others by 'no'."). No Qt here.

Each node type says its own sentence (:meth:`engine.nodes.base.NodeType.describe`) and each
condition kind its own qualifier (:meth:`engine.conditions.base.ConditionKind.describe`), with
the words of the engine's catalog in the language asked for. :class:`Say` is what they are given:
phrases by code, counts with their plural forms, quotes, lists joined as the language joins them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from connectors.texts import Text, lookup, number, pick, words
from engine.conditions import KINDS
from engine.model import Node, Scenario
from engine.nodes import REGISTRY

TEXT_MAX = 80  # longest quoted subject or message text in a sentence
_VARIABLE = re.compile(r"\{\{\s*([a-z_]\w*(?:\.\w+)?)[^}]*\}\}")  # {{ customer.first_name }}, {{ bonus.x.y() }}
_STATEMENT = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.DOTALL)
RANGED = ("count", "days_since_last")  # whole numbers: "more than 2" is "at least 3"


class Say:
    """The words of one language for descriptions.

    Args:
        lang: The language (``en``, ``ru``).
        titles: Node id -> title, to name the nodes that conditions refer to.
        today: The local date that "days ago" counts from (the customer lookup's values).
    """

    def __init__(self, lang: str = "en", titles: Mapping[str, str] | None = None, today: date | None = None) -> None:
        self.lang = lang
        self.titles = dict(titles or {})
        self.today = today or date.today()

    def __call__(self, code: str, **args: Any) -> str:
        """The phrase ``code`` with its blanks filled (numbers written as the language writes them).

        Raises:
            KeyError: no catalog knows ``code`` (the caller says something plainer instead).
        """
        if lookup(code, self.lang) is None:
            raise KeyError(code)
        return words(Text(code, args), self.lang)

    def has(self, code: str) -> bool:
        """Whether the catalog has words for ``code``."""
        return lookup(code, self.lang) is not None

    def number(self, n: float) -> str:
        """A number as a sentence writes it."""
        return number(n, self.lang)

    def money(self, n: float) -> str:
        """An amount of money (the currency is the shop's, said where the report names it)."""
        return number(n, self.lang)

    def noun(self, noun: str, n: float = 1) -> str:
        """A noun in the form ``n`` takes: "day", "days" (день, дня, дней)."""
        return pick(lookup(f"noun.{noun}", self.lang) or noun, n, self.lang)

    def count(self, n: float, noun: str) -> str:
        """A number and its noun: "1 day", "7 days"."""
        return f"{self.number(n)} {self.noun(noun, n)}"

    def quote(self, text: str) -> str:
        """A text quoted as the language quotes: 'yes', «да»."""
        return self("quote", text=text)

    def capital(self, text: str) -> str:
        """The text with its first letter a capital."""
        return text[:1].upper() + text[1:]

    def field(self, name: str) -> str:
        """A customer column as a sentence calls it (its own name, underscores as spaces, when unknown)."""
        known = lookup(f"field.{name}", self.lang)
        return pick(known, 1, self.lang) if known is not None else name.replace("_", " ")

    def title(self, node_id: str) -> str:
        """A node by its title (its id when it has none)."""
        return self.titles.get(node_id, node_id)

    def port_name(self, type_name: str, port: str) -> str:
        """A port as its node type names it (yes, timeout); a branch's own name as it is."""
        known = lookup(f"node.{type_name}.port.{port}", self.lang)
        return pick(known, 1, self.lang) if known is not None else port

    def port(self, type_name: str, port: str) -> str:
        """A port quoted, as its node type names it ('yes', 'timeout')."""
        return self.quote(self.port_name(type_name, port))

    def value(self, value: Any) -> str:
        """A compared value in a sentence."""
        if isinstance(value, bool):
            return self(f"shown.{'true' if value else 'false'}")
        if isinstance(value, int | float):
            return self.number(value)
        if value is None or value == "":
            return self("value.empty")
        return self.quote(str(value))

    def template(self, text: str) -> str:
        """A message template as a person reads it: each variable as what it shows ([first name],
        [promo code]), the template's commands left out."""
        def variable(found: re.Match) -> str:
            name, _, rest = found.group(1).partition(".")
            attr = re.match(r"\w+", rest)
            key = f"{name}.{attr.group(0)}" if attr else name
            if name == "customer" and attr:
                return f"[{self.field(attr.group(0))}]"
            known = lookup(f"var.{key}", self.lang)
            return f"[{pick(known, 1, self.lang)}]" if known is not None else f"[{self('ellipsis')}]"

        return _STATEMENT.sub("", _VARIABLE.sub(variable, text))

    def shorten(self, text: str) -> str:
        """A text on one line, cut at :data:`TEXT_MAX` characters."""
        line = " ".join(text.split())
        return line if len(line) <= TEXT_MAX else line[:TEXT_MAX - 1].rstrip() + self("ellipsis")

    def join(self, items: Sequence[str], word: str) -> str:
        """Items as one phrase: "a, b and c"."""
        parts = list(items)
        if self.lang == "en":
            # Adjacent qualifiers that both start with "with" share it:
            # "with at least 1 order and no order in the last 180 days".
            for i in range(len(parts) - 1, 0, -1):
                if parts[i].startswith("with ") and parts[i - 1].startswith("with "):
                    parts[i] = parts[i][len("with "):]
        if len(parts) <= 1:
            return "".join(parts)
        return f"{', '.join(parts[:-1])} {word} {parts[-1]}"

    @staticmethod
    def is_none(op: str, n: Any) -> bool:
        """Whether a count compared this way means "none" (= 0, < 1, <= 0)."""
        return (op, n) in (("eq", 0), ("lt", 1), ("le", 0))

    def quantity(self, op: str, n: int, noun: str) -> str:
        """A count compared, as words: "at least 3 orders", "no order"."""
        if self.is_none(op, n):
            return self("qty.none", noun=self.noun(noun, 1))
        if (op, n) in (("gt", 0), ("ne", 0)):
            return f"{self('qty.some', n=self.number(1))} {self.noun(noun, 1)}"
        if (op, n) == ("ge", 0):
            return self("qty.any", nouns=self.noun(noun, 2))
        return f"{self(f'qty.{op}', n=self.number(n))} {self.noun(noun, n)}"

    def scope(self, cond: dict) -> str:
        """Which orders or messages count: " in the last 30 days since entering the scenario"."""
        out = ""
        if "within_days" in cond:
            days = cond["within_days"]
            out += self("scope.today") if days == 1 else self("scope.within", days=self.count(days, "day"))
        since = cond.get("since")
        if since == "entry":
            out += self("scope.entry")
        elif isinstance(since, str) and since.startswith("node:"):
            out += self("scope.node", node=self.quote(self.title(since[5:])))
        if cond.get("status"):
            out += self("scope.status", statuses=self.join([self.quote(s) for s in cond["status"]], self("or")))
        return out

    def qualifiers(self, conditions: Any, match: str = "all") -> list[str]:
        """Each condition as a qualifier of "customers"; two bounds of one measure said as a range."""
        items = [c for c in conditions if not _always(c)] if isinstance(conditions, list) else []
        ranges = _ranges(items) if match != "any" else {}
        out = []
        for i, cond in enumerate(items):
            if i in ranges:
                low, high = ranges[i]
                if low is not None:  # the pair is said once, where its first half stands
                    out.append(self._range(items[low], items[high]))
                continue
            out.append(self.qualifier(cond))
        return out

    def qualifier(self, cond: Any) -> str:
        """One condition as a qualifier; a half-written or unknown one still gets words."""
        kind = KINDS.get(cond.get("kind")) if isinstance(cond, dict) else None
        if kind is not None:
            try:
                return kind.describe(cond, self)
            except (KeyError, TypeError, ValueError):
                pass  # a half-written condition (the editor describes while the user types)
        shown = cond.get("kind") if isinstance(cond, dict) else cond
        return self("cond.unknown", kind=self.quote(str(shown)))

    def customers(self, conditions: list, match: str = "all") -> str:
        """The customers a list of conditions selects, as a noun phrase."""
        items = self.qualifiers(conditions, match)
        if not items:
            return self("all_customers" if match != "any" else "no_customer")
        return self("customers", who=self.join(items, self("or" if match == "any" else "and")))

    def _range(self, low: dict, high: dict) -> str:
        _, _, a = _bound(low)
        _, _, b = _bound(high)
        orders = KINDS["orders"]
        if a == b:
            return self.qualifier({**low, "op": "eq", "value": a})
        scope = self.scope(low)
        if low["agg"] == "count":
            return self(orders.code("say.count.range"), low=self.number(a), high=self.count(b, "order"), scope=scope)
        return self(orders.code("say.days_since_last.range"), low=self.number(a), high=self.count(b, "day"),
                    scope=scope)


def _always(cond: Any) -> bool:
    """An empty "all" group always holds: it adds nothing to say."""
    inner = KINDS[cond["kind"]].inner(cond) if isinstance(cond, dict) and cond.get("kind") in KINDS else None
    return inner is not None and not inner and cond.get("match", "all") != "any"


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


def titles_of(scenario: Scenario, lang: str = "en") -> dict[str, str]:
    """Node id -> how a person names the node: its title, else its type's name."""
    return {n.id: n.title or type_title(n.type, lang) for n in scenario.nodes}


def type_title(type_name: str, lang: str = "en") -> str:
    """A node type's name in a language (the type string itself for an unknown type)."""
    entry = lookup(f"node.{type_name}.title", lang)
    return pick(entry, 1, lang) if entry is not None else type_name


# -- the public functions --------------------------------------------------------------------------


def describe_conditions(conditions: list, match: str = "all", *, titles: Mapping[str, str] | None = None,
                        lang: str = "en") -> str:
    """The customers a list of conditions selects, in words.

    Args:
        conditions: Conditions as in a filter's ``params.conditions`` (nested groups included).
        match: ``all`` (every condition holds) or ``any`` (one is enough).
        titles: Node id -> title, to name the nodes that conditions refer to.
        lang: The language.

    Returns:
        A noun phrase, e.g. "customers subscribed to email with no order in the last 180 days";
        "all customers" for no condition with ``all``, "no customer" with ``any``.
    """
    return Say(lang, titles).customers(conditions, match)


def describe_condition(cond: dict, *, titles: Mapping[str, str] | None = None, lang: str = "en") -> str:
    """One condition as a qualifier of "customers", e.g. "registered more than 180 days ago"."""
    return Say(lang, titles).qualifier(cond)


def describe_node(scenario: Scenario, node: Node, *, lang: str = "en") -> str:
    """One plain-language sentence saying what a node does to the customers who reach it.

    Returns:
        E.g. "Wait 7 days (then until 10:00)". A type without a sentence, or parameters it cannot
        read, get the type's description instead: describing never fails.
    """
    say = Say(lang, {n.id: n.title or n.id for n in scenario.nodes})
    declared = REGISTRY.get(node.type)
    if declared is None:
        return say("node.generic", type=say.quote(node.type))
    try:
        return declared.describe(node.params or {}, say)
    except (KeyError, TypeError, ValueError, AttributeError, ZeroDivisionError):
        return say(declared.code("description"))  # a node being edited may lack a parameter for a moment


def describe_date(value: str | date, *, lang: str = "en") -> str:
    """A date as a sentence writes it: "1 March 2026" (the text itself when it is not a date)."""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    say = Say(lang)
    return say("date", day=str(day.day), month=say(f"month.{day.month}"), year=str(day.year))


def _weekdays(days: list[int], say: Say) -> str:
    chosen = sorted(set(days))
    if chosen == list(range(1, 8)):
        return say("settings.window.every_day")
    runs: list[list[int]] = []
    for d in chosen:
        if runs and runs[-1][-1] == d - 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(say("settings.window.range", first=say(f"weekday.{run[0]}"), last=say(f"weekday.{run[-1]}")))
        else:
            parts += [say(f"weekday.{d}") for d in run]
    return say.join(parts, say("and"))


def describe_window(window: dict | None, *, lang: str = "en") -> str:
    """A ``send_window`` setting in words: "Messages go out Monday to Friday, from 09:00 to 21:00; ..."."""
    say = Say(lang)
    if not window:
        return say("settings.window.none")
    start, end = window.get("from", "00:00"), window.get("to", "00:00")
    if start == end:
        hours = say("settings.window.all_day")
    else:
        hours = say("settings.window.overnight" if start > end else "settings.window.hours", start=start, end=end)
    return say("settings.window.value", days=_weekdays(window.get("weekdays") or list(range(1, 8)), say), hours=hours)


def describe_settings(settings: Mapping[str, Any], *, lang: str = "en") -> list[tuple[str, str]]:
    """The scenario's settings as (label, sentence) pairs, for the report.

    Args:
        settings: The scenario's ``settings`` (timezone, reentry_days, active_from, active_until,
            send_window).
        lang: The language.
    """
    say = Say(lang)
    reentry = settings.get("reentry_days")
    if reentry is None:
        reentry_text = say("settings.reentry.never")
    elif reentry == 0:
        reentry_text = say("settings.reentry.at_once")
    else:
        reentry_text = say("settings.reentry.days", days=say.count(reentry, "day"))
    start, end = settings.get("active_from"), settings.get("active_until")
    if start and end:
        dates = say("settings.dates.between", start=describe_date(start, lang=lang), end=describe_date(end, lang=lang))
    elif start:
        dates = say("settings.dates.from", start=describe_date(start, lang=lang))
    elif end:
        dates = say("settings.dates.until", end=describe_date(end, lang=lang))
    else:
        dates = say("settings.dates.always")
    described = [
        (say("settings.timezone"), say("settings.timezone.value", zone=settings.get("timezone") or "Europe/Moscow")),
        (say("settings.reentry"), reentry_text),
        (say("settings.dates"), dates),
        (say("settings.window"), describe_window(settings.get("send_window"), lang=lang)),
    ]
    goal = settings.get("goal")
    if isinstance(goal, dict) and goal.get("conditions"):
        match = goal.get("match", "all")
        who = say.join(say.qualifiers(goal["conditions"], match), say("or" if match == "any" else "and"))
        described.append((say("settings.goal"), say("settings.goal.value", who=who)))
    return described

