"""Monthly workload costs, against sums worked out by hand (30-day months)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Context, localcontext
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.db.models import F

from catalog.models import LanguageModel, ModelRank
from catalog.models.search import PRESET_COSTS
from catalog.pricing import costs
from catalog.pricing.costs import Workload, cost_of
from catalog.pricing.expressions import by_cost, cost_expression
from catalog.pricing.workloads import PRESETS, WorkloadQuery, workload_query
from catalog.ranking import ranks_by_cost
from tests.support.factories import make_endpoint, make_model

pytestmark = pytest.mark.backend

# 10 requests a day = 300 a month: 1,000 input tokens a request are 0.3M a month.
BASE = Workload(input_tokens=1000, output_tokens=0, requests_per_day=D(10))


def priced(**columns) -> SimpleNamespace:
    values = {f"price_{k}": None for k in costs.COMPONENTS}
    values |= {f"price_{k}": (None if v is None else D(v)) for k, v in columns.items()}
    return SimpleNamespace(is_variable_price=False, **values)


def total(obj, workload: Workload = BASE) -> D | None:
    return cost_of(obj, workload).total


def test_prompt_tokens_at_the_prompt_price():
    # 0.3M input tokens x $2/M
    assert total(priced(prompt="2", completion="10")) == D("0.6")


def test_completion_tokens_at_the_completion_price():
    w = Workload(input_tokens=0, output_tokens=200, requests_per_day=D(10))
    # 60,000 output tokens = 0.06M x $10/M
    assert total(priced(prompt="2", completion="10"), w) == D("0.6")


def test_cache_reads_and_writes_split_the_input():
    w = Workload(input_tokens=1000, output_tokens=0, requests_per_day=D(10),
                 cache_share=D("0.5"))  # fmt: skip
    model = priced(prompt="2", input_cache_read="0.5", input_cache_write="2.5")
    cost = cost_of(model, w)
    # Half the input (0.15M) read at $0.5/M; the other half written at $2.5/M.
    assert cost.parts is not None
    assert cost.parts["input_cache_read"] == D("0.075")
    assert cost.parts["input_cache_write"] == D("0.375")
    assert cost.parts["prompt"] == 0
    assert cost.total == D("0.45")


def test_no_cache_prices_means_no_caching():
    w = Workload(input_tokens=1000, output_tokens=0, requests_per_day=D(10),
                 cache_share=D("0.5"))  # fmt: skip
    # Every input token at the prompt price: 0.3M x $2/M.
    assert total(priced(prompt="2"), w) == D("0.6")


def test_a_listed_zero_cache_read_price_is_free():
    w = Workload(input_tokens=1000, output_tokens=0, requests_per_day=D(10),
                 cache_share=D("1"))  # fmt: skip
    assert total(priced(prompt="2", input_cache_read="0"), w) == D("0")


def test_without_cache_share_no_cache_write_is_charged():
    model = priced(prompt="2", input_cache_read="0.5", input_cache_write="2.5")
    assert total(model) == D("0.6")


def test_reasoning_tokens_at_the_internal_reasoning_price():
    w = Workload(input_tokens=0, output_tokens=0, requests_per_day=D(10),
                 reasoning_tokens=100)  # fmt: skip
    # 30,000 reasoning tokens = 0.03M x $3/M
    assert total(priced(prompt="2", completion="10", internal_reasoning="3"), w) == D(
        "0.09"
    )


@pytest.mark.parametrize("reasoning", [None, "0"])
def test_reasoning_without_its_own_price_is_billed_as_output(reasoning):
    w = Workload(input_tokens=0, output_tokens=0, requests_per_day=D(10),
                 reasoning_tokens=100)  # fmt: skip
    model = priced(prompt="2", completion="10", internal_reasoning=reasoning)
    # 0.03M x $10/M (the completion price)
    assert total(model, w) == D("0.3")


def test_per_request_price():
    # 300 requests x $0.001, plus the 0.3M prompt tokens x $2/M
    assert total(priced(prompt="2", request="0.001")) == D("0.9")


def test_image_price_per_input_image():
    w = Workload(input_tokens=0, output_tokens=0, requests_per_day=D(10),
                 images=D(2))  # fmt: skip
    # 600 images x $0.00516
    assert total(priced(prompt="2", image="0.00516"), w) == D("3.096")


def test_web_search_price_per_search():
    w = Workload(input_tokens=0, output_tokens=0, requests_per_day=D(10),
                 web_searches=D("0.5"))  # fmt: skip
    # 150 searches x $0.004
    assert total(priced(prompt="2", web_search="0.004"), w) == D("0.6")


def test_missing_unit_prices_are_not_charged():
    w = Workload(input_tokens=0, output_tokens=0, requests_per_day=D(10),
                 images=D(2), web_searches=D(1))  # fmt: skip
    assert total(priced(prompt="2", completion="10"), w) == D("0")


def test_tokens_per_month_sets_the_request_count():
    w = Workload(input_tokens=1000, output_tokens=200, requests_per_day=None,
                 tokens_per_month=1_200_000)  # fmt: skip
    # 1,000 requests: 1M input x $2/M + 0.2M output x $10/M
    assert w.requests_per_month == 1000
    assert total(priced(prompt="2", completion="10"), w) == D("4")


def test_every_component_together():
    w = Workload(input_tokens=1000, output_tokens=200, requests_per_day=D(10),
                 cache_share=D("0.25"), reasoning_tokens=100, images=D(1),
                 web_searches=D(1))  # fmt: skip
    model = priced(prompt="2", completion="10", input_cache_read="0.2",
                   input_cache_write="2.5", internal_reasoning="3", request="0.001",
                   image="0.01", web_search="0.004")  # fmt: skip
    # read 0.075M x 0.2 = 0.015; write 0.225M x 2.5 = 0.5625; output 0.06M x 10 = 0.6;
    # reasoning 0.03M x 3 = 0.09; 300 requests x 0.001 = 0.3; 300 images x 0.01 = 3;
    # 300 searches x 0.004 = 1.2
    assert total(model, w) == D("5.7675")


def test_variable_prices_are_reported_apart_never_as_zero():
    router = priced()
    router.is_variable_price = True
    cost = cost_of(router, BASE)
    assert cost.status == "variable"
    assert cost.total is None
    assert costs.money(cost) == "variable"


def test_no_prompt_and_no_completion_price_is_unknown():
    cost = cost_of(priced(request="0.01"), BASE)
    assert (cost.status, cost.total) == ("unknown", None)


def test_money_rounds_to_cents_above_a_dollar():
    assert costs.money(cost_of(priced(prompt="2"), BASE)) == "$0.60"
    small = Workload(input_tokens=7, output_tokens=0, requests_per_day=D(1))
    # 210 tokens x $2/M = $0.00042
    assert costs.money(cost_of(priced(prompt="2"), small)) == "$0.00042"
    assert costs.money(cost_of(priced(prompt="12.3456"), BASE)) == "$3.70"


def test_the_largest_workload_at_the_largest_price_stays_exact():
    w = Workload(input_tokens=10_000_000, output_tokens=10_000_000,
                 requests_per_day=D("999999999.99"), images=D(1000))  # fmt: skip
    price = "999999999999.999999999999"
    cost = cost_of(priced(prompt=price, completion=price, image=price), w)
    assert cost.total is not None and cost.rounded is not None
    # 2 x 10^7 tokens x 29,999,999,999.7 requests / 10^6 x the price, plus images
    # (worked out with more digits than Decimal's default 28).
    with localcontext(Context(prec=60)):
        tokens = D(20_000_000) * D("29999999999.7") / D(1_000_000) * D(price)
        images = D(1000) * D("29999999999.7") * D(price)
        assert cost.total == tokens + images
    assert costs.money(cost).startswith("$")


@pytest.mark.django_db
def test_the_database_expression_agrees_and_sorts_variable_last():
    w = Workload(input_tokens=1000, output_tokens=200, requests_per_day=D(10),
                 cache_share=D("0.25"), reasoning_tokens=100, images=D(1),
                 web_searches=D(1))  # fmt: skip
    make_model("a/full", price_prompt=D(2), price_completion=D(10),
               price_input_cache_read=D("0.2"), price_input_cache_write=D("2.5"),
               price_internal_reasoning=D(3), price_request=D("0.001"),
               price_image=D("0.01"), price_web_search=D("0.004"))  # fmt: skip
    make_model("a/plain", price_prompt=D("0.1"), price_completion=D("0.4"))
    make_model("a/zero-reasoning", price_prompt=D("1"), price_completion=D("2"),
               price_internal_reasoning=D(0))  # fmt: skip
    make_model("a/router", is_variable_price=True)
    make_model("a/unpriced")
    rows = list(
        LanguageModel.objects.annotate(cost=cost_expression(w)).order_by(
            F("cost").asc(nulls_last=True), "slug"
        )
    )
    assert [m.slug for m in rows][:3] == ["a/plain", "a/zero-reasoning", "a/full"]
    for m in rows:
        expected = cost_of(m, w).total
        if expected is None:
            assert m.cost is None
        else:
            assert D(m.cost).quantize(costs.COST_PLACES) == expected.quantize(
                costs.COST_PLACES
            )
    assert {m.slug for m in rows[3:]} == {"a/router", "a/unpriced"}


@pytest.mark.django_db
def test_each_presets_stored_cost_follows_the_prices_and_orders_its_lists():
    """The ranks keep each preset's cost (a generated column): equal to the cost
    the expression computes, kept through a price change, and what a preset's
    list is ordered by (its column, no per-query pricing), in the same order."""
    make_model("a/full", price_prompt=D(2), price_completion=D(10),
               price_input_cache_read=D("0.2"), price_input_cache_write=D("2.5"),
               price_internal_reasoning=D(3), price_request=D("0.001"),
               price_image=D("0.01"), price_web_search=D("0.004"))  # fmt: skip
    make_model("a/plain", price_prompt=D("0.1"), price_completion=D("0.4"))
    make_model("a/zero-reasoning", price_prompt=D("1"), price_completion=D("2"),
               price_internal_reasoning=D(0))  # fmt: skip
    make_model("a/in-only", price_prompt=D("3"))
    make_model("a/router", is_variable_price=True)
    make_model("a/unpriced")
    changed = make_model("a/changed", price_prompt=D(9), price_completion=D(9))
    LanguageModel.objects.filter(pk=changed.pk).update(price_prompt=D("0.01"))
    assert set(PRESET_COSTS.values()) == {f"cost_{slug}" for slug in PRESETS}
    ranks = ModelRank.objects.all()
    for slug, preset in PRESETS.items():
        column = PRESET_COSTS[preset.workload]
        stored = dict(ranks.values_list("slug", column))
        computed = dict(
            ranks.annotate(c=cost_expression(preset.workload, exact=False)).values_list(
                "slug", "c"
            )
        )
        assert stored.keys() == computed.keys() and len(stored) == 7
        for model_slug, cost in computed.items():
            expected = None if cost is None else pytest.approx(cost, rel=1e-12)
            assert stored[model_slug] == expected, (slug, model_slug)
        assert stored["a/router"] is None and stored["a/unpriced"] is None
        by_column = ranks_by_cost(ranks, preset.workload, "slug")
        assert "CASE" not in str(by_column.query), slug
        expected = by_cost(ranks, preset.workload, "slug", exact=False)
        assert list(by_column.values_list("slug", flat=True)) == list(
            expected.values_list("slug", flat=True)
        )
    # A workload that is no preset is priced in the query.
    custom = replace(PRESETS["rag"].workload, output_tokens=501)
    assert "CASE" in str(ranks_by_cost(ranks, custom, "slug").query)


@pytest.mark.django_db
def test_endpoints_take_the_same_expression():
    model = make_model("a/m", price_prompt=D(2), price_completion=D(10))
    make_endpoint(model, "cheap", price_prompt=D(1), price_completion=D(5))
    make_endpoint(model, "dear", price_prompt=D(2), price_completion=D(10))
    got = dict(
        model.endpoints.annotate(cost=cost_expression(BASE)).values_list("key", "cost")
    )
    assert D(got["cheap"]) == D("0.3")
    assert D(got["dear"]) == D("0.6")


def _form(**params) -> WorkloadQuery:
    form = WorkloadQuery(params)
    form.is_valid()
    return form


def test_a_preset_gives_the_values_not_named():
    form = _form(preset="rag", output_tokens="50")
    assert form.is_valid()
    w = form.workload()
    assert (w.input_tokens, w.output_tokens) == (8000, 50)
    assert w.cache_share == D("0.5")


def test_tokens_per_month_win_over_requests_per_day():
    form = _form(requests_per_day="10", tokens_per_month="1000")
    assert form.is_valid()
    assert form.workload().tokens_per_month == 1000
    assert form.workload().requests_per_day is None


def test_the_query_round_trips():
    w = PRESETS["agent"].workload
    form = _form(**workload_query(w))
    assert form.is_valid(), form.errors
    assert form.workload() == w


@pytest.mark.parametrize(
    "params",
    [
        {"input_tokens": "-1"},
        {"input_tokens": "lots"},
        {"cache_percent": "101"},
        {"images": "NaN"},
        {"web_searches": "Infinity"},
        {"requests_per_day": "1e40"},
        {"preset": "enterprise"},
    ],
)
def test_bad_workloads_are_form_errors(params):
    assert not _form(**params).is_valid()
