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
    "report.points": "Points granted",
    "report.parts": "SMS parts",
    "report.sms_cost": "SMS cost",
    "report.orders": "Orders",
    "report.revenue": "Revenue",
    "report.charts": "Charts",
    "report.results": "Results",
    "report.results_note": "Orders a customer placed within a message's conversion window count for the latest "
                           "such message.",
    "report.col_message": "Message",
    "report.col_sent": "Sent",
    "report.col_customers": "Customers who ordered",
    "report.col_goal": "Reached the goal",
    "report.results_note.goal": "The scenario's goal is its measure of success: a customer who reached it within a "
                                "message's conversion window counts for the latest such message. Orders and "
                                "revenue are those placed within the windows.",
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
    # test sends (app/test_send.py)
    "test_send.not_message": "node '{node}' is not a message node of this scenario",
    "test_send.no_customer": "there is no customer {customer} in the CRM",
    "test_send.template": "the message cannot be written for this customer: {reason}",
    "test_send.no_channel": "the settings have no '{channel}' channel to send through",
    # the suppression list (app/suppressions.py)
    "suppress.channel": "unknown channel '{channel}'; use one of {channels}",
    "suppress.address.email": "'{address}' is not an email address",
    "suppress.token": "the unsubscribe token is not one of ours (altered, cut short, or signed with another key)",
    "suppress.no_key": "there is no key to check unsubscribe tokens with (SCENARIST_UNSUBSCRIBE_KEY or the keyring)",
    "suppress.address.phone": "'{address}' is not a phone number (digits, with +, spaces, dashes or brackets)",
})
