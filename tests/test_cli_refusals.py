"""Input the command line refuses, as a user meets it: a value a CRM column cannot hold, a moment
out of range, a file nested or sized beyond any scenario. Each is refused with exit code 2 and a
line naming the place, before any SQL runs and before the engine's tables are created."""

from __future__ import annotations

import json

import pytest

from tests.helpers import REACTIVATION, engine_for, make_crm, reactivation, rows
from tests.test_cli import cli
from tests.test_engine import CUSTOMERS, HISTORY

AT = "2026-03-02T10:00"

# Conditions whose value the CRM's column cannot hold, with the line validate prints for each.
# PostgreSQL refused these statements (integer = 'abc', timestamp = 12345); SQLite compared a date
# written 01.02.2026 as text and found the wrong customers.
WRONG = [
    ({"field": "bonus_points", "op": "eq", "value": "abc"},
     "value", "the field bonus_points holds numbers, and 'abc' is not one"),
    ({"field": "email_subscribed", "op": "eq", "value": "yes"},
     "value", "the field email_subscribed is yes or no: use 'is yes' or 'is no' instead of comparing it with 'yes'"),
    ({"field": "registered_at", "op": "lt", "value": "01.02.2026"},
     "value", "the field registered_at holds dates: write '01.02.2026' as YYYY-MM-DD"),
    ({"field": "registered_at", "op": "eq", "value": 12345},
     "value", "the field registered_at holds dates: write 12345 as YYYY-MM-DD"),
    ({"field": "bonus_points", "op": "in", "value": [1, "abc"]},
     "value[1]", "the field bonus_points holds numbers, and 'abc' is not one"),
    ({"field": "email_subscribed", "op": "in", "value": ["yes"]},
     "value[0]", "the field email_subscribed is yes or no: use 'is yes' or 'is no' instead of comparing it with 'yes'"),
    ({"field": "last_name", "op": "eq", "value": True},
     "value", "the field last_name holds text: write True in quotes, or use 'is yes' or 'is no' on a field that "
              "is yes or no"),
]


def scenario_with(tmp_path, conditions: list[dict], name: str = "s.scenario.json") -> str:
    """The section-1 scenario with ``conditions`` added to its first filter, as a file."""
    data = reactivation()
    data["nodes"][1]["params"]["conditions"] += conditions
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def engine_tables(url: str) -> list[str]:
    """The engine's tables in the CRM (none on a CRM the engine never ran on)."""
    import sqlalchemy as sa

    engine = engine_for(url)
    names = [n for n in sa.inspect(engine).get_table_names() if n.startswith("scenarist_")]
    engine.dispose()
    return sorted(names)


def test_a_value_the_column_cannot_hold_is_refused_by_validate_crm_and_never_reaches_sql(crm_url, tmp_path):
    make_crm(crm_url, CUSTOMERS, HISTORY)
    path = scenario_with(tmp_path, [{"kind": "field", **cond} for cond, _, _ in WRONG])
    # The section-1 filter has 5 conditions: the added ones are conditions[5] on.
    expected = [f"node 'churned', field 'params.conditions[{5 + i}].{where}': {message}"
                for i, (_, where, message) in enumerate(WRONG)]
    checked = cli("validate", path, "--crm", crm_url)
    assert (checked.returncode, checked.stderr.splitlines()) == (2, expected)
    as_json = json.loads(cli("validate", path, "--crm", crm_url, "--json").stdout)
    assert [(p["code"], p["node"]) for p in as_json["problems"]] == [
        ("condition.field.not_number", "churned"), ("condition.field.not_bool", "churned"),
        ("condition.field.not_date", "churned"), ("condition.field.not_date", "churned"),
        ("condition.field.not_number", "churned"), ("condition.field.not_bool", "churned"),
        ("condition.field.not_text", "churned")]
    # The other commands read the file first: a date is refused then, as without a CRM; with the
    # dates right, the CRM's columns refuse the rest. Either way before any SQL.
    dates = [line for line in expected if "holds dates" in line]
    typed = [(cond, where, message) for cond, where, message in WRONG if "holds dates" not in message]
    typed_path = scenario_with(tmp_path, [{"kind": "field", **cond} for cond, _, _ in typed], "typed.scenario.json")
    typed_lines = [f"node 'churned', field 'params.conditions[{5 + i}].{where}': {message}"
                   for i, (_, where, message) in enumerate(typed)]
    for command in (["preview"], ["run", "--no-deliver"], ["simulate", "--days", "2"]):
        done = cli(*command, path, "--crm", crm_url, "--at", AT)
        assert (done.returncode, done.stderr.splitlines()) == (2, dates), command
        done = cli(*command, typed_path, "--crm", crm_url, "--at", AT)
        assert (done.returncode, done.stderr.splitlines()) == (2, typed_lines), command
    # Refused before anything was written: not even the engine's tables were created.
    assert engine_tables(crm_url) == []


