"""Importing a shop from CSV or Excel: ``main.py import-csv`` and :mod:`app.shop_import`, on real files."""

from __future__ import annotations

import csv
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from app.crm import open_crm
from app.preview import preview_scenario
from app.shop_import import ShopImportError, import_shop, inspect_file, parse_columns, plan_mapping
from connectors.demo_crm import build_demo_crm
from connectors.import_values import BadValue, to_bool, to_datetime, to_money
from engine.scenario import load
from engine.timeutil import zone
from tests.helpers import ROOT, checksum, churned_today
from tests.shop_files import counts_json, table_rows, write_russian_csv, write_xlsx
from tests.test_cli import cli

AS_OF = datetime(2026, 3, 2, 9, 0)  # the demo shop's data is dated to this moment
TEMPLATES = sorted((ROOT / "resources" / "templates").glob("*.scenario.json"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> str:
    """The demo shop of the first start, smaller: 600 customers, about 1,800 orders."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo_crm(str(path), customers=600, seed=42, as_of=AS_OF)
    return f"sqlite:///{path}"


def _previews(url: str) -> dict[str, dict]:
    """Every template's preview at 10:00 on the demo's day: each node's counts and the totals."""
    out = {}
    with open_crm(url) as crm:
        for path in TEMPLATES:
            scenario = load(path)
            at = datetime(2026, 3, 2, 10, 0, tzinfo=zone(scenario.settings["timezone"]))
            out[path.name] = counts_json(preview_scenario(scenario, crm, at))
    return out


def _import(tmp_path: Path, paths: dict[str, Path], *extra: str) -> tuple[object, Path]:
    out = tmp_path / "shop.db"
    done = cli("import-csv", str(out), "--customers", str(paths["customers"]), "--orders", str(paths["orders"]),
               *(["--events", str(paths["events"])] if "events" in paths else []), *extra)
    return done, out


def test_a_russian_csv_export_of_the_demo_shop_previews_the_same_counts(demo, tmp_path):
    paths = write_russian_csv(demo, tmp_path)
    assert paths["customers"].read_bytes().decode("cp1251").splitlines()[1].split(";")[5:8] == \
        ["06.03.2022 11:31:36", "да", "да"]  # what the shop owner's file looks like
    done, out = _import(tmp_path, paths)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "customers.csv: encoding cp1251, delimiter semicolon (;)"
    assert lines[1] == "orders.csv: encoding utf-8, delimiter semicolon (;)"  # no Cyrillic letter in it
    assert lines[3:6] == ["customers: 600 added, 0 updated, 0 rejected",
                          f"orders: {len(table_rows(demo, 'orders')[1])} added, 0 updated, 0 rejected",
                          f"events: {len(table_rows(demo, 'events')[1])} added, 0 updated, 0 rejected"]
    original, imported = _previews(demo), _previews(f"sqlite:///{out}")
    assert imported == original  # every template, every node's counts
    # Not a count of nobody: the reactivation's mails reach the churned customers, counted by hand.
    assert original["reactivation.scenario.json"]["nodes"]["mail1"]["reached"] == churned_today(demo)
    assert table_rows(f"sqlite:///{out}", "orders") == table_rows(demo, "orders")


def test_an_excel_export_of_the_demo_shop_previews_the_same_counts(demo, tmp_path):
    paths = write_xlsx(demo, tmp_path)
    done, out = _import(tmp_path, paths)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "customers.xlsx: Excel workbook, first sheet"
    assert _previews(f"sqlite:///{out}") == _previews(demo)
    assert table_rows(f"sqlite:///{out}", "events") == table_rows(demo, "events")


CUSTOMERS = """Номер;Почта;Имя;Дата регистрации;Рассылка
1;anna@example.ru;Анна;05.01.2025;да
2;boris@example.ru;Борис;2025-01-06 10:30;нет
3;clara@example.com;Клара;31.02.2025;yes
4;dan@example.com;Дэн;07.01.2025 09:15;может быть
"""
ORDERS = """id;customer_id;created_at;total;status
10;1;01.02.2025 12:00;1 234,50;completed
11;2;02.02.2025;99;completed
12;3;03.02.2025;10;completed
13;9;04.02.2025;10;completed
14;1;05.02.2025;12,3,4;completed
10;2;06.02.2025;5;completed
"""
RU_COLUMNS = ("--column", "customers.id=Номер", "--column", "customers.email=Почта",
              "--column", "customers.first_name=Имя", "--column", "customers.registered_at=Дата регистрации",
              "--column", "customers.email_subscribed=Рассылка")


def _small(tmp_path: Path) -> dict[str, Path]:
    paths = {"customers": tmp_path / "clients.csv", "orders": tmp_path / "sales.csv"}
    paths["customers"].write_text(CUSTOMERS, encoding="utf-8-sig")
    paths["orders"].write_text(ORDERS, encoding="utf-8")
    return paths


BAD_LINES = [
    "clients.csv, line 4: Дата регистрации: '31.02.2025' is not a date and time "
    "(such as 31.12.2026 14:30 or 2026-12-31 14:30)",
    "clients.csv, line 5: Рассылка: 'может быть' is not yes or no (yes/no, да/нет, 1/0, true/false)",
    "sales.csv, line 4: customer_id: customer 3 is on a bad row of the customers file",
    "sales.csv, line 5: customer_id: there is no customer 9 in the customers file or in the shop",
    "sales.csv, line 6: total: '12,3,4' is not an amount of money (such as 1 234,50 or 1234.50)",
    "sales.csv, line 7: id: the id 10 is on an earlier line too",
]


def test_bad_rows_are_listed_by_line_and_column_and_nothing_is_imported(tmp_path):
    done, out = _import(tmp_path, _small(tmp_path), *RU_COLUMNS)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        *BAD_LINES, "6 bad rows: nothing was imported. Correct them, or import the rest with --skip-bad "
                    "(the rejected rows go to a CSV file beside the shop)."]
    assert not out.exists()  # a new shop with bad rows is not even created
    assert done.stdout.splitlines()[0] == "clients.csv: encoding utf-8-sig, delimiter semicolon (;)"


def test_skip_bad_imports_the_rest_and_writes_the_rejected_rows_beside_the_shop(tmp_path):
    done, out = _import(tmp_path, _small(tmp_path), *RU_COLUMNS, "--skip-bad")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == BAD_LINES
    assert done.stdout.splitlines()[2:5] == ["customers: 2 added, 0 updated, 2 rejected",
                                             "orders: 2 added, 0 updated, 4 rejected",
                                             f"rejected rows: {tmp_path / 'shop.rejected-customers.csv'}"]
    db = sqlite3.connect(out)
    assert db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1").fetchall() == [
        ("customers",), ("orders",), ("sqlite_stat1",)]  # no events file: no events table
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert db.execute("SELECT id, email, first_name, registered_at, email_subscribed, sms_subscribed, "
                      "bonus_points FROM customers").fetchall() == [
        (1, "anna@example.ru", "Анна", "2025-01-05 00:00:00.000000", 1, 0, 0),
        (2, "boris@example.ru", "Борис", "2025-01-06 10:30:00.000000", 0, 0, 0)]
    assert db.execute("SELECT id, customer_id, created_at, total FROM orders").fetchall() == [
        (10, 1, "2025-02-01 12:00:00.000000", 1234.5), (11, 2, "2025-02-02 00:00:00.000000", 99)]
    with (tmp_path / "shop.rejected-orders.csv").open(encoding="utf-8-sig", newline="") as f:
        rejected = list(csv.reader(f, delimiter=";"))
    assert rejected[0] == ["line", "problem", "id", "customer_id", "created_at", "total", "status"]
    assert [r[0] for r in rejected[1:]] == ["4", "5", "6", "7"]
    assert rejected[3] == ["6", BAD_LINES[4], "14", "1", "05.02.2025", "12,3,4", "completed"]


