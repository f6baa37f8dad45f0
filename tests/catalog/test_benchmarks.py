"""Benchmark scores: the model list's `benchmarks` and /benchmarks stored with
their source and date, each model's current figures kept, bad entries reported
per item while the rest (and what was stored) stays."""

from __future__ import annotations

import json

import pytest

from catalog.models import BenchmarkScore, LanguageModel, ModelScores, SyncRun
from catalog.syncs import sync_benchmarks, sync_catalog
from demo.benchmarks import data
from demo.snapshots import models_for
from tests.support import snapshots

pytestmark = [pytest.mark.django_db, pytest.mark.state("catalogued")]

SPEC_AS_OF = "2026-06-03T12:00:00+00:00"


@pytest.fixture
def catalogued(mock_upstream):
    """The 2025-05-22 providers and catalogue (restored from this run's snapshot)."""
    snapshots.load("catalogued")
    return mock_upstream


def _figures(slug: str) -> ModelScores:
    return ModelScores.objects.get(model__slug=slug)


def test_model_list_scores_are_stored_with_source_and_date(catalogued):
    run = sync_benchmarks()
    assert run.status == "succeeded", run.error
    assert run.item_errors == []
    opus = _figures("anthropic/claude-opus-4")
    assert (opus.intelligence_index, opus.coding_index, opus.agentic_index) == (
        71.4,
        63.2,
        55.8,
    )
    # The best Elo across arenas and categories.
    assert opus.design_arena_elo == 1423.0
    # A variant is scored as its model.
    assert _figures("deepseek/deepseek-r1:free").intelligence_index == 60.2
    score = BenchmarkScore.objects.get(
        model__slug="anthropic/claude-opus-4", metric="intelligence_index"
    )
    assert score.via == "models" and score.source == "artificial-analysis"
    assert "Artificial Analysis" in score.citation
    # The model list dates no score: it is as of the catalogue poll that saw it
    # (the catalogue sync stores the list's scores at once).
    catalogue = SyncRun.objects.filter(kind="catalog").latest("started_at")
    assert catalogue.started_at <= score.as_of <= catalogue.finished_at
    # Null indices are no scores: the model has no figures at all.
    assert not ModelScores.objects.filter(model__slug="x-ai/grok-3-mini-beta").exists()
    scored = {
        m.split(":")[0]
        for m in ModelScores.objects.values_list("model__slug", flat=True)
    }
    assert scored == set(data()["models"]) - {"x-ai/grok-3-mini-beta"}


def test_a_second_sync_writes_nothing(catalogued):
    sync_benchmarks()
    stamps = dict(BenchmarkScore.objects.values_list("pk", "as_of"))
    again = sync_benchmarks()
    assert again.counts["created"] == again.counts["updated"] == 0
    assert again.counts["unchanged"] == len(stamps)
    assert dict(BenchmarkScore.objects.values_list("pk", "as_of")) == stamps


def test_benchmarks_list_is_polled_with_a_key_and_wins(catalogued, settings):
    settings.OPENROUTER_API_KEY = "demo-key"
    run = sync_benchmarks()
    assert run.status == "succeeded", run.error
    assert run.item_errors == []
    listed = BenchmarkScore.objects.filter(
        via="benchmarks", model__slug="anthropic/claude-opus-4", metric="elo"
    )
    assert listed.count() == 2
    first = listed.order_by("-value").first()
    assert first.as_of.isoformat() == SPEC_AS_OF
    assert first.source_url == "https://www.designarena.ai"
    assert first.details["tournament_stats"]["total"] > 0
    assert first.details["display_name"] == "Anthropic: Claude Opus 4"


def test_without_a_key_benchmarks_list_is_not_asked(catalogued, settings):
    settings.OPENROUTER_API_KEY = ""
    sync_benchmarks()
    assert not BenchmarkScore.objects.filter(via="benchmarks").exists()


def test_benchmarks_not_served_keeps_scores_and_says_so(catalogued, settings):
    settings.OPENROUTER_API_KEY = "demo-key"
    sync_benchmarks()
    kept = BenchmarkScore.objects.filter(via="benchmarks").count()
    body = json.dumps({"error": {"code": 404, "message": "Not Found"}})
    catalogued.serve_body("/api/v1/benchmarks", body, status=404)
    run = sync_benchmarks()
    assert run.status == "succeeded"
    assert any("not served" in e["error"] for e in run.item_errors)
    assert BenchmarkScore.objects.filter(via="benchmarks").count() == kept


HOSTILE = [
    ("a string index", {"artificial_analysis": {"intelligence_index": "71"}}),
    (
        "an infinite Elo",
        {"design_arena": [{"arena": "m", "category": "c", "elo": 1e400}]},
    ),
    ("a huge index", {"artificial_analysis": {"coding_index": 1e12}}),
    ("no arena", {"design_arena": [{"category": "c", "elo": 1200}]}),
    ("a list", ["intelligence_index", 70]),
]


@pytest.mark.parametrize("why,hostile", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_bad_entry_is_an_item_error_and_keeps_its_scores(catalogued, why, hostile):
    sync_benchmarks()
    before = _figures("openai/o3")
    models = [
        dict(m, benchmarks=hostile) if m["id"] == "openai/o3" else m
        for m in models_for(catalogued.snapshot)
    ]
    catalogued.serve_catalogue(models)
    assert sync_catalog().status == "succeeded"
    run = sync_benchmarks()
    assert run.status == "succeeded"
    assert [e["item"] for e in run.item_errors] == ["openai/o3 benchmarks"]
    after = _figures("openai/o3")
    assert after.intelligence_index == before.intelligence_index == 70.1
    # The rest of the batch went on.
    assert _figures("openai/gpt-4.1").intelligence_index == 52.7


def test_scores_gone_upstream_go(catalogued):
    sync_benchmarks()
    models = [
        {k: v for k, v in m.items() if k != "benchmarks"}
        if m["id"] == "openai/o3"
        else m
        for m in models_for(catalogued.snapshot)
    ]
    catalogued.serve_catalogue(models)
    assert BenchmarkScore.objects.filter(model__slug="openai/o3").count() == 4
    sync_catalog()
    assert not BenchmarkScore.objects.filter(model__slug="openai/o3").exists()
    assert not ModelScores.objects.filter(model__slug="openai/o3").exists()
    assert LanguageModel.objects.filter(slug="openai/o3").exists()
    assert _figures("openai/gpt-4.1").intelligence_index == 52.7
    run = sync_benchmarks()
    assert run.counts["delisted"] == run.counts["created"] == 0


def test_the_catalogue_sync_stores_the_lists_scores_at_once(catalogued):
    run = sync_catalog()
    assert run.status == "succeeded" and run.item_errors == []
    assert _figures("openai/o3").intelligence_index == 70.1
    assert not BenchmarkScore.objects.filter(via="benchmarks").exists()
