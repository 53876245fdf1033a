"""The command line of DESIGN.md: validate, preview, run, simulate, demo-crm, import-csv, and why
(a customer lookup).

Exit codes: 0 success, 2 bad input (the scenario, the arguments, a CRM that does not fit),
1 a failure (the database cannot be reached, an unexpected error).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.cli_import import add_parser as add_import_parser
from app.cli_import import run_import_csv
from app.cli_print import print_costs, print_delivery, print_lookup, print_simulation, print_table, progress_bar
from app.cli_suppress import add_parser as add_suppress_parser
from app.cli_suppress import run_suppress
from app.cli_test_send import add_parser as add_test_send_parser
from app.cli_test_send import run_test_send
from app.costs import costs_of, simulation_costs
from app.crm import open_crm
from app.lookup import CustomerNotFound, lookup_customer
from app.preview import preview_scenario
from app.run_once import RunOutcome, run_once
from app.serve import serve
from app.settings import CHANNEL_NAMES, Settings, SettingsError, channel_account, load_settings, secret_env
from app.simulation import Response, run_simulation
from app.workspace import WorkspaceError, default_workspace
from connectors.credentials import PASSWORD_ENV, KeyringUnavailable, account_for, set_secret
from connectors.crm import CrmError
from connectors.texts import TextError
from engine.conversions import results_json
from engine.lock import ScenarioBusy
from engine.problems import Problem, ScenarioError
from engine.scenario import Scenario, load, parse_text, read_text
from engine.simulate import MAX_DAYS, SimulationCancelled, SimulationResult
from engine.timeutil import zone
from engine.uplift import uplift_json
from engine.validation import validate

BAD_INPUT, FAILURE = 2, 1
# The moments --at may name. Outside them a date does not fit the databases' or Python's dates
# once moved to another timezone (OverflowError), and a run far in the future would commit a day
# that then blocks every real one.
AT_RANGE = (date(1970, 1, 2), date(2199, 12, 30))  # a day's margin for any timezone's offset


class CliError(Exception):
    """An error to report on stderr with an exit code."""

    def __init__(self, message: str, code: int = BAD_INPUT):
        super().__init__(message)
        self.code = code


def build_parser(prog: str = "main.py") -> argparse.ArgumentParser:
    """The argument parser of ``main.py`` (``prog``: how the usage lines call it, such as ``scenarist``)."""
    parser = argparse.ArgumentParser(prog=prog, description="Scenarist: customer win-back scenarios.")
    parser.add_argument("--install-desktop-entry", action="store_true",
                        help="Linux: add Scenarist to the desktop's applications menu (a .desktop file and "
                             "an icon under $XDG_DATA_HOME, default ~/.local/share)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check a scenario file; exit 0, or 2 with one line per problem")
    p.add_argument("file")
    p.add_argument("--crm", help="also check field names against this CRM (SQLAlchemy URL)")
    p.add_argument("--settings", help="settings file (TOML) with column mappings")
    p.add_argument("--json", action="store_true", help="print the problems as JSON")

    for name, text in (("preview", "what a run at --at would do, changing nothing"),
                       ("run", "run one tick of the scenario against the CRM")):
        p = sub.add_parser(name, help=text)
        p.add_argument("file")
        p.add_argument("--crm", required=True, help="SQLAlchemy URL without a password")
        p.add_argument("--settings", help="settings file (TOML) with channels and column mappings "
                                          "(default: the user's settings file)")
        p.add_argument("--at", help="ISO time (default: now); without an offset, in the scenario's timezone")
        p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
        if name == "run":
            p.add_argument("--no-deliver", action="store_true", help="queue messages but send none")

    p = sub.add_parser("simulate", help="run the scenario over the next N days on a throwaway copy of the CRM")
    p.add_argument("file")
    p.add_argument("--crm", required=True, help="SQLAlchemy URL without a password (it is copied, never changed)")
    p.add_argument("--days", required=True, type=int, help=f"days to simulate (1 to {MAX_DAYS})")
    p.add_argument("--at", help="ISO start time (default: now); without an offset, in the scenario's timezone")
    p.add_argument("--settings", help="settings file (TOML) with column mappings (default: the user's)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--csv", help="also write one row per day and node to this CSV file")
    p.add_argument("--response-rate", type=float,
                   help="chance (0 to 1) that a customer who got a message orders; without it nobody orders")
    p.add_argument("--response-days", type=int, help="the order comes 1 to K days after the message (default 7)")
    p.add_argument("--average-order", type=float,
                   help="average order total (default: the CRM's average completed order)")
    p.add_argument("--seed", type=int, help="seed of the response draws (default 1)")
    p.add_argument("--baseline-rate", type=float,
                   help="chance (0 to 1) that an entrant orders on their own, message or not (default 0)")

    p = sub.add_parser("why", help="where a customer is in the scenario, what happened to them, and why they "
                                   "would (not) enter today")
    p.add_argument("file")
    p.add_argument("--crm", required=True, help="SQLAlchemy URL without a password")
    p.add_argument("--customer", required=True, help="the customer's id, email or phone")
    p.add_argument("--at", help="ISO time the explanation is for (default: now)")
    p.add_argument("--settings", help="settings file (TOML) with column mappings (default: the user's)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")

    p = sub.add_parser("serve", help="run the enabled scenarios of a workspace every day, without a window")
    p.add_argument("--workspace", help="folder with workspace.toml and the scenario files "
                                       "(default: the user's workspace)")
    p.add_argument("--settings", help="settings file (default: the user's)")

    p = sub.add_parser("map-crm", help="map your own tables and columns onto Scenarist's (opens a window)")
    p.add_argument("--crm", required=True, help="SQLAlchemy URL without a password")
    p.add_argument("--settings", help="settings file to keep the mapping in (default: the user's)")

    p = sub.add_parser("secret", help="keep a password in the keyring (read from the terminal or stdin)")
    p.add_argument("action", choices=["set"])
    p.add_argument("kind", choices=["crm", "channel"])
    p.add_argument("target", help="the CRM URL as given to --crm, or a channel name (email, sms, webhook)")

    add_suppress_parser(sub)
    add_test_send_parser(sub)

    p = sub.add_parser("demo-crm", help="create a demo shop database (SQLite file or URL)")
    p.add_argument("path")
    p.add_argument("--customers", type=int, default=5000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--as-of", help="ISO date-time the data is relative to (default: now)")

    add_import_parser(sub)
    return parser


def main(argv: list[str] | None = None,
         windows: Mapping[str, Callable[[argparse.Namespace], int]] | None = None, prog: str = "main.py") -> int:
    """Run one command; returns the exit code.

    Args:
        argv: The arguments after ``main.py``.
        windows: Commands that open a window (``map-crm``), given by ``main.py``: the command line
            itself has no window.
        prog: The program's name in the usage lines (``main.py`` or ``scenarist``).
    """
    parser = build_parser(prog)
    args = parser.parse_args(argv)
    try:
        if args.install_desktop_entry:
            return _install_desktop_entry(args)
        if args.command == "validate":
            return _validate(args)
        if args.command == "preview":
            return _preview(args)
        if args.command == "run":
            return _run(args)
        if args.command == "simulate":
            return _simulate(args)
        if args.command == "demo-crm":
            return _demo(args)
        if args.command == "why":
            return _why(args)
        if args.command == "secret":
            return _secret(args)
        if args.command == "test-send":
            return run_test_send(args, _settings(args))
        if args.command == "suppress":
            return run_suppress(args, _settings(args), datetime.now().replace(microsecond=0))
        if args.command == "import-csv":
            return run_import_csv(args)
        if args.command == "serve":
            try:
                return serve(args.workspace or default_workspace(), args.settings)
            except (WorkspaceError, SettingsError) as exc:
                raise CliError(str(exc)) from exc
        if args.command in (windows or {}):
            return windows[args.command](args)
        if args.command == "map-crm":
            raise CliError("map-crm opens a window: run it as python main.py map-crm")
        parser.print_help()
        return BAD_INPUT
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return BAD_INPUT
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except CrmError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return FAILURE if exc.text.code == "crm.cannot_connect" else BAD_INPUT
    except sa.exc.OperationalError as exc:
        print(f"error: the database failed: {exc.orig}", file=sys.stderr)
        return FAILURE
    except TextError as exc:  # an import's refusal: a file, a --column, a mapping (one line per problem)
        items = exc.text.args.get("items")
        for line in items if isinstance(items, list) else [exc.text]:
            print(f"error: {line}", file=sys.stderr)
        return BAD_INPUT
    except Exception as exc:  # a failure, not bad input: one line, the traceback on demand
        if os.environ.get("SCENARIST_DEBUG"):
            raise
        print(f"error: {type(exc).__name__}: {exc} (set SCENARIST_DEBUG=1 for details)", file=sys.stderr)
        return FAILURE


def _settings(args: argparse.Namespace) -> Settings:
    try:
        return load_settings(args.settings)
    except SettingsError as exc:
        raise CliError(str(exc)) from exc


def _validate(args: argparse.Namespace) -> int:
    problems: list[Problem]
    try:  # every refusal of the file, too large or unreadable included, is a problem: --json prints it
        data = parse_text(read_text(args.file))
        fields = has = None
        if args.crm:
            with open_crm(args.crm, _settings(args)) as crm:
                fields, has = crm.field_kinds(), crm.has
                problems = validate(data, fields, has)
        else:
            problems = validate(data, fields, has)
    except ScenarioError as exc:
        problems = exc.problems
    errors = [p for p in problems if p.severity == "error"]
    if args.json:
        print(json.dumps({"valid": not errors, "problems": [p.to_dict() for p in problems]}, ensure_ascii=False))
    else:
        for problem in problems:
            print(problem, file=sys.stderr)
    return BAD_INPUT if errors else 0


def _parse_at(text: str | None, scenario: Scenario) -> datetime:
    if not text:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CliError(f"--at '{text}' is not an ISO date-time such as 2026-11-23T10:00") from exc
    if not AT_RANGE[0] <= moment.date() <= AT_RANGE[1]:
        raise CliError(f"--at '{text}' is out of range: give a moment from {AT_RANGE[0]} to {AT_RANGE[1]}")
    return moment if moment.tzinfo else moment.replace(tzinfo=zone(scenario.settings["timezone"]))


def _preview(args: argparse.Namespace) -> int:
    scenario = load(args.file)
    settings = _settings(args)
    with open_crm(args.crm, settings) as crm:
        result = preview_scenario(scenario, crm, _parse_at(args.at, scenario), settings.frequency_cap)
    if args.json:
        print(json.dumps({**result.to_json(), "cost": costs_of(result.counts, settings).to_json()},
                         ensure_ascii=False))
    else:
        print_table(scenario, result)
        print_costs(costs_of(result.counts, settings), settings.currency)
    return 0


def _why(args: argparse.Namespace) -> int:
    scenario = load(args.file)
    with open_crm(args.crm, _settings(args)) as crm:
        try:
            found = lookup_customer(crm, scenario, args.customer, _parse_at(args.at, scenario)).to_json()
        except CustomerNotFound as exc:
            raise CliError(str(exc)) from exc
    if args.json:
        print(json.dumps(found, ensure_ascii=False))
    else:
        print_lookup(found)
    return 0


def _run(args: argparse.Namespace) -> int:
    source = load(args.file)
    settings = _settings(args)
    with open_crm(args.crm, settings) as crm:
        try:
            outcome = run_once(source, crm, settings, _parse_at(args.at, source), deliver_messages=not args.no_deliver)
        except ScenarioBusy as exc:
            raise CliError(str(exc), FAILURE) from exc
        converted, branches = results_json(crm, outcome.scenario)
        per_split, holdout = uplift_json(crm, outcome.scenario)
    if args.json:
        out = _run_json(outcome)
        out["conversions"] = converted  # lifetime, per message node, within each node's window
        # per split: each branch's messages and what they brought (A/B results), its customers from
        # taking the branch, and the comparison with the split's control
        out["branches"] = {nid: {port: {**ports.get(port, {}), **per_split.get(nid, {}).get(port, {})}
                                 for port in {*ports, *per_split.get(nid, {})}} for nid, ports in branches.items()}
        out["holdout"] = holdout  # the scenario against its held-out control share, or null
        out["cost"] = costs_of(outcome.tick.counts, settings).to_json()
        print(json.dumps(out, ensure_ascii=False))
    else:
        print_table(outcome.scenario, outcome.tick, outcome.published.version)
        print_costs(costs_of(outcome.tick.counts, settings), settings.currency)
        if outcome.delivery is not None:
            print_delivery(outcome.delivery_json())
    return 0


def _run_json(outcome: RunOutcome) -> dict[str, Any]:
    out = outcome.tick.to_json()
    out["version"] = outcome.published.version
    if outcome.delivery is not None:
        out["delivery"] = outcome.delivery_json()
    return out


def _response(args: argparse.Namespace) -> Response | None:
    """The response options, checked before anything touches the database."""
    if args.response_rate is None:
        given = [name for name, value in (("--response-days", args.response_days),
                                          ("--average-order", args.average_order), ("--seed", args.seed),
                                          ("--baseline-rate", args.baseline_rate))
                 if value is not None]
        if given:
            raise CliError(f"{' and '.join(given)} {'needs' if len(given) == 1 else 'need'} --response-rate "
                           "(the chance that a customer orders)")
        return None
    response = Response(args.response_rate, 7 if args.response_days is None else args.response_days,
                        args.average_order, 1 if args.seed is None else args.seed, args.baseline_rate or 0.0)
    problem = response.problem()
    if problem:
        raise CliError(problem)
    return response


def _simulate(args: argparse.Namespace) -> int:
    if not 1 <= args.days <= MAX_DAYS:
        raise CliError(f"--days must be between 1 and {MAX_DAYS}, not {args.days}")
    response = _response(args)
    if args.csv and not Path(args.csv).expanduser().resolve().parent.is_dir():
        raise CliError(f"--csv: there is no folder {Path(args.csv).expanduser().resolve().parent}")
    scenario = load(args.file)
    at = _parse_at(args.at, scenario)
    if (at + timedelta(days=args.days)).date() > AT_RANGE[1]:
        raise CliError(f"--days {args.days} from {at:%Y-%m-%d} goes past {AT_RANGE[1]}: start earlier")
    settings = _settings(args)
    cancel = threading.Event()
    progress = progress_bar() if sys.stderr.isatty() and not args.json else None
    result = _with_interrupt(cancel, lambda: run_simulation(scenario, args.crm, settings, args.days, at,
                                                            response=response, progress=progress, cancel=cancel))
    if args.csv:
        try:
            result.to_csv(Path(args.csv).expanduser())
        except OSError as exc:
            raise CliError(f"--csv: cannot write {args.csv}: {exc}", FAILURE) from exc
    data = result.to_json()
    if args.json:
        print(json.dumps({**data, "cost": simulation_costs(data, settings).to_json()}, ensure_ascii=False))
    else:
        print_simulation(result, settings.currency)
        print_costs(simulation_costs(data, settings), settings.currency)
    return 0


def _with_interrupt(cancel: threading.Event, work: Any) -> SimulationResult:
    """Run ``work`` so that Ctrl-C or SIGTERM stops it, the statement in flight included, and
    the copy of the CRM (customer data) is removed: SIGTERM's default would end the process
    at once and leave the copy behind."""
    def stop(_signum: int, _frame: Any) -> None:
        cancel.set()

    previous: dict[int, Any] = {}
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, stop)
    except ValueError:  # not the main thread: no signal handler, cancel stays possible through the event
        pass
    try:
        return work()
    except SimulationCancelled as exc:
        done = len(exc.result.daily) if exc.result is not None else 0
        raise CliError(f"cancelled after {done} simulated day(s); the CRM was not changed", FAILURE) from exc
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _secret(args: argparse.Namespace) -> int:
    if args.kind == "crm":
        account = account_for(args.target)
    elif args.target in CHANNEL_NAMES:
        account = channel_account(args.target)
    else:
        raise CliError(f"channels are named {', '.join(CHANNEL_NAMES)}, not '{args.target}'")
    secret = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if not secret:
        raise CliError("no password given")
    try:
        where = set_secret(account, secret)
    except KeyringUnavailable as exc:
        env = PASSWORD_ENV if args.kind == "crm" else secret_env(args.target)
        raise CliError(f"{exc} For the command line that is the {env} environment variable; nothing was "
                       "stored.") from exc
    print(f"kept {where}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from connectors.demo_crm import build_demo_crm

    if args.customers < 1:
        raise CliError("--customers must be at least 1")
    as_of: Any = None
    if args.as_of:
        try:
            as_of = datetime.fromisoformat(args.as_of)
        except ValueError as exc:
            raise CliError(f"--as-of '{args.as_of}' is not an ISO date-time") from exc
    try:
        stats = build_demo_crm(args.path, customers=args.customers, seed=args.seed, as_of=as_of)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    print(json.dumps(stats, ensure_ascii=False, default=str))
    return 0


def _install_desktop_entry(args: argparse.Namespace) -> int:
    from app.desktop import install_desktop_entry

    if args.command:
        raise CliError("--install-desktop-entry is given alone, without a command")
    try:
        done = install_desktop_entry()
    except OSError as exc:
        raise CliError(f"cannot write the desktop entry: {exc.strerror or exc} ({exc.filename})", FAILURE) from exc
    print(f"desktop entry: {done.entry}\nicon: {done.icon}")
    return 0
