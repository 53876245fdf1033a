"""A shop's own tables and column names, mapped onto the canonical schema, give the same results."""

from __future__ import annotations

import re

from connectors.crm import Crm, Mapping
from engine.runner import preview, tick
from engine.scenario import from_dict
from tests.helpers import engine_for, make_crm, reactivation, rows
from tests.test_engine import CUSTOMERS, HISTORY, day

MAPPING = Mapping(
    tables={"customers": "clients", "orders": "sales"},
    columns={"customers": {"id": "client_no", "email": "mail", "first_name": "given_name",
                           "email_subscribed": "news_ok", "registered_at": "signed_up", "bonus_points": "points"},
             "orders": {"customer_id": "client_no", "created_at": "sold_at", "total": "amount",
                        "status": "state", "promo_code": "coupon"}},
    completed_statuses=["paid", "shipped"],
)


def own_crm(url: str) -> None:
    """The canonical test CRM, copied into tables and columns of the shop's own naming."""
    make_crm(url, CUSTOMERS, HISTORY)
    engine = engine_for(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE clients (client_no INTEGER PRIMARY KEY, mail VARCHAR(320), phone VARCHAR(32), "
            "given_name VARCHAR(100), last_name VARCHAR(100), signed_up TIMESTAMP, news_ok BOOLEAN, "
            "sms_subscribed BOOLEAN, points INTEGER, city VARCHAR(100))")
        conn.exec_driver_sql(
            "CREATE TABLE sales (id INTEGER PRIMARY KEY, client_no INTEGER, sold_at TIMESTAMP, amount NUMERIC(12,2), "
            "state VARCHAR(20), coupon VARCHAR(64))")
        conn.exec_driver_sql("INSERT INTO clients SELECT id, email, phone, first_name, last_name, registered_at, "
                             "email_subscribed, sms_subscribed, bonus_points, city FROM customers")
        conn.exec_driver_sql("INSERT INTO sales SELECT id, customer_id, created_at, total, "
                             "CASE status WHEN 'completed' THEN 'paid' ELSE 'void' END, promo_code FROM orders")
        conn.exec_driver_sql("DROP TABLE events")  # a shop of its own naming has no events table
        conn.exec_driver_sql("DROP TABLE orders")
        conn.exec_driver_sql("DROP TABLE customers")
    engine.dispose()


def test_mapped_crm_gives_the_counts_of_the_canonical_one(crm_url, tmp_path):
    canonical_url = f"sqlite:///{tmp_path / 'canonical.db'}"
    make_crm(canonical_url, CUSTOMERS, HISTORY)
    own_crm(crm_url)
    scenario = from_dict(reactivation())
    plain, mapped = Crm.open(canonical_url), Crm.open(crm_url, mapping=MAPPING)
    for n in (0, 7, 19):
        assert preview(scenario, mapped, day(n)).reached == preview(scenario, plain, day(n)).reached
        assert tick(scenario, mapped, day(n)).reached == tick(scenario, plain, day(n)).reached
    plain.dispose()
    mapped.dispose()
    query = "SELECT customer_id, node_id, status, subject FROM scenarist_outbox ORDER BY customer_id, node_id"

    def sent(url: str) -> list[tuple]:  # codes differ: each database keys its own code hash
        return [(*r[:3], re.sub(r"BACK\d+-[0-9A-F]{5}", "<code>", r[3])) for r in rows(url, query)]

    assert sent(crm_url) == sent(canonical_url)
    assert len(sent(crm_url)) == 11 and sent(crm_url)[0][3] == "Анна, we miss you"


def test_a_mapping_that_does_not_fit_is_refused_naming_what_is_missing(sqlite_url):
    own_crm(sqlite_url)
    wrong = Mapping(tables=MAPPING.tables, columns={"customers": {"id": "client_no", "email": "email_address"}})
    crm = Crm.open(sqlite_url, mapping=wrong)
    try:
        crm.reflect()
    except Exception as exc:  # CrmError
        text = str(exc)
    crm.dispose()
    assert "table 'clients' has no column 'email_address' (the customers.email column)" in text
    assert "table 'sales' has no column 'customer_id' (the orders.customer_id column)" in text


def test_command_line_uses_the_mapping_kept_in_settings(sqlite_url, tmp_path):
    import json

    from tests.helpers import REACTIVATION
    from tests.test_cli import cli

    canonical_url = f"sqlite:///{tmp_path / 'canonical.db'}"
    make_crm(canonical_url, CUSTOMERS, HISTORY)
    own_crm(sqlite_url)
    settings = tmp_path / "settings.toml"
    settings.write_text(
        f'[[crm]]\nurl = "{sqlite_url}"\ncompleted_statuses = ["paid", "shipped"]\n'
        '[crm.tables]\ncustomers = "clients"\norders = "sales"\n'
        '[crm.customers]\nid = "client_no"\nemail = "mail"\nfirst_name = "given_name"\nemail_subscribed = "news_ok"\n'
        'registered_at = "signed_up"\nbonus_points = "points"\n'
        '[crm.orders]\ncustomer_id = "client_no"\ncreated_at = "sold_at"\ntotal = "amount"\nstate = "x"\n',
        encoding="utf-8")
    args = ["preview", str(REACTIVATION), "--at", "2026-03-02T10:00", "--json", "--settings", str(settings)]
    done = cli(*args, "--crm", sqlite_url)
    assert done.returncode == 2 and "table 'sales' has no column 'status'" in done.stderr
    text = settings.read_text(encoding="utf-8").replace('state = "x"', 'status = "state"\npromo_code = "coupon"')
    settings.write_text(text, encoding="utf-8")
    mapped = cli(*args, "--crm", sqlite_url)
    plain = cli(*args, "--crm", canonical_url)
    assert mapped.returncode == 0, mapped.stderr
    assert json.loads(mapped.stdout)["nodes"] == json.loads(plain.stdout)["nodes"]
    assert json.loads(mapped.stdout)["nodes"]["mail1"]["reached"] == 3


SETTINGS = (
    '[[crm]]\nurl = "{url}"\ncompleted_statuses = ["paid", "shipped"]\n'
    '[crm.tables]\ncustomers = "clients"\norders = "sales"\n'
    '[crm.customers]\nid = "client_no"\nemail = "mail"\nfirst_name = "given_name"\nemail_subscribed = "news_ok"\n'
    'registered_at = "signed_up"\nbonus_points = "points"\n'
    '[crm.orders]\ncustomer_id = "client_no"\ncreated_at = "sold_at"\ntotal = "amount"\nstatus = "state"\n'
    'promo_code = "coupon"\n')
OUTBOX = "SELECT customer_id, node_id, status, subject FROM scenarist_outbox ORDER BY customer_id, node_id"


def test_run_and_simulate_on_a_mapped_crm_equal_the_canonical_one(crm_url, tmp_path):
    import json

    from tests.helpers import REACTIVATION
    from tests.test_cli import cli

    canonical_url = f"sqlite:///{tmp_path / 'canonical.db'}"
    make_crm(canonical_url, CUSTOMERS, HISTORY)
    own_crm(crm_url)
    settings = tmp_path / "settings.toml"
    settings.write_text(SETTINGS.format(url=crm_url), encoding="utf-8")
    out = {}
    for url in (crm_url, canonical_url):
        for at in ("2026-03-02T10:00", "2026-03-09T10:00"):  # the entry, then the week's wait ends
            done = cli("run", str(REACTIVATION), "--crm", url, "--at", at, "--no-deliver", "--json",
                       "--settings", str(settings))
            assert done.returncode == 0, done.stderr
            out[url, at] = {k: v for k, v in json.loads(done.stdout).items() if k != "seconds"}
        sim = cli("simulate", str(REACTIVATION), "--crm", url, "--at", "2026-03-10T10:00", "--days", "14", "--json",
                  "--settings", str(settings), "--response-rate", "0.5", "--average-order", "2000")
        assert sim.returncode == 0, sim.stderr
        out[url, "sim"] = {**json.loads(sim.stdout), "seconds": 0}
    for key in ("2026-03-02T10:00", "2026-03-09T10:00", "sim"):
        assert out[crm_url, key] == out[canonical_url, key], key
    assert (out[crm_url, "2026-03-02T10:00"]["queued"], out[crm_url, "2026-03-09T10:00"]["queued"]) == (3, 4)

    def sent(url: str) -> list[tuple]:  # codes differ: each database keys its own code hash
        return [(*r[:3], re.sub(r"BACK\d+-[0-9A-F]{5}", "<code>", r[3])) for r in rows(url, OUTBOX)]

    assert sent(crm_url) == sent(canonical_url)
    # Only the engine's tables and the points column are written; the shop's own names stay.
    engine = engine_for(crm_url)
    import sqlalchemy as sa

    names = sorted(n for n in sa.inspect(engine).get_table_names() if not n.startswith("scenarist_"))
    engine.dispose()
    assert names == ["clients", "sales"]


def test_serve_on_a_mapped_crm_runs_the_day_as_on_the_canonical_one(crm_url, tmp_path):
    import subprocess
    import sys

    from tests.helpers import ROOT
    from tests.test_cli import _ENV
    from tests.test_serve import stop, wait_for, workspace

    canonical_url = f"sqlite:///{tmp_path / 'canonical.db'}"
    make_crm(canonical_url, CUSTOMERS, HISTORY)
    own_crm(crm_url)
    settings = tmp_path / "settings.toml"
    settings.write_text(SETTINGS.format(url=crm_url), encoding="utf-8")
    for name, url in (("mapped", crm_url), ("canonical", canonical_url)):
        folder = tmp_path / name
        folder.mkdir()
        workspace(folder, url, reconcile_minutes=60)  # serve runs the day at start-up, on the wall clock
        process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "serve", "--workspace", str(folder),
                                    "--settings", str(settings)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   text=True, env=_ENV, cwd=ROOT)
        try:
            wait_for(folder, "reactivation.scenario.json at ")  # the start-up run's summary line
        finally:
            assert stop(process) == 0

    def sent(url: str) -> list[tuple]:
        return [(*r[:3], re.sub(r"BACK\d+-[0-9A-F]{5}", "<code>", r[3])) for r in rows(url, OUTBOX)]

    run = "SELECT status, entered, queued FROM scenarist_runs"
    assert rows(crm_url, run) == rows(canonical_url, run) and len(rows(crm_url, run)) == 1
    assert sent(crm_url) == sent(canonical_url)
