"""The report's "What the scenario added" part: each split with a control, and the scenario against
its held-out control, as a table and one plain sentence per comparison; a sample too small to
read says so instead of showing a number. It leads the report's results section."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from connectors.texts import catalog, lookup, money, number, percent, pick
from engine.describe import titles_of
from engine.model import Scenario
from engine.uplift import MIN_CONVERSIONS, MIN_CUSTOMERS

WORDS = catalog("app", {
    "uplift.title": "What the scenario added",
    "uplift.note": "Each group is counted from the moment its customers took their branch (entered the scenario, "
                   "for the scenario's control) for {days}: a customer converted when they placed an order in that "
                   "time. The control got nothing, so the difference is what the messages added; the interval is "
                   "where the true difference lies with 95% confidence.",
    "uplift.split": "“{split}”",
    "uplift.scenario": "The whole scenario against its control",
    "uplift.col_group": "Group",
    "uplift.col_customers": "Customers",
    "uplift.col_converted": "Converted",
    "uplift.col_rate": "Conversion",
    "uplift.col_rpc": "Revenue per customer",
    "uplift.col_uplift": "Uplift (95% interval)",
    "uplift.control": "{name} (control)",
    "uplift.everyone": "got the scenario",
    "uplift.held_out": "held out",
    "uplift.better": "{group} converted {rate} against {control} in the control: {points} more (between {low} and "
                     "{high}), about {orders} extra orders and {revenue} extra revenue.",
    "uplift.worse": "{group} converted {rate} against {control} in the control: {points} fewer (between {low} and "
                    "{high}). The messages seem to hold customers back.",
    "uplift.unclear": "{group} converted {rate} against {control} in the control: no clear difference yet (between "
                      "{low} and {high}).",
    "uplift.too_small": "{group}: too few customers to tell yet. A comparison needs at least {customers} customers "
                        "in each group and {conversions} conversions in all.",
    "uplift.points": ["{n} percentage point", "{n} percentage points"],
})


def _w(key: str, lang: str, n: float = 1) -> str:
    return pick(lookup(f"uplift.{key}", lang) or key, n, lang)


def _e(value: Any) -> str:
    return html.escape(str(value))


def _pp(share: float, lang: str) -> str:
    """A difference of two proportions in percentage points, signed."""
    n = round(share * 100, 1)
    return ("+" if n > 0 else "") + number(n, lang)


def uplift_html(scenario: Scenario, splits: Mapping[str, Mapping[str, Mapping[str, Any]]],
                holdout: Mapping[str, Mapping[str, Any]] | None, lang: str, currency: str, days: int) -> str:
    """The part as HTML ("" when no split has a control and the scenario holds none out)."""
    titles = titles_of(scenario, lang)
    blocks = [(_w("split", lang).format(split=titles.get(sid, sid)), groups, titles)
              for sid, groups in splits.items() if any(g.get("control") for g in groups.values())]
    if holdout:
        names = {"scenario": _w("everyone", lang), "control": _w("held_out", lang)}
        blocks.append((_w("scenario", lang), holdout, names))
    if not blocks:
        return ""
    say_days = f"{number(days, lang)} {pick(lookup('noun.day', lang) or 'days', days, lang)}"
    out = [f'<div class="uplift"><h3>{_e(_w("title", lang))}</h3><p class="note">'
           f'{_e(_w("note", lang).format(days=say_days))}</p>']
    for heading, groups, names in blocks:
        out.append(f"<h4>{_e(heading)}</h4>" + _table(groups, names, lang, currency))
        out += [f"<p>{_e(s)}</p>" for s in _sentences(groups, names, lang, currency)]
    out.append("</div>")
    return "".join(out)


def _table(groups: Mapping[str, Mapping[str, Any]], names: Mapping[str, str], lang: str, currency: str) -> str:
    cols = ("col_group", "col_customers", "col_converted", "col_rate", "col_rpc", "col_uplift")
    head = "".join(f'<th{"" if i == 0 else " class=num"}>{_e(_w(c, lang))}</th>' for i, c in enumerate(cols))
    rows = []
    for port, g in groups.items():
        name = names.get(port, port)
        name = _w("control", lang).format(name=name) if g.get("control") else name
        vs = g.get("vs_control") or {}
        lift = "—" if g.get("control") or vs.get("uplift") is None else \
            f"{_pp(vs['uplift'], lang)} ({_pp(vs['low'], lang)} … {_pp(vs['high'], lang)})"
        rows.append(f"<tr><td>{_e(name)}</td><td class=num>{number(g['customers'], lang)}</td>"
                    f"<td class=num>{number(g['converted'], lang)}</td>"
                    f"<td class=num>{percent(g['conversion_rate'], lang)}</td>"
                    f"<td class=num>{money(g['revenue_per_customer'], lang, currency)}</td>"
                    f"<td class=num>{_e(lift)}</td></tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _sentences(groups: Mapping[str, Mapping[str, Any]], names: Mapping[str, str], lang: str,
               currency: str) -> list[str]:
    control = next((g for g in groups.values() if g.get("control")), None)
    out = []
    for port, g in groups.items():
        vs = g.get("vs_control")
        if control is None or vs is None:
            continue
        group = names.get(port, port)
        if vs["verdict"] == "too_small":
            out.append(_w("too_small", lang).format(group=group, customers=number(MIN_CUSTOMERS, lang),
                                                    conversions=number(MIN_CONVERSIONS, lang)))
            continue
        points = abs(round(vs["uplift"] * 100, 1))
        out.append(_w(vs["verdict"], lang).format(
            group=group, rate=percent(g["conversion_rate"], lang), control=percent(control["conversion_rate"], lang),
            points=_w("points", lang, points).format(n=number(points, lang)), low=_pp(vs["low"], lang),
            high=_pp(vs["high"], lang), orders=number(round(vs["incremental_orders"]), lang),
            revenue=money(vs["incremental_revenue"], lang, currency)))
    return out
