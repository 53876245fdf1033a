"""Publishing a new version: customers keep their places at nodes that still exist; those at a
deleted node are listed, never dropped, and can be moved or ended."""

from __future__ import annotations

import pytest

from connectors.crm import Crm
from engine.publish import end_stranded, latest_published, move_stranded, publish, stranded
from engine.runner import tick
from engine.scenario import from_dict
from tests.helpers import make_crm, reactivation, rows
from tests.test_engine import CUSTOMERS, HISTORY, day


def without_wait7() -> dict:
    """Version 2: the first wait is deleted; the reminder leads straight to the promo code."""
    data = reactivation()
    data["nodes"] = [n for n in data["nodes"] if n["id"] != "wait7"]
    data["edges"] = [e for e in data["edges"] if "wait7" not in (e["source"], e["target"])]
    data["edges"].append({"source": "mail1", "port": "out", "target": "promo"})
    return data


def places(url: str) -> list[tuple]:
    return rows(url, "SELECT customer_id, node_id, status FROM scenarist_enrolments ORDER BY customer_id")


def test_a_deleted_wait_strands_its_customers_and_keeps_the_others(crm_url):
    make_crm(crm_url, CUSTOMERS, HISTORY)
    crm = Crm.open(crm_url)
    v1 = from_dict(reactivation())
    assert publish(crm, v1, day(0)) .version == 1
    assert publish(crm, v1, day(0)).new is False  # the same file publishes no new version
    tick(v1, crm, day(0))   # Anna, Boris, Clara wait at wait7
    tick(v1, crm, day(7))   # they move on to wait12; Hanna (churned on day 5) now waits at wait7
    before = places(crm_url)
    assert before == [(1, "wait12", "active"), (2, "wait12", "active"), (3, "wait12", "active"),
                      (8, "wait7", "active")]
    v2 = from_dict(without_wait7())
    result = publish(crm, v2, day(8))
    assert (result.version, result.new, result.stranded) == (2, True, {"wait7": 1})
    assert latest_published(crm, v2.key).to_dict() == v2.to_dict()
    tick(v2, crm, day(8))
    assert places(crm_url) == before  # nobody dropped, nobody moved by the new version
    assert stranded(crm, v2) == {"wait7": 1}
    with pytest.raises(ValueError, match="still in the scenario"):
        move_stranded(crm, v2, "wait12", "promo", day(9))
    assert move_stranded(crm, v2, "wait7", "promo", day(9)) == 1
    tick(v2, crm, day(9))
    assert stranded(crm, v2) == {}
    assert places(crm_url)[-1] == (8, "wait12", "active")  # Hanna got the promo and waits again
    crm.dispose()


def test_stranded_customers_can_be_ended(sqlite_url):
    make_crm(sqlite_url, CUSTOMERS, HISTORY)
    crm = Crm.open(sqlite_url)
    tick(from_dict(reactivation()), crm, day(0))
    v2 = from_dict(without_wait7())
    assert publish(crm, v2, day(1)).stranded == {"wait7": 3}
    assert end_stranded(crm, v2, "wait7", day(1)) == 3
    assert {s for _, _, s in places(sqlite_url)} == {"finished"}
    assert rows(sqlite_url, "SELECT DISTINCT exit_port FROM scenarist_enrolments") == [("ended-by-user",)]
    crm.dispose()
