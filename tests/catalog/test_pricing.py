"""The price vocabulary is declared once (catalog.pricing.prices.KEYS): the models'
price columns, upstream's pricing keys and a workload's cost parts are those keys;
and the two cost paths built from them, Python's and the database's, bill every key
by the same rules on every demo model."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from django.db import models

from catalog.models import Endpoint, LanguageModel, ModelRank
from catalog.models.catalogue import price_field
from catalog.models.search import PRESET_COSTS
from catalog.pricing import costs, prices
from catalog.pricing.costs import (
    Workload,
    cost_of,
    listed_prices,
    price_status,
    units_cost_of,
)
from catalog.pricing.expressions import cost_expression, units_cost_expression
from catalog.pricing.workloads import PRESETS
from tests.support.factories import make_model

pytestmark = pytest.mark.backend

SCHEMAS = Path(__file__).resolve().parents[2] / "api" / "openrouter-schemas.json"
# Pricing fields that are no price: a fraction, and conditional tiers of prices.
NOT_PRICES = {"discount", "overrides"}


def _schema(name: str) -> dict[str, Any]:
    return json.loads(SCHEMAS.read_text())["components"]["schemas"][name]


def test_every_upstream_pricing_key_is_declared_once():
    names = [k.name for k in prices.KEYS]
    assert len(names) == len(set(names))
    assert set(_schema("PublicPricing")["properties"]) - NOT_PRICES == set(names)


def test_a_price_tiers_keys_are_declared_keys():
    tier = _schema("PricingOverride")["properties"]
    tier_prices = {k for k, v in tier.items() if v["type"] == "string"}
    assert "input_cache_write_1h" in tier_prices
    assert tier_prices <= set(prices.KEY)


@pytest.mark.parametrize("model", [LanguageModel, Endpoint, ModelRank])
def test_each_models_price_columns_are_the_declared_column_keys(model):
    columns = [f.name for f in model._meta.fields if f.name.startswith("price_")]
    assert columns == [prices.KEY[k].column_name for k in prices.COLUMN_KEYS]


@pytest.mark.parametrize("model", [LanguageModel, Endpoint])
def test_catalogue_price_columns_are_made_from_their_keys(model):
    for key in prices.COLUMN_KEYS:
        field = model._meta.get_field(prices.KEY[key].column_name)
        assert field.deconstruct()[1:] == price_field(key).deconstruct()[1:], key


def test_rank_price_columns_are_nullable_floats():
    for column in prices.COLUMNS:
        field = ModelRank._meta.get_field(column)
        assert isinstance(field, models.FloatField) and field.null, column


def test_costed_keys_are_columns_and_fall_back_to_costed_keys():
    for key in prices.KEYS:
        assert key.column or not key.costed, key.name
        if key.fallback is not None:
            assert key.costed and prices.KEY[key.fallback].costed, key.name
    assert {k.name for k in costs.PARTS} == {k.name for k in prices.KEYS if k.costed}


def test_a_workload_uses_every_costed_key():
    assert set(Workload().per_request()) == set(costs.COMPONENTS)
    assert list(Workload().units()) == list(costs.COMPONENTS)


def test_cost_parts_keep_their_order_input_output_then_units():
    # The API's `parts` object and the stored preset costs (migration 0022) both
    # follow this order.
    assert costs.COMPONENTS == (
        "prompt",
        "input_cache_read",
        "input_cache_write",
        "input_cache_write_1h",
        "completion",
        "internal_reasoning",
        "request",
        "image",
        "web_search",
    )


# One part alone: a Workload always bills its requests, and with caching it writes
# what it does not read, so a single part is given as units (3.7M tokens, or 3.7
# requests, images or searches).
ALONE = {
    key: {k: D("3.7") if k == key else D(0) for k in costs.COMPONENTS}
    for key in costs.COMPONENTS
}
WORKLOADS = {
    **{slug: p.workload for slug, p in PRESETS.items()},
    "everything": Workload(
        input_tokens=3000,
        output_tokens=700,
        requests_per_day=None,
        tokens_per_month=9_000_000,
        cache_share=D("0.35"),
        reasoning_tokens=900,
        images=D("1.5"),
        web_searches=D("0.25"),
    ),
}


@pytest.fixture
def priced_catalogue(synced):
    """The demo's 2025-05-22 models and endpoints (cache prices on a few, "0" for
    reasoning on nearly all, one router at "-1"), and what it lacks: unknown
    prices, free cache reads and writes, one of prompt and completion alone."""
    make_model("edge/unknown", price_request=D("0.01"), price_image=D("0.002"))
    make_model(
        "edge/free-cache",
        price_prompt=D(2),
        price_completion=D(8),
        price_input_cache_read=D(0),
        price_input_cache_write=D(0),
    )
    make_model(
        "edge/hour-cache",
        price_prompt=D(3),
        price_completion=D(15),
        price_input_cache_write=D("3.75"),
        price_input_cache_write_1h=D(6),
    )
    make_model("edge/prompt-only", price_prompt=D("0.3"))
    make_model(
        "edge/completion-only", price_completion=D(5), price_internal_reasoning=D(0)
    )
    return synced


def _rules_exercised(rows: list[Any]) -> set[str]:
    """Which billing rules these rows' prices put to the test."""
    seen: set[str] = {price_status(r) for r in rows}
    priced = [listed_prices(r) for r in rows if price_status(r) == "priced"]
    for key in costs.PARTS:
        for listed in priced:
            own = listed.get(key.name)
            unlisted = own is None or (own == 0 and key.zero_unlisted)
            if own == 0:
                seen.add(f"{key.name} listed as zero")
            if own and not unlisted:
                seen.add(f"{key.name} at its own price")
            elif unlisted and key.fallback and listed.get(key.fallback):
                seen.add(f"{key.name} at {key.fallback}'s price")
    return seen


