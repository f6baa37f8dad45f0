"""Benchmarks through the API: /api/v1/benchmarks in upstream's shape (valid
against the published spec; read by OpenRouter's Python SDK in
test_benchmarks_sdk.py) and the index filters' bad values."""

from __future__ import annotations

import pytest

from catalog.syncs import sync_benchmarks
from tests.api.conftest import spec_validator
from tests.support import snapshots

pytestmark = [pytest.mark.django_db, pytest.mark.state("benchmarked")]


@pytest.fixture
def scored(mock_upstream, settings):
    """The demo catalogue with the model list's and /benchmarks' scores."""
    snapshots.load("benchmarked")
    return mock_upstream


def _errors(body: dict) -> list[str]:
    validator = spec_validator("UnifiedBenchmarksResponse")
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(body)]


QUERIES = [
    "",
    "?source=artificial-analysis",
    "?source=design-arena",
    "?source=design-arena&arena=builders",
    "?source=openrouter",
    "?task_type=coding",
    "?task_type=agentic&max_results=3",
    "?task_type=search",
    "?benchmark_type=search_hle",
    "?benchmark_type=gpqa_diamond&category=website",
]


@pytest.mark.parametrize("query", QUERIES)
def test_every_answer_is_valid_against_the_spec(client, scored, query):
    response = client.get("/api/v1/benchmarks" + query)
    assert response.status_code == 200
    assert _errors(response.json()) == []


@pytest.mark.parametrize(
    "query,named",
    [
        ("/benchmarks?source=mmlu", "source"),
        ("/benchmarks?task_type=poetry", "task_type"),
        ("/benchmarks?max_results=0", "max_results"),
        ("/benchmarks?max_results=", "max_results"),
        ("/benchmarks?arena=%00", "arena"),
        ("/models?min_intelligence_index=-1", "min_intelligence_index"),
        ("/models?max_coding_index=nan", "max_coding_index"),
        ("/models?min_agentic_index=lots", "min_agentic_index"),
        ("/models?sort=intelligence-low-to-high", "sort"),
    ],
)
def test_bad_values_are_a_400_naming_them(client, scored, query, named):
    response = client.get("/api/v1" + query)
    assert response.status_code == 400
    assert named in response.json()["error"]["message"]


def test_a_resync_serves_the_same(client, scored, settings):
    before = client.get("/api/v1/benchmarks").json()
    settings.OPENROUTER_API_KEY = "demo-key"
    assert sync_benchmarks().counts["updated"] == 0
    assert client.get("/api/v1/benchmarks").json() == before
