"""Charts of a simulation result (``engine.simulate``'s ``to_json()`` dict), with matplotlib.

Figures are built as ``matplotlib.figure.Figure`` objects, never through pyplot, so nothing is
left in a global figure registry: the window embeds them with
``matplotlib.backends.backend_qtagg.FigureCanvasQTAgg(fig)`` and the report inlines them with
:func:`figure_svg`. ``dark=True`` matches the window's dark theme; the report uses the light one.

The words on the charts are the application's catalog (``chart.*`` in :mod:`app.words`).
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from datetime import date
from typing import Any

import matplotlib
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from connectors.texts import lookup, number, phrase, pick
from engine.describe import type_title
from engine.nodes import REGISTRY

REST = "\x00rest"  # the key of the summed line
MAX_LINES = 12  # more lines than this are unreadable: the busiest steps get one, the rest are summed


@dataclass(frozen=True)
class Theme:
    """Colours of a chart."""

    background: str
    text: str
    muted: str
    grid: str
    messages: str
    orders: str
    entered: str


LIGHT = Theme(background="#ffffff", text="#1f2328", muted="#57606a", grid="#d8dee4", messages="#8fb8ea",
              orders="#c2410c", entered="#57606a")
DARK = Theme(background="#1b1f24", text="#e6edf3", muted="#8b949e", grid="#30363d", messages="#2f5f95",
             orders="#f0883e", entered="#c9d1d9")
# Distinct, readable on white and on the dark window (tab10 without its grey).
LINE_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
                "#17becf", "#aec7e8", "#ffbb78", "#98df8a")


def _label(key: str, lang: str) -> str:
    """A chart's words in ``lang``, blanks left for ``str.format``."""
    return pick(lookup(f"chart.{key}", lang) or key, 1, lang)


def _plain(text: str) -> str:
    """A label as matplotlib must get it: ``$`` would start mathtext (a title like "$5 off")."""
    return text.replace("$", r"\$")


def _theme(dark: bool) -> Theme:
    return DARK if dark else LIGHT


def _style(fig: Figure, axes: list[Any], theme: Theme) -> None:
    """Colour a figure and its axes explicitly (rcParams are global; the window and the report differ)."""
    fig.set_facecolor(theme.background)
    for ax in axes:
        ax.set_facecolor(theme.background)
        ax.tick_params(colors=theme.muted, labelcolor=theme.text, labelsize=9)
        for side, spine in ax.spines.items():
            spine.set_visible(side in ("left", "bottom"))
            spine.set_color(theme.grid)
        ax.grid(True, color=theme.grid, linewidth=0.6, alpha=0.8)
        ax.set_axisbelow(True)
        ax.title.set_color(theme.text)
        ax.xaxis.label.set_color(theme.muted)
        ax.yaxis.label.set_color(theme.muted)


def _days(result: dict) -> list[date]:
    return [date.fromisoformat(d["day"]) for d in result.get("daily") or []]


def _node_titles(result: dict, lang: str) -> dict[str, str]:
    """Node id -> its title; a node the user did not title is named by its type in ``lang`` (a
    result names it in English, as the command line prints it)."""
    titles = {}
    for n in result.get("nodes") or []:
        declared = REGISTRY.get(n.get("type"))
        if declared is not None and n.get("title") in (None, "", declared.title):
            titles[n["id"]] = type_title(n["type"], lang)
        else:
            titles[n["id"]] = n.get("title") or n["id"]
    return titles


def _count_axis(axis: Any, lang: str) -> None:
    """Whole counts on an axis, grouped as the language writes them (5,000 or 5 000)."""
    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(FuncFormatter(lambda x, _pos: number(round(x), lang)))


def _date_axis(axis: Any, lang: str) -> None:
    """Dates on an axis as the language writes them: "Dec 05" in English, "05.12" in Russian (the
    month names of matplotlib are the C locale's)."""
    locator = AutoDateLocator(maxticks=10)
    axis.set_major_locator(locator)
    if lang == "en":
        axis.set_major_formatter(ConciseDateFormatter(locator))
        return
    axis.set_major_formatter(ConciseDateFormatter(
        locator, formats=["%Y", "%m.%Y", "%d.%m", "%H:%M", "%H:%M", "%S"],
        zero_formats=["", "%Y", "%d.%m", "%d.%m", "%H:%M", "%H:%M"],
        offset_formats=["", "%Y", "%Y", "%d.%m.%Y", "%d.%m.%Y", "%d.%m.%Y %H:%M"]))


def _empty(fig: Figure, theme: Theme, lang: str) -> Figure:
    fig.set_facecolor(theme.background)
    fig.text(0.5, 0.5, _label("empty", lang), ha="center", va="center", color=theme.muted, fontsize=11)
    return fig


