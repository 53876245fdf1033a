"""The client report and its charts: one self-contained, escaped HTML file; matplotlib figures
without pyplot, light and dark; the latest counts from the engine's tables; and the report opened
in headless Chromium, whose screenshot must show the scenario's picture."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from PySide6.QtGui import QColor, QImage

from app.charts import MAX_LINES, figure_svg, funnel_figure, timeline_figure
from app.prefs import Prefs
from app.report import build_report, latest_counts, write_report
from connectors.crm import Crm
from connectors.demo_crm import build_demo_crm
from editor.export import scenario_png_bytes
from engine.describe import describe_node
from engine.nodes import REGISTRY
from engine.runner import tick
from engine.scenario import Node, from_dict
from engine.simulate import ResponseModel
from tests.helpers import REACTIVATION, ROOT, make_crm, reactivation, simulate_url
from tests.test_serve import ORDERS, PEOPLE
from tests.windows import shown_window

AT = datetime.fromisoformat("2026-11-23T10:30:00+03:00")
GENERATED = datetime(2026, 11, 23, 12, 0)
ARTIFACTS = ROOT / "test-artifacts"
NODE_KEYS = ("reached", "waiting", "messages", "bonuses", "points", "orders", "revenue")
STEPS = [("start", "trigger", "Every day at 10:00"), ("churned", "filter", "Churned for 180 days"),
         ("mail1", "message", "We miss you"), ("wait7", "wait", "Wait 7 days"),
         ("promo", "bonus", "Promo code 500"),
         ("mail2", "message", "Your bonus"), ("wait12", "wait", "Wait 12 days"),
         ("used", "filter", "Used the code?"), ("mail3", "message", "Code expires soon")]


def simulation_fixture(days: int = 30, steps: list[tuple[str, str, str]] | None = None) -> dict:
    """A made-up but consistent simulation result of ``engine.simulate``'s shape (section 1)."""
    steps = steps or STEPS
    ids = [nid for nid, _, _ in steps]
    daily = []
    for i in range(days):
        entered = 120 if i == 0 else 6 + (i * 7) % 5
        nodes = {nid: dict.fromkeys(NODE_KEYS, 0) for nid in ids}
        for k, nid in enumerate(ids):
            if k < 2:
                nodes[nid]["reached"] = 800  # the entry checks see every customer every day
            else:
                nodes[nid]["reached"] = max(0, entered - 3 * k + (i % 3))
                nodes[nid]["waiting"] = 10 + k if steps[k][1] == "wait" else 0
            if steps[k][1] == "message":
                nodes[nid]["messages"] = nodes[nid]["reached"]
                nodes[nid]["orders"] = nodes[nid]["reached"] // 12
                nodes[nid]["revenue"] = nodes[nid]["orders"] * 2500.0
            if steps[k][1] == "bonus":
                nodes[nid]["bonuses"] = nodes[nid]["reached"]
        totals = {key: sum(n[key] for n in nodes.values()) for key in ("messages", "bonuses", "points", "orders",
                                                                        "revenue")}
        daily.append({"day": (date(2026, 11, 23) + timedelta(days=i)).isoformat(), "nodes": nodes,
                      "totals": {"entered": entered, **totals}})
    per_node = {nid: {k: sum(d["nodes"][nid][k] for d in daily) for k in NODE_KEYS} for nid in ids}
    for nid in ids:
        per_node[nid]["waiting"] = daily[-1]["nodes"][nid]["waiting"]
    totals = {k: sum(d["totals"][k] for d in daily) for k in ("entered", "messages", "bonuses", "points", "orders",
                                                               "revenue")}
    return {"scenario": "reactivation-by-orders", "name": "Reactivation by orders", "start": AT.isoformat(),
            "days": days, "response": {"rate": 0.05, "within_days": 7, "average_order": 2500, "seed": 1},
            "nodes": [{"id": nid, "type": t, "title": title} for nid, t, title in steps],
            "daily": daily, "totals": {"nodes": per_node, **totals}, "seconds": 1.25}


