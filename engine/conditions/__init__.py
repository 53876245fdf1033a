"""Filter conditions: one declaration per kind (its module in this package), and conditions as
lists (checks, SQL, the fields they name). A new kind is one more module here."""

from __future__ import annotations

import importlib
import pkgutil

from engine.conditions.base import (
    COMPARE,
    KEY_ORDER,
    KINDS,
    MATCHES,
    CheckEnv,
    ConditionKind,
    Slot,
    SqlContext,
    check_conditions,
    compile_condition,
    compile_conditions,
    days_since_bounds,
    parse_value,
    references,
)

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")

from engine.conditions.field import DAY_OPS, NO_VALUE_OPS  # noqa: E402 - after every kind registered
from engine.conditions.field import OPS as FIELD_OPS  # noqa: E402
from engine.conditions.orders import AGGS as ORDER_AGGS  # noqa: E402
from engine.conditions.orders import ORDER_EVENT, happened  # noqa: E402

__all__ = [
    "COMPARE",
    "DAY_OPS",
    "FIELD_OPS",
    "KEY_ORDER",
    "KINDS",
    "MATCHES",
    "NO_VALUE_OPS",
    "ORDER_AGGS",
    "ORDER_EVENT",
    "CheckEnv",
    "ConditionKind",
    "Slot",
    "SqlContext",
    "check_conditions",
    "compile_condition",
    "compile_conditions",
    "days_since_bounds",
    "happened",
    "parse_value",
    "references",
]