def _title(ax: Any, text: str, theme: Theme, lines_below: int = 1) -> None:
    """A chart's title, with room under it for ``lines_below`` lines of a note."""
    ax.set_title(text, loc="left", fontsize=11, fontweight="bold", color=theme.text, pad=4 + 11 * lines_below)


def _legend(ax: Any, sources: list[Any], theme: Theme) -> None:
    handles, labels = [], []
    for source in sources:
        h, lab = source.get_legend_handles_labels()
        handles += h
        labels += lab
    if handles:
        legend = ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.08, 1.0), fontsize=8, frameon=False)
        for text in legend.get_texts():
            text.set_color(theme.text)


def _entry_checks(result: dict) -> list[str]:
    """The trigger and the filters right behind it, before any step that acts or holds.

    Every customer the trigger admits passes them each day, so they count the whole customer base
    daily and would flatten every other line; the leading run of side-effect-free steps in
    topological order is exactly such a set (none of them can come after an acting step).
    """
    checks = []
    for node in result.get("nodes") or []:
        declared = REGISTRY.get(node.get("type"))
        if declared is None or not declared.pure:
            break
        checks.append(node["id"])
    return checks


def timeline_figure(result: dict, *, dark: bool = False, width: float = 9.0, height: float = 6.0,
                    lang: str = "en") -> Figure:
    """Per step, customers reached per day (lines), and messages and orders per day (below).

    Args:
        result: A simulation result dict (``nodes`` in topological order, ``daily`` per day).
        dark: Colours for the window's dark theme instead of white paper.
        width: Figure width in inches.
        height: Figure height in inches.

    Returns:
        A figure with two stacked axes sharing the days.
    """
    theme = _theme(dark)
    fig = Figure(figsize=(width, height), layout="constrained")
    days = _days(result)
    if not days:
        return _empty(fig, theme, lang)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    _style(fig, [top, bottom], theme)
    daily = result["daily"]
    titles = _node_titles(result, lang)
    series = {nid: [d["nodes"].get(nid, {}).get("reached", 0) for d in daily] for nid in titles}
    checks = _entry_checks(result)
    drawn = [nid for nid in titles if nid not in checks and any(series[nid])]
    if len(drawn) > MAX_LINES - 1:  # keep the busiest steps, in scenario order; sum the rest into one line
        busiest = set(sorted(drawn, key=lambda nid: -sum(series[nid]))[:MAX_LINES - 2])
        rest = [nid for nid in drawn if nid not in busiest]
        drawn = [nid for nid in drawn if nid in busiest]
        series[REST] = [sum(series[nid][i] for nid in rest) for i in range(len(days))]
        titles[REST] = phrase("chart.others", lang, n=len(rest))
        drawn.append(REST)
    marker = "o" if len(days) <= 31 else None
    top.plot(days, [d.get("totals", {}).get("entered", 0) for d in daily], label=_label("entered", lang),
             color=theme.entered, linewidth=2.2, linestyle="--", marker=marker, markersize=3)
    for i, nid in enumerate(drawn):
        top.plot(days, series[nid], label=_plain(titles[nid]), color=LINE_COLOURS[i % len(LINE_COLOURS)],
                 linewidth=1.8, marker=marker, markersize=3)
    if checks:
        per_day = sum(series[checks[0]]) / len(days)
        note = _label("checks", lang).format(steps=", ".join(titles[c] for c in checks), n=number(round(per_day), lang))
        lines = textwrap.wrap(note, width=max(40, int(width * 10)))  # the axes' width, at the note's size
        top.text(0, 1.0, _plain("\n".join(lines)), transform=top.transAxes, va="bottom", fontsize=8,
                 color=theme.muted, linespacing=1.3)
        _title(top, _label("reached_title", lang), theme, len(lines))
    else:
        _title(top, _label("reached_title", lang), theme)
    top.set_ylabel(_label("reached_axis", lang))
    _count_axis(top.yaxis, lang)
    top.set_ylim(bottom=0)
    _legend(top, [top], theme)

    _activity(bottom, days, daily, theme, lang, marker)
    _date_axis(bottom.xaxis, lang)
    bottom.xaxis.get_offset_text().set_color(theme.muted)
    return fig


