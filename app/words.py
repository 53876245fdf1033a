"""The application layer's words in English: run summaries, the client report, the charts.

Other languages: ``resources/i18n/app_<lang>.toml`` (see :mod:`connectors.texts`).
"""

from __future__ import annotations

from connectors.texts import catalog

WORDS = catalog("app", {
    # before the window starts (app/startup.py)
    "startup.missing_libraries": "Scenarist cannot open its window: Qt's X11 plugin (xcb) needs system libraries "
                                 "that are missing here: {libraries}.\nInstall them (Debian, Ubuntu) with:\n\n"
                                 "    {command}\n\nthen start Scenarist again. The packages: {packages}.",
    # the desktop entry (app/desktop.py): the applications menu's words; keywords end with ";"
    "desktop.generic_name": "Customer scenario editor",
    "desktop.comment": "Draw customer win-back scenarios and run them every day against your shop's CRM",
    "desktop.keywords": "CRM;email;marketing;customers;shop;",
    # runs (app/run_once.py, app/scheduling.py)
    "run.summary": "version {version}: entered {entered}, reached {reached}, queued {queued}, sent {sent}, "
                   "failed {failed}",
    "run.summary.late": "version {version}: entered {entered}, reached {reached}, queued {queued}, sent {sent}, "
                        "failed {failed}, entry skipped (too late)",
    "run.nothing": "nothing to do",
    "run.stopped": "stopped; the next run finishes the work",
    "run.yields": "not run now: {reason}",
    "run.not_run": "not run: {reason}",
    "run.failed": "failed: {reason}",
    # counts (app/preview.py)
    "count.not_counted": "not counted",
    "count.not_counted.file": "the scenario has a problem that keeps it from running",
    "count.not_counted.start": "the start has a problem",
    "count.not_counted.after": "not counted: a node before it has a problem",
    "count.not_counted.unconnected": "not counted: no path from the start leads here yet",
    # the client report (app/reporting.py, app/report.py)
    "report.kicker": "Customer scenario",
    "report.title": "{name}: scenario report",
    "report.prepared": "Prepared on {date}",
    "report.summary": "{steps} steps · timezone {zone}",
    "report.picture": "The scenario at a glance",
    "report.picture_alt": "Diagram of the scenario {name}",
    "report.picture_note": "Customers go from left to right along the arrows; each box is one step.",
    "report.steps": "Step by step",
    "report.steps_note": "The steps in the order customers meet them.",
    "report.col_step": "Step",
    "report.col_what": "What happens",
    "report.col_reached": "Reached",
    "report.col_waiting": "Waiting now",
    "report.counts_note": "Counts: {note}",
    "report.counts_default": "latest figures from the shop's CRM.",
    "report.next": "Next",
    "report.ends": "ends here",
    "report.next_port": "{port} → {target}",
    "report.settings": "Settings",
    "report.simulation": "Simulation",
    "report.sim_intro": "What the scenario would do over {days} from {start}, computed with the real engine on a "
                        "copy of the shop's data; nothing was sent.",
    "report.sim_response": "Assumed response: {rate} of customers who get a message order within {within}, "
                           "{average} per order on average.",
    "report.sim_no_response": "No customer response was assumed: the figures show reach and sending only.",
    "report.entered": "Entered",
    "report.messages": "Messages",
    "report.bonuses": "Bonuses",
    "report.orders": "Orders",
    "report.revenue": "Revenue",
    "report.charts": "Charts",
    "report.results": "Results",
    "report.results_note": "Orders a customer placed within a message's conversion window count for the latest "
                           "such message.",
    "report.col_message": "Message",
    "report.col_sent": "Sent",
    "report.col_customers": "Customers who ordered",
    "report.col_rate": "Conversion",
    "report.branches": "Branches of “{split}”",
    "report.col_branch": "Branch",
    "report.no_picture": "No picture of the scenario was included.",
    "report.footer": "Made with Scenarist on {date}. Figures are estimates; your CRM holds the actual data.",
    "chart.reached_title": "Customers reaching each step, per day",
    "chart.entered": "entered the scenario",
    "chart.checks": "Not drawn: the entry checks ({steps}), about {n} customers a day.",
    "chart.messages_axis": "messages",
    "chart.orders_axis": "orders",
    "chart.reached_axis": "customers",
    "chart.activity_title": "Messages and orders, per day",
    "chart.messages": "messages sent",
    "chart.orders": "orders",
    "chart.funnel_title": "Customers who reached each step over {days} days, each counted once",
    "chart.funnel_axis": "customers (each counted once)",
    "chart.empty": "No simulated days",
    "chart.others": ["{n} more step", "{n} more steps"],
    "report.counts.history": "customers who reached each step over all runs, and those waiting now",
    "report.counts.preview": "who would enter and move on today, {date}",
})
