"""The long tables' rows: values prepared in Python (front/rows.py, a chart's Table),
markup written by the templates (front/_model_rows.html, front/provider_detail.html,
front/_chart_section.html): every value escaped, the cells and marks the pages have
always had, a row per item."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime
from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import QueryDict
from django.template.defaultfilters import floatformat, join
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from catalog.models import Endpoint, FieldOverride, LanguageModel, Origin, Provider
from catalog.pricing.costs import cost_of
from front.chartrules import ChartSection, Table
from front.offers import ProviderOffer
from front.rows import _fixed, model_rows, offer_rows
from front.templatetags import front as tags
from front.templatetags.front import join_cells
from front.workload import workload_state

HOSTILE = "<script>alert(\"x\")</script> & 'q'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;"
T0 = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
BETWEEN = mark_safe('</td><td class="num">')  # as the template's literal is


def _model(**extra) -> LanguageModel:
    values = {
        "slug": "acme/model-x:free",
        "name": HOSTILE,
        "context_length": 128_000,
        "price_prompt": Decimal("0.15"),
        "price_completion": Decimal("0.6"),
        "input_modalities": ["text", "<img>"],
        "output_modalities": ["text"],
        "created": T0,
    } | extra
    model = LanguageModel(**values)
    model.edited = {}
    return model


def _body(html: str) -> str:
    """A page's table rows, without the template's line breaks and indentation."""
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return re.sub(r"\n\s*", "", body)


def _model_table(models, metric: str = "", costing=None) -> str:
    rows = model_rows(models, metric, costing)
    context = {"rows": rows, "metric": metric, "costing": costing}
    return _body(render_to_string("front/_model_rows.html", context))


def _chart_table(table: Table) -> str:
    section = ChartSection("latency", "Latency", "", table, [])
    return render_to_string("front/_chart_section.html", {"section": section})


def test_a_chart_table_escapes_every_cell():
    rows = [[HOSTILE, HOSTILE, "1 ms"], ["2026-07-01 12:00", "—", HOSTILE]]
    html = _chart_table(Table("Latency", ["Time (UTC)", "A", "B"], rows))
    assert _body(html) == (
        f'<tr><th scope="row">{ESCAPED}</th><td class="num">{ESCAPED}</td>'
        '<td class="num">1 ms</td></tr>'
        '<tr><th scope="row">2026-07-01 12:00</th><td class="num">—</td>'
        f'<td class="num">{ESCAPED}</td></tr>'
    )


def test_a_chart_table_holds_a_row_per_time_and_a_cell_per_series():
    columns = ["Time (UTC)", HOSTILE, "Other"]
    rows = [[f"2026-07-01 {h:02d}:00", f"{h} ms", "—"] for h in range(24)]
    html = _chart_table(Table("Latency", columns, rows))
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr>") == 24 and body.count('<th scope="row">') == 24
    assert body.count('<td class="num">') == 48
    assert '<th scope="row">2026-07-01 23:00</th><td class="num">23 ms</td>' in body
    assert "Latency as a table (24 rows)" in html
    assert f'<th scope="col" class="num">{ESCAPED}</th>' in html
    assert HOSTILE not in html


def test_join_cells_writes_what_join_writes():
    """The chart tables' cells: Django's `join` of the figures, escaped alike."""
    cases = [
        ["1 ms", "2,000.5 ms", "—"],
        ["x", HOSTILE, "a&b"],
        ["it's", '"q"'],
        ["7"],
        [],
        [mark_safe("<b>safe</b>"), "<i>"],
    ]
    for values in cases:
        for autoescape in (True, False):
            expected = join(values, BETWEEN, autoescape=autoescape)
            assert join_cells(values, BETWEEN, autoescape) == expected, values
    # A separator that is not the template's own markup is escaped, as join does.
    assert join_cells(["a", "b"], "<br>") == "a&lt;br&gt;b" == join(["a", "b"], "<br>")


def test_join_cells_of_plain_figures_skips_the_per_cell_escaping(monkeypatch):
    """Times and figures hold nothing to escape: the same markup, without escaping
    each of thousands of cells; one hostile cell in a row escapes that row's."""
    escaped: list[object] = []
    real = tags.conditional_escape
    monkeypatch.setattr(
        tags, "conditional_escape", lambda v: escaped.append(v) or real(v)
    )
    figures = [f"{h:,}.5 ms" for h in range(2000)]
    assert join_cells(figures, BETWEEN) == BETWEEN.join(figures)
    assert escaped == [BETWEEN]
    escaped.clear()
    assert join_cells(["1 ms", HOSTILE], BETWEEN) == f"1 ms{BETWEEN}{ESCAPED}"
    assert escaped == ["1 ms", HOSTILE, BETWEEN]


def test_a_model_row_escapes_upstream_text_and_keeps_every_cell():
    body = _model_table([_model()])
    assert body == (
        '<tr><td data-label="Model">'
        f'<a href="/acme/model-x:free">{ESCAPED}</a><br>'
        '<code class="id">acme/model-x:free</code> '
        '<button type="button" class="compare-add" data-compare-add="acme/model-x:free"'
        f' data-compare-name="{ESCAPED}" hidden>Add to compare</button></td>'
        '<td class="num intelligence" data-label="Intelligence">—</td>'
        '<td class="num" data-label="Context">128,000 </td>'
        '<td class="num" data-label="Input">$0.15/M </td>'
        '<td class="num" data-label="Output">$0.60/M </td>'
        '<td data-label="Modalities">text, &lt;img&gt; → text</td>'
        '<td data-label="Created">Jul 1, 2026</td></tr>'
    )