class Tags(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def assert_self_contained(page: str) -> None:
    tags = parsed(page)
    names = {tag for tag, _ in tags.tags}
    assert not names & {"script", "link", "iframe", "object", "embed"}
    for tag, attrs in tags.tags:
        for key in ("src", "href", "xlink:href"):
            value = attrs.get(key)
            assert value is None or value.startswith(("data:", "#")), (tag, key, value[:40])
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
    assert not re.search(r"url\((?!#)", page) and "@import" not in page  # only references inside the page


# -- the HTML ------------------------------------------------------------------------------------


def test_report_has_every_part_in_plain_words(tmp_path) -> None:
    scenario = from_dict(reactivation())
    counts = {"start": {"reached": 800, "waiting": 0}, "mail1": {"reached": 12345, "waiting": 0},
              "wait7": {"reached": 300, "waiting": 42}}
    page = build_report(scenario, picture_png=b"\x89PNG fake", counts=counts, simulation=simulation_fixture(),
                        generated_at=GENERATED)
    assert page.startswith("<!DOCTYPE html>")
    assert_self_contained(page)
    text = " ".join(" ".join(parsed(page).text).split())
    assert "Reactivation by orders" in text and "Prepared on 23 November 2026, 12:00" in text
    assert scenario.description in text
    for node in scenario.nodes:
        assert node.title in text
        assert " ".join(describe_node(scenario, node).split()) in text
    # Steps in the order customers meet them, each with its type.
    order = [text.index(n.title) for n in scenario.topological_order()]
    assert order == sorted(order)
    assert REGISTRY["filter"].title in text
    assert "Next: yes → We miss you · no → ends here" in text
    assert "12,345" in text and "42" in text
    assert "Europe/Moscow" in text and "A customer may enter again 180 days after leaving." in text
    assert "Messages go out as soon as they are due" in text
    assert "over 30 days from 23 November 2026, 10:30" in text
    assert "Assumed response: 5% of customers who get a message order within 7 days, ₽2,500 per order" in text
    revenue = simulation_fixture()["totals"]["revenue"]
    assert f"Revenue ₽{revenue:,.0f}" in text  # money with the shop's currency (₽ unless the settings say)
    in_euros = build_report(scenario, picture_png=None, counts=None, simulation=simulation_fixture(),
                            generated_at=GENERATED, currency="EUR")
    assert f"{revenue:,.0f}\u00a0EUR" in in_euros and "2,500\u00a0EUR per order" in in_euros and "₽2" not in in_euros
    picture = base64.b64encode(b"\x89PNG fake").decode()
    assert f'<img src="data:image/png;base64,{picture}" alt="Diagram of the scenario Reactivation by orders">' in page
    assert page.count("<svg") == 2  # the timeline and the funnel, inline
    assert "@media print" in page and "@page" in page


def test_report_without_picture_counts_or_simulation() -> None:
    scenario = from_dict(reactivation())
    page = build_report(scenario, picture_png=None, counts=None, simulation=None, generated_at=GENERATED)
    assert_self_contained(page)
    assert "<img" not in page and "<svg" not in page
    assert "Reached" not in page and "Simulation" not in page
    assert "No picture of the scenario was included." in page
    no_response = dict(simulation_fixture(3), response=None)
    page = build_report(scenario, picture_png=None, counts={}, simulation=no_response, generated_at=GENERATED)
    assert "No customer response was assumed" in page and "Reached" in page


def test_every_user_string_is_escaped() -> None:
    data = reactivation()
    evil = '<script>alert("x")</script>'
    data["name"] = f"Win & back {evil}"
    data["description"] = "<b>bold</b> <img src=x onerror=alert(1)>"
    data["nodes"][2]["title"] = f"Mail {evil} $5 off $10"  # $ would start matplotlib's mathtext
    data["nodes"][2]["params"]["subject"] = "<img src=x onerror=alert(2)> {{ customer.first_name }}"
    scenario = from_dict(data)
    steps = [(nid, t, (f"Mail {evil} $5 off $10" if nid == "mail1" else title)) for nid, t, title in STEPS]
    page = build_report(scenario, picture_png=None, counts={"mail1": {"reached": 1, "waiting": 0}},
                        simulation=simulation_fixture(5, steps), generated_at=GENERATED)
    assert "<script" not in page and "<b>" not in page and "<img" not in page
    assert_self_contained(page)
    assert "Win &amp; back &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    text = " ".join(parsed(page).text)
    assert f"Mail {evil} $5 off $10" in text  # shown as written, in the table and on the charts


def test_report_is_written_atomically(tmp_path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    write_report(target, "<!DOCTYPE html><p>Привет ₽</p>")
    assert target.read_text(encoding="utf-8") == "<!DOCTYPE html><p>Привет ₽</p>"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


# -- the charts ----------------------------------------------------------------------------------


def test_charts_are_figures_and_inline_svg() -> None:
    result = simulation_fixture()
    for dark in (False, True):
        timeline, funnel = timeline_figure(result, dark=dark), funnel_figure(result, dark=dark)
        assert isinstance(timeline, Figure) and isinstance(funnel, Figure)
        for fig in (timeline, funnel):
            svg = figure_svg(fig)
            assert svg.startswith("<svg") and "<?xml" not in svg and "DOCTYPE" not in svg
            root = ET.fromstring(svg)
            assert root.tag == "{http://www.w3.org/2000/svg}svg"
        texts = " ".join("".join(t.itertext()) for t in ET.fromstring(figure_svg(funnel)).iter()
                         if t.tag.endswith("text"))
        for _, _, title in STEPS:
            assert title in texts
    # Dark charts: light text on the window's background.
    dark = timeline_figure(result, dark=True)
    assert dark.get_facecolor()[:3] == pytest.approx(QColor("#1b1f24").getRgbF()[:3], abs=0.01)
    assert all(ax.title.get_color() == "#e6edf3" for ax in dark.axes if ax.get_title(loc="left"))
    assert timeline_figure(result).get_facecolor()[:3] == (1.0, 1.0, 1.0)


def test_timeline_lines_and_funnel_bars() -> None:
    result = simulation_fixture()
    top = timeline_figure(result).axes[0]
    labels = [line.get_label() for line in top.get_lines()]
    # The entry checks (the trigger and the filter behind it) would flatten the rest: named, not drawn.
    assert labels == ["entered the scenario"] + [title for _, _, title in STEPS[2:]]
    funnel = funnel_figure(result).axes[0]
    assert [t.get_text() for t in funnel.get_yticklabels()] == [title for _, _, title in STEPS]
    widths = [bar.get_width() for bar in funnel.patches]
    assert widths == [result["totals"]["nodes"][nid]["reached"] for nid, _, _ in STEPS]
    assert funnel.get_xlim()[1] < widths[0]  # the entry checks run off a scale fitted to the other steps


def test_many_steps_keep_the_timeline_readable() -> None:
    steps = STEPS[:2] + [(f"m{i}", "message", f"Message {i}") for i in range(25)]
    top = timeline_figure(simulation_fixture(10, steps)).axes[0]
    labels = [line.get_label() for line in top.get_lines()]
    assert len(labels) == MAX_LINES and labels[-1].endswith("more steps")


def test_empty_simulation_still_draws() -> None:
    empty = {"days": 0, "nodes": [], "daily": [], "totals": {"nodes": {}}}
    for fig in (timeline_figure(empty), funnel_figure(empty)):
        assert "No simulated days" in figure_svg(fig)


def test_charts_embed_in_qt_and_leave_no_pyplot(qtbot) -> None:
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    canvas = FigureCanvasQTAgg(timeline_figure(simulation_fixture(), dark=True))
    qtbot.addWidget(canvas)
    canvas.resize(900, 600)
    canvas.draw()
    image = canvas.grab().toImage()
    assert len({image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}) > 20
    code = ("import sys; from tests.test_report import simulation_fixture as s; from app.charts import *; "
            "figure_svg(timeline_figure(s())); figure_svg(funnel_figure(s(), dark=True)); "
            "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)


def test_charts_read_a_real_simulation(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    build_demo_crm(url, customers=300, seed=7, as_of=AT.replace(tzinfo=None))
    result = simulate_url(from_dict(reactivation()), url, 12, AT,
                          response=ResponseModel(rate=0.2, within_days=5, average_order=2000)).to_json()
    page = build_report(from_dict(reactivation()), picture_png=None, counts=None, simulation=result,
                        generated_at=GENERATED)
    assert page.count("<svg") == 2
    assert f"{result['totals']['entered']:,}" in page


# -- the counts ----------------------------------------------------------------------------------


def test_latest_counts_sum_the_runs_and_count_who_waits(crm_url) -> None:
    make_crm(crm_url, PEOPLE, ORDERS)
    scenario = from_dict(reactivation())
    crm = Crm.open(crm_url)
    try:
        assert latest_counts(crm, scenario.key) == {}  # never ran: no engine tables yet
        first = tick(scenario, crm, AT, render=False)
        second = tick(scenario, crm, AT + timedelta(days=8), render=False)
        counts = latest_counts(crm, scenario.key)
        assert latest_counts(crm.engine, scenario.key) == counts
    finally:
        crm.dispose()
    for node in scenario.nodes:
        reached = first.reached.get(node.id, 0) + second.reached.get(node.id, 0)
        waiting = second.waiting.get(node.id, 0)
        assert counts.get(node.id, {"reached": 0, "waiting": 0}) == {"reached": reached, "waiting": waiting}
    assert counts["mail1"]["reached"] == 30
    assert counts["wait12"]["waiting"] == second.reached["wait12"]  # day 8's arrivals wait 12 days there


# -- in a browser --------------------------------------------------------------------------------


def chromium_or_skip() -> str:
    """Debian's chromium; a skip without it, except under CI where the test must run."""
    found = shutil.which("chromium")
    if found:
        return found
    reason = "chromium is not installed (apt-get install chromium); the report is not opened in a browser"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the browser test: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def demo_crm(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo_crm(str(path), customers=400, seed=7, as_of=AT.replace(tzinfo=None))
    return f"sqlite:///{path}"


@pytest.fixture
def window(qtbot, user_dirs, demo_crm, tmp_path):
    with shown_window(qtbot, prefs=Prefs(crm=demo_crm), clock=lambda: AT, workspace=tmp_path / "workspace",
                      scheduler=False) as made:
        yield made


def screenshot(chromium: str, page: Path, out: Path) -> QImage:
    profile = out.parent / "chromium-profile"
    done = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                           f"--screenshot={out}", "--window-size=1200,1600", page.as_uri()],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0 and out.exists(), done.stderr[-2000:]
    image = QImage(str(out))
    assert not image.isNull()
    return image


def test_report_opens_in_headless_chromium(window, qtbot, tmp_path) -> None:
    chromium = chromium_or_skip()
    assert window.open_path(REACTIVATION, confirm=False)
    qtbot.wait(20)
    qtbot.waitUntil(window.counter.is_idle, timeout=30000)
    qtbot.wait(20)
    assert window.last_result is not None
    counts = window.last_result.to_json()["nodes"]
    page = build_report(window.scenario(), picture_png=scenario_png_bytes(window.doc.graph), counts=counts,
                        simulation=simulation_fixture(), generated_at=GENERATED,
                        counts_note="what a run today would do, counted in the demo CRM.")
    report = tmp_path / "report.html"
    write_report(report, page)
    image = screenshot(chromium, report, tmp_path / "report.png")
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(report, ARTIFACTS / "report.html")
    image.save(str(ARTIFACTS / "report.png"))

    assert (image.width(), image.height()) == (1200, 1600)
    sampled = {image.pixel(x, y) & 0xFFFFFF for y in range(0, 1600, 4) for x in range(0, 1200, 4)}
    assert len(sampled) > 300, "a blank page has a handful of colours"
    # The scenario's picture is the only dark area of the page: find it, then find nodes in it.
    canvas = QColor(*window.doc.graph.background_color())
    dark = [(x, y) for y in range(0, 1600, 4) for x in range(0, 1200, 4)
            if _close(image.pixel(x, y), canvas, 3)]
    assert len(dark) > 5000, "the scenario's picture is missing from the page"
    left, right = min(x for x, _ in dark), max(x for x, _ in dark)
    top, bottom = min(y for _, y in dark), max(y for _, y in dark)
    assert right - left > 800 and bottom - top > 150
    inside = [image.pixel(x, y) for y in range(top, bottom, 2) for x in range(left, right, 2)]
    assert len({p & 0xFFFFFF for p in inside}) > 150
    for type_name in ("trigger", "filter", "message", "wait", "bonus"):
        colour = QColor(REGISTRY[type_name].color)
        assert sum(_close(p, colour, 12) for p in inside) > 50, f"no {type_name} node in the page's picture"


def _close(pixel: int, colour: QColor, tolerance: int) -> bool:
    return (abs(((pixel >> 16) & 0xFF) - colour.red()) <= tolerance
            and abs(((pixel >> 8) & 0xFF) - colour.green()) <= tolerance
            and abs((pixel & 0xFF) - colour.blue()) <= tolerance)


def test_node_types_added_later_do_not_break_the_report() -> None:
    scenario = from_dict(reactivation())
    scenario.nodes.append(Node("future", "teleport", {"where": "moon"}, title="Teleport"))
    page = build_report(scenario, picture_png=None, counts=None, simulation=None, generated_at=GENERATED)
    assert "A node of type &#x27;teleport&#x27;." in page