def test_without_a_crm_a_date_field_still_needs_an_iso_date(tmp_path):
    path = scenario_with(tmp_path, [{"kind": "field", "field": "registered_at", "op": "gt", "value": "2026-1-5"},
                                    {"kind": "field", "field": "birthday", "op": "in", "value": ["2000-02-30"]}])
    done = cli("validate", path)
    assert (done.returncode, done.stderr.splitlines()) == (2, [
        "node 'churned', field 'params.conditions[5].value': the field registered_at holds dates: write "
        "'2026-1-5' as YYYY-MM-DD",
        "node 'churned', field 'params.conditions[6].value[0]': the field birthday holds dates: write "
        "'2000-02-30' as YYYY-MM-DD"])


# Values each column can hold, in every form the filter accepts; the customers they admit, by hand.
FITTING = [
    # 'in' of dates, a date alone and with a time: everybody but Gleb registered on 2020-01-01 00:00.
    ([{"field": "registered_at", "op": "in", "value": ["2020-01-01", "2019-05-05T10:00:00"]}], 8),
    # A number compared with a text column is its text: the last names '7' and '8' (Gleb, Hanna).
    ([{"field": "last_name", "op": "in", "value": [7, 8, 99]}], 2),
    ([{"field": "last_name", "op": "eq", "value": 8}], 1),
    # A fraction against an integer column: bonus points 0 < 0.5 for all nine.
    ([{"field": "bonus_points", "op": "lt", "value": 0.5}], 9),
    # 1 and 0 for a yes-or-no column: Dan alone is not subscribed.
    ([{"field": "email_subscribed", "op": "eq", "value": 0}], 1),
    ([{"field": "email_subscribed", "op": "in", "value": [True]}], 8),
]


