"""Charts: pure data -> figure, and the one place a figure becomes markup."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from front import charts
from stats.selectors import Series, TokenDay
from tests.support.factories import T0


def days(n: int) -> list[TokenDay]:
    return [TokenDay(date(2026, 1, 1) + timedelta(days=i), 130, 100, 30, 10, 2)
            for i in range(n)]  # fmt: skip


def test_tokens_stack_prompt_completion_reasoning():
    fig = charts.tokens_figure(days(90))
    assert [t.name for t in fig.data] == ["Prompt", "Completion", "Reasoning"]
    assert fig.layout.barmode == "stack"
    completion = fig.data[1]
    assert completion.y[0] == 20 and completion.customdata[0] == 30  # exact on hover
    assert all(len(t.x) == 90 for t in fig.data)


def test_tokens_from_rankings_are_one_total_bar():
    fig = charts.tokens_figure([TokenDay(date(2026, 1, 1), 500)])
    assert [t.name for t in fig.data] == ["Tokens"]


def test_a_line_per_provider():
    points = [(T0 + timedelta(hours=h), 99.5) for h in range(72)]
    fig = charts.uptime_figure([Series("Liquid", points), Series("Lambda", points),
                                Series("Empty", [])])  # fmt: skip
    assert [t.name for t in fig.data] == ["Liquid", "Lambda"]
    assert "%" in fig.data[0].hovertemplate
    assert len(charts.latency_figure([Series("Liquid", points)]).data) == 1
    assert len(charts.throughput_figure([Series("Liquid", points)]).data) == 1


def test_empty_data_says_no_data_yet():
    for fig in (charts.tokens_figure([]), charts.uptime_figure([]),
                charts.latency_figure([]), charts.throughput_figure([])):  # fmt: skip
        assert str(charts.render_figure(fig)) == '<p class="empty">No data yet</p>'


def test_render_carries_the_figure_as_data_not_code_and_escapes_names():
    """No inline code (a CSP can forbid it): the figure is a JSON data block that
    static/js/charts.js draws, and upstream text cannot close the block early."""
    fig = charts.uptime_figure([Series("</script><b>x", [(T0, 1.0)])])
    html = str(charts.render_figure(fig))
    assert "</script><b>" not in html
    assert html.count("<script") == 1
    assert '<script type="application/json" class="plot-data">' in html
    body = html.split('class="plot-data">', 1)[1].rsplit("</script>", 1)[0]
    figure = json.loads(body)
    assert figure["data"][0]["name"] == "</script><b>x"
    assert figure["config"]["displaylogo"] is False
    assert "plotly-basic.min.js" not in html


@pytest.mark.slow
def test_every_chart_is_a_figure_plotly_accepts():
    """The figures are built as plain data (front/plotfig.py): plotly's own
    validation accepts each of them, traces and layout."""
    import plotly.graph_objects as go

    from catalog.reads.history import PricePoint

    points = [(T0 + timedelta(hours=h), 99.5) for h in range(72)]
    prices = [
        PricePoint("Model price", T0, None, None),
        PricePoint("Model price", T0 + timedelta(days=3), 1, 2, current=True),
    ]
    figures = [
        charts.tokens_figure(days(30)),
        charts.tokens_figure([TokenDay(date(2026, 1, 1), 500)]),
        charts.uptime_figure([Series("Liquid", points)]),
        charts.latency_figure([Series("Liquid", points)]),
        charts.throughput_figure([Series("Liquid", points)]),
        charts.price_history_figure(prices),
        charts.tokens_overlay_figure({"a": [(date(2026, 1, 1), 5)]}),
    ]
    for fig in figures:
        checked = go.Figure(fig.to_plotly_json())  # raises on any unknown property
        assert len(checked.data) == len(fig.data) > 0
        assert checked.layout.yaxis.title.text


def test_chart_data_is_rounded_to_what_the_hover_shows():
    points = [(T0 + timedelta(hours=h), 99.123456789) for h in range(3)]
    html = str(charts.render_figure(charts.uptime_figure([Series("Liquid", points)])))
    assert "99.12," in html or "99.12]" in html
    assert "99.1234" not in html
    assert '"2026-07-01 12:00"' in html  # times to the minute, no seconds or zone
