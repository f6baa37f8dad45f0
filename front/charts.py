"""Pure functions: data -> plotly figure, and the one place a figure becomes markup."""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from catalog.reads.history import PricePoint
from front.plotfig import Figure
from stats.definitions import MINUTES_SINCE
from stats.selectors import Series, TokenDay

HEIGHT = 320
NO_DATA = "No data yet"

GRID = "rgba(128, 128, 128, 0.25)"
# Light-theme colours; static/js/charts.js swaps in the page's own text colours
# and a lighter palette in dark mode. Text is #5b6470 on white: 5.9:1 (WCAG AA).
COLORS = ["#3451d1", "#c2410c", "#1f7a34", "#9c36b5", "#0b7285", "#a16207"]
TEXT = "#5b6470"
# Tick labels by the span between ticks: never finer than minutes.
TIME_TICKS = [
    {"dtickrange": [None, 3_600_000], "value": "%H:%M"},
    {"dtickrange": [3_600_000, 86_400_000], "value": "%H:%M<br>%b %-d"},
    {"dtickrange": [86_400_000, "M1"], "value": "%b %-d"},
    {"dtickrange": ["M1", "M12"], "value": "%b %Y"},
    {"dtickrange": ["M12", None], "value": "%Y"},
]


def _layout(fig: Figure, y_title: str, **extra: Any) -> Figure:
    # No template: plotly.js's defaults plus these; transparent backgrounds also
    # suit the dark theme.
    # The legend sits above the plot area, so it never meets the tick labels.
    fig.update_layout(
        height=HEIGHT,
        margin={"l": 64, "r": 16, "t": 24, "b": 48},
        colorway=COLORS,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font={"color": TEXT, "size": 12},
        xaxis={
            "gridcolor": GRID,
            "zeroline": False,
            "type": "date",
            "tickformatstops": TIME_TICKS,
            "tickangle": 0,
            "nticks": 7,
        },
        yaxis={"gridcolor": GRID, "zeroline": False, "rangemode": "tozero"},
        hovermode="x unified",
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1.02,
            "yanchor": "bottom",
        },
        yaxis_title=y_title,
        **extra,
    )
    return fig


def tokens_figure(days: Sequence[TokenDay]) -> Figure:
    """Tokens per day as stacked bars: prompt, completion, reasoning (or a total)."""
    fig = Figure()
    if not days:
        return fig
    x = [d.date for d in days]
    if all(d.prompt is None for d in days):
        fig.add_bar(x=x, y=[d.total for d in days], name="Tokens",
                    hovertemplate="%{y:,} tokens<extra>Total</extra>")  # fmt: skip
        return _layout(fig, "tokens")
    reasoning = [d.reasoning or 0 for d in days]
    # Upstream counts reasoning inside completion: stack the rest, hover the exact total.
    completion = [
        max(0, (d.completion or 0) - r) for d, r in zip(days, reasoning, strict=True)
    ]
    stacks = [
        ("Prompt", [d.prompt or 0 for d in days], [d.prompt or 0 for d in days]),
        ("Completion", completion, [d.completion or 0 for d in days]),
        ("Reasoning", reasoning, reasoning),
    ]
    for name, y, exact in stacks:
        fig.add_bar(x=x, y=y, name=name, customdata=exact,
                    hovertemplate=f"{name}: %{{customdata:,}}<extra></extra>")  # fmt: skip
    return _layout(fig, "tokens", barmode="stack", legend_traceorder="normal")


def _lines(series: Sequence[Series], unit: str, y_title: str, **layout: Any) -> Figure:
    fig = Figure()
    for s in series:
        if not s.points:
            continue
        x, y = zip(*s.points, strict=True)
        fig.add_scatter(
            x=list(x),
            y=list(y),
            name=s.name,
            mode="lines+markers",
            marker={"size": 4},
            connectgaps=False,
            hovertemplate=f"%{{y:,.2f}} {unit}<extra>{_escape(s.name)}</extra>",
        )
    return _layout(fig, y_title, **layout) if fig.data else fig


def _escape(text: str) -> str:
    # Trace names come from upstream; plotly renders hover templates as HTML-ish.
    return text.replace("<", "&lt;").replace(">", "&gt;")


def uptime_figure(series: Sequence[Series]) -> Figure:
    """Uptime percent, a line per provider (hourly recently, daily further back),
    with a dashed line where upstream's uptime changed its meaning when the
    series spans the change (stats.definitions)."""
    fig = _lines(series, "%", "uptime %", yaxis_range=[0, 100.5])
    times = [_instant(x) for s in series for x, _ in s.points]
    if fig.data and min(times) < MINUTES_SINCE <= max(times):
        at = MINUTES_SINCE.isoformat()
        fig.update_layout(
            shapes=[
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": at,
                    "x1": at,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": TEXT, "width": 1, "dash": "dash"},
                }
            ],
            annotations=[
                {
                    "x": at,
                    "xref": "x",
                    "y": 0.02,
                    "yref": "paper",
                    "xanchor": "left",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "text": " uptime redefined: good minutes, not requests",
                    "font": {"color": TEXT, "size": 11},
                }
            ],
        )
    return fig


def series_start(series: Sequence[Series]) -> datetime | None:
    """The earliest time any of the lines has a point at."""
    return min((_instant(x) for s in series for x, _ in s.points), default=None)