def test_a_reimport_updates_by_id_adds_new_rows_and_keeps_a_running_scenario(tmp_path):
    paths = {"customers": tmp_path / "c.csv", "orders": tmp_path / "o.csv"}
    paths["customers"].write_text("id,email,first_name,registered_at,email_subscribed\n"
                                  "1,anna@example.ru,Anna,2025-01-05,1\n2,boris@example.ru,Boris,2025-01-05,1\n"
                                  "3,clara@example.com,Clara,2025-01-05,0\n", encoding="utf-8")
    paths["orders"].write_text("id,customer_id,created_at,total,status\n10,1,2025-02-01,100,completed\n"
                               "11,2,2025-02-01,200,completed\n12,3,2026-02-01,300,completed\n", encoding="utf-8")
    done, out = _import(tmp_path, paths)
    assert done.returncode == 0, done.stderr
    url = f"sqlite:///{out}"
    ran = cli("run", str(ROOT / "resources/templates/reactivation.scenario.json"), "--crm", url,
              "--at", "2026-03-02T10:00", "--no-deliver")
    assert ran.returncode == 0, ran.stderr
    db = sqlite3.connect(out)
    assert db.execute("SELECT customer_id, node_id, status FROM scenarist_enrolments ORDER BY 1").fetchall() == [
        (1, "wait7", "active"), (2, "wait7", "active")]  # churned and subscribed: mailed, now waiting
    engine_state = {t: h for t, h in checksum(url).items() if t.startswith("scenarist_")}
    # The weekly export: Anna's email changed, Boris's order grew, a new customer and a new order.
    paths["customers"].write_text("id,email,first_name\n1,anna.new@example.ru,Anna\n4,dan@example.com,Dan\n",
                                  encoding="utf-8")
    paths["orders"].write_text("id,customer_id,created_at,total,status\n11,2,2025-02-01,250,completed\n"
                               "13,4,2026-03-01,50,completed\n", encoding="utf-8")
    again = cli("import-csv", str(out), "--customers", str(paths["customers"]), "--orders", str(paths["orders"]))
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[2:4] == ["customers: 1 added, 1 updated, 0 rejected",
                                              "orders: 1 added, 1 updated, 0 rejected"]
    assert db.execute("SELECT id, email, first_name, registered_at, email_subscribed FROM customers").fetchall() == [
        (1, "anna.new@example.ru", "Anna", "2025-01-05 00:00:00.000000", 1),  # columns not in the file kept
        (2, "boris@example.ru", "Boris", "2025-01-05 00:00:00.000000", 1),  # not in the file: kept, not deleted
        (3, "clara@example.com", "Clara", "2025-01-05 00:00:00.000000", 0),
        (4, "dan@example.com", "Dan", None, 0)]
    assert db.execute("SELECT id, total FROM orders").fetchall() == [(10, 100), (11, 250), (12, 300), (13, 50)]
    assert {t: h for t, h in checksum(url).items() if t.startswith("scenarist_")} == engine_state
    shown = cli("preview", str(ROOT / "resources/templates/reactivation.scenario.json"), "--crm", url,
                "--at", "2026-03-03T10:00", "--json")
    assert shown.returncode == 0, shown.stderr
    assert '"wait7": {"reached": 0, "waiting": 2, "goal": 0}' in shown.stdout  # the two still wait out their week