def _activity(bottom: Any, days: list[date], daily: list[dict], theme: Theme, lang: str, marker: str | None) -> None:
    """Messages per day as bars and orders per day as a line on a scale of their own."""
    messages = [d.get("totals", {}).get("messages", 0) for d in daily]
    orders = [d.get("totals", {}).get("orders", 0) for d in daily]
    bottom.bar(days, messages, width=0.8, color=theme.messages, label=_label("messages", lang))
    right = bottom.twinx()  # orders are few beside messages: their own scale, on the right
    right.plot(days, orders, color=theme.orders, linewidth=2, marker=marker, markersize=3, label=_label("orders", lang))
    right.tick_params(colors=theme.orders, labelcolor=theme.orders, labelsize=9)
    for side, spine in right.spines.items():
        spine.set_visible(side == "right")
        spine.set_color(theme.grid)
    right.set_ylabel(_label("orders_axis", lang), color=theme.orders)
    _count_axis(right.yaxis, lang)
    right.set_ylim(bottom=0, top=max(max(orders), 1) * 1.15)
    _title(bottom, _label("activity_title", lang), theme)
    bottom.set_ylabel(_label("messages_axis", lang))
    _count_axis(bottom.yaxis, lang)
    bottom.set_ylim(bottom=0)
    _legend(bottom, [bottom, right], theme)


def funnel_figure(result: dict, *, dark: bool = False, width: float = 9.0, lang: str = "en") -> Figure:
    """Horizontal bars: customers who reached each step over the whole simulation, in scenario order.

    Args:
        result: A simulation result dict (``nodes`` in topological order, ``totals.nodes`` per step).
        dark: Colours for the window's dark theme instead of white paper.
        width: Figure width in inches; the height follows the number of steps.

    Returns:
        A figure with one axes; each bar in its step type's canvas colour, labelled with its total.
    """
    theme = _theme(dark)
    nodes = result.get("nodes") or []
    fig = Figure(figsize=(width, 1.1 + 0.38 * max(len(nodes), 1)), layout="constrained")
    if not nodes:
        return _empty(fig, theme, lang)
    ax = fig.subplots()
    _style(fig, [ax], theme)
    totals = (result.get("totals") or {}).get("nodes") or {}
    values = [totals.get(n["id"], {}).get("reached", 0) for n in nodes]
    titles = _node_titles(result, lang)
    labels = [_plain(titles[n["id"]]) for n in nodes]
    colours = [REGISTRY[n["type"]].color if n.get("type") in REGISTRY else theme.muted for n in nodes]
    positions = list(range(len(nodes)))
    bars = ax.barh(positions, values, color=colours, height=0.68)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()  # the trigger on top, as the scenario reads
    ax.grid(False, axis="y")
    ax.tick_params(axis="y", length=0)
    _count_axis(ax.xaxis, lang)
    ax.set_xlabel(_label("funnel_axis", lang))
    title = _label("funnel_title", lang).format(days=result.get("days", len(result.get("daily") or [])))
    # The step names take the left of the figure; the title starts above the bars and wraps there.
    ax.set_title("\n".join(textwrap.wrap(title, width=max(30, int(width * 6)))), loc="left", fontsize=11,
                 fontweight="bold", color=theme.text, pad=14)
    checks = set(_entry_checks(result))
    rest = [v for n, v in zip(nodes, values, strict=True) if n["id"] not in checks]
    longest = max(values) if values else 0
    if checks and rest and max(rest) > 0 and longest > 3 * max(rest):
        # The entry checks count the whole customer base every day; on their scale the steps that
        # matter would be slivers. They run off a scale fitted to the others, labelled inside.
        limit = max(rest) * 1.3
        ax.set_xlim(0, limit)
        outside = []
        for bar, node, value in zip(bars, nodes, values, strict=True):
            if node["id"] in checks and value > limit:
                ax.text(limit * 0.985, bar.get_y() + bar.get_height() / 2, f"{number(value, lang)} ▸", ha="right",
                        va="center", fontsize=8, color="#ffffff", fontweight="bold")
                outside.append("")
            else:
                outside.append(number(value, lang))
        ax.bar_label(bars, labels=outside, padding=4, fontsize=8, color=theme.text)
    else:
        ax.bar_label(bars, labels=[number(v, lang) for v in values], padding=4, fontsize=8, color=theme.text)
        ax.set_xlim(0, max(longest, 1) * 1.12)  # room for the labels
    return fig


_XML_PROLOGUE = re.compile(r"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?", re.DOTALL)


def figure_svg(fig: Figure) -> str:
    """The figure as an SVG element to put inline in HTML (no XML prologue, no DOCTYPE).

    Text stays text (selectable, small) and ids are stable from one run to the next.
    """
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "scenarist"}):
        fig.savefig(buffer, format="svg", facecolor=fig.get_facecolor(), metadata={"Date": None})
    return _XML_PROLOGUE.sub("", buffer.getvalue(), count=1)
