"""Price tiers in the database: their regions stored from the effective tiers, the
ranks' tiered preset costs kept by triggers, and every SQL path pricing a tiered
model as Python does."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from django.db.models import OuterRef, Q

from catalog.models import Endpoint, LanguageModel, ModelRank, PriceTier
from catalog.models.search import PRESET_COSTS
from catalog.pricetiers import price_tiers_store
from catalog.pricing.costs import Workload, cost_of
from catalog.pricing.expressions import cost_expression
from catalog.pricing.tiers import Hours
from catalog.pricing.workloads import PRESETS
from catalog.ranking import ranks_by_cost
from tests.support.factories import make_endpoint, make_model

pytestmark = [pytest.mark.backend, pytest.mark.django_db]

LONG = {"min_prompt_tokens": 200000, "prompt": "0.0000025", "completion": "0.000015"}
NIGHT = {"utc_start": 1630, "utc_end": 30, "prompt": "0.000001"}
# A tier every preset crosses (a hostile threshold), and one only long prompts do.
LOW = {"min_prompt_tokens": 1000, "prompt": "0.000003", "input_cache_read": "0.0000009"}
WEEKEND = {"utc_days": ["saturday", "sunday"], "completion": "0.000001"}
CACHE_HOUR = {"min_prompt_tokens": 5000, "input_cache_write_1h": "0.000012"}


def tiered(slug: str, overrides: list[dict[str, Any]] | None, **prices: Any) -> Any:
    model = make_model(slug, pricing_overrides=overrides, **prices)
    price_tiers_store([model])
    return model


@pytest.fixture
def catalogue() -> list[LanguageModel]:
    base = {"price_prompt": D("1.25"), "price_completion": D(10)}
    cached = {
        **base,
        "price_input_cache_read": D("0.125"),
        "price_input_cache_write": D("1.5"),
        "price_internal_reasoning": D(0),
        "price_request": D("0.0001"),
        "price_web_search": D("0.01"),
    }
    tiered("t/plain", None, **base)
    tiered("t/long", [LONG], **base)
    tiered("t/night", [NIGHT], **base)
    tiered("t/low", [LOW], **cached)
    tiered("t/weekend-and-long", [LONG, WEEKEND], **cached)
    tiered("t/cache-hour", [CACHE_HOUR], **cached)
    tiered("t/router", [LONG], is_variable_price=True)
    tiered("t/unknown", [LONG])
    return list(LanguageModel.objects.order_by("pk"))


WORKLOADS = {
    **{slug: p.workload for slug, p in PRESETS.items()},
    "long": Workload(input_tokens=300_000, output_tokens=2000, requests_per_day=D(50)),
    "long-nights": Workload(
        input_tokens=300_000,
        output_tokens=2000,
        cache_share=D("0.4"),
        cache_ttl="1h",
        reasoning_tokens=500,
        web_searches=D("0.5"),
        hours=Hours(utc_start=1800, utc_end=200, days=(4, 5, 6)),
    ),
}


def _agree(python: D | None, got: Any) -> bool:
    if python is None:
        return got is None
    return got is not None and float(got) == pytest.approx(float(python), rel=1e-9)


def test_every_sql_path_prices_tiers_as_python_does(catalogue):
    """Ranks (floats: a workload of one's own, and each preset's stored cost),
    models and endpoints (exact Decimals) against cost_of, row by row."""
    wrong = []
    for name, workload in WORKLOADS.items():
        python = {m.pk: cost_of(m, workload).total for m in catalogue}
        custom = ranks_by_cost(ModelRank.objects.all(), workload)
        if name in PRESETS:
            column = PRESET_COSTS[workload]
            stored = dict(ModelRank.objects.values_list("pk", column))
            custom = ModelRank.objects.annotate(
                cost=cost_expression(
                    workload,
                    exact=False,
                    regions=PriceTier.objects.filter(model_id=OuterRef("model_id")),
                    only_if=Q(tiered=True),
                )
            )
            wrong += [
                (name, "stored", pk)
                for pk in python
                if not _agree(python[pk], stored[pk])
            ]
        floats = dict(custom.values_list("pk", "cost"))
        exact = dict(
            LanguageModel.objects.annotate(
                cost=cost_expression(
                    workload, regions=PriceTier.objects.filter(model_id=OuterRef("pk"))
                )
            ).values_list("pk", "cost")
        )
        for pk, cost in python.items():
            if not _agree(cost, floats[pk]):
                wrong.append((name, "ranks", pk, cost, floats[pk]))
            if not _agree(cost, exact[pk]):
                wrong.append((name, "exact", pk, cost, exact[pk]))
    assert not wrong, wrong


def test_a_tiered_workload_sorts_by_its_tiered_cost(catalogue):
    long = WORKLOADS["long"]
    order = list(
        ranks_by_cost(ModelRank.objects.all(), long, "slug").values_list(
            "slug", flat=True
        )
    )
    python = sorted(
        (m for m in catalogue if cost_of(m, long).total is not None),
        key=lambda m: (cost_of(m, long).total, m.slug),
    )
    assert order[: len(python)] == [m.slug for m in python]
    # Above 200,000 tokens the long-context tier makes t/long dearer than
    # t/night, which the base price alone would tie.
    assert order.index("t/night") < order.index("t/long")


def test_the_ranks_follow_tiers_written_changed_and_removed():
    model = tiered("t/m", None, price_prompt=D(1), price_completion=D(1))
    chat = PRESETS["chat"].workload
    rank = ModelRank.objects.get(pk=model.pk)
    assert not rank.tiered and rank.tier_chat is None
    low = {"min_prompt_tokens": 1000, "prompt": "0.000002"}
    model.pricing_overrides = [low]
    model.save(update_fields=["pricing_overrides"])
    price_tiers_store([model])
    rank.refresh_from_db()
    assert rank.tiered
    assert rank.cost_chat == pytest.approx(float(cost_of(model, chat).total))
    # A base price change of a tiered model reaches its tiered costs.
    LanguageModel.objects.filter(pk=model.pk).update(price_completion=D(3))
    model.refresh_from_db()
    rank.refresh_from_db()
    assert rank.cost_chat == pytest.approx(float(cost_of(model, chat).total))
    model.pricing_overrides = None
    model.save(update_fields=["pricing_overrides"])
    price_tiers_store([model])
    rank.refresh_from_db()
    assert not rank.tiered and rank.tier_chat is None
    assert rank.cost_chat == pytest.approx(float(cost_of(model, chat).total))


def test_an_endpoints_tiers_are_its_own():
    model = tiered("t/m", [LONG], price_prompt=D("1.25"), price_completion=D(10))
    endpoint = make_endpoint(
        model,
        "google-vertex",
        price_prompt=D("2.25"),
        price_completion=D(18),
        pricing_overrides=[{**LONG, "prompt": "0.0000045"}],
    )
    price_tiers_store([endpoint])
    assert PriceTier.objects.filter(endpoint=endpoint).count() == 1
    long = WORKLOADS["long"]
    got = Endpoint.objects.annotate(
        cost=cost_expression(
            long, regions=PriceTier.objects.filter(endpoint_id=OuterRef("pk"))
        )
    ).get()
    assert got.cost == pytest.approx(cost_of(endpoint, long).total)


# ---------------------------------------------------------------- through syncs

GEMINI = "google/gemini-2.5-pro"
CORRECTED = [{"min_prompt_tokens": 128000, "prompt": "0.000003"}]


@pytest.mark.slow
def test_an_editors_tiers_survive_a_poll_and_note_upstreams(mock_upstream):
    from catalog import syncs
    from catalog.editorial.overrides import override_remove, override_set
    from catalog.models import FieldOverride

    mock_upstream.set_snapshot("2026-pricing-before")
    assert syncs.sync_catalog().status == "succeeded"
    model = LanguageModel.objects.get(slug=GEMINI)
    override_set(model, "pricing_overrides", CORRECTED, reason="provider's own page")
    long = WORKLOADS["long"]
    regions = PriceTier.objects.filter(model=model)
    assert list(regions.values_list("prompt_above", flat=True)) == [128000]

    mock_upstream.set_snapshot("2026-pricing")
    assert syncs.sync_catalog().status == "succeeded"
    model.refresh_from_db()
    assert model.pricing_overrides == CORRECTED
    override = FieldOverride.objects.get(model=model, field="pricing_overrides")
    assert override.upstream_value == recorded_overrides(GEMINI)
    assert override.upstream_changed_at is not None
    assert list(regions.values_list("prompt_above", flat=True)) == [128000]
    # 50 requests a day: 450M in x $3 (the editor's tier) + 3M out x $10 (base).
    assert cost_of(model, long).total == D("1380")
    rank = ModelRank.objects.get(pk=model.pk)
    assert rank.tiered

    override_remove(override)
    model.refresh_from_db()
    assert model.pricing_overrides == recorded_overrides(GEMINI)
    assert list(regions.values_list("prompt_above", flat=True)) == [200000]


def recorded_overrides(slug: str) -> list:
    from demo import snapshots

    return snapshots.model_index("2026-pricing")[slug]["pricing"]["overrides"]


@pytest.mark.slow
def test_malformed_tiers_are_stored_reported_and_priced_at_the_base(mock_upstream):
    from catalog import syncs

    bad = [
        {"min_prompt_tokens": 200000, "prompt": "NaN"},
        {"utc_start": 2400, "utc_end": 100, "prompt": "0.000001"},
        {"min_prompt_tokens": 100000, "prompt": "0.000002"},
    ]
    models = [
        {
            "id": "acme/tiered",
            "name": "Acme: Tiered",
            "pricing": {
                "prompt": "0.000001",
                "completion": "0.000002",
                "overrides": bad,
            },
        },
        {
            "id": "acme/plain",
            "name": "Acme: Plain",
            "pricing": {"prompt": "0.000001", "completion": "0.000002"},
        },
    ]
    mock_upstream.serve_catalogue(models)
    run = syncs.sync_catalog()
    assert run.status == "succeeded"
    errors = {(e["item"], e["error"].split(":")[0]) for e in run.item_errors}
    assert errors == {
        ("acme/tiered", "pricing.overrides[0]"),
        ("acme/tiered", "pricing.overrides[1]"),
    }
    tiered = LanguageModel.objects.get(slug="acme/tiered")
    assert tiered.pricing_overrides == bad  # as sent
    # Entry 2 alone is well formed: only it prices (prompts over 100,000 tokens).
    assert list(
        PriceTier.objects.filter(model=tiered).values_list("entries", flat=True)
    ) == [[2]]
    base = Workload(input_tokens=150_000, output_tokens=0, requests_per_day=D(10))
    # 45M in x $2 (entry 2), not NaN nor the window's.
    assert cost_of(tiered, base).total == D("90")