Python = Callable[[Any], costs.Cost]


def _cases() -> Iterator[tuple[str, Python, Any, Any, str | None]]:
    """(name, the Python cost of a row, its exact and its float expressions, the
    rank column storing it)."""
    for key, units in ALONE.items():
        yield (
            f"{key} alone",
            lambda row, units=units: units_cost_of(row, units),
            units_cost_expression(units),
            units_cost_expression(units, exact=False),
            None,
        )
    for name, workload in WORKLOADS.items():
        yield (
            name,
            lambda row, workload=workload: cost_of(row, workload),
            cost_expression(workload),
            cost_expression(workload, exact=False),
            PRESET_COSTS.get(workload),
        )


def _mismatches(case: str, rows: list[Any], python: Python, got: dict) -> list[str]:
    wrong = []
    for row in rows:
        cost, value = python(row), got[row.pk]
        if cost.total is None:
            agree = value is None
        else:
            agree = value is not None and float(value) == pytest.approx(
                float(cost.total), rel=1e-9, abs=1e-9
            )
        if not agree:
            wrong.append(f"{case}: {row}: {cost.status} {cost.total} != {value}")
    return wrong


def _costs(queryset: models.QuerySet, expression: Any) -> dict:
    return dict(queryset.annotate(c=expression).values_list("pk", "c"))


@pytest.mark.django_db
@pytest.mark.slow
def test_python_and_sql_costs_agree_for_every_key_on_every_demo_model(priced_catalogue):
    """Each costed key alone, then every preset and a workload using every field:
    the exact path (models and endpoints, Decimal columns), the float path (the
    ranks' float copies) and the presets' stored costs give each row's Python
    cost."""
    model_rows = list(LanguageModel.objects.order_by("pk"))
    endpoint_rows = list(Endpoint.objects.order_by("pk"))
    assert _rules_exercised(model_rows + endpoint_rows) >= {
        "priced",
        "variable",
        "unknown",
        "internal_reasoning listed as zero",
        "input_cache_read listed as zero",
        *(f"{k.name} at {k.fallback}'s price" for k in costs.PARTS if k.fallback),
        *(f"{k} at its own price" for k in costs.COMPONENTS),
    }
    wrong = []
    for case, python, exact, floats, stored in _cases():
        got = _costs(LanguageModel.objects, exact)
        wrong += _mismatches(case, model_rows, python, got)
        got = _costs(Endpoint.objects, exact)
        wrong += _mismatches(case, endpoint_rows, python, got)
        got = _costs(ModelRank.objects, floats)
        wrong += _mismatches(f"{case} (floats)", model_rows, python, got)
        if stored is not None:
            got = dict(ModelRank.objects.values_list("pk", stored))
            wrong += _mismatches(f"{case} (stored)", model_rows, python, got)
    assert {n for n in WORKLOADS if PRESET_COSTS.get(WORKLOADS[n])} == set(PRESETS)
    assert not wrong, f"{len(wrong)} disagree:\n" + "\n".join(wrong[:20])
