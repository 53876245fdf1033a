"""A condition on one customer field: ``{"kind": "field", "field": "email", "op": "is_valid_email"}``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

import sqlalchemy as sa

from engine.conditions.base import (
    COMPARE,
    CheckEnv,
    ConditionKind,
    Slot,
    SqlContext,
    check_op,
    compare,
    days_since_bounds,
    is_scalar,
    parse_value,
    register,
    whole,
)
from engine.problems import Problem

OPS = (*COMPARE, "in", "contains", "is_true", "is_false", "is_set", "is_empty", "is_valid_email",
       "older_than_days", "newer_than_days")
NO_VALUE_OPS = ("is_true", "is_false", "is_set", "is_empty", "is_valid_email")
DAY_OPS = ("older_than_days", "newer_than_days")
DATE_FIELDS = ("registered_at", "birthday")  # dates wherever they are stored as text
TRUTHY = ("1", "1.0", "true", "t", "yes", "y")
NUMERIC = ("lt", "le", "gt", "ge")


class FieldCondition(ConditionKind):
    """A customer column compared with a value, or tested (filled in, a valid email, days ago)."""

    name = "field"
    order = 10
    keys = frozenset({"kind", "field", "op", "value"})
    default: ClassVar = {"kind": "field", "field": "email", "op": "is_valid_email"}
    slots = (Slot("field", "field", line=0), Slot("op", "choice", OPS, stretch=3), Slot("value", "value", stretch=2))
    words: ClassVar = {
        "title": "Customer field",
        "no_field": "a field condition needs a field name",
        "unknown_op": "unknown operator '{op}' for a field; use one of {ops}",
        "no_value": "'{op}' takes no value",
        "in_list": "'in' needs a list of values",
        "contains_text": "'contains' needs non-empty text",
        "needs_value": "'{op}' needs a value (text, number or true/false)",
        "not_number": "the field {field} holds numbers, and {value} is not one",
        "not_bool": "the field {field} is yes or no: use 'is yes' or 'is no' instead of comparing it with {value}",
        "not_date": "the field {field} holds dates: write {value} as YYYY-MM-DD",
        "not_text": "the field {field} holds text: write {value} in quotes, or use 'is yes' or 'is no' on a "
                    "field that is yes or no",
        # descriptions: "say.<op>.<field>" wins over "say.date.<op>" (a date field), then "say.<op>"
        "say.is_valid_email.email": "with a valid email",
        "say.is_valid_email": "whose {field} is a valid email address",
        "say.is_true.email_subscribed": "subscribed to email",
        "say.is_false.email_subscribed": "not subscribed to email",
        "say.is_true.sms_subscribed": "subscribed to SMS",
        "say.is_false.sms_subscribed": "not subscribed to SMS",
        "say.is_true": "whose {field} is true",
        "say.is_false": "whose {field} is not true",
        "say.is_set.email": "with an email address",
        "say.is_empty.email": "without an email address",
        "say.is_set.phone": "with a phone number",
        "say.is_empty.phone": "without a phone number",
        "say.is_set": "whose {field} is filled in",
        "say.is_empty": "whose {field} is empty",
        "say.older_than_days.registered_at": "registered more than {days} ago",
        "say.newer_than_days.registered_at": "registered less than {days} ago",
        "say.older_than_days": "whose {field} is more than {days} ago",
        "say.newer_than_days": "whose {field} is less than {days} ago",
        "say.eq": "whose {field} is {value}",
        "say.ne": "whose {field} is not {value}",
        "say.lt": "whose {field} is less than {value}",
        "say.le": "whose {field} is at most {value}",
        "say.gt": "whose {field} is more than {value}",
        "say.ge": "whose {field} is at least {value}",
        "say.date.lt": "whose {field} is before {value}",
        "say.date.le": "whose {field} is on or before {value}",
        "say.date.gt": "whose {field} is after {value}",
        "say.date.ge": "whose {field} is on or after {value}",
        "say.in": "whose {field} is one of {values}",
        "say.contains": "whose {field} contains {value}",
        # the customer lookup: the column's own name in the shop's database, and what it holds
        "value": "{column}: {value}",
    }

    def fields(self, cond: dict) -> list[str]:
        return [cond["field"]] if isinstance(cond.get("field"), str) else []

    def check(self, cond: dict, where: str, env: CheckEnv) -> list[Problem]:
        problems: list[Problem] = []
        name, op, value = cond.get("field"), cond.get("op"), cond.get("value")
        known = env.customer_fields
        if not isinstance(name, str) or not name:
            problems.append(env.problem(self.code("no_field"), f"{where}.field"))
        elif known is not None and name not in known:
            problems.append(env.problem("crm.no_field", f"{where}.field", field=name))
        problems += check_op(cond, where, env, self, OPS)
        if op not in OPS:
            return problems
        if op in NO_VALUE_OPS:
            if "value" in cond:
                problems.append(env.problem(self.code("no_value"), f"{where}.value", op=op))
        elif op in DAY_OPS:
            problems += whole(value, where, env, "value", minimum=0)
        elif op == "in":
            if not isinstance(value, list) or not all(is_scalar(v) for v in value):
                problems.append(env.problem(self.code("in_list"), f"{where}.value"))
            elif any(isinstance(v, str) and "\x00" in v for v in value):
                problems.append(env.problem("value.nul", f"{where}.value"))
            else:  # each value of the list as if compared alone: one wrong one would fail the statement
                holds = _holds(known, name)
                for i, item in enumerate(value):
                    problems += self._typed(name, holds, item, f"{where}.value[{i}]", env)
        elif op == "contains":
            if not isinstance(value, str) or not value:
                problems.append(env.problem(self.code("contains_text"), f"{where}.value"))
        elif not is_scalar(value):
            problems.append(env.problem(self.code("needs_value"), f"{where}.value", op=op))
        else:
            problems += self._typed(name, _holds(known, name), value, f"{where}.value", env)
        return problems

    def _typed(self, name: Any, holds: str | None, value: Any, where: str, env: CheckEnv) -> list[Problem]:
        """A compared value that the field's type cannot hold: a database would refuse the statement
        (PostgreSQL compares no integer with 'abc', no timestamp with a number), or SQLite would
        compare it as something else than the user meant (a date written 01.02.2026)."""
        shown = repr(value) if isinstance(value, str) else value
        if holds == "date" or name in DATE_FIELDS:  # the same test as compile's: a date wherever it is kept
            if not (isinstance(value, str) and _is_iso_date(value)):
                return [env.problem(self.code("not_date"), where, field=name, value=shown)]
            return []
        if holds == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
            return [env.problem(self.code("not_number"), where, field=name, value=shown)]
        if holds == "bool" and not isinstance(value, bool) and value not in (0, 1):
            return [env.problem(self.code("not_bool"), where, field=name, value=shown)]
        if holds == "text" and isinstance(value, bool):
            return [env.problem(self.code("not_text"), where, field=name, value=shown)]
        return []

    def compile(self, cond: dict, ctx: SqlContext) -> sa.ColumnElement:
        name, op, value = cond["field"], cond["op"], cond.get("value")
        col = ctx.crm.customer_fields()[name]
        if op == "is_valid_email":
            text = _text(col, ctx)
            return sa.and_(
                text.like("_%@_%._%"), sa.not_(text.like("%@%@%")),
                *[sa.func.instr(text, ch) == 0 if ctx.crm.is_sqlite else sa.func.strpos(text, ch) == 0
                  for ch in (" ", "\t", "\n", "\r")],
            )
        if op in ("is_true", "is_false"):
            if not ctx.crm.is_sqlite and isinstance(col.type, sa.Boolean):
                truth = col.is_(True)
            elif not ctx.crm.is_sqlite and isinstance(col.type, sa.Integer | sa.Numeric):
                truth = sa.and_(col.is_not(None), col != 0)
            else:
                # NOCASE folds ASCII only, as good as lower() for TRUTHY (no other letter lowers to
                # one of them) and SQLite's own, not a Python function called once per customer.
                truth = sa.and_(col.is_not(None), sa.cast(col, sa.Text).collate("NOCASE").in_(TRUTHY))
            return truth if op == "is_true" else sa.not_(truth)
        if op in ("is_set", "is_empty"):
            present = col.is_not(None)
            if ctx.crm.is_sqlite or isinstance(col.type, sa.String):
                present = sa.and_(present, sa.func.trim(_text(col, ctx)) != "")
            return present if op == "is_set" else sa.not_(present)
        if op in DAY_OPS:
            ts = ctx.crm.ts(col)
            return days_since_bounds(ts, "gt" if op == "older_than_days" else "lt", value, ctx)
        if op == "contains":
            return sa.func.lower(_text(col, ctx)).contains(value.lower(), autoescape=True)
        if op == "in":
            if _is_date(name, col):
                return ctx.crm.ts(col).in_([ctx.crm.ts_value(datetime.fromisoformat(v)) for v in value])
            return col.in_([_bound(col, v) for v in value])
        if _is_date(name, col) and isinstance(value, str):
            compared = compare(ctx.crm.ts(col), op, ctx.crm.ts_value(datetime.fromisoformat(value)))
        else:
            compared = compare(col, op, _bound(col, value))
        if op == "ne":  # a customer with no value differs from any value
            return sa.or_(col.is_(None), compared)
        return compared

    def describe(self, cond: dict, say: Any) -> str:
        name, op, value = cond["field"], cond["op"], cond.get("value")
        blanks: dict[str, Any] = {"field": say.field(name)}
        if op in DAY_OPS:
            blanks["days"] = say.count(value, "day")
        elif op == "in":
            blanks["values"] = ", ".join(say.value(v) for v in value)
        else:
            blanks["value"] = say.value(value)
        is_date = name in DATE_FIELDS or (isinstance(value, str) and _is_iso_date(value))
        for key in (f"say.{op}.{name}", f"say.date.{op}" if is_date else "", f"say.{op}"):
            if key and say.has(self.code(key)):
                return say(self.code(key), **blanks)
        raise KeyError(op)

    def measure(self, cond: dict, ctx: SqlContext) -> list[sa.ColumnElement]:
        col = ctx.crm.customer_fields()[cond["field"]]
        return [col, sa.literal(col.name, sa.String)]

    def say_measure(self, cond: dict, values: list, say: Any) -> str:
        value, column = values
        if isinstance(value, Decimal):
            value = float(value)
        if cond.get("op") in ("is_true", "is_false") and value is not None:
            value = value is True or str(value).strip().lower() in TRUTHY
        elif isinstance(value, datetime | date) or (cond["field"] in DATE_FIELDS and isinstance(value, str)):
            value = str(value)[:10]  # a date is what the condition looks at, not its time of day
            return say(self.code("value"), column=column, value=value)
        elif isinstance(value, str) and value.strip():
            return say(self.code("value"), column=column, value=value)
        return say(self.code("value"), column=column, value=say.value(value))

    def value_of(self, cond: dict, key: str, text: str) -> Any:
        op = cond.get("op")
        if op in NO_VALUE_OPS:
            return None
        if op == "in":
            return [parse_value(part) for part in text.split(",") if part.strip()]
        if op == "contains":
            return text.strip()
        value = parse_value(text)
        return 0 if op in DAY_OPS and value == "" else value

    def schema(self) -> dict[str, Any]:
        scalar = {"type": ["string", "number", "boolean"]}
        return {"type": "object", "additionalProperties": False, "required": ["kind", "field", "op"],
                "properties": {"kind": {"const": self.name}, "field": {"type": "string", "minLength": 1},
                               "op": {"enum": list(OPS)},
                               "value": {"oneOf": [scalar, {"type": "array", "items": scalar}]}}}


def _is_iso_date(text: str) -> bool:
    try:
        datetime.fromisoformat(text) if len(text) > 10 else date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _holds(known: Any, name: Any) -> str | None:
    """What the CRM's column ``name`` holds (number, text, bool, date, other), None without a CRM."""
    return known.get(name) if isinstance(known, dict) and isinstance(name, str) else None


def _bound(col: sa.Column, value: Any) -> Any:
    """``value`` as a parameter that compares as SQLite compares it, so both databases find the
    same customers: a number compared with text is its text (SQLite's column affinity), a number
    compared with a number keeps its own type (0.5 bound as the column's integer would be 0)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if isinstance(col.type, sa.String):
            return sa.literal(str(value), col.type)
        if isinstance(col.type, sa.Integer | sa.Numeric | sa.Float):
            return sa.literal(value)
    return sa.literal(value, col.type)


def _text(col: sa.ColumnElement, ctx: SqlContext) -> sa.ColumnElement:
    if ctx.crm.is_sqlite or not isinstance(col.type, sa.String):
        return sa.cast(col, sa.Text)
    return col


def _is_date(name: str, col: sa.Column) -> bool:
    return name in DATE_FIELDS or isinstance(col.type, sa.Date | sa.DateTime)


FIELD = register(FieldCondition())
