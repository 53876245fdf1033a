"""The client report: one self-contained HTML file describing a scenario in plain words.

A consultant hands it to a shop owner: the scenario's picture, each step in plain language with
its latest counts, the settings in words, and a simulation's summary and charts. Everything is
inline (CSS, the picture as a ``data:`` URI, the charts as SVG): the file opens offline, by mail,
on any computer, and prints on A4. Every string from the scenario or the CRM is escaped.

Words of the report are the application's catalog (``report.*`` in :mod:`app.words`, other
languages in ``resources/i18n/app_<lang>.toml``); the steps and settings are described by
:mod:`engine.describe` in the same language.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.charts import figure_svg, funnel_figure, timeline_figure
from app.report_uplift import uplift_html
from connectors.texts import DEFAULT_CURRENCY, lookup, money, number, percent, pick
from engine.describe import Say, describe_date, describe_node, describe_settings, titles_of, type_title
from engine.history import node_counts
from engine.model import Scenario
from engine.nodes import REGISTRY
from engine.uplift import conversion_days

CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d8dee4; --soft: #f6f8fa; --accent: #1f5fad; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #eef1f4; color: var(--ink);
       font: 15px/1.55 "Segoe UI", "Helvetica Neue", Helvetica, Arial, "Noto Sans", "DejaVu Sans", sans-serif; }
main { max-width: 1040px; margin: 32px auto; padding: 48px 56px; background: #fff;
       border-radius: 10px; box-shadow: 0 1px 3px rgba(31, 35, 40, .12); }
header { border-bottom: 3px solid var(--accent); padding-bottom: 20px; margin-bottom: 8px; }
.kicker { margin: 0; color: var(--accent); font-size: 12px; font-weight: 700; letter-spacing: .12em;
          text-transform: uppercase; }
h1 { margin: 6px 0 10px; font-size: 30px; line-height: 1.2; }
.lead { margin: 0 0 12px; font-size: 17px; color: #3d444d; max-width: 52em; }
.meta { margin: 0; color: var(--muted); font-size: 13px; }
h2 { margin: 36px 0 6px; font-size: 20px; }
.note { margin: 0 0 14px; color: var(--muted); font-size: 13px; }
figure { margin: 0; }
.picture img { display: block; width: 100%; height: auto; border-radius: 8px; border: 1px solid var(--line); }
.empty { padding: 24px; background: var(--soft); border-radius: 8px; color: var(--muted); }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
th { text-align: left; font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted);
     border-bottom: 2px solid var(--line); padding: 8px 10px; }
td { border-bottom: 1px solid var(--line); padding: 10px; vertical-align: top; }
tbody tr:nth-child(even) td { background: #fafbfc; }
td.n, th.n { width: 2.5em; color: var(--muted); text-align: right; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.num { font-weight: 600; }
.step { font-weight: 600; }
.type { display: inline-block; margin-top: 3px; font-size: 12px; color: var(--muted); white-space: nowrap; }
.dot { display: inline-block; width: .7em; height: .7em; border-radius: 50%; margin-right: .4em;
       vertical-align: baseline; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.next { display: block; margin-top: 4px; font-size: 12px; color: var(--muted); }
dl.settings { display: grid; grid-template-columns: 11em 1fr; gap: 8px 18px; margin: 12px 0 0; }
dl.settings dt { font-weight: 600; }
dl.settings dd { margin: 0; }
.cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 12px; margin: 16px 0 8px; }
.card { background: var(--soft); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card .label { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.card .value { font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; }
.chart { margin: 18px 0 0; }
.chart svg { display: block; width: 100%; height: auto; }
footer { margin-top: 40px; padding-top: 14px; border-top: 1px solid var(--line); color: var(--muted);
         font-size: 12px; }
@media (max-width: 760px) { main { padding: 24px 18px; margin: 0; border-radius: 0; }
                            .cards { grid-template-columns: repeat(2, 1fr); } }
@page { size: A4; margin: 14mm; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; margin: 0; padding: 0; box-shadow: none; border-radius: 0; }
  h2 { break-after: avoid; }
  tr, figure, .cards, dl.settings { break-inside: avoid; }
  .picture img { border: 0; }
}
"""