def test_command_line_refusals_name_the_problem_and_change_nothing(tmp_path):
    paths = _small(tmp_path)
    done, out = _import(tmp_path, paths)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "error: clients.csv: no column is chosen for customers.id, which every row needs (choose one, or give "
        "--column customers.id=HEADER)"]
    done, _ = _import(tmp_path, paths, "--column", "customers.mail=Почта", "--column", "customers.id=Номер")
    assert done.stderr.splitlines() == ["error: --column 'customers.mail=Почта': the customers table has no column "
                                        "'mail'; its columns are id, email, phone, first_name, last_name, "
                                        "registered_at, email_subscribed, sms_subscribed, bonus_points, city, "
                                        "birthday"]
    done, _ = _import(tmp_path, paths, "--column", "customers.id")
    assert done.stderr.splitlines() == ["error: --column 'customers.id' is not TABLE.COLUMN=HEADER (for example "
                                        "customers.email=E-mail)"]
    done, _ = _import(tmp_path, {**paths, "customers": tmp_path / "none.csv"})
    assert done.stderr.splitlines() == [f"error: there is no file {tmp_path / 'none.csv'}"]
    notes = tmp_path / "notes.db"
    notes.write_text("not a database, a note", encoding="utf-8")
    done = cli("import-csv", str(notes), "--customers", str(paths["customers"]), "--orders", str(paths["orders"]),
               *RU_COLUMNS)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"error: {notes} is not an SQLite database: choose a new file or a shop "
                                        "made by Scenarist"]
    assert notes.read_text(encoding="utf-8") == "not a database, a note"
    assert not out.exists()


