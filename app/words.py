"""The application layer's words in English: run summaries, the client report, the charts.

Other languages: ``resources/i18n/app_<lang>.toml`` (see :mod:`connectors.texts`).
"""

from __future__ import annotations

from connectors.texts import catalog

WORDS = catalog("app", {
    # runs (app/run_once.py, app/scheduling.py)
    "run.summary": "version {version}: entered {entered}, reached {reached}, queued {queued}, sent {sent}, "
                   "failed {failed}",
    "run.summary.late": "version {version}: entered {entered}, reached {reached}, queued {queued}, sent {sent}, "
                        "failed {failed}, entry skipped (too late)",
    "run.nothing": "nothing to do",
    "run.stopped": "stopped between steps; the next run finishes the work",
    "run.yields": "not run now: {reason}",
    "run.not_run": "not run: {reason}",
    "run.failed": "failed: {reason}",
    # the client report (app/reporting.py, app/report.py)
    "report.counts.history": "customers who reached each step over all runs, and those waiting now",
    "report.counts.preview": "who would enter and move on today, {date}",
})