def test_a_model_row_marks_delisted_free_featured_hand_added_and_edited():
    model = _model(
        delisted_at=T0,
        price_prompt=Decimal(0),
        price_completion=Decimal(0),
        featured=True,
        origin=Origin.HAND,
        created=None,
    )
    model.edited = {
        "price_prompt": FieldOverride(
            field="price_prompt", upstream_value="0.1", reason=HOSTILE, updated_at=T0
        )
    }
    body = _model_table([model])
    assert body.startswith('<tr class="delisted">')
    assert (
        '</code> <span class="tag">delisted</span> <span class="tag free">free</span>'
        ' <span class="tag featured">featured</span>'
        ' <span class="tag hand">added by hand</span> <button' in body
    )
    assert (
        '<td class="num" data-label="Input">$0.00/M <span class="edited" title="Edited'
        f' by an editor on Jul 1, 2026: {ESCAPED}. Upstream says: $0.10/M"'
        ' tabindex="0">edited</span></td>' in body
    )
    assert body.count('class="edited"') == 1 and HOSTILE not in body
    assert '<td data-label="Created">—</td>' in body


def test_model_rows_show_the_sorted_figure_and_the_workload_cost():
    costing = workload_state(QueryDict("preset=rag&input_tokens=9"), default=True)
    assert costing.workload is not None and costing.query
    ranked, unranked = _model(tokens_week=1_234_567), _model(tokens_week=None)
    for model in (ranked, unranked):
        model.workload_cost = cost_of(model, costing.workload)
    body = _model_table([ranked, unranked], "tokens_week", costing)
    assert body.count("<tr>") == 2
    assert (
        '<td class="num metric" data-label="Tokens this week">'
        '<span title="1,234,567 tokens">1.2 million</span></td>' in body
    )
    assert '<td class="num metric" data-label="Tokens this week">—</td>' in body
    assert f'href="/acme/model-x:free?{costing.query.replace("&", "&amp;")}"' in body
    cost = ranked.workload_cost
    assert (
        f'<td class="num cost" data-label="Cost / month" data-cost="{cost.rounded}">'
        in body
    )
    fast = _model(throughput_p50=55.55, latency_p50=1234.5)
    slow = _model(throughput_p50=None, latency_p50=None)
    assert (
        '<td class="num metric" data-label="Throughput">55.6 tok/s</td>'
        in _model_table([fast], "throughput")
    )
    assert '<td class="num metric" data-label="Latency">1,235 ms</td>' in _model_table(
        [fast], "latency"
    )
    assert '<td class="num metric" data-label="Latency">—</td>' in _model_table(
        [slow], "latency"
    )


def test_a_provider_row_escapes_and_shows_the_latest_figures():
    provider = Provider(slug="acme", name="Acme")
    row_of = {
        "model": _model(),
        "provider": provider,
        "context_length": 32_000,
        "price_prompt": Decimal("1"),
        "price_completion": Decimal("2"),
        "quantization": HOSTILE,
    }
    # The endpoint's current figures (stats.figures keeps them from its samples).
    sampled = Endpoint(**row_of, latency_p50=1234.4, throughput_p50=55.55, uptime=99.5)
    undisclosed = Endpoint(**row_of | {"quantization": ""})
    offers = [ProviderOffer(sampled), ProviderOffer(undisclosed)]
    context = {"provider": provider, "offers": offers, "rows": offer_rows(offers)}
    body = _body(render_to_string("front/provider_detail.html", context))
    assert body.count("<tr") == 2 and HOSTILE not in body
    assert body == (
        '<tr data-price="3" data-latency="1234.4" data-throughput="55.55"'
        ' data-uptime="99.5">'
        f'<td><a href="/acme/model-x:free">{ESCAPED}</a><br>'
        '<code class="id">acme/model-x:free</code></td>'
        '<td class="num opt">32,000</td>'
        '<td class="num">$1.00/M</td><td class="num">$2.00/M</td>'
        '<td class="num">1,234 ms</td><td class="num">55.6 tok/s</td>'
        '<td class="num">99.50%</td>'
        f'<td class="opt">{ESCAPED}</td></tr>'
        '<tr data-price="3" data-latency="" data-throughput="" data-uptime="">'
        f'<td><a href="/acme/model-x:free">{ESCAPED}</a><br>'
        '<code class="id">acme/model-x:free</code></td>'
        '<td class="num opt">32,000</td>'
        '<td class="num">$1.00/M</td><td class="num">$2.00/M</td>'
        '<td class="num">—</td><td class="num">—</td><td class="num">—</td>'
        '<td class="opt"><span title="Quantization not disclosed by the provider">'
        "—</span></td></tr>"
    )


def test_fixed_writes_what_floatformat_and_intcomma_write():
    """The rows' number formatting is the templates' filters', digit for digit:
    rounded half up from the number as written, never "-0"."""
    rng = random.Random(7)
    edges = [0.0, -0.0, 0.4, -0.4, 0.5, 1.5, 2.5, 55.55, 1234.4, 1234.5, 99.995]
    edges += [1e-7, 0.05, 0.15, -1.25, 9999.95, 12_345_678.5, 123_456_789.125]
    randoms = [rng.uniform(0, 200_000) for _ in range(1000)]
    randoms += [round(rng.uniform(0, 100), 3) for _ in range(1000)]
    for value in edges + randoms:
        for places in (0, 1, 2):
            assert _fixed(value, places) == floatformat(value, places), value
        grouped = intcomma(floatformat(value, 0))
        assert _fixed(value, 0, grouped=True) == grouped, value
