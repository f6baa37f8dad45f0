"""Pure functions: data -> plotly figure, and the one place a figure becomes markup."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date

import plotly.graph_objects as go
from django.core.cache import cache
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from plotly.utils import PlotlyJSONEncoder

from catalog.history import PricePoint
from stats.selectors import Series, TokenDay

HEIGHT = 320
NO_DATA = "No data yet"

CHART_CACHE_SECONDS = 3600
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


def _layout(fig: go.Figure, y_title: str, **extra) -> go.Figure:
    # No named template: validating "plotly_white" costs ~35 ms a figure and embeds
    # ~6 KB of template JSON; transparent backgrounds also suit the dark theme.
    # The legend sits above the plot area, so it never meets the tick labels.
    fig.update_layout(
        height=HEIGHT,
        margin={"l": 64, "r": 16, "t": 24, "b": 48},
        template="none",
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


def tokens_figure(days: Sequence[TokenDay]) -> go.Figure:
    """Tokens per day as stacked bars: prompt, completion, reasoning (or a total)."""
    fig = go.Figure()
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


def _lines(series: Sequence[Series], unit: str, y_title: str, **layout) -> go.Figure:
    fig = go.Figure()
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


def uptime_figure(series: Sequence[Series]) -> go.Figure:
    """Uptime percent, a line per provider (hourly recently, daily further back)."""
    return _lines(series, "%", "uptime %", yaxis_range=[0, 100.5])


def latency_figure(series: Sequence[Series]) -> go.Figure:
    """Median time to first token, a line per provider."""
    return _lines(series, "ms", "latency p50 (ms)")


def throughput_figure(series: Sequence[Series]) -> go.Figure:
    """Median tokens per second, a line per provider."""
    return _lines(series, "tok/s", "throughput p50 (tokens/s)")


def render_figure(fig: go.Figure) -> SafeString:
    """The one place a figure becomes markup; an empty figure says so in words.

    No inline script: the figure travels as a JSON data block that
    static/js/charts.js draws, so a Content-Security-Policy can forbid inline code
    and a cached page carries no per-response nonce.
    """
    if not fig.data:
        return format_html('<p class="empty">{}</p>', NO_DATA)
    figure = fig.to_plotly_json()
    figure["config"] = {"displaylogo": False, "responsive": True}
    return format_html(
        '<div class="plot plotly-graph-div" data-plot></div>'
        '<script type="application/json" class="plot-data">{}</script>',
        mark_safe(json_for_script(figure)),  # noqa: S308 - escaped below
    )


def json_for_script(data: object) -> str:
    """JSON safe inside a <script> element: no "<", ">" or "&" can end it early."""
    text = json.dumps(data, cls=PlotlyJSONEncoder, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_cached(
    name: str, data: object, build: Callable[[], go.Figure]
) -> SafeString:
    """render_figure(build()), cached under a fingerprint of the data drawn.

    Building and serialising a figure costs tens of milliseconds; the data behind a
    chart changes at most once per poll, so repeat views reuse the markup.
    """
    digest = hashlib.sha1(repr(data).encode(), usedforsecurity=False).hexdigest()
    key = f"chart:{name}:{digest}"
    html = cache.get(key)
    if html is None:
        html = str(render_figure(build()))
        cache.set(key, html, CHART_CACHE_SECONDS)
    # Safe: the cached text came out of render_figure.
    return mark_safe(html)  # noqa: S308


def price_history_figure(points: Sequence[PricePoint]) -> go.Figure:
    """Input and output $/M per series as step lines (a price holds until it changes)."""
    fig = go.Figure()
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
) -> go.Figure:
    """Tokens per day, one line per model (compare page), on a log scale when
    asked (models can differ by orders of magnitude)."""
    fig = go.Figure()
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
        fig.update_yaxes(type="log", rangemode="normal", dtick=1)
    return fig


def spans_orders_of_magnitude(
    series: Mapping[str, Sequence[tuple[date, int]]], ratio: float = 100
) -> bool:
    """Whether the series' typical values differ by `ratio` or more (then a linear
    axis flattens the small ones onto zero)."""
    peaks = [max(v for _, v in days) for days in series.values() if days]
    peaks = [p for p in peaks if p > 0]
    return len(peaks) > 1 and max(peaks) >= ratio * min(peaks)
