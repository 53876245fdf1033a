"""Editor benchmark (issue 3): opening and drawing a 200-node scenario, and how long the event
loop goes unanswered while the counts of a 1,000,000-customer CRM are computed.

    python bench/bench_editor.py [--crm sqlite:///bench/data/crm-1000000.db] [--write]

The 1M CRM is the one ``bench/bench_engine.py --db sqlite --customers 1000000`` builds. With
``--write`` the figures replace the "Editor" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from engine.scenario import Edge, Node, Scenario, save  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
HEADING = "## Editor (issue 3)"
TICK_MS = 10


def big_scenario(size: int = 200) -> Scenario:
    """A valid scenario of ``size`` nodes: a trigger, then filter / message / wait in a chain, with
    each filter's "no" going to an exit."""
    nodes = [Node("t", "trigger", {"kind": "schedule", "at": "10:00"}, None, (0.0, 0.0))]
    edges: list[Edge] = []
    prev, port, i = "t", "out", 0
    kinds = ("filter", "message", "wait")
    while len(nodes) < size:
        kind = kinds[i % 3]
        nid = f"n{i}"
        x, y = 240.0 * (len(nodes) % 12), 220.0 * (len(nodes) // 12)
        if kind == "filter":
            params = {"match": "all", "conditions": [{"kind": "orders", "agg": "count", "op": "ge", "value": i % 5}]}
        elif kind == "message":
            params = {"channel": "email", "subject": f"Hello {i}", "body": "Hi {{ customer.first_name }}"}
        else:
            params = {"days": 1 + i % 7}
        nodes.append(Node(nid, kind, params, f"Step {i}", (x, y)))
        edges.append(Edge(prev, port, nid))
        if kind == "filter" and len(nodes) < size:
            nodes.append(Node(f"x{i}", "exit", {}, None, (x, y + 110)))
            edges.append(Edge(nid, "no", f"x{i}"))
        prev, port = nid, "yes" if kind == "filter" else "out"
        i += 1
    return Scenario("Big", nodes[:size], [e for e in edges if e.target in {n.id for n in nodes[:size]}])


def bench_open(app: QApplication, runs: int = 5) -> dict:
    """Seconds from opening the file to a drawn window, median of ``runs``."""
    from app.prefs import Prefs
    from editor.document import Document
    from editor.window import MainWindow

    path = Path(tempfile.mkdtemp()) / "big.scenario.json"
    save(big_scenario(), path)
    window = MainWindow(prefs=Prefs())
    window.resize(1440, 880)
    window.show()
    app.processEvents()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        window.set_document(Document.open(path))
        app.processEvents()
        window.zoom_to_fit()
        window.grab()  # paints every visible item
        times.append(time.perf_counter() - started)
    nodes = len(window.doc.graph.all_nodes())
    window.doc.undo_stack.setClean()
    window.close()
    app.processEvents()
    return {"nodes": nodes, "open_and_draw_s": statistics.median(times), "runs": times}


def bench_gaps(app: QApplication, crm: str) -> dict:
    """The longest gap between 10 ms timer ticks while the window counts ``crm``."""
    from app.prefs import Prefs
    from editor.window import MainWindow

    window = MainWindow(prefs=Prefs(crm=crm))
    window.open_path(ROOT / "resources" / "templates" / "reactivation.scenario.json", confirm=False)
    window.show()
    while not window.counter.is_idle():  # the first count, on opening
        app.processEvents()
        time.sleep(0.005)
    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer(interval=TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    started = time.perf_counter()
    window.recount()
    while window.busy.isVisible() or not window.counter.is_idle():
        app.processEvents()
        time.sleep(0.001)
    counted = time.perf_counter() - started
    timer.stop()
    result = window.last_result
    window.close()
    app.processEvents()
    return {"customers": result.reached.get("start", 0) if result else 0, "count_s": counted,
            "max_gap_ms": max(gaps) if gaps else None, "ticks": len(gaps),
            "p99_gap_ms": statistics.quantiles(gaps, n=100)[98] if len(gaps) > 100 else None}


def section(opened: dict, gaps: dict | None) -> str:
    """The RESULTS.md section."""
    lines = [HEADING, "", "Produced by `bench/bench_editor.py` (offscreen Qt platform, 1440×880 window).", "",
             "| measure | figure | target |", "|---|---|---|",
             f"| open and draw a {opened['nodes']}-node scenario (median of {len(opened['runs'])}) | "
             f"{opened['open_and_draw_s']:.3f} s | < 1 s: {'met' if opened['open_and_draw_s'] < 1 else 'MISSED'} |"]
    if gaps:
        lines.append(f"| counts of {gaps['customers']:,} customers, off the GUI thread | {gaps['count_s']:.2f} s | – |")
        lines.append(f"| longest gap between {TICK_MS} ms timer ticks meanwhile ({gaps['ticks']} ticks) | "
                     f"{gaps['max_gap_ms']} ms (p99 {gaps['p99_gap_ms']} ms) | < 100 ms: "
                     f"{'met' if gaps['max_gap_ms'] < 100 else 'MISSED'} |")
    else:
        lines.append("| event-loop gaps during a 1M preview | not measured (no 1M CRM) | < 100 ms |")
    return "\n".join(lines) + "\n"


def write(text: str) -> None:
    """Replace (or add) the editor section of RESULTS.md."""
    old = RESULTS.read_text(encoding="utf-8")
    start = old.find(HEADING)
    if start < 0:
        RESULTS.write_text(old.rstrip("\n") + "\n\n" + text, encoding="utf-8")
        return
    end = old.find("\n## ", start + len(HEADING))
    rest = old[end + 1:] if end >= 0 else ""
    RESULTS.write_text(old[:start] + text + ("\n" + rest if rest else ""), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--crm", default=f"sqlite:///{ROOT / 'bench' / 'data' / 'crm-1000000.db'}")
    parser.add_argument("--write", action="store_true", help="put the figures into bench/RESULTS.md")
    args = parser.parse_args()
    os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp())  # never touch the user's preferences
    app = QApplication.instance() or QApplication([])
    opened = bench_open(app)
    print(f"open and draw {opened['nodes']} nodes: {opened['open_and_draw_s']:.3f} s (runs {opened['runs']})")
    gaps = None
    if not args.crm.startswith("sqlite:///") or Path(args.crm[10:]).exists():
        gaps = bench_gaps(app, args.crm)
        print(f"counting {gaps['customers']:,} customers took {gaps['count_s']:.2f} s; longest event-loop gap "
              f"{gaps['max_gap_ms']} ms, p99 {gaps['p99_gap_ms']} ms over {gaps['ticks']} ticks")
    else:
        print(f"no CRM at {args.crm}: build it with bench/bench_engine.py --db sqlite --customers 1000000")
    text = section(opened, gaps)
    print(text)
    if args.write:
        write(text)


if __name__ == "__main__":
    main()
