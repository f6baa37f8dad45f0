"""Benchmarks read by OpenRouter's Python SDK from a live server: /benchmarks
parsed and its figures held, the benchmark sorts of /models (no score last, ties
in upstream's order) and the index filters."""

from __future__ import annotations

import pytest
from openrouter import OpenRouter
from openrouter.utils import BackoffStrategy, RetryConfig

from catalog.models import LanguageModel, ModelScores
from tests.support import snapshots

pytestmark = pytest.mark.django_db(transaction=True)

NO_RETRIES = RetryConfig("none", BackoffStrategy(1, 1, 1, 1), False)


@pytest.fixture
def scored(mock_upstream):
    """The demo catalogue with the model list's and /benchmarks' scores."""
    snapshots.load("benchmarked")
    return mock_upstream


@pytest.fixture
def sdk(live_server, scored) -> OpenRouter:
    return OpenRouter(
        api_key="unused",
        server_url=live_server.url + "/api/v1",
        retry_config=NO_RETRIES,
        timeout_ms=30_000,
    )


def test_sdk_parses_benchmarks_and_they_hold(sdk):
    everything = sdk.benchmarks.get_benchmarks()
    sources = {item.source for item in everything.data}
    assert sources == {"artificial-analysis", "design-arena"}
    assert everything.meta.citation is None and everything.meta.source is None
    assert everything.meta.as_of == "2026-06-03T12:00:00Z"

    aa = sdk.benchmarks.get_benchmarks(source="artificial-analysis")
    assert {i.source for i in aa.data} == {"artificial-analysis"}
    assert "Artificial Analysis" in aa.meta.citation
    assert aa.meta.source_url == "https://artificialanalysis.ai"
    # One item per model: a variant is its model.
    slugs = [i.model_permaslug for i in aa.data]
    assert len(slugs) == len(set(slugs)) == aa.meta.model_count == 22
    opus = next(i for i in aa.data if i.model_permaslug == "anthropic/claude-opus-4")
    assert (opus.intelligence_index, opus.coding_index, opus.agentic_index) == (
        71.4,
        63.2,
        55.8,
    )
    assert opus.pricing.prompt == "0.000015"

    coding = sdk.benchmarks.get_benchmarks(task_type="coding")
    aa_coding = [
        i.coding_index for i in coding.data if i.source == "artificial-analysis"
    ]
    assert aa_coding == sorted(aa_coding, reverse=True) and None not in aa_coding
    assert {i.category for i in coding.data if i.source == "design-arena"} == {
        "codecategories"
    }

    da = sdk.benchmarks.get_benchmarks(source="design-arena")
    assert da.data and {i.arena for i in da.data} == {"models"}
    assert all(i.tournament_stats.total for i in da.data)
    top = sdk.benchmarks.get_benchmarks(task_type="agentic", max_results=3)
    assert len(top.data) == 3
    assert sdk.benchmarks.get_benchmarks(source="openrouter").data == []


def _aa(model) -> float | None:
    scores = model.benchmarks and model.benchmarks.artificial_analysis
    return scores.intelligence_index if scores else None


def test_sorts_sort_and_ties_keep_upstreams_order(sdk):
    models = sdk.models.list(sort="intelligence-high-to-low").result.data
    values = [_aa(m) for m in models]
    known = [v for v in values if v is not None]
    assert known == sorted(known, reverse=True) and len(known) > 20
    assert all(v is None for v in values[len(known) :])
    # A model and its `:free` variant tie: upstream's order between them.
    position = dict(LanguageModel.objects.values_list("slug", "upstream_position"))
    for first, second in zip(models, models[1:], strict=False):
        if _aa(first) is not None and _aa(first) == _aa(second):
            assert position[first.id] < position[second.id]
    elo = sdk.models.list(sort="design-arena-elo-high-to-low").result.data
    best = [max(e.elo for e in m.benchmarks.design_arena) for m in elo[:5]]
    assert best[0] == 1423.0 and best == sorted(best, reverse=True)


def test_index_filters_filter(sdk):
    scores = dict(ModelScores.objects.values_list("model__slug", "intelligence_index"))
    smart = sdk.models.list(min_intelligence_index=60).result.data
    assert {m.id for m in smart} == {
        s for s, v in scores.items() if v is not None and v >= 60
    }
    band = sdk.models.list(min_coding_index=40, max_coding_index=50).result.data
    assert band and all(
        40 <= m.benchmarks.artificial_analysis.coding_index <= 50 for m in band
    )
    agentic = sdk.models.list(min_agentic_index=50).result.data
    assert sorted(m.id for m in agentic) == [
        "anthropic/claude-opus-4",
        "anthropic/claude-sonnet-4",
        "google/gemini-2.5-pro-preview",
        "openai/o3",
    ]
