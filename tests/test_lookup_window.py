"""The Customer lookup pane and the canvas's customers-at-a-node list, driven by real input events."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication

from app.prefs import Prefs
from editor.graph import node_by_id
from tests.test_editor_window import settle
from tests.test_lookup import shop
from tests.windows import shown_window

CLOCK = "2026-03-06T10:00:00+03:00"


def story_window(qtbot, tmp_path, url):
    path, _ = shop(tmp_path, url)
    return path, shown_window(qtbot, prefs=Prefs(crm=url), clock=lambda: datetime.fromisoformat(CLOCK),
                              scheduler=False)


def test_the_search_suggests_as_one_types_and_shows_the_story(qtbot, user_dirs, tmp_path, sqlite_url):
    path, window = story_window(qtbot, tmp_path, sqlite_url)
    with window as made:
        made.open_path(path, confirm=False)
        settle(qtbot, made)
        made.docks["lookup"].show()
        made.docks["lookup"].raise_()
        pane = made.lookup
        qtbot.mouseClick(pane.search, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(pane.search, "an")
        qtbot.waitUntil(pane.suggestions.isVisible, timeout=3000)
        assert [pane.suggestions.item(i).text() for i in range(pane.suggestions.count())] == \
            ["#1 Anna · anna@example.com · +7 (900) 111-22-33"]
        qtbot.keyClick(pane.search, Qt.Key.Key_Return)
        text = pane.result.toPlainText()
        for fact in ("Entered 2026-03-02 10:00; left the scenario at 'Goodbye' on 2026-03-05 10:00.",
                     "2026-03-02 10:00 · We miss you", "2026-03-05 10:00 · Goodbye",
                     "✉ SMS nudge · sms: skipped (no consent to SMS or no phone number)",
                     "✉ Your code · email: sent", "Order 13 of 2500 on 2026-03-03 12:00, after Your code",
                     "is not in this scenario now and did not leave it in the last 180 days: left it 2026-03-05: "
                     "does not hold"):
            assert fact in text, fact
        assert "first name\nAnna\n" in text and "email subscription\nyes\n" in text  # words, not column names
        code = pane.found["enrolments"][0]["bonuses"][0]["code"]
        assert f"Promo code: {code} 500 off" in text
        # A name nobody has: said in words, no list.
        pane.search.clear()
        qtbot.keyClicks(pane.search, "zz")
        qtbot.waitUntil(lambda: pane.note.text() != "", timeout=3000)
        assert pane.note.text() == "No customer begins with “zz”." and not pane.suggestions.isVisible()


def test_a_right_click_on_a_node_lists_its_customers_and_opens_one(qtbot, user_dirs, tmp_path, crm_url):
    path, window = story_window(qtbot, tmp_path, crm_url)
    with window as made:
        made.open_path(path, confirm=False)
        settle(qtbot, made)
        viewer = made.doc.graph.viewer()
        made.focus_node("mail2")
        qtbot.wait(20)
        node = node_by_id(made.doc.graph, "mail2")
        spot = viewer.mapFromScene(node.view.sceneBoundingRect().center() + QPointF(0, 10))
        event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, spot, viewer.viewport().mapToGlobal(spot))
        QApplication.sendEvent(viewer.viewport(), event)
        chooser = made.chooser
        assert chooser.isVisible()
        heading = chooser.findChild(type(made.lookup.note), "chooserTitle")
        assert heading.text() == "Customers at “Your code”: 1"
        qtbot.keyClicks(chooser.search, "anna")
        assert [chooser.list.item(i).text() for i in range(chooser.list.count())] == \
            ["#1 Anna · anna@example.com · +7 (900) 111-22-33"]
        qtbot.keyClick(chooser.search, Qt.Key.Key_Return)
        assert made.docks["lookup"].isVisible()
        assert made.lookup.found["customer"]["email"] == "anna@example.com"
        assert "✉ We miss you · email: sent" in made.lookup.result.toPlainText()


def test_the_pane_speaks_russian(qtbot, user_dirs, tmp_path, sqlite_url):
    path, window = story_window(qtbot, tmp_path, sqlite_url)
    with window as made:
        made.open_path(path, confirm=False)
        settle(qtbot, made)
        made.set_language("ru")
        try:
            made.look_up_customer("1")
            text = made.lookup.result.toPlainText()
            assert "Вошёл 2026-03-02 10:00; вышел из сценария на шаге «Goodbye» 2026-03-05 10:00." in text
            assert "✉ SMS nudge · sms: пропущено (нет согласия на SMS или номера телефона)" in text
            assert "сейчас не в этом сценарии и не выходил из него последние 180 дней: вышел из него 2026-03-05: " \
                   "не выполняется" in text
            assert made.docks["lookup"].windowTitle() == "Поиск клиента"
        finally:
            made.set_language("en")


def test_a_filter_before_entry_lists_everyone_who_entered(qtbot, user_dirs, tmp_path, sqlite_url):
    path, window = story_window(qtbot, tmp_path, sqlite_url)
    with window as made:
        made.open_path(path, confirm=False)
        settle(qtbot, made)
        chooser = made.customers_at("churned")
        heading = chooser.findChild(type(made.lookup.note), "chooserTitle")
        assert heading.text() == "Customers at “Churned”: 1"
        assert chooser.list.item(0).text() == "#1 Anna · anna@example.com · +7 (900) 111-22-33"
        chooser.close()
