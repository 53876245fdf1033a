"""The Russian interface: no untranslated string in the menus, docks, palette and the form of a
node of every registry type; the language follows the system or the setting; the registry's
strings, the .ts and the .qm are kept in step with the code."""

from __future__ import annotations

import html
import importlib.util
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QToolButton,
    QWidget,
)

from app.prefs import Prefs
from connectors.demo_crm import build_demo_crm
from connectors.templates import TemplateError, compile_template
from connectors.texts import Text
from editor.conditions_editor import ConditionRow, GroupBox
from editor.forms import NodeForm
from editor.i18n import LANGUAGE_NAMES, counted, install_translation, language_code, translate
from editor.messages import shown
from editor.settings_form import SettingsForm
from editor.window import MainWindow
from engine.conditions import KINDS
from engine.describe import describe_node
from engine.nodes import REGISTRY
from engine.problems import Problem
from engine.template_words import template_error
from tests.helpers import REACTIVATION, ROOT
from tests.windows import shown_window

AT = "2026-11-23T10:30:00+03:00"
TS = ROOT / "resources" / "i18n" / "scenarist_ru.ts"
QM = ROOT / "resources" / "i18n" / "scenarist_ru.qm"
REGENERATE = "run `.venv/bin/python tools/i18n.py update`, translate the new entries, then `tools/i18n.py release`"

# Latin words a Russian interface keeps: product and technology names, and the formats' own words.
ALLOWED = re.compile(r"\b(Scenarist|email|SMS|A/B|Jinja2?|CRM|URL|SQL|SQLite|PostgreSQL|IANA|HH:MM|NUL"
                     r"|PNG|SVG|HTML|CSV|Excel)\b", re.IGNORECASE)


def _tools():
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _messages(path) -> list[ET.Element]:
    return [m for ctx in ET.parse(path).getroot() for m in ctx.iter("message")]


def _catalog(path) -> set[tuple[str, str, bool]]:
    """(context, source, numerus) of every message of a .ts file."""
    return {(ctx.find("name").text, m.find("source").text, m.get("numerus") == "yes")
            for ctx in ET.parse(path).getroot() for m in ctx.iter("message")}


def _english_sources() -> set[str]:
    """Source texts whose Russian differs: shown as they are, they are untranslated."""
    out = set()
    for m in _messages(TS):
        tr = m.find("translation")
        if m.get("numerus") != "yes" and (tr.text or "") != m.find("source").text:
            out.add(m.find("source").text.replace("&", ""))
    return out


ENGLISH = _english_sources()


def untranslated(texts: list[tuple[str, str]], data: set[str] = frozenset()) -> list[tuple[str, str]]:
    """The (where, text) pairs that are not Russian: an English source shown as it is, or Latin
    letters left once markup, placeholders, quoted values, data and the allowed words are gone."""
    bad = []
    for where, text in texts:
        plain = text.replace("&", "").strip()
        if not plain:
            continue
        if plain in ENGLISH:
            bad.append((where, text))
            continue
        rest = re.sub(r"<code>.*?</code>", " ", plain)
        rest = html.unescape(re.sub(r"<[^>]+>", " ", rest))
        rest = re.sub(r"\{\{.*?\}\}|\{\w*\}|«[^»]*»", " ", rest)  # Jinja, placeholders, quoted values
        for value in sorted(data, key=len, reverse=True):
            rest = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", rest)
        rest = ALLOWED.sub(" ", rest)
        if re.search(r"[A-Za-z]", rest):
            bad.append((where, text))
    return bad


