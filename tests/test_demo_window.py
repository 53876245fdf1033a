"""The consultant's demo in the real window: new from a template, import with the field check,
simulate (progress, cancel, CSV), export pictures and the client report; the CRM never changes."""

from __future__ import annotations

import csv
import json
from datetime import datetime

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox

from app.report import build_report
from app.templates import templates
from connectors.crm import Crm
from editor.forms import NodeForm
from editor.gallery import TemplateGallery
from editor.graph import node_by_id
from editor.mapping_dialog import MappingDialog
from engine.runner import tick
from engine.scenario import from_dict
from tests.helpers import REACTIVATION, checksum, reactivation
from tests.test_editor_window import ARTIFACTS, AT, demo_crm, settle, window  # noqa: F401 - fixtures


@pytest.mark.parametrize("template", templates(), ids=lambda t: t.stem)
def test_every_template_opens_in_the_editor_without_problems(qtbot, window, template):  # noqa: F811
    assert window.new_from_template(template)
    settle(qtbot, window)
    assert window.doc.graph.widget.width() > 2 * window.docks["palette"].width()  # the canvas keeps its room
    assert [p for p in window.problems if p.severity == "error"] == []
    scenario = window.scenario()
    assert scenario.id != template.scenario.id and scenario.id.startswith(template.scenario.id)
    assert [n.id for n in scenario.nodes] == [n.id for n in template.scenario.nodes]
    assert window.doc.path is None  # saving asks where to keep the new scenario
    for node in scenario.nodes:  # every node has its form, whatever its type
        window.doc.graph.select_only([node_by_id(window.doc.graph, node.id)])
        qtbot.wait(5)
        assert isinstance(window.form, NodeForm) and window.form.node.get_property("node_id") == node.id
    if template.stem == "rf-lifecycle":
        ARTIFACTS.mkdir(exist_ok=True)
        window.grab().save(str(ARTIFACTS / "rf-lifecycle-window.png"))


def test_gallery_shows_each_template_with_picture_and_description(qtbot, window):  # noqa: F811
    gallery = TemplateGallery(window)
    qtbot.addWidget(gallery)
    gallery.show()
    assert gallery.list.count() == len(templates()) == 9
    assert gallery.list.item(0).text() == "Reactivation by orders"
    gallery.list.setCurrentRow(8)
    assert gallery.title.text() == "RF lifecycle mailing"
    assert gallery.description.text().startswith("Seven rules by the number of completed orders")
    assert not gallery.picture.pixmap().isNull() and gallery.picture.pixmap().width() > 300
    ARTIFACTS.mkdir(exist_ok=True)
    gallery.grab().save(str(ARTIFACTS / "gallery.png"))
    gallery.accept()
    assert gallery.chosen.stem == "rf-lifecycle"


def answer_message_box(qtbot, button_text: str, seen: list[str]) -> None:
    """Click ``button_text`` on the next message box, remembering its text."""
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(20, click)


def test_import_lists_fields_the_crm_lacks_and_offers_the_mapping(qtbot, window, tmp_path):  # noqa: F811
    shared = reactivation()
    shared["nodes"][1]["params"]["conditions"].append(
        {"kind": "field", "field": "loyalty_tier", "op": "eq", "value": "gold"})
    path = tmp_path / "from-a-colleague.scenario.json"
    path.write_text(json.dumps(shared), encoding="utf-8")
    seen: list[str] = []
    answer_message_box(qtbot, "Later", seen)
    assert window.import_path(path) == ["loyalty_tier"]
    assert "loyalty_tier" in seen[0]
    assert window.doc.path is None and window.doc.meta.name == shared["name"]
    assert any("loyalty_tier" in str(p) for p in window.problems)
    # "Map columns…" offers the missing field beside Scenarist's own; mapped, the problem is gone.
    def map_it() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, MappingDialog):
            QTimer.singleShot(20, map_it)
            return
        dialog.findChild(QComboBox, "column_customers_loyalty_tier").setCurrentText("city")
        dialog.accept()

    answer_message_box(qtbot, "Map columns…", seen)
    QTimer.singleShot(50, map_it)
    assert window.offer_mapping() == ["loyalty_tier"]
    settle(qtbot, window)
    assert window.missing_fields() == [] and not any("loyalty_tier" in str(p) for p in window.problems)
    broken = tmp_path / "broken.scenario.json"
    broken.write_text('{"format": "scenarist.scenario", "version": 1, "name": "x", "nodes": [', encoding="utf-8")
    seen.clear()
    answer_message_box(qtbot, "OK", seen)
    assert window.import_path(broken) == []
    assert window.doc.meta.name == shared["name"]  # the broken file changed nothing


