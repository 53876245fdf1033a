"""Benchmark of the simulation: 30 days of the section-1 scenario over a 100,000-customer demo CRM.

Usage (from the repository root)::

    .venv/bin/python bench/bench_simulate.py [--customers 100000] [--days 30] [--reuse] [--no-report]

The demo CRM (SQLite) lives in ``bench/data/sim-crm-<n>.db`` (git-ignored), built with the
engine benchmark's seed and date and kept without engine state, so that every run simulates
from the same start. The figure covers everything a user waits for: the throwaway copy, the
days (two ticks each, rendering included), the response model's orders and the removal of the
copy. The section "Simulation" of ``bench/RESULTS.md`` is written (or replaced) with it.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # bench_engine's phase timer

BENCH = ROOT / "bench"
DATA = BENCH / "data"
SCENARIO = ROOT / "resources" / "templates" / "reactivation.scenario.json"
AS_OF = datetime(2026, 6, 1, 10, 0, 0)  # naive Europe/Moscow time, as in bench_engine.py
TARGET_SECONDS = 30.0
RATE, WITHIN_DAYS, SEED = 0.1, 7, 1
SECTION = "## Simulation"


def crm_path(customers: int) -> Path:
    """The SQLite file of a benchmark size."""
    return DATA / f"sim-crm-{customers}.db"


def prepare(customers: int, reuse: bool) -> dict[str, Any]:
    """Build the demo CRM, or reuse it when it is there and complete."""
    from connectors.demo_crm import build_demo_crm

    path = crm_path(customers)
    if reuse and path.exists():
        with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
            found = conn.execute("SELECT COUNT(*) FROM customers").fetchone()[0]
            orders = conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
        conn.close()
        if found == customers:
            return {"reused": True, "customers": found, "orders": orders}
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    DATA.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    stats = build_demo_crm(str(path), customers=customers, seed=1, as_of=AS_OF)
    return {"reused": False, "seconds": time.perf_counter() - started, "customers": stats["customers"],
            "orders": stats["orders"]}


class TickTimer:
    """Wall time of each tick phase (entry, each node's step, render), summed over the simulation."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = defaultdict(float)
        self.ticks: list[float] = []

    def install(self) -> None:
        """Wrap the runner's phase methods (bench only; the engine is not changed)."""
        from bench_engine import time_runner_phases

        from engine import runner

        time_runner_phases(self.phases, lambda args: "steps")
        tick = runner.tick

        def counted(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return tick(*args, **kwargs)
            finally:
                self.ticks.append(time.perf_counter() - started)

        from engine import simulate

        simulate.tick = counted


def run(customers: int, days: int, profile: bool) -> dict[str, Any]:
    """Copy the CRM, simulate, remove the copy; returns the figures."""
    from app.crm import open_crm
    from engine.scenario import load
    from engine.simulate import ResponseModel, average_order, simulate, throwaway_copy

    url = f"sqlite:///{crm_path(customers)}"
    timer = TickTimer()
    timer.install()
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    started = time.perf_counter()
    with open_crm(url, reflect=False) as source, throwaway_copy(source) as copy:
        copied = time.perf_counter() - started
        copy.reflect()
        scenario = load(SCENARIO, set(copy.customer_fields()), copy.has)
        model = ResponseModel(RATE, WITHIN_DAYS, average_order(copy), SEED)

        def progress(done: int, total: int) -> None:
            print(f"\r  day {done}/{total}  {time.perf_counter() - started:6.1f} s", end="", flush=True)

        result = simulate(scenario, copy, days, AS_OF.replace(tzinfo=ZoneInfo("Europe/Moscow")), response=model,
                          progress=progress)
        removing = time.perf_counter()
    removed = time.perf_counter() - removing
    total = time.perf_counter() - started
    print()
    if profiler is not None:
        profiler.stop()
        out = DATA / "simulate-profile.html"
        out.write_text(profiler.output_html())
        print(profiler.output_text(unicode=True, color=False, show_all=False)[:6000])
        print(f"profile written to {out}")
    data = result.to_json()
    return {
        "customers": customers, "days": days, "seconds": total, "copy_seconds": copied,
        "remove_seconds": removed, "simulate_seconds": result.seconds, "phases": dict(result.phases),
        "tick_phases": dict(timer.phases), "ticks": len(timer.ticks), "first_tick": timer.ticks[0],
        "slowest_tick": max(timer.ticks), "response": data["response"],
        "totals": {k: v for k, v in data["totals"].items() if k != "nodes"},
        "day1": data["daily"][0]["totals"], "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _sh(cmd: str) -> str:
    return subprocess.run(cmd, shell=True, capture_output=True, text=True, check=False).stdout.strip()


def section(f: dict[str, Any], build: dict[str, Any], command: str) -> str:
    """The "Simulation" section of RESULTS.md."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    ok = f["seconds"] < TARGET_SECONDS
    t, r = f["totals"], f["response"]
    tick_phases = ", ".join(f"{k} {v:.2f} s" for k, v in sorted(f["tick_phases"].items(), key=lambda kv: -kv[1]))
    rows = [
        f"| {f['days']} days of the reactivation template, {f['customers']:,} customers "
        f"({build['orders']:,} orders), SQLite | {f['seconds']:.2f} s | < {TARGET_SECONDS:.0f} s | "
        f"{'PASS' if ok else 'FAIL'} |",
        f"| of which: throwaway copy (backup API) | {f['copy_seconds']:.2f} s | - | - |",
        f"| of which: {f['ticks']} ticks (two a day; entry, steps, rendering) | {f['phases'].get('ticks', 0):.2f} s "
        f"(first day {f['first_tick']:.2f} s) | - | - |",
        f"| of which: response orders and daily accounting | "
        f"{f['phases'].get('orders', 0) + f['phases'].get('accounting', 0):.2f} s | - | - |",
        f"| of which: removing the copy | {f['remove_seconds']:.2f} s | - | - |",
        f"| peak RSS | {f['peak_rss_mb']:.0f} MB | - | - |",
    ]
    return "\n".join([
        SECTION,
        "",
        f"Command: `{command}` (a demo CRM built with seed 1 dated {AS_OF:%Y-%m-%d %H:%M}; the simulation "
        "starts then).",
        f"Machine: {cpu}, `nproc` = {_sh('nproc')}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}.",
        "",
        "| measure | figure | target | result |",
        "|---|---|---|---|",
        *rows,
        "",
        f"Response model: rate {r['rate']}, within {r['within_days']} days, average order {r['average_order']:.2f} "
        f"(the CRM's average completed order), seed {r['seed']}. Over the {f['days']} days: entered {t['entered']:,} "
        f"(day 1: {f['day1']['entered']:,}), messages {t['messages']:,}, promo codes {t['bonuses']:,}, "
        f"orders {t['orders']:,}, revenue {t['revenue']:,.2f}.",
        "",
        f"Time inside the ticks by phase: {tick_phases}. Each day's entry evaluates the entry filter over every "
        f"customer ({f['tick_phases'].get('entry', 0) / f['days']:.2f} s a day here); rendering is the first day's "
        "Jinja2 work plus each later day's messages. The figure excludes building the demo CRM and includes "
        "everything a user waits for: the copy, the days, the response orders and removing the copy.",
        "",
    ])


def write_section(text: str) -> None:
    """Put the section into RESULTS.md, replacing an earlier one, leaving every other section be."""
    path = BENCH / "RESULTS.md"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    start = old.find(SECTION)
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = old.find("\n## ", start + len(SECTION))
        new = old[:start] + text + ("\n" + old[end + 1:] if end >= 0 else "")
    path.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="keep the demo CRM when it is already built")
    parser.add_argument("--profile", action="store_true", help="profile with pyinstrument (slower; not reported)")
    parser.add_argument("--no-report", action="store_true", help="do not write bench/RESULTS.md")
    args = parser.parse_args()
    build = prepare(args.customers, args.reuse)
    print(f"CRM: {build}", flush=True)
    figures = run(args.customers, args.days, args.profile)
    print(json.dumps(figures, indent=2, default=str))
    (DATA / f"results-simulate-{args.customers}.json").write_text(json.dumps(figures, indent=2, default=str))
    if not args.no_report and not args.profile:
        write_section(section(figures, build, " ".join([".venv/bin/python", *sys.argv])))
        print(f"wrote the Simulation section of {BENCH / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