@pytest.fixture(scope="module")
def demo_crm(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo_crm(str(path), customers=300, seed=7, as_of=datetime.fromisoformat(AT))
    return f"sqlite:///{path}"


@pytest.fixture
def russian(qapp) -> Iterator[None]:
    """The Russian translation installed for one test (English again afterwards)."""
    assert install_translation(qapp, "ru") == "ru"
    yield
    install_translation(qapp, "en")


@pytest.fixture
def window(qtbot, user_dirs, demo_crm, russian):
    with shown_window(qtbot, prefs=Prefs(crm=demo_crm), clock=lambda: datetime.fromisoformat(AT)) as made:
        yield made


@pytest.fixture
def english_window(qtbot, user_dirs, demo_crm):
    with shown_window(qtbot, prefs=Prefs(crm=demo_crm), clock=lambda: datetime.fromisoformat(AT)) as made:
        yield made
    install_translation(QApplication.instance(), "en")


def settle(qtbot, window: MainWindow) -> None:
    qtbot.wait(20)
    qtbot.waitUntil(window.counter.is_idle, timeout=20000)
    qtbot.wait(20)


def menu_texts(window: MainWindow) -> list[tuple[str, str]]:
    """Every menu title and action text of the menu bar, submenus included."""
    window._fill_recent()  # the recent files' menu is filled when it opens
    out = []

    def walk(actions, where):
        for action in actions:
            if action.isSeparator():
                continue
            if action.text() not in LANGUAGE_NAMES.values():  # each language is named in itself
                out.append((f"{where} > {action.text()}", action.text()))
                out.append((f"{where} > {action.text()} (tooltip)", action.toolTip()))
            if action.menu():
                walk(action.menu().actions(), f"{where} > {action.text()}")

    walk(window.menuBar().actions(), "menu")
    return out


DATA_WIDGETS = {"preview_customer", "setting_timezone", "rendered"}


def widget_texts(root: QWidget) -> list[tuple[str, str]]:
    """What a form shows: labels, check boxes, buttons, list items, group titles, table headers,
    spin box affixes, placeholders and every tooltip (widgets holding data are left out)."""
    out: list[tuple[str, str]] = []
    for w in [root, *root.findChildren(QWidget)]:
        name = w.objectName() or type(w).__name__
        if w.objectName() in DATA_WIDGETS:
            continue
        out.append((f"{name} tooltip", w.toolTip()))
        if isinstance(w, QLabel | QCheckBox | QPushButton | QToolButton):
            out.append((name, w.text()))
        elif isinstance(w, QComboBox):
            out += [(f"{name} item", w.itemText(i)) for i in range(w.count())]
            out += [(f"{name} item tooltip", w.itemData(i, Qt.ItemDataRole.ToolTipRole) or "")
                    for i in range(w.count())]
        elif isinstance(w, QGroupBox):
            out.append((name, w.title()))
        elif isinstance(w, QTableWidget):
            out += [(f"{name} header", w.horizontalHeaderItem(i).text()) for i in range(w.columnCount())
                    if w.horizontalHeaderItem(i)]
        elif isinstance(w, QLineEdit) and not isinstance(w.parent(), QAbstractSpinBox | QComboBox):
            out.append((f"{name} placeholder", w.placeholderText()))
        if isinstance(w, QSpinBox):
            out += [(f"{name} prefix", w.prefix()), (f"{name} suffix", w.suffix()),
                    (f"{name} special", w.specialValueText())]
    return out


def test_the_window_in_russian_has_no_untranslated_string(qtbot, window):
    graph = window.doc.graph
    seen: list[tuple[str, str]] = menu_texts(window)
    seen += [(f"dock {key}", dock.windowTitle()) for key, dock in window.docks.items()]
    seen.append(("toolbar", window.toolbar.windowTitle()))
    assert "scheduler" in window.docks  # the scheduler's tab is checked too
    palette = window.palette
    for i in range(palette.count()):
        item = palette.item(i)
        seen += [(f"palette {i}", item.text()), (f"palette {i} tooltip", item.toolTip())]
    assert palette.count() == len(REGISTRY)
    for type_name in REGISTRY:  # one node of every type, and its form
        if type_name != "trigger":
            window.add_node_at_centre(type_name)
        else:
            graph.select_only(graph.all_nodes()[:1])
        settle(qtbot, window)
        form = window.form
        assert isinstance(form, NodeForm) and form.node.scenarist_type == type_name
        seen += [(f"{type_name}: {where}", text) for where, text in widget_texts(form)]
        seen.append((f"{type_name}: canvas name", form.node.name()))
    filter_node = next(n for n in graph.all_nodes() if n.scenarist_type == "filter")
    graph.select_only([filter_node])
    settle(qtbot, window)
    form = window.form
    for kind in KINDS:  # a condition of every kind, and a group
        form.findChild(QPushButton, "add_condition" if KINDS[kind].listed else "add_group").click()
        if KINDS[kind].listed:
            row = form.findChildren(ConditionRow)[-1]
            row.kind.setCurrentIndex(row.kind.findData(kind))
    qtbot.wait(20)
    assert form.findChildren(GroupBox)
    seen += [(f"filter conditions: {where}", text) for where, text in widget_texts(form)]
    graph.clear_selection()
    settle(qtbot, window)
    assert isinstance(window.form, SettingsForm)
    seen += [(f"settings: {where}", text) for where, text in widget_texts(window.form)]
    preview = window.preview
    seen += [(f"preview header {i}", preview.horizontalHeaderItem(i).text()) for i in range(preview.columnCount())]
    seen += [(f"preview type {r}", preview.item(r, 1).text()) for r in range(preview.rowCount())]
    assert window.problems, "the unconnected nodes are reported"
    seen += [(f"problem {p.node}", shown(p)) for p in window.problems]
    panel = window.scheduler_panel
    seen += [(f"scheduler: {where}", text) for where, text in widget_texts(panel)]
    seen.append(("status: scheduler", window.scheduler_label.text()))
    node_ids = {n.get_property("node_id") for n in graph.all_nodes()}
    ports = {p.name() for n in graph.all_nodes() for p in n.output_ports()}
    data = node_ids | ports | {str(window.workspace)}
    assert len([text for _, text in seen if text]) > 300
    bad = untranslated(seen, data)
    assert not bad, "untranslated:\n" + "\n".join(f"  {where}: {text!r}" for where, text in bad)


def test_node_type_names_are_the_ones_a_russian_shop_owner_knows(window):
    titles = {window.palette.item(i).data(Qt.ItemDataRole.UserRole): window.palette.item(i).text()
              for i in range(window.palette.count())}
    assert titles["filter"] == "Отфильтровать клиентов"
    assert titles["wait"] == "Подождать"
    assert titles["message"] == "Отправить сообщение"
    assert titles["bonus"] == "Начислить бонус"
    assert titles["split"] == "A/B-тест"
    assert titles["exit"] == "Выход"
    assert titles["trigger"].startswith("Старт")


def test_counts_and_engine_messages_speak_russian(russian):
    assert [counted().waiting(n).format(n=n) for n in (1, 3, 5, 21)] == ["1 ждёт", "3 ждут", "5 ждут", "21 ждёт"]
    assert counted().pasted(2).format(n=2) == "Вставлено 2 узла."
    broken = Problem("template.error", {"reason": Text("template.line", {
        "line": 2, "reason": Text("jinja.unexpected", {"token": "}"})})})
    assert shown(broken) == "в тексте ошибка: строка 2: «}» здесь лишний"
    no_input = Problem("edge.no_input", {"node": "x", "type": "exit"})
    assert shown(no_input, {"x": "Конец"}) == "узел «Конец» — «Выход», в него не может вести связь"  # titles, types
    assert shown("a database's own words") == "a database's own words"
    assert translate("MainWindow", "&File") == "&Файл"
    assert QApplication.translate("QPlatformTheme", "Cancel") == "Отмена"  # Qt's own buttons, from qtbase_ru


@pytest.mark.parametrize("source", ["{{ customer.first_name ", "{% if x %}a", "{{ a b }}", "{% foo %}",
                                    "{{ a | nosuch }}", "{{ 1 +* 2 }}", "{{ a.}}", "{{ a ! }}"])
def test_template_errors_speak_russian(russian, source):
    with pytest.raises(TemplateError) as caught:
        compile_template(source)
    said = shown(Problem("template.error", {"reason": template_error(caught.value)}))
    assert said.startswith("в тексте ошибка: строка 1: ")
    assert not untranslated([(source, said)]), said


def test_auto_follows_the_system_language(qapp):
    try:
        QLocale.setDefault(QLocale("ru_RU"))
        assert language_code("auto") == "ru"
        assert install_translation(qapp, "auto") == "ru" and translate("MainWindow", "&Edit") == "&Правка"
        QLocale.setDefault(QLocale("en_US"))
        assert language_code("auto") == "en"
        assert install_translation(qapp, "auto") == "en" and translate("MainWindow", "&Edit") == "&Edit"
        QLocale.setDefault(QLocale("de_DE"))  # no German translation: English
        assert install_translation(qapp, "auto") == "en"
        assert install_translation(qapp, "ru") == "ru"  # the setting wins over the system
        assert QLocale().dayName(1) == "понедельник"  # and dates speak it too
        assert install_translation(qapp, "en") == "en" and QLocale().name() == "de_DE"  # the system's again
    finally:
        install_translation(qapp, "en")
        QLocale.setDefault(QLocale.system())


def test_switching_the_language_in_the_window_is_kept_and_shown_at_once(qtbot, english_window):
    window = english_window
    menu = window.menus["file"]
    assert menu.title() == "&File" and Prefs.load().language == "auto"
    assert untranslated(menu_texts(window))  # the check sees English for what it is
    actions = {a.data(): a for a in window.language_actions.actions()}
    assert actions["auto"].isChecked() and actions["ru"].text() == "Русский"
    actions["ru"].trigger()
    assert Prefs.load().language == "ru" and window.prefs.language == "ru"
    assert menu.title() == "&Файл" and window.docks["palette"].windowTitle() == "Узлы"
    assert window.palette.item(1).text() == "Отфильтровать клиентов"
    assert window.doc.graph.all_nodes()[0].name() == "Старт"  # an untitled node shows its type's name
    assert window.doc.scenario().nodes[0].title is None  # which the file does not keep
    assert actions["ru"].isChecked() and not untranslated(menu_texts(window))
    actions["en"].trigger()
    assert Prefs.load().language == "en" and menu.title() == "&File"
    assert window.palette.item(1).text() == "Filter customers"


def test_the_ts_holds_every_string_of_the_code(tmp_path):
    tools = _tools()
    fresh = tmp_path / "fresh.ts"
    shutil.copyfile(TS, fresh)
    subprocess.run(tools.lupdate_command(fresh, "ru"), cwd=ROOT, check=True, capture_output=True)
    assert _catalog(fresh) == _catalog(TS), f"resources/i18n/scenarist_ru.ts misses strings of the code: {REGENERATE}"


def test_every_string_is_translated_with_its_placeholders():
    messages = _messages(TS)
    assert len(messages) > 250  # the window's own strings; the layers below have their catalogs (test_words)
    problems = []
    for m in messages:
        source, tr = m.find("source").text, m.find("translation")
        forms = [f.text or "" for f in tr.iter("numerusform")] if m.get("numerus") == "yes" else [tr.text or ""]
        if tr.get("type") in ("unfinished", "vanished", "obsolete") or not all(forms):
            problems.append(f"not translated: {source!r}")
        if m.get("numerus") == "yes" and len(forms) != 3:
            problems.append(f"Russian needs three plural forms: {source!r}")
        want = sorted(re.findall(r"\{\{.*?\}\}|\{[\w:.]*\}", source))
        for form in forms:
            if sorted(re.findall(r"\{\{.*?\}\}|\{[\w:.]*\}", form)) != want:
                problems.append(f"placeholders differ: {source!r} -> {form!r}")
    assert not problems, "\n".join(problems)


def test_every_string_is_asked_for_in_the_context_lupdate_recorded():
    # A module-level ``tr(text)`` wrapper hides its context from lupdate: the string lands in no
    # context and its translation is never found at run time.
    lost = sorted(m.find("source").text for ctx in ET.parse(TS).getroot() if not ctx.find("name").text
                  for m in ctx.iter("message"))
    assert not lost, ('strings without a context (write them translate("Context", "text") with editor.i18n.translate, '
                      f"then {REGENERATE}): {lost}")


def test_the_qm_is_compiled_from_the_ts(tmp_path):
    tools = _tools()
    fresh = tmp_path / "fresh.qm"
    subprocess.run(tools.lrelease_command(TS, fresh), cwd=ROOT, check=True, capture_output=True)
    assert fresh.read_bytes() == QM.read_bytes(), f"resources/i18n/scenarist_ru.qm is stale: {REGENERATE}"


def test_the_client_report_from_the_russian_window_is_russian(qtbot, window, tmp_path):
    from tests.test_report import parsed, simulation_fixture

    assert window.open_path(REACTIVATION, confirm=False)
    settle(qtbot, window)
    assert window.last_result is not None  # today's counts of the demo CRM go into the report
    window.last_simulation = simulation_fixture()
    report = window.report_dialog(tmp_path / "report.html")
    page = report.read_text(encoding="utf-8")
    assert '<html lang="ru">' in page
    shown_text = re.sub(r"<(style|metadata)\b[^>]*>.*?</\1>", "", page, flags=re.S)  # not read by anyone
    text = " ".join(" ".join(parsed(shown_text).text).split())
    scenario = window.scenario()
    for node in scenario.nodes:  # the steps in Russian words
        assert " ".join(describe_node(scenario, node, lang="ru").split()) in text
    assert "Отправлено" in text or "Шаги" in text
    assert re.search(r"в среднем на \d \d{3} ₽", text.replace("\u00a0", " ").replace("\u202f", " ")), \
        "money is written the Russian way, in roubles"
    # What is left in Latin letters is the scenario's own text (it was written in English), names and zones.
    data = json.loads(REACTIVATION.read_text(encoding="utf-8"))
    own = {data["name"], data.get("description", ""), "Scenarist", "Europe/Moscow"}
    own |= {n.get("title", "") for n in data["nodes"]}
    params = json.dumps([n.get("params") for n in data["nodes"]], ensure_ascii=False)
    own |= set(re.findall(r'"((?:[^"\\]|\\.)*)"', params))  # every text of the parameters
    bad = untranslated([("report", sentence) for sentence in re.split(r"(?<=\.)\s+", text)], own - {""})
    assert not bad, "English in the Russian report:\n" + "\n".join(text for _, text in bad)
