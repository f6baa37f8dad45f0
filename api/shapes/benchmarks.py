"""Benchmark scores, as upstream's benchmarks routes answer them."""

from __future__ import annotations

from typing import Literal

from typing_extensions import TypedDict


class BenchmarkPricing(TypedDict):
    prompt: str
    completion: str


class BenchmarkAAItem(TypedDict):
    """A model's Artificial Analysis indices (UnifiedBenchmarksAAItem)."""

    source: Literal["artificial-analysis"]
    model_permaslug: str
    display_name: str
    intelligence_index: float | None
    coding_index: float | None
    agentic_index: float | None
    pricing: BenchmarkPricing | None


class TournamentStats(TypedDict):
    first_place: int | None
    second_place: int | None
    third_place: int | None
    fourth_place: int | None
    total: int | None


class BenchmarkDAItem(TypedDict):
    """A model's Design Arena rating in one arena and category
    (UnifiedBenchmarksDAItem)."""

    source: Literal["design-arena"]
    model_permaslug: str
    display_name: str
    arena: str
    category: str
    elo: float
    win_rate: float
    avg_generation_time_ms: float | None
    tournament_stats: TournamentStats
    pricing: BenchmarkPricing | None


class BenchmarkMeta(TypedDict):
    as_of: str
    version: Literal["v1"]
    source: str | None
    source_url: str | None
    citation: str | None
    model_count: int
    task_type: str | None


class BenchmarkList(TypedDict):
    """GET /benchmarks: upstream's UnifiedBenchmarksResponse (its Artificial
    Analysis and Design Arena items; OpenRouter's own evals are not kept)."""

    data: list[BenchmarkAAItem | BenchmarkDAItem]
    meta: BenchmarkMeta