class _Words:
    """The report's words in one language: ``t["key"]``, blanks left for ``str.format``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getitem__(self, key: str) -> str:  # the words with their blanks, for str.format
        return pick(lookup(f"report.{key}", self.lang) or key, 1, self.lang)


def _t(lang: str) -> _Words:
    return _Words(lang)


def _e(value: Any) -> str:
    """Any value as escaped HTML text (titles, templates and names are user data)."""
    return html.escape(str(value), quote=True)


def _number(value: Any, lang: str = "en") -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return number(round(value, 2), lang)
    return number(int(value), lang)


def _when(moment: datetime | date | str, lang: str) -> str:
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return moment
    if isinstance(moment, datetime):
        return f"{describe_date(moment.date(), lang=lang)}, {moment:%H:%M}"
    return describe_date(moment, lang=lang)


def _type_cell(type_name: str, lang: str) -> str:
    declared = REGISTRY.get(type_name)
    colour = declared.color if declared is not None else "#7a7f87"
    label = type_title(type_name, lang)
    return f'<span class="type"><span class="dot" style="background:{_e(colour)}"></span>{_e(label)}</span>'


def _next_steps(scenario: Scenario, node_id: str, t: _Words) -> str:
    titles = titles_of(scenario, t.lang)
    say = Say(t.lang)
    node = scenario.node(node_id)
    declared = REGISTRY.get(node.type)
    try:
        ports = declared.ports(node.params) if declared is not None else []
    except (KeyError, TypeError, AttributeError):
        ports = sorted({e.port for e in scenario.edges if e.source == node_id})
    parts = []
    for port in ports:
        target = scenario.target(node_id, port)
        shown = titles.get(target, target) if target else t["ends"]
        named = say.port_name(node.type, port)
        parts.append(_e(shown) if len(ports) == 1 else _e(t["next_port"].format(port=named, target=shown)))
    if not parts:
        return ""
    return f'<span class="next">{_e(t["next"])}: {" · ".join(parts)}</span>'


def _steps_table(scenario: Scenario, counts: Mapping[str, Mapping[str, Any]] | None, lang: str) -> str:
    t = _t(lang)
    head = [f'<th class="n">#</th><th>{_e(t["col_step"])}</th><th>{_e(t["col_what"])}</th>']
    if counts is not None:
        head.append(f'<th class="num">{_e(t["col_reached"])}</th><th class="num">{_e(t["col_waiting"])}</th>')
    rows = []
    for i, node in enumerate(scenario.topological_order(), start=1):
        title = node.title or type_title(node.type, lang)
        cells = [f'<td class="n">{i}</td>',
                 f'<td><div class="step">{_e(title)}</div>{_type_cell(node.type, lang)}</td>',
                 f"<td>{_e(describe_node(scenario, node, lang=lang))}{_next_steps(scenario, node.id, t)}</td>"]
        if counts is not None:
            mine = counts.get(node.id) or {}
            waiting = mine.get("waiting")
            cells.append(f'<td class="num">{_number(mine.get("reached", 0), lang)}</td>')
            cells.append(f'<td class="num">{_number(waiting, lang) if waiting else "—"}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<table class="steps"><thead><tr>{"".join(head)}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _results(scenario: Scenario, results: Mapping[str, Mapping[str, Any]],
             branches: Mapping[str, Mapping[str, Mapping[str, Any]]], t: _Words, currency: str) -> str:
    """The messages' conversions, then each split's branches side by side (the A/B result)."""
    def table(first: str, rows: list[tuple[str, Mapping[str, Any]]]) -> str:
        by_goal = any(r.get("measure") == "goal" for _, r in rows)
        head = "".join([f"<th>{_e(first)}</th>"] + [f'<th class="num">{_e(t[k])}</th>' for k in (
            "col_sent", "col_goal" if by_goal else "col_customers", "orders", "revenue", "col_rate")])
        n = lambda v: _number(v, t.lang)  # noqa: E731 - the numbers of this table, in its language
        body = "".join(
            f"<tr><td>{_e(name)}</td><td class='num'>{n(r.get('messages', 0))}</td>"
            f"<td class='num'>{n(r.get('customers', 0))}</td><td class='num'>{n(r.get('orders', 0))}</td>"
            f"<td class='num'>{money(float(r.get('revenue', 0)), t.lang, currency)}</td>"
            f"<td class='num'>{percent(float(r.get('rate', 0)), t.lang)}</td></tr>" for name, r in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    titles = titles_of(scenario, t.lang)
    parts = [table(t["col_message"], [(titles[n.id], results[n.id]) for n in scenario.topological_order()
                                      if n.id in results])]
    for split, ports in branches.items():
        parts.append(f"<h3>{_e(t['branches'].format(split=titles.get(split, split)))}</h3>")
        parts.append(table(t["col_branch"], list(ports.items())))
    return "".join(parts)


def _settings(scenario: Scenario, lang: str) -> str:
    items = "".join(f"<dt>{_e(label)}</dt><dd>{_e(text)}</dd>"
                    for label, text in describe_settings(scenario.settings, lang=lang))
    return f'<dl class="settings">{items}</dl>'


def _simulation(simulation: Mapping[str, Any], lang: str, currency: str, cost_per_part: float | None = None) -> str:
    t = _t(lang)
    say = Say(lang)
    days = simulation.get("days") or len(simulation.get("daily") or [])
    start = _when(simulation.get("start", ""), lang)
    parts = [f'<p class="note">{_e(t["sim_intro"].format(days=say.count(days, "day"), start=start))}</p>']
    response = simulation.get("response")
    if response:
        parts.append("<p>" + _e(t["sim_response"].format(
            rate=f"{_number(round(float(response.get('rate', 0)) * 100, 2), lang)}%",
            within=say.count(response.get("within_days", 0), "day"),
            average=money(float(response.get("average_order", 0)), lang, currency))) + "</p>")
    else:
        parts.append(f"<p>{_e(t['sim_no_response'])}</p>")
    totals = simulation.get("totals") or {}
    shown = {key: _number(totals.get(key, 0), lang) for key in ("entered", "messages", "bonuses", "orders")}
    shown["revenue"] = money(float(totals.get("revenue", 0)), lang, currency)
    if totals.get("points"):  # the bonus cost, beside the bonuses: the points granted
        shown["points"] = _number(totals["points"], lang)
    if totals.get("parts"):  # SMS parts, and their cost when the settings give the price of one
        shown["parts"] = _number(totals["parts"], lang)
        if cost_per_part is not None:
            shown["sms_cost"] = money(totals["parts"] * cost_per_part, lang, currency, cents=True)
    cards = "".join(f'<div class="card"><div class="label">{_e(t[key])}</div>'
                    f'<div class="value">{_e(value)}</div></div>' for key, value in shown.items())
    parts.append(f'<div class="cards">{cards}</div>')
    if simulation.get("daily"):
        parts.append(f'<figure class="chart">{figure_svg(timeline_figure(dict(simulation), lang=lang))}</figure>')
        parts.append(f'<figure class="chart">{figure_svg(funnel_figure(dict(simulation), lang=lang))}</figure>')
    return "".join(parts)


def build_report(scenario: Scenario, *, picture_png: bytes | None, counts: Mapping[str, Mapping[str, Any]] | None,
                 simulation: Mapping[str, Any] | None, generated_at: datetime, counts_note: str | None = None,
                 lang: str = "en", results: Mapping[str, Mapping[str, Any]] | None = None,
                 branches: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
                 currency: str = DEFAULT_CURRENCY, uplift: Mapping[str, Any] | None = None,
                 cost_per_part: float | None = None) -> str:
    """One self-contained HTML page describing the scenario for a client.

    Args:
        scenario: The scenario.
        picture_png: The canvas as PNG (``editor.export.scenario_png_bytes``), or None for no picture.
        counts: Node id -> ``{"reached": n, "waiting": n}`` (:func:`latest_counts`, or a preview's
            ``TickResult.to_json()["nodes"]``), or None to leave the count columns out.
        simulation: A simulation result (``SimulationResult.to_json()``), or None for no simulation section.
        generated_at: When the report is made (shown on it; passed in so that tests are repeatable).
        counts_note: What the counts are, e.g. "customers counted in the CRM on 23 November 2026".
        lang: Language of the report's words.
        results: Message node id -> its conversions (``engine.conversions.Conversions.to_json()``),
            or None for no results section.
        branches: Split node id -> branch port -> the conversions of the messages only it leads to.
        currency: How money is written (the settings' ``[shop] currency``).
        uplift: ``{"splits": ..., "holdout": ...}`` of :func:`engine.uplift.uplift_json`: what the
            scenario added against its controls, which leads the results section.

    Returns:
        The HTML text: no scripts, no external resources.
    """
    t = _t(lang)
    prepared = _when(generated_at, lang)
    zone = scenario.settings.get("timezone") or "Europe/Moscow"
    out = ["<!DOCTYPE html>", f'<html lang="{_e(lang)}"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<meta name="generator" content="Scenarist">',
           f"<title>{_e(t['title'].format(name=scenario.name))}</title><style>{CSS}</style></head><body><main>",
           f'<header><p class="kicker">{_e(t["kicker"])}</p><h1>{_e(scenario.name)}</h1>']
    if scenario.description:
        out.append(f'<p class="lead">{_e(scenario.description)}</p>')
    out.append(f'<p class="meta">{_e(t["prepared"].format(date=prepared))} · '
               f'{_e(t["summary"].format(steps=len(scenario.nodes), zone=zone))}</p></header>')

    out.append(f'<section><h2>{_e(t["picture"])}</h2>')
    if picture_png:
        data = base64.b64encode(picture_png).decode("ascii")
        out.append(f'<p class="note">{_e(t["picture_note"])}</p><figure class="picture">'
                   f'<img src="data:image/png;base64,{data}" alt="{_e(t["picture_alt"].format(name=scenario.name))}">'
                   "</figure>")
    else:
        out.append(f'<p class="empty">{_e(t["no_picture"])}</p>')
    out.append("</section>")

    out.append(f'<section><h2>{_e(t["steps"])}</h2><p class="note">{_e(t["steps_note"])}')
    if counts is not None:
        out.append(" " + _e(t["counts_note"].format(note=counts_note or t["counts_default"])))
    out.append(f"</p>{_steps_table(scenario, counts, lang)}</section>")
    added = uplift_html(scenario, (uplift or {}).get("splits") or {}, (uplift or {}).get("holdout"), lang, currency,
                        conversion_days(scenario)) if uplift else ""
    note = t["results_note.goal" if scenario.settings.get("goal") else "results_note"]
    if added or (results and any(r.get("messages") for r in results.values())):
        out.append(f'<section><h2>{_e(t["results"])}</h2>{added}<p class="note">{_e(note)}</p>'
                   f'{_results(scenario, results or {}, branches or {}, t, currency)}</section>')
    out.append(f'<section><h2>{_e(t["settings"])}</h2>{_settings(scenario, lang)}</section>')
    if simulation:
        summary = _simulation(simulation, lang, currency, cost_per_part)
        out.append(f'<section><h2>{_e(t["simulation"])}</h2>{summary}</section>')
    out.append(f'<footer>{_e(t["footer"].format(date=prepared))}</footer></main></body></html>\n')
    return "\n".join(out)


def write_report(path: str | Path, html_text: str) -> None:
    """Write the report to ``path`` atomically (a crash never leaves half a file).

    Raises:
        OSError: when the file cannot be written.
    """
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(html_text, encoding="utf-8")
    tmp.replace(target)


def latest_counts(crm: Any, scenario_key: str) -> dict[str, dict[str, int]]:
    """Per node, the customers that reached it over all runs and those waiting there now.

    Args:
        crm: A ``connectors.crm.Crm`` (anything with ``connect(read_only=True)``) or an SQLAlchemy engine.
        scenario_key: The scenario's key (``Scenario.key``).

    Returns:
        Node id -> ``{"reached": n, "waiting": n}``; empty when the scenario never ran there.
    """
    if isinstance(crm, sa.Engine):
        with crm.connect() as conn:
            return node_counts(conn, scenario_key)
    with crm.connect(read_only=True) as conn:
        return node_counts(conn, scenario_key)
