"""Counts a shop owner can read: who leaves each deciding node by each port, a filter's "passed
of entered", and counts that survive a node still being built. Computed by hand on a small CRM."""

from __future__ import annotations

import json

from editor.badges import decor_of
from editor.graph import node_by_id
from tests.helpers import REACTIVATION, make_crm
from tests.test_cli import cli
from tests.test_editor_window import AT, settle, window  # noqa: F401 - fixtures
from tests.test_engine import CUSTOMERS, HISTORY


def test_ports_of_each_deciding_node_add_up_to_its_reach(crm_url):
    make_crm(crm_url, CUSTOMERS, HISTORY)
    done = cli("preview", str(REACTIVATION), "--crm", crm_url, "--at", "2026-03-02T10:00", "--json")
    nodes = json.loads(done.stdout)["nodes"]
    # By hand: Anna, Boris and Clara churned 180 days ago; Dan is unsubscribed, Eve's address is
    # broken, Fred and Hanna ordered in the last 180 days, Gleb registered 100 days ago, Ivan never ordered.
    assert nodes["churned"] == {"reached": 9, "waiting": 0, "goal": 0, "ports": {"yes": 3, "no": 6}}
    assert nodes["used"]["ports"] == {"yes": 0, "no": 0}  # nobody is there yet today
    assert "ports" not in nodes["mail1"]  # one way out: nothing to decide
    ran = json.loads(cli("run", str(REACTIVATION), "--crm", crm_url, "--at", "2026-03-02T10:00", "--json",
                         "--no-deliver").stdout)
    assert ran["nodes"]["churned"]["ports"] == {"yes": 3, "no": 6}
    again = json.loads(cli("run", str(REACTIVATION), "--crm", crm_url, "--at", "2026-03-02T10:00", "--json",
                           "--no-deliver").stdout)
    assert again["nodes"]["churned"]["ports"] == {"yes": 3, "no": 6}  # the same moment replays the run
    # The preview says what the run would queue, per channel, before it runs.
    assert json.loads(done.stdout)["queued.email"] == ran["queued"] == 3


def test_a_preview_foresees_what_the_frequency_cap_holds_back(crm_url, tmp_path):
    make_crm(crm_url, CUSTOMERS, HISTORY)
    settings = tmp_path / "settings.toml"
    settings.write_text("[frequency_cap]\nmessages = 1\ndays = 30\n", encoding="utf-8")
    first = cli("run", str(REACTIVATION), "--crm", crm_url, "--at", "2026-03-02T10:00", "--json", "--no-deliver",
                "--settings", str(settings))
    assert json.loads(first.stdout)["queued"] == 3  # Anna, Boris and Clara get "We miss you"
    # A week later the three did not come back: the promo email is due, but one message a month is the cap.
    week = ("--crm", crm_url, "--at", "2026-03-09T10:00", "--json", "--settings", str(settings))
    foreseen = json.loads(cli("preview", str(REACTIVATION), *week).stdout)
    # One more customer is churned by then and gets "We miss you", the first message this month.
    assert (foreseen["queued"], foreseen["capped"], foreseen["nodes"]["mail2"]["reached"]) == (1, 3, 3)
    no_cap = tmp_path / "no-cap.toml"
    no_cap.write_text("", encoding="utf-8")
    uncapped = json.loads(cli("preview", str(REACTIVATION), *week[:-1], str(no_cap)).stdout)
    assert (uncapped["queued"], uncapped.get("capped", 0)) == (4, 0)
    ran = json.loads(cli("run", str(REACTIVATION), *week, "--no-deliver").stdout)
    assert (ran["queued"], ran["capped"]) == (foreseen["queued"], foreseen["capped"])


def _small_shop(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("small") / "small.db"
    url = f"sqlite:///{path}"
    make_crm(url, CUSTOMERS, HISTORY)
    return url


def test_the_canvas_shows_passed_of_entered_and_the_ports_as_preview_does(qtbot, user_dirs, tmp_path_factory):
    from datetime import datetime

    from app.prefs import Prefs
    from tests.windows import shown_window

    url = _small_shop(tmp_path_factory)
    with shown_window(qtbot, prefs=Prefs(crm=url), clock=lambda: datetime.fromisoformat("2026-03-02T10:00:00+03:00"),
                      scheduler=False) as made:
        made.open_path(REACTIVATION, confirm=False)
        settle(qtbot, made)
        churned = decor_of(node_by_id(made.doc.graph, "churned").view)
        assert churned.texts() == ["3 of 9 passed"]
        assert churned.port_texts() == {"yes": "3", "no": "6"}
        preview = made.preview.counts()
        assert preview["churned"] == ("9", "0") and preview["mail1"] == ("3", "0")
        # An unfinished node: a new message without a body. The rest keeps its counts.
        made.add_node_at_centre("message")
        settle(qtbot, made)
        assert churned.texts() == ["3 of 9 passed"]
        new = next(n for n in made.doc.graph.all_nodes() if n.get_property("node_id") == "message1")
        assert decor_of(new.view).texts() == ["not counted"]
        assert "body" in new.view.toolTip() or "start" in new.view.toolTip()