@pytest.mark.parametrize("conditions, admitted", FITTING)
def test_values_that_fit_find_the_same_customers_on_both_databases(crm_url, tmp_path, conditions, admitted):
    customers = [{**c, "last_name": str(c["id"]) if c["id"] in (7, 8) else "X"} for c in CUSTOMERS]
    make_crm(crm_url, customers, HISTORY)
    data = reactivation()
    data["nodes"][1]["params"]["conditions"] = [{"kind": "field", **c} for c in conditions]
    path = tmp_path / "fits.scenario.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert cli("validate", str(path), "--crm", crm_url).returncode == 0
    shown = cli("preview", str(path), "--crm", crm_url, "--at", AT, "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["nodes"]["churned"]["ports"] == {"yes": admitted, "no": 9 - admitted}


def test_a_scenario_refused_at_validation_creates_no_engine_tables(crm_url, tmp_path):
    make_crm(crm_url, CUSTOMERS, HISTORY)
    path = scenario_with(tmp_path, [{"kind": "field", "field": "loyalty_tier", "op": "eq", "value": "gold"}])
    expected = ["node 'churned', field 'params.conditions[5].field': the CRM has no customer field 'loyalty_tier'"]
    for command in (["validate"], ["preview"], ["run"], ["simulate", "--days", "1"]):
        done = cli(*command, path, "--crm", crm_url, *(["--at", AT] if command != ["validate"] else []))
        assert (done.returncode, done.stderr.splitlines()) == (2, expected), command
    assert engine_tables(crm_url) == []


@pytest.mark.parametrize("at", ["0001-01-01T00:00", "0001-01-01T00:00+14:00", "9999-12-31T23:59",
                                "9999-06-01T10:00", "1970-01-01T10:00", "2199-12-31T10:00"])
def test_an_at_out_of_range_is_refused_and_commits_nothing(sqlite_url, at):
    make_crm(sqlite_url, CUSTOMERS, HISTORY)
    scenario = str(REACTIVATION)
    expected = [f"error: --at '{at}' is out of range: give a moment from 1970-01-02 to 2199-12-30"]
    for command in (["preview"], ["run", "--no-deliver"], ["simulate", "--days", "1"]):
        done = cli(*command, scenario, "--crm", sqlite_url, "--at", at)
        assert (done.returncode, done.stderr.splitlines()) == (2, expected), command
    assert engine_tables(sqlite_url) == []


def test_the_range_of_at_holds_in_every_timezone_and_a_simulation_must_end_inside_it(sqlite_url):
    make_crm(sqlite_url, CUSTOMERS, HISTORY)
    scenario = str(REACTIVATION)
    for at in ("2199-12-30T23:59-14:00", "1970-01-02T00:00+14:00"):  # the day's margin takes any offset
        done = cli("preview", scenario, "--crm", sqlite_url, "--at", at, "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["nodes"]["start"]["reached"] == 9
    late = cli("simulate", scenario, "--crm", sqlite_url, "--at", "2195-01-01T10:00", "--days", "3650")
    assert (late.returncode, late.stderr.strip()) == (
        2, "error: --days 3650 from 2195-01-01 goes past 2199-12-30: start earlier")


@pytest.mark.parametrize("opening, closing", [('{"a":', "}"), ("[", "]")])
def test_a_file_nested_100000_levels_is_one_problem_and_validate_json_prints_json(tmp_path, opening, closing):
    path = tmp_path / "deep.scenario.json"
    path.write_text(opening * 100_000 + "1" * (opening != "[") + closing * 100_000, encoding="utf-8")
    done = cli("validate", str(path), "--json")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert json.loads(done.stdout) == {"valid": False, "problems": [{
        "severity": "error", "code": "file.too_deep", "args": {}, "node": None, "field": None, "line": 1,
        "message": "the file is nested too deeply to be a scenario"}]}
    plain = cli("validate", str(path))
    assert (plain.returncode, plain.stderr.strip()) == (2, "line 1: the file is nested too deeply to be a scenario")
    for command in (["preview"], ["run"]):
        refused = cli(*command, str(path), "--crm", "sqlite:///nowhere.db")
        assert (refused.returncode, refused.stderr.strip()) == (
            2, "line 1: the file is nested too deeply to be a scenario"), command


def test_a_200_mb_description_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.scenario.json"
    head = json.dumps(reactivation())[:-1] + ', "description": "'  # the key again: the last one wins
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        chunk = "x" * 2**20
        for _ in range(200):
            out.write(chunk)
        out.write('"}')
    megabytes = f"{path.stat().st_size / 2**20:.1f}"
    assert megabytes == "200.0"
    message = "the file is 200.0 MB; a scenario file is at most 16 MB"
    done = cli("validate", str(path), "--json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["problems"] == [{
        "severity": "error", "code": "file.too_large", "args": {"size": megabytes, "maximum": 16},
        "node": None, "field": None, "line": 1, "message": message}]
    ran = cli("run", str(path), "--crm", "sqlite:///nowhere.db")
    assert (ran.returncode, ran.stderr.strip()) == (2, f"line 1: {message}")


def test_a_description_or_a_title_longer_than_a_person_writes_is_refused(tmp_path):
    data = reactivation()
    data["description"] = "d" * 10_001
    data["nodes"][2]["title"] = "t" * 201
    path = tmp_path / "long.scenario.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = cli("validate", str(path))
    assert (done.returncode, done.stderr.splitlines()) == (2, [
        "field 'description': is 10001 characters long; at most 10000 are allowed",
        "node 'mail1', field 'title': is 201 characters long; at most 200 are allowed"])
    data["description"], data["nodes"][2]["title"] = "d" * 10_000, "t" * 200
    path.write_text(json.dumps(data), encoding="utf-8")
    assert cli("validate", str(path)).returncode == 0


def test_no_run_is_committed_for_a_refused_moment(sqlite_url):
    """The year 9999 committed a run before; now nothing reaches the history."""
    make_crm(sqlite_url, CUSTOMERS, HISTORY)
    cli("run", str(REACTIVATION), "--crm", sqlite_url, "--at", AT, "--no-deliver")
    assert rows(sqlite_url, "SELECT at FROM scenarist_runs") == [("2026-03-02 10:00:00",)]
    refused = cli("run", str(REACTIVATION), "--crm", sqlite_url, "--at", "9999-06-01T10:00", "--no-deliver")
    assert refused.returncode == 2
    assert rows(sqlite_url, "SELECT at FROM scenarist_runs") == [("2026-03-02 10:00:00",)]
