"""Business days with the engine's explicit clock: catch-up after days away, and DST days."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from connectors.crm import Crm
from engine.runner import tick
from engine.scenario import from_dict
from tests.helpers import make_crm, rows
from tests.test_engine import points_scenario

BERLIN = ZoneInfo("Europe/Berlin")


def daily_scenario(tz: str = "Europe/Moscow") -> dict:
    data = points_scenario()
    data["settings"] = {"timezone": tz, "reentry_days": 0}  # everyone may enter again the next day
    data["nodes"] = data["nodes"][:4]
    data["edges"] = data["edges"][:3]
    return data


@pytest.fixture
def crm(sqlite_url):
    make_crm(sqlite_url, [{"id": i, "email": f"c{i}@example.com"} for i in range(1, 4)], [])
    opened = Crm.open(sqlite_url)
    yield opened
    opened.dispose()


def entries(crm) -> list[tuple]:
    return rows(str(crm.engine.url), "SELECT day, skipped FROM scenarist_entries ORDER BY day")


@pytest.mark.parametrize(("policy", "expected_entries"), [(None, 1), (6.0, 0)])
def test_three_days_away_give_one_catch_up_run_or_none(crm, policy, expected_entries):
    scenario = from_dict(daily_scenario())
    msk = ZoneInfo("Europe/Moscow")
    tick(scenario, crm, datetime(2026, 3, 2, 10, 0, tzinfo=msk))  # Monday, on time
    # The laptop sleeps Monday evening to Thursday 23:00; it wakes and the reconcile job runs,
    # every few minutes, until midnight.
    wake = datetime(2026, 3, 5, 23, 0, tzinfo=msk)
    results = [tick(scenario, crm, wake + timedelta(minutes=5 * k), max_late_hours=policy) for k in range(6)]
    entered = [r.counts["entered"] for r in results]
    assert sum(1 for n in entered if n) == expected_entries
    days = entries(crm)
    assert [d for d, _ in days] == ["2026-03-02", "2026-03-05"]  # Tuesday and Wednesday are not made up
    assert days[-1][1] == (policy is not None)
    assert results[0].entry_skipped == (policy is not None)


@pytest.mark.parametrize("days", [
    [datetime(2026, 3, 27) + timedelta(days=k) for k in range(4)],   # spring forward on Sunday 29 March
    [datetime(2026, 10, 23) + timedelta(days=k) for k in range(4)],  # fall back on Sunday 25 October
])
def test_dst_days_in_berlin_are_neither_doubled_nor_missed(crm, days):
    scenario = from_dict(daily_scenario("Europe/Berlin"))
    for midnight in days:
        # A reconcile job ticking every 30 minutes through the whole local day.
        local = midnight.replace(tzinfo=BERLIN)
        for k in range(48):
            tick(scenario, crm, (local + timedelta(minutes=30 * k)).astimezone(ZoneInfo("UTC")))
    assert [d for d, _ in entries(crm)] == [d.date().isoformat() for d in days]
    first_entry = rows(str(crm.engine.url), "SELECT min(entered_at) FROM scenarist_enrolments "
                                            "GROUP BY entry_day ORDER BY entry_day")
    assert [t for (t,) in first_entry] == [f"{d.date().isoformat()} 10:00:00" for d in days]
