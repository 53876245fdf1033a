"""The scenario-wide control group: a fixed share of entrants, chosen by a stable hash of the
scenario and the customer, held out before the first step (they get nothing), so that what the
scenario adds can be read against them. The same customer is always in it or always out of it."""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa

CONTROL = "control"  # the exit port of a held-out enrolment, which ends at the start node
BUCKETS = 10000


def _salt(scenario_key: str) -> int:
    return int(hashlib.sha256(f"{scenario_key}\x00control".encode()).hexdigest()[:5], 16)


def holdout_bucket(scenario_key: str, customer_id: int) -> int:
    """The customer's bucket, 0 <= bucket < 10000 (the SQL of :func:`held_out` computes the same)."""
    mixed = (customer_id + _salt(scenario_key)) % 2147483647
    return (mixed * 2654435761) % 4294967296 % BUCKETS


def is_held_out(scenario_key: str, customer_id: int, share: float) -> bool:
    """Whether the customer is in the scenario's control group for ``share``."""
    return holdout_bucket(scenario_key, customer_id) < round(share * BUCKETS)


def held_out(scenario_key: str, customer_id: Any, share: float) -> sa.ColumnElement:
    """The SQL test of :func:`is_held_out` on a customer id column."""
    big = lambda n: sa.literal(n, sa.BigInteger)  # noqa: E731 - every step in 64-bit integers on both databases
    mixed = (customer_id + big(_salt(scenario_key))) % big(2147483647)
    return (mixed * big(2654435761)) % big(4294967296) % big(BUCKETS) < big(round(share * BUCKETS))