@pytest.mark.parametrize(("text", "encoding", "delimiter"), [
    ("id,email\n1,a@x.ru\n", "utf-8", ","),
    ("id;email;name\n1;a@x.ru;Ёлкина\n", "utf-8", ";"),
    ("\ufeffid\temail\n1\ta@x.ru\n", "utf-8-sig", "\t"),
    ("id\temail\tname\n1\ta@x.ru\tЁлкина\n", "utf-16", "\t"),  # Excel's "Unicode text"
    ("id;email;name\n1;a@x.ru;Ёлкина\n", "cp1251", ";"),
    ('id,name,total\n1,"Иванов; Пётр","1 234,50"\n', "cp1251", ","),
])
def test_the_encoding_and_the_delimiter_are_detected(tmp_path, text, encoding, delimiter):
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8" if encoding == "utf-8-sig" else encoding))
    table = inspect_file(path)
    assert (table.encoding, table.delimiter) == (encoding, delimiter)
    assert table.headers[0] == "id" and table.sample[0][0] == "1"
    if "Ёлкина" in text:
        assert table.sample[0][2] == "Ёлкина"


def test_the_api_maps_headers_by_name_and_by_choice(tmp_path):
    paths = _small(tmp_path)
    files = {t: inspect_file(p) for t, p in paths.items()}
    chosen = parse_columns(list(RU_COLUMNS[1::2]))
    mapping = plan_mapping(files, chosen)
    assert mapping["orders"] == {"id": "id", "customer_id": "customer_id", "created_at": "created_at",
                                 "total": "total", "status": "status"}
    assert mapping["customers"]["registered_at"] == "Дата регистрации"
    with pytest.raises(ShopImportError) as refused:
        plan_mapping(files, {"customers": {"id": "Nummer"}})
    assert str(refused.value).startswith("clients.csv has no column 'Nummer' (chosen for customers.id)")
    result = import_shop(tmp_path / "api.db", files, mapping, lang="ru")
    assert (result.kept, result.bad_total, [r.line for r in result.bad]) == (False, 6, [4, 5, 4, 5, 6, 7])
    assert not (tmp_path / "api.db").exists()


@pytest.mark.parametrize(("cell", "stored"), [
    ("05.01.2026", "2026-01-05 00:00:00.000000"), ("5.1.2026 9:05", "2026-01-05 09:05:00.000000"),
    ("05.01.2026 14:30:15", "2026-01-05 14:30:15.000000"), ("2026-01-05", "2026-01-05 00:00:00.000000"),
    ("2026-01-05T14:30", "2026-01-05 14:30:00.000000"), ("2026-01-05 14:30:00+03:00", "2026-01-05 14:30:00.000000"),
    (datetime(2026, 1, 5, 14, 30), "2026-01-05 14:30:00.000000"), ("", None),
])
def test_dates_in_the_usual_forms(cell, stored):
    assert to_datetime(cell) == stored


@pytest.mark.parametrize("cell", ["01/02/2026", "31.02.2026", "2026-13-01", "вчера", "05.01.26"])
def test_dates_that_are_not_read(cell):
    with pytest.raises(BadValue) as refused:
        to_datetime(cell)
    assert refused.value.text.code == "value.not_datetime"


