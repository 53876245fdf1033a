"""What the command line prints for people (``--json`` prints for scripts): tables of a run, a
preview and a simulation, and the progress bar of a long simulation."""

from __future__ import annotations

import sys
from typing import Any

from connectors.texts import DEFAULT_CURRENCY
from engine.model import Scenario
from engine.runner import TickResult
from engine.simulate import SimulationResult


def print_delivery(d: dict) -> None:
    """What delivery did: sent, failed, to retry, unknown, and what waits and why."""
    print(f"  delivery: sent {d['sent']}, failed {d['failed']}, to retry {d['retry']}, unknown {d['unknown']}")
    for channel, n in d["waiting"].items():
        print(f"  {n} {channel} message(s) wait: " + ("the channel stopped: " + d["stopped"][channel]
                                                   if channel in d["stopped"] else "no channel or not due yet"))
    for key in d["unknown_keys"]:
        print(f"  unknown (interrupted mid-send, not resent): {key}")


def print_table(scenario: Scenario, result: TickResult, version: int | None = None) -> None:
    """Per node, who reached it and who waits there, with the run's totals."""
    print(f"{scenario.name}{'' if version is None else f', version {version},'} at {result.at:%Y-%m-%d %H:%M} "
          f"({scenario.settings['timezone']}){'' if result.entry_due else ', before the entry time'}")
    width = max(len(n.id) for n in scenario.nodes)
    goal = result.goal  # with a goal: who left by it from each node
    print(f"  {'node'.ljust(width)}  {'type':8} {'reached':>9} {'waiting':>9}" + (f" {'goal':>9}" if goal is not None
                                                                                 else "") + "  title")
    for node in scenario.topological_order():
        left = f" {goal.get(node.id, 0):>9}" if goal is not None else ""
        print(f"  {node.id.ljust(width)}  {node.type:8} {result.reached.get(node.id, 0):>9} "
              f"{result.waiting.get(node.id, 0):>9}{left}  {node.title or ''}")
    totals = ", ".join(f"{k} {v}" for k, v in result.counts.items() if v)
    print(f"  {totals or 'nothing to do'}; {result.seconds:.2f} s")


def print_costs(costs: Any, currency: str = DEFAULT_CURRENCY) -> None:
    """SMS parts and what they cost, next to the bonuses granted (nothing when there is neither)."""
    if not costs.parts and not costs.bonuses:
        return
    sms = f"SMS parts {costs.parts}"
    if costs.sms_cost is not None:
        sms += f" × {costs.cost_per_part:.2f} = {costs.sms_cost:.2f} {currency}"
    print(f"  cost: {sms}; bonuses {costs.bonuses} ({figure(costs.points)} points)")


def progress_bar() -> Any:
    """A progress callback drawing a bar of simulated days on stderr."""
    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        print(f"\r  [{'#' * filled}{'.' * (width - filled)}] day {done}/{total}", end="" if done < total else "\n",
              file=sys.stderr, flush=True)
    return show


def print_simulation(result: SimulationResult, currency: str = DEFAULT_CURRENCY) -> None:
    """A simulation per day and per node, for a person; money in ``currency``."""
    data = result.to_json()
    scenario = result.scenario
    model = data["response"]
    answer = (f"{model['rate']:.0%} order within {model['within_days']} day(s), "
              f"average {model['average_order']:.2f} {currency} (seed {model['seed']})"
              if model else "nobody orders (no --response-rate)")
    print(f"{scenario.name}: {data['days']} day(s) from {result.start:%Y-%m-%d %H:%M} "
          f"({scenario.settings['timezone']}) on a copy of the CRM; {answer}")
    columns = ("entered", "messages", "bonuses", "orders", "revenue")
    print(f"  {'day':10}" + "".join(f" {c:>10}" for c in columns) + f"  (revenue in {currency})")
    for day in data["daily"]:
        totals = day["totals"]
        print(f"  {day['day']:10}" + "".join(f" {figure(totals[c]):>10}" for c in columns))
    print(f"  {'total':10}" + "".join(f" {figure(data['totals'][c]):>10}" for c in columns))
    width = max(len(n["id"]) for n in data["nodes"])
    keys = ("reached", "waiting", "messages", "bonuses", "points", "orders", "revenue")
    print("  per node (reached: customers who reached it, each counted once over the period; "
          "waiting: at the end of the last day):")
    print(f"  {'node'.ljust(width)}  {'type':8}" + "".join(f" {k:>9}" for k in keys) + "  title")
    for node in data["nodes"]:
        figures = data["totals"]["nodes"][node["id"]]
        print(f"  {node['id'].ljust(width)}  {node['type']:8}" + "".join(f" {figure(figures[k]):>9}" for k in keys)
              + f"  {node['title']}")
    print(f"  {data['seconds']:.2f} s; nothing was sent and the CRM was not changed")


def figure(value: float) -> str:
    """A figure of a table: money with two decimals, counts as they are."""
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def print_lookup(found: dict[str, Any]) -> None:
    """A customer lookup for people: who, why they would (not) enter today, and their enrolments."""
    print("customer: " + ", ".join(f"{k} {v}" for k, v in found["customer"].items() if v not in (None, "")))
    print("today:")
    for step in found["explain"]:
        print(f"  {step['title']}: {step['outcome']}")
        for c in step["conditions"]:
            print(f"    {c['condition']}: {c['value']}: {'holds' if c['passed'] else 'does not hold'}")
    for e in found["enrolments"]:
        print(f"{e['scenario_name']}: entered {e['entered_at']}; {e['end']['words']}")
        for p in e["path"]:
            print(f"  {p['at']}  {p['title']}")
        for m in e["messages"]:
            reason = f" ({m['reason']})" if m["reason"] else ""
            print(f"  message {m['title']} ({m['channel']}): {m['status_words']}{reason}, {m['at']}")
        for b in e["bonuses"]:
            points = "" if b["points"] is None else f"{b['points']:g} points"
            print(f"  bonus {b['title']}: {b['code'] or ''} {b['discount'] or ''}{points}, {b['issued_at']}")
        for c in e["conversions"]:
            print(f"  order {c['order']} of {c['total']:g} on {c['at']}, after {c['title']}")
