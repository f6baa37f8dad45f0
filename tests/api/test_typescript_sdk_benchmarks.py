"""OpenRouter's TypeScript SDK (its zod schemas validate every response) reads the
benchmarks: `benchmarks.getBenchmarks` with its parameters, the benchmark sorts and
the index filters of `models.list`, over HTTP against a live server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from catalog.models import ModelScores
from tests.api.conftest import live_api, reads_outside_a_test_transaction
from tests.support import snapshots
from tests.support.typescript import Call, sdk_calls

pytestmark = [pytest.mark.http, pytest.mark.integration, pytest.mark.django_db]
_django_db_marker = pytest.fixture(autouse=True, name="_django_db_marker")(
    reads_outside_a_test_transaction
)


@pytest.fixture(scope="module")
def scored_api(django_db_setup, django_db_blocker) -> Iterator[str]:
    """/api/v1 of a live server holding the demo catalogue with its scores."""
    with snapshots.committed("benchmarked", django_db_blocker), live_api() as url:
        yield url


def _data(outcome) -> list[dict]:
    assert outcome.ok, outcome.error
    if "pages" in outcome.value:
        return [m for page in outcome.value["pages"] for m in page["data"]]
    return outcome.value["data"]


def test_get_benchmarks_parses_and_holds(scored_api):
    everything, aa, da, coding = sdk_calls(
        scored_api,
        [
            Call("benchmarks.getBenchmarks", ({},)),
            Call("benchmarks.getBenchmarks", ({"source": "artificial-analysis"},)),
            Call("benchmarks.getBenchmarks", ({"source": "design-arena"},)),
            Call(
                "benchmarks.getBenchmarks", ({"taskType": "coding", "maxResults": 5},)
            ),
        ],
    )
    assert {i["source"] for i in _data(everything)} == {
        "artificial-analysis",
        "design-arena",
    }
    assert everything.value["meta"]["asOf"] == "2026-06-03T12:00:00Z"
    items = _data(aa)
    assert len(items) == aa.value["meta"]["modelCount"] == 22
    assert "Artificial Analysis" in aa.value["meta"]["citation"]
    assert {i["arena"] for i in _data(da)} == {"models"}
    scores = [i["codingIndex"] for i in _data(coding)]
    assert len(scores) == 5 and scores == sorted(scores, reverse=True)


def test_benchmark_sorts_and_filters_parse_and_hold(scored_api):
    sorts = [
        "intelligence-high-to-low",
        "coding-high-to-low",
        "agentic-high-to-low",
        "design-arena-elo-high-to-low",
    ]
    outcomes = sdk_calls(
        scored_api,
        [Call("models.list", ({"sort": sort},)) for sort in sorts]
        + [Call("models.list", ({"minIntelligenceIndex": 60},))],
    )
    figures = {
        m: (i, c, a, e)
        for m, i, c, a, e in ModelScores.objects.values_list(
            "model__slug",
            "intelligence_index",
            "coding_index",
            "agentic_index",
            "design_arena_elo",
        )
    }
    for column, (sort, outcome) in enumerate(zip(sorts, outcomes, strict=False)):
        values = [figures.get(m["id"], (None,) * 4)[column] for m in _data(outcome)]
        known = [v for v in values if v is not None]
        assert known and known == sorted(known, reverse=True), sort
        assert all(v is None for v in values[len(known) :]), sort
    smart = _data(outcomes[-1])
    assert smart and all(figures[m["id"]][0] >= 60 for m in smart)
    assert len(smart) == sum(1 for f in figures.values() if (f[0] or 0) >= 60)
