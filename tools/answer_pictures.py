#!/usr/bin/env python3
"""Take the README's pictures of the Customer lookup pane and the report's uplift part, in English
and Russian: docs/lookup-en.png, docs/lookup-ru.png, docs/uplift-en.png, docs/uplift-ru.png.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python tools/answer_pictures.py``. It builds a small
shop in a temporary folder, runs two scenarios on it with the real engine (a win-back story for
one customer, an A/B split with a control for a hundred), and grabs the widgets offscreen.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from PySide6.QtWidgets import QApplication, QTextBrowser  # noqa: E402

from app.prefs import Prefs  # noqa: E402
from app.report import CSS, build_report  # noqa: E402
from app.reporting import gather_report  # noqa: E402
from app.run_once import run_once  # noqa: E402
from app.settings import load_settings  # noqa: E402
from connectors.crm import Crm  # noqa: E402
from connectors.schema import create_canonical  # noqa: E402
from editor.i18n import install_translation  # noqa: E402
from editor.theme import apply_theme  # noqa: E402
from editor.window import MainWindow  # noqa: E402
from engine.scenario import from_dict  # noqa: E402

DOCS = ROOT / "docs"
AT = datetime.fromisoformat("2026-03-02T10:00:00+03:00")
STORY = {
    "format": "scenarist.scenario", "version": 1, "name": "Win back", "id": "win-back",
    "settings": {"timezone": "Europe/Moscow", "reentry_days": 180},
    "nodes": [
        {"id": "start", "type": "trigger", "title": "Every morning", "position": [0, 0],
         "params": {"kind": "schedule", "at": "10:00"}},
        {"id": "churned", "type": "filter", "title": "Churned", "position": [260, 0], "params": {"match": "all",
         "conditions": [{"kind": "field", "field": "email_subscribed", "op": "is_true"},
                        {"kind": "orders", "agg": "count", "op": "ge", "value": 1},
                        {"kind": "orders", "agg": "count", "within_days": 180, "op": "eq", "value": 0}]}},
        {"id": "mail1", "type": "message", "title": "We miss you", "position": [520, 0],
         "params": {"channel": "email", "subject": "We miss you", "body": "Come back"}},
        {"id": "sms1", "type": "message", "title": "SMS nudge", "position": [780, 0],
         "params": {"channel": "sms", "body": "Come back"}},
        {"id": "promo", "type": "bonus", "title": "Promo code", "position": [1040, 0],
         "params": {"kind": "promo_code", "prefix": "BACK", "discount": "500 ₽", "expires_in_days": 14}},
        {"id": "mail2", "type": "message", "title": "Your code", "position": [1300, 0],
         "params": {"channel": "email", "subject": "Your code {{ bonus.code }}", "body": "{{ bonus.code }}"}},
        {"id": "wait3", "type": "wait", "title": "Three days", "position": [1560, 0], "params": {"days": 3}},
        {"id": "bye", "type": "exit", "title": "Goodbye", "position": [1820, 0], "params": {}},
    ],
    "edges": [{"source": a, "port": p, "target": b} for a, p, b in (
        ("start", "out", "churned"), ("churned", "yes", "mail1"), ("mail1", "out", "sms1"), ("sms1", "out", "promo"),
        ("promo", "out", "mail2"), ("mail2", "out", "wait3"), ("wait3", "out", "bye"))],
}
AB = {
    "format": "scenarist.scenario", "version": 1, "name": "Spring offer", "id": "spring-offer",
    "settings": {"timezone": "Europe/Moscow", "reentry_days": None},
    "nodes": [
        {"id": "start", "type": "trigger", "title": "Every morning", "position": [0, 0],
         "params": {"kind": "schedule", "at": "11:00"}},
        {"id": "ab", "type": "split", "title": "Offer or control", "position": [260, 0], "params": {"branches": [
            {"port": "offer", "weight": 50}, {"port": "hold", "weight": 50, "control": True}]}},
        {"id": "m1", "type": "message", "title": "Spring offer", "position": [520, 0],
         "params": {"channel": "email", "subject": "Spring", "body": "Spring"}},
    ],
    "edges": [{"source": "start", "port": "out", "target": "ab"}, {"source": "ab", "port": "offer", "target": "m1"}],
}


def build_shop(folder: Path) -> tuple[str, Path]:
    """The shop, its settings file, and both scenarios run on it."""
    url = f"sqlite:///{folder / 'shop.db'}"
    engine = sa.create_engine(url)
    customers, orders = create_canonical(engine)
    people = [{"id": 1, "email": "anna@example.com", "phone": "+7 (900) 111-22-33", "first_name": "Anna",
               "last_name": "Petrova", "registered_at": datetime(2021, 4, 2), "email_subscribed": True,
               "sms_subscribed": False, "bonus_points": 0}]
    people += [{"id": i, "email": f"customer{i}@example.com", "phone": None, "first_name": f"Customer {i}",
                "last_name": "",
                "registered_at": datetime(2022, 1, 1), "email_subscribed": True, "sms_subscribed": False,
                "bonus_points": 0} for i in range(2, 202)]
    with engine.begin() as conn:
        conn.execute(customers.insert(), people)
        conn.execute(orders.insert(), [{"id": 1, "customer_id": 1, "created_at": datetime(2025, 8, 1, 12),
                                        "total": 3200, "status": "completed"}])
    settings_path = folder / "settings.toml"
    settings_path.write_text(f'[channels.email]\nkind = "file"\nfolder = "{folder / "outbox"}"\n', encoding="utf-8")
    settings = load_settings(settings_path)
    crm = Crm.open(url)
    try:
        for scenario, at in ((STORY, AT), (AB, AT.replace(hour=11))):
            run_once(from_dict(scenario), crm, settings, at)
        with engine.begin() as conn:  # Anna orders the day after; 45 of the offer's branch and 15 of the control
            conn.execute(orders.insert(), [{"customer_id": 1, "created_at": datetime(2026, 3, 3, 12), "total": 2500,
                                            "status": "completed"}])
            branch = dict(conn.execute(sa.text("SELECT customer_id, exit_port FROM scenarist_enrolments "
                                               "WHERE scenario = 'spring-offer'")).all())
            offer = sorted(c for c, port in branch.items() if port != "hold" and c != 1)[:45]
            held = sorted(c for c, port in branch.items() if port == "hold" and c != 1)[:15]
            conn.execute(orders.insert(), [{"customer_id": c, "created_at": datetime(2026, 3, 4, 12), "total": 1800,
                                            "status": "completed"} for c in offer + held])
        run_once(from_dict(STORY), crm, settings, AT + timedelta(days=3))
    finally:
        crm.dispose()
    engine.dispose()
    return url, settings_path


def lookup_picture(app: QApplication, url: str, lang: str, target: Path) -> None:
    install_translation(app, lang)
    window = MainWindow(prefs=Prefs(crm=url, language=lang), scheduler=False,
                        clock=lambda: AT + timedelta(days=4))
    window.resize(1440, 900)
    path = target.parent / f".story-{lang}.scenario.json"
    path.write_text(json.dumps(STORY), encoding="utf-8")
    window.open_path(path, confirm=False)
    window.show()
    window.look_up_customer("1")
    window.lookup.search.setText("anna@example.com")
    dock = window.docks["lookup"]
    dock.setFloating(True)
    dock.resize(760, 760)
    app.processEvents()
    dock.grab().save(str(target))
    path.unlink()
    window.doc.undo_stack.setClean()
    window.close()


def uplift_picture(app: QApplication, url: str, lang: str, target: Path) -> None:
    crm = Crm.open(url)
    try:
        data = gather_report(from_dict(AB), crm)
    finally:
        crm.dispose()
    page = build_report(data.scenario, picture_png=None, counts=None, simulation=None,
                        generated_at=datetime(2026, 3, 20, 12), lang=lang, results=data.results,
                        branches=data.branches, uplift=data.uplift)
    part = re.search(r'<div class="uplift">.*?</div>', page, re.DOTALL).group(0)
    view = QTextBrowser()
    view.setStyleSheet("QTextBrowser { background: white; color: #1f2328; border: none; }")  # the page is light
    view.document().setDefaultStyleSheet(CSS)
    view.setHtml(f"<h2>{'Результаты' if lang == 'ru' else 'Results'}</h2>{part}")
    view.resize(900, 250)
    view.show()
    app.processEvents()
    view.grab().save(str(target))


def main() -> None:
    """Write the four pictures into docs/ (the user's own settings and data are not touched)."""
    home = tempfile.mkdtemp(prefix="scenarist-pictures-")
    os.environ["XDG_CONFIG_HOME"], os.environ["XDG_DATA_HOME"] = f"{home}/config", f"{home}/data"
    app = QApplication.instance() or QApplication(sys.argv)
    apply_theme(app)
    with tempfile.TemporaryDirectory() as folder:
        url, _ = build_shop(Path(folder))
        for lang in ("en", "ru"):
            lookup_picture(app, url, lang, DOCS / f"lookup-{lang}.png")
            uplift_picture(app, url, lang, DOCS / f"uplift-{lang}.png")
            print(lang)
    install_translation(app, "en")


if __name__ == "__main__":
    main()
