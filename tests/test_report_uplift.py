"""The client report's uplift part: it leads the results section, in plain words, in both languages."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.report import build_report
from app.reporting import gather_report
from connectors.crm import Crm
from engine.runner import tick
from engine.scenario import from_dict
from engine.uplift import newcombe
from tests.helpers import make_crm, query
from tests.test_engine_events import add
from tests.test_uplift import AB, START


def ab_shop(url: str, customers: int = 100, treated_buy: int = 25, control_buy: int = 5) -> tuple[list, list]:
    """The A/B scenario run once on ``customers`` customers; the first ``treated_buy`` of the
    mailed branch and ``control_buy`` of the control order 1 500 two days later."""
    make_crm(url, [{"id": i, "email": f"c{i}@example.com"} for i in range(1, customers + 1)], [])
    crm = Crm.open(url)
    try:
        tick(from_dict(AB), crm, START)
    finally:
        crm.dispose()
    control = sorted(r[0] for r in query(url, "SELECT customer_id FROM scenarist_enrolments WHERE exit_port = 'hold'"))
    treated = sorted(set(range(1, customers + 1)) - set(control))
    when = START.replace(tzinfo=None) + timedelta(days=2)
    add(url, "orders", [{"customer_id": c, "created_at": when, "total": 1500, "status": "completed"}
                        for c in treated[:treated_buy] + control[:control_buy]])
    return treated, control


def report_for(url: str, lang: str) -> str:
    crm = Crm.open(url)
    try:
        data = gather_report(from_dict(AB), crm)
    finally:
        crm.dispose()
    return build_report(data.scenario, picture_png=None, counts=data.counts, simulation=None,
                        generated_at=datetime(2026, 3, 20, 12), lang=lang, results=data.results,
                        branches=data.branches, uplift=data.uplift)


def test_the_uplift_leads_the_results_in_plain_words(crm_url):
    treated, control = ab_shop(crm_url)
    page = report_for(crm_url, "en")
    results = page.index("<h2>Results</h2>")
    assert page.index("What the scenario added") == results + len("<h2>Results</h2>") + len('<div class="uplift"><h3>')
    assert page.index("What the scenario added") < page.index("<th>Message</th>")
    d, low, high = newcombe(25, len(treated), 5, len(control))
    rate, base = 25 / len(treated), 5 / len(control)
    extra_orders = round(25 - 5 * len(treated) / len(control))
    extra_revenue = 25 * 1500 - 5 * 1500 * len(treated) / len(control)
    sentence = (f"mail converted {100 * rate:.1f}% against {100 * base:.1f}% in the control: "
                f"{abs(round(d * 100, 1)):g} percentage points more (between +{round(low * 100, 1):g} and "
                f"+{round(high * 100, 1):g}), about {extra_orders} extra orders and ")
    assert low > 0 and sentence in page
    from connectors.texts import money
    assert f"{money(round(extra_revenue, 2), 'en')} extra revenue." in page
    assert "Test or control" in page and "hold (control)" in page


def test_too_few_customers_are_said_in_words_in_russian(sqlite_url):
    ab_shop(sqlite_url, customers=20, treated_buy=2, control_buy=1)
    page = report_for(sqlite_url, "ru")
    assert "Что добавил сценарий" in page
    assert ("mail: пока слишком мало клиентов, чтобы судить. Для сравнения нужно не меньше 30 клиентов в каждой "
            "группе и 10 конверсий всего.") in page
    assert "процентн" not in page  # no number where there is nothing to read


def test_the_scenario_against_its_held_out_share(sqlite_url):
    from tests.test_engine_events import scenario as scenario_of

    data = scenario_of({}, [{"id": "m1", "type": "message", "title": "Hello",
                             "params": {"channel": "email", "subject": "Hi", "body": "Hi"}}],
                       [("start", "out", "m1")], id="whole", control_share=0.5)
    make_crm(sqlite_url, [{"id": i, "email": f"c{i}@example.com"} for i in range(1, 121)], [])
    crm = Crm.open(sqlite_url)
    try:
        tick(from_dict(data), crm, START)
        held = sorted(r[0] for r in query(sqlite_url, "SELECT customer_id FROM scenarist_enrolments "
                                                      "WHERE exit_port = 'control'"))
        got = sorted(set(range(1, 121)) - set(held))
        when = START.replace(tzinfo=None) + timedelta(days=1)
        add(sqlite_url, "orders", [{"customer_id": c, "created_at": when, "total": 100, "status": "completed"}
                                   for c in got[:20] + held[:6]])
        found = gather_report(from_dict(data), crm)
    finally:
        crm.dispose()
    page = build_report(found.scenario, picture_png=None, counts=None, simulation=None,
                        generated_at=datetime(2026, 3, 20, 12), results=found.results, branches=found.branches,
                        uplift=found.uplift)
    assert "<h4>The whole scenario against its control</h4>" in page
    assert f"<tr><td>got the scenario</td><td class=num>{len(got)}</td><td class=num>20</td>" in page
    assert f"<tr><td>held out (control)</td><td class=num>{len(held)}</td><td class=num>6</td>" in page
    d, low, high = newcombe(20, len(got), 6, len(held))
    assert low > 0
    assert (f"got the scenario converted {100 * 20 / len(got):.1f}% against {100 * 6 / len(held):.1f}% in the "
            f"control: {abs(round(d * 100, 1)):g} percentage points more (between +{round(low * 100, 1):g} and "
            f"+{round(high * 100, 1):g})") in page