@pytest.mark.parametrize(("cell", "value"), [
    ("да", True), ("НЕТ", False), ("yes", True), ("No", False), ("1", True), ("0", False), ("true", True),
    ("FALSE", False), (" Да ", True), ("", None), (1, True), (False, False),
])
def test_yes_and_no_in_russian_and_english(cell, value):
    assert to_bool(cell) is value


@pytest.mark.parametrize(("cell", "value"), [
    ("1 234,50", 1234.5), ("1\u00a0234,50 ₽", 1234.5), ("1,234.50", 1234.5), ("1.234,50", 1234.5), ("1234.5", 1234.5),
    ("99", 99.0), ("1 234 567", 1234567.0), ("1234,5 руб.", 1234.5), ("-15,00", -15.0), ("$ 1,200.00", 1200.0),
    ("1,5", 1.5),
    (1960, 1960.0), ("", None),
])
def test_money_with_spaces_and_commas(cell, value):
    assert to_money(cell) == value


@pytest.mark.parametrize("cell", ["12,3,4", "1 2x", "nan", "1e5", "1_000", "--5"])
def test_money_that_is_not_read(cell):
    with pytest.raises(BadValue):
        to_money(cell)


def test_a_large_file_shows_its_progress_on_the_terminal(tmp_path):
    import os
    import pty
    import subprocess
    import sys

    from tests.test_cli import _ENV

    customers = tmp_path / "c.csv"
    customers.write_text("id,email\n" + "".join(f"{i},c{i}@example.ru\n" for i in range(1, 25_001)), encoding="utf-8")
    orders = tmp_path / "o.csv"
    orders.write_text("id,customer_id,created_at,total,status\n1,1,2026-01-05,10,completed\n", encoding="utf-8")
    main, terminal = pty.openpty()
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "import-csv", str(tmp_path / "shop.db"),
                           "--customers", str(customers), "--orders", str(orders)],
                          stdout=subprocess.PIPE, stderr=terminal, text=True, cwd=ROOT, env=_ENV, timeout=120)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    assert done.returncode == 0
    lines = shown.decode().replace("\r\n", "\n").split("\r")
    assert [line.split(" of the file, ")[1].strip() for line in lines if line.startswith("  customers:")] == [
        "10,000 rows", "20,000 rows", "25,000 rows"]  # one line, redrawn after every 10,000 rows
    assert lines[-2].strip() == "customers: 100.0% of the file, 25,000 rows"


def test_a_file_that_changes_its_encoding_part_way_is_refused_by_line(tmp_path):
    customers = tmp_path / "c.csv"
    head = "id,email,first_name\n" + "".join(f"{i},c{i}@example.ru,Ann\n" for i in range(1, 60_001))
    assert len(head) > (1 << 20)  # beyond the head that decides the encoding
    customers.write_bytes(head.encode() + "60001,x@example.ru,Ёлкина\n".encode("cp1251"))
    orders = tmp_path / "o.csv"
    orders.write_text("id,customer_id,created_at,total,status\n", encoding="utf-8")
    done = cli("import-csv", str(tmp_path / "shop.db"), "--customers", str(customers), "--orders", str(orders))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"error: {customers}, line 60002: the text is not in utf-8; save the file "
                                        "as UTF-8"]
    assert not (tmp_path / "shop.db").exists()


def test_a_row_longer_than_the_headers_and_blank_lines(tmp_path):
    paths = {"customers": tmp_path / "c.csv", "orders": tmp_path / "o.csv"}
    paths["customers"].write_text("id;email\n1;a@x.ru\n\n;;\n2;b@x.ru;;\n3;c@x.ru;Москва;\n", encoding="utf-8")
    paths["orders"].write_text("id;customer_id;created_at;total;status\n", encoding="utf-8")
    done, _ = _import(tmp_path, paths)
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == "c.csv, line 6: the row has 4 values but the file only 2 columns"
    assert done.stderr.splitlines()[1].startswith("1 bad row: nothing was imported.")
