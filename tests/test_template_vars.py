"""A template may only name what a message can show: every other name is a problem, in the
window and for ``validate``, before any message fails at run time."""

from __future__ import annotations

import json

from editor.form_widgets import TemplateEdit
from editor.graph import node_by_id
from engine.template_vars import offered, unknown
from engine.validation import validate
from tests.helpers import REACTIVATION, make_crm, reactivation
from tests.test_cli import cli
from tests.test_editor_window import demo_crm, settle, window  # noqa: F401 - fixtures
from tests.test_engine import CUSTOMERS, HISTORY

FIELDS = ["id", "email", "first_name", "city"]


def test_names_a_message_cannot_show_are_found_with_their_line():
    source = ("Hi {{ customer.first_name }}!\n{{ customer.promo_code }} {{ bonus.code }} {{ orders.total }}\n"
              "{% set n = orders.count %}{% for i in range(n) %}{{ i }}{% endfor %} {{ shop }} {{ bonus['size'] }}")
    assert unknown(source, FIELDS) == [
        ("customer.promo_code", "id, email, first_name, city", 2),
        ("bonus.size", "code, amount, discount, expires_at, kind", 3),
        ("shop", "customer, orders, bonus, scenario", 3),
    ]
    assert unknown("{{ customer.city }} {{ scenario.name }} {{ loop }}", FIELDS) == []
    assert "customer.city" in offered(FIELDS) and "orders.last_order_at" in offered(FIELDS)


def test_validate_refuses_an_unknown_variable_against_the_crm(sqlite_url, tmp_path):
    make_crm(sqlite_url, CUSTOMERS, HISTORY)
    data = reactivation()
    data["nodes"][2]["params"]["body"] += "\nYour code: {{ customer.promo_code }}"
    path = tmp_path / "typo.scenario.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = cli("validate", str(path), "--crm", sqlite_url)
    assert done.returncode == 2
    assert "node 'mail1', field 'params.body': 'customer.promo_code' is not something a message can show" \
        in done.stderr
    problems = [p for p in validate(data, {"first_name": "text"}, None) if p.code == "template.unknown_name"]
    assert [(p.node, p.field, p.args["name"], p.severity) for p in problems] == [
        ("mail1", "params.body", "customer.promo_code", "error")]
    # Without a CRM the shop's own columns are unknown: a customer field is only a warning then.
    assert cli("validate", str(path)).returncode == 0
    assert cli("validate", str(REACTIVATION), "--crm", sqlite_url).returncode == 0


def test_the_window_lists_an_unknown_variable_and_its_picker_inserts_known_ones(qtbot, window):  # noqa: F811
    window.open_path(REACTIVATION, confirm=False)
    settle(qtbot, window)
    graph = window.doc.graph
    graph.select_only([node_by_id(graph, "mail1")])
    settle(qtbot, window)
    body = window.form.findChild(TemplateEdit, "param_body")
    body.editor.moveCursor(body.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(body.editor, " {{ customer.promo_code }}")
    body.flush()
    settle(qtbot, window)
    listed = [window.problems_pane.item(i).text() for i in range(window.problems_pane.count())]
    assert any("We miss you" in t and "customer.promo_code" in t for t in listed), listed
    body.editor.setPlainText("Hello ")
    body.editor.moveCursor(body.editor.textCursor().MoveOperation.End)
    menu = body.picker.menu()
    menu.aboutToShow.emit()
    chosen = next(a for a in menu.actions() if a.text() == "customer.first_name")
    chosen.trigger()
    body.flush()
    settle(qtbot, window)
    assert body.text() == "Hello {{ customer.first_name }}"
    assert not [p for p in window.problems if p.node == "mail1"]
    assert body.picker.isVisible()  # the picker is part of the form
