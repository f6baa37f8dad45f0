"""Figures for catalog pages that stats.charts does not draw: price history as steps,
and tokens per day of several models overlaid (compare). Pure: data -> figure;
stats.charts.render_figure turns them into markup."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go

from catalog.selectors import PricePoint

HEIGHT = 320


GRID = "rgba(128, 128, 128, 0.25)"
COLORS = ["#3451d1", "#d9480f", "#2b8a3e", "#ae3ec9", "#1098ad", "#f08c00"]


def _layout(fig: go.Figure, y_title: str) -> go.Figure:
    # No named template: validating "plotly_white" costs ~35 ms a figure and embeds
    # ~6 KB of template JSON; transparent backgrounds also suit the dark theme.
    fig.update_layout(
        height=HEIGHT,
        margin={"l": 60, "r": 20, "t": 20, "b": 40},
        template="none",
        colorway=COLORS,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font={"color": "#7d8793"},
        xaxis={"gridcolor": GRID, "zeroline": False},
        yaxis={"gridcolor": GRID, "zeroline": False, "rangemode": "tozero"},
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.2},
        yaxis_title=y_title,
    )
    return fig


def _escape(text: str) -> str:
    # Provider names come from upstream; plotly renders hover labels as HTML-ish.
    return text.replace("<", "&lt;").replace(">", "&gt;")


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


def tokens_overlay_figure(series: dict[str, Sequence[tuple[date, int]]]) -> go.Figure:
    """Tokens per day, one line per model (compare page)."""
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
    return _layout(fig, "tokens per day") if fig.data else fig