def test_simulate_shows_days_and_steps_saves_csv_and_never_touches_the_crm(qtbot, window, demo_crm,  # noqa: F811
                                                                           tmp_path):
    window.open_path(REACTIVATION, confirm=False)
    before = checksum(demo_crm)
    dialog = window.simulate()
    dialog.days.setValue(10)
    with qtbot.waitSignals([dialog.result_ready, dialog.worker_done], timeout=120_000):
        dialog.start_run()
    assert dialog.progress.value() == dialog.progress.maximum() == 10
    result = window.last_simulation
    assert result is dialog.result and len(result["daily"]) == 10
    assert dialog.table.rowCount() == len(result["nodes"]) and dialog.days_table.rowCount() == 10
    assert dialog.table.item(0, 0).text() == result["nodes"][0]["title"]
    assert dialog.chart_tab.layout().count() == 1 and dialog.funnel_tab.layout().count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "simulate.png"))
    saved = dialog.save_csv(str(tmp_path / "sim.csv"))
    with saved.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 10 * len(result["nodes"])
    assert sum(int(r["messages"]) for r in rows) == result["totals"]["messages"]
    dialog.days.setValue(60)
    with qtbot.waitSignal(dialog.worker_done, timeout=120_000):
        dialog.start_run()
        dialog.cancel_run()
    assert "Cancelled" in dialog.status.text() and window.last_simulation is result
    dialog.close()
    assert checksum(demo_crm) == before


def test_pictures_and_client_report_from_the_window(qtbot, window, tmp_path):  # noqa: F811
    window.open_path(REACTIVATION, confirm=False)
    settle(qtbot, window)
    png = window.export_picture("png", tmp_path / "scenario.png")
    svg = window.export_picture("svg", tmp_path / "scenario.svg")
    image = QImage(str(png))
    colours = {image.pixel(x, y) for x in range(0, image.width(), 9) for y in range(0, image.height(), 9)}
    assert image.width() > 800 and len(colours) > 20  # nodes, edges and text, not a blank page
    assert "Churned for 180 days" in svg.read_text(encoding="utf-8")
    window.last_simulation = None
    report = window.report_dialog(tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Reactivation by orders" in report and "data:image/png;base64," in report
    assert "no order in the last 180 days" in report


def test_report_shows_what_the_messages_brought_and_each_branch(qtbot, window, demo_crm, tmp_path):  # noqa: F811
    data = reactivation()
    data["id"] = "report-results"
    scenario = from_dict(data)
    crm = Crm.open(demo_crm)
    try:
        entered = tick(scenario, crm, datetime.fromisoformat(AT)).counts["queued"]
    finally:
        crm.dispose()
    path = tmp_path / "results.scenario.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    window.open_path(path, confirm=False)
    settle(qtbot, window)
    report = window.report_dialog(tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<h2>Results</h2>" in report and f"<td>We miss you</td><td class='num'>{entered:,}</td>" in report
    ab = build_report(scenario, picture_png=None, counts=None, simulation=None, generated_at=datetime(2026, 3, 2),
                      results={"mail1": {"messages": 10, "customers": 2, "orders": 2, "revenue": 900.0, "rate": 0.2}},
                      branches={"mail1": {"a": {"messages": 5, "customers": 2, "orders": 2, "revenue": 900.0,
                                                "rate": 0.4},
                                          "b": {"messages": 5, "customers": 0, "orders": 0, "revenue": 0.0,
                                                "rate": 0.0}}})
    assert "Branches of “We miss you”" in ab and "<td>a</td>" in ab and "40.0%" in ab and "0.0%" in ab