def _instant(value: date | datetime) -> datetime:
    """A point's time as an aware datetime (daily points are dates)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def latency_figure(series: Sequence[Series]) -> Figure:
    """Median time to first token, a line per provider."""
    return _lines(series, "ms", "latency p50 (ms)")


def throughput_figure(series: Sequence[Series]) -> Figure:
    """Median tokens per second, a line per provider."""
    return _lines(series, "tok/s", "throughput p50 (tokens/s)")


def render_figure(fig: Figure) -> SafeString:
    """The one place a figure becomes markup; an empty figure says so in words.

    No inline script: the figure travels as a JSON data block that
    static/js/charts.js draws, so a Content-Security-Policy can forbid inline code
    and a cached page carries no per-response nonce.
    """
    if not fig.data:
        return format_html('<p class="empty">{}</p>', NO_DATA)
    figure = fig.to_plotly_json()
    for trace in figure["data"]:
        _round_to_shown(trace)
    figure["config"] = {"displaylogo": False, "responsive": True}
    return format_html(
        '<div class="plot plotly-graph-div" data-plot></div>'
        '<script type="application/json" class="plot-data">{}</script>',
        mark_safe(json_for_script(figure)),  # noqa: S308 - escaped below
    )


# "%{y:,.2f}" -> 2 decimals shown; "%{y:,.4g}" -> 4 significant digits.
SHOWN = re.compile(r"%\{(y|customdata):[^}]*?\.(\d+)([fg])\}")


def _round_to_shown(trace: dict[str, Any]) -> None:
    """Round a trace's values to the precision its hover text shows, and its times
    to the minute: the page carries no digits nobody sees."""
    for axis, digits, kind in SHOWN.findall(trace.get("hovertemplate") or ""):
        values = trace.get(axis)
        if values is not None:
            trace[axis] = [_rounded(v, int(digits), kind) for v in values]
    if trace.get("x") is not None:
        trace["x"] = [_minute(v) for v in trace["x"]]


def _rounded(value: object, digits: int, kind: str) -> object:
    if not isinstance(value, float) or not math.isfinite(value):
        return value
    if kind == "f":
        return round(value, digits)
    return float(f"{value:.{digits}g}")


def _minute(value: object) -> object:
    # UTC throughout: "2025-05-22 10:00" is what plotly reads, 15 characters less.
    if isinstance(value, datetime) and not (value.second or value.microsecond):
        return utc_minute(value)
    return value


@lru_cache(maxsize=4096)
def utc_minute(at: datetime) -> str:
    """A time as "2025-05-22 10:00", in UTC. Memoised: a model page writes the same
    few hundred hours a thousand times (each provider's trace, then the tables),
    and strftime is most of a chart's cost."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def json_for_script(data: object) -> str:
    """JSON safe inside a <script> element: no "<", ">" or "&" can end it early."""
    text = json.dumps(data, default=_json_value, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _json_value(value: object) -> object:
    # The few non-JSON types charts carry: times and exact prices.
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def price_history_figure(points: Sequence[PricePoint]) -> Figure:
    """Input and output $/M per series as step lines (a price holds until it changes)."""
    fig = Figure()
    series: dict[str, list[PricePoint]] = defaultdict(list)
    for p in points:
        series[p.series].append(p)
    for name, pts in series.items():
        for side, dash in (("prompt", "solid"), ("completion", "dot")):
            y = [getattr(p, side) for p in pts]
            if all(v is None for v in y):
                continue
            label = f"{_escape(name)} · {'input' if side == 'prompt' else 'output'}"
            fig.add_scatter(
                x=[p.at for p in pts],
                y=[float(v) if v is not None else None for v in y],
                name=label,
                mode="lines+markers",
                line={"shape": "hv", "dash": dash},
                marker={"size": 5},
                hovertemplate=f"$%{{y:,.4g}}/M<extra>{label}</extra>",
            )
    return _layout(fig, "USD per million tokens") if fig.data else fig


def tokens_overlay_figure(
    series: Mapping[str, Sequence[tuple[date, int]]], log: bool = False
) -> Figure:
    """Tokens per day, one line per model (compare page), on a log scale when
    asked (models can differ by orders of magnitude)."""
    fig = Figure()
    for name, days in series.items():
        if not days:
            continue
        x, y = zip(*days, strict=True)
        fig.add_scatter(
            x=list(x),
            y=list(y),
            name=_escape(name),
            mode="lines",
            hovertemplate=f"%{{y:,}} tokens<extra>{_escape(name)}</extra>",
        )
    if not fig.data:
        return fig
    title = "tokens per day (log scale)" if log else "tokens per day"
    fig = _layout(fig, title)
    if log:
        # Powers of ten only: the 2s and 5s between them crowd a phone.
        fig.update_layout(yaxis={"type": "log", "rangemode": "normal", "dtick": 1})
    return fig


def spans_orders_of_magnitude(
    series: Mapping[str, Sequence[tuple[date, int]]], ratio: float = 100
) -> bool:
    """Whether the series' typical values differ by `ratio` or more (then a linear
    axis flattens the small ones onto zero)."""
    peaks = [max(v for _, v in days) for days in series.values() if days]
    peaks = [p for p in peaks if p > 0]
    return len(peaks) > 1 and max(peaks) >= ratio * min(peaks)


def stacked_days_figure(
    days: Sequence[date],
    series: Mapping[str, Mapping[date, float]],
    y_title: str,
    hover: str,
) -> Figure:
    """A value per day stacked by series (the account's spend or tokens by model);
    every day of the range on the axis, a day without a series' value at zero.
    `hover` formats one value, e.g. "$%{y:,.4g}"."""
    fig = Figure()
    for name, values in series.items():
        if not any(values.values()):
            continue
        label = _escape(name)
        fig.add_bar(
            x=list(days),
            y=[values.get(d, 0) for d in days],
            name=label,
            hovertemplate=f"{hover}<extra>{label}</extra>",
        )
    if not fig.data:
        return fig
    return _layout(fig, y_title, barmode="stack", legend_traceorder="normal")
