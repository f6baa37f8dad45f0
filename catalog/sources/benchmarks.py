"""Third-party benchmark scores from OpenRouter: a model's `benchmarks` object of
the model list (`ModelBenchmarks`) and the unified `GET /benchmarks` (Artificial
Analysis's indices, Design Arena's Elo ratings), parsed into typed records (no ORM).

Scores are untrusted like any upstream field: a wrong type, a non-finite or
unbelievable number makes that model's (or that item's) entry an ItemError; the
rest go on. OpenRouter's own evals (`source: openrouter`) are not kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, ValidationError

from catalog.sources.base import (
    Fetched,
    HttpClient,
    ItemError,
    PermanentError,
    data_list,
    parse_items,
)
from catalog.sources.fields import Lenient, ShortText, Text60, Text200, clean_json

SOURCE = "openrouter"
AA, DA = "artificial-analysis", "design-arena"
# Design Arena's arenas, each asked for apart (upstream answers `models` alone
# when none is named).
ARENAS = ("models", "builders", "agents")


def _number(value: Any) -> Any:
    # JSON numbers only: a boolean or a numeric string is a wrong type here.
    if isinstance(value, bool | str):
        raise ValueError("must be a number")
    return value


# An index is a 0-100 composite, an Elo a few thousand: a million is no score.
Score = Annotated[
    float, Field(ge=-1e6, le=1e6, allow_inf_nan=False), BeforeValidator(_number)
]
Rank = Annotated[int, Field(ge=0, le=10**6), BeforeValidator(_number)]


class AAEntry(Lenient):
    intelligence_index: Score | None = None
    coding_index: Score | None = None
    agentic_index: Score | None = None


class DAEntry(Lenient):
    arena: Text60
    category: Text60
    elo: Score
    win_rate: Score
    rank: Rank | None = None


class ModelBenchmarks(Lenient):
    """A model's `benchmarks` object of the model list."""

    artificial_analysis: AAEntry | None = None
    design_arena: list[DAEntry] = []


@dataclass(frozen=True)
class ModelScores:
    """One model's `benchmarks` from the model list, by its id."""

    slug: str
    scores: ModelBenchmarks


def parse_model_benchmarks(
    rows: list[tuple[str, Any]],
) -> tuple[list[ModelScores], list[ItemError]]:
    """(model id, `benchmarks` as sent) pairs of the model list into records;
    a model without one (None) has none, a malformed one is an ItemError."""
    found, errors = [], []
    for slug, raw in rows:
        if raw is None:
            continue
        try:
            found.append(ModelScores(slug, ModelBenchmarks.model_validate(raw)))
        except ValidationError as exc:
            errors.append(ItemError(f"{slug} benchmarks", _short(exc)))
    return found, errors


class BenchmarkItem(Lenient):
    """An Artificial Analysis or Design Arena item of GET /benchmarks."""

    source: Text60
    model_permaslug: Text200
    display_name: ShortText = ""
    intelligence_index: Score | None = None
    coding_index: Score | None = None
    agentic_index: Score | None = None
    arena: Text60 = ""
    category: Text60 = ""
    elo: Score | None = None
    win_rate: Score | None = None
    avg_generation_time_ms: Score | None = None
    tournament_stats: dict[str, Rank | None] | None = None


class Meta(BaseModel):
    as_of: datetime
    citation: ShortText = ""
    source_url: ShortText = ""


@dataclass
class BenchmarkList:
    """One source's answer of GET /benchmarks: its items, its date and citation."""

    source: str
    items: list[BenchmarkItem]
    as_of: datetime
    citation: str
    source_url: str
    errors: list[ItemError] = field(default_factory=list)
    # The models of the items refused: their stored scores are kept.
    refused: set[str] = field(default_factory=set)


def _short(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error["loc"]) or "item"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def _label(item: Any, index: int) -> str:
    slug = item.get("model_permaslug") if isinstance(item, dict) else None
    return f"{str(slug)[:200]} benchmark" if slug else f"benchmark #{index}"


def parse_benchmark_list(body: Any, url: str, source: str) -> BenchmarkList:
    """One source's GET /benchmarks body; a body without `data` or a readable
    `meta.as_of` fails the fetch, a bad item is an ItemError."""
    meta_raw = body.get("meta") if isinstance(body, dict) else None
    try:
        meta = Meta.model_validate(meta_raw)
    except ValidationError as exc:
        raise PermanentError(f"benchmarks meta: {_short(exc)}", url=url) from None
    parsed: Fetched[BenchmarkItem] = parse_items(
        data_list(body, url), BenchmarkItem, _label, url=url
    )
    items, errors = [], list(parsed.errors)
    refused = {e.item.removesuffix(" benchmark") for e in parsed.errors}
    for item in parsed.records:
        if item.source != source:
            continue  # another source's shape: not asked for
        if source == DA and (None in (item.elo, item.win_rate) or not item.arena):
            errors.append(
                ItemError(_label(item.raw, 0), "elo, win_rate, arena required")
            )
            refused.add(item.model_permaslug)
            continue
        items.append(item)
    as_of = meta.as_of if meta.as_of.tzinfo else meta.as_of.replace(tzinfo=UTC)
    cited = (meta.citation, meta.source_url)
    return BenchmarkList(source, items, as_of, *cited, errors=errors, refused=refused)


class BenchmarksSource:
    """Fetches OpenRouter's GET /benchmarks through one configured HttpClient."""

    def __init__(self, http: HttpClient, *, base_url: str):
        self.http = http
        self.base_url = base_url.rstrip("/")

    @property
    def url(self) -> str:
        return f"{self.base_url}/benchmarks"

    def fetch_lists(self) -> list[BenchmarkList]:
        """Artificial Analysis's indices, then Design Arena's ratings arena by
        arena: one request each, so that each answer carries its citation."""
        # Reference: https://openrouter.ai/docs/api-reference/benchmarks/get-benchmarks
        lists = [self._fetch({"source": AA}, AA)]
        for arena in ARENAS:
            lists.append(self._fetch({"source": DA, "arena": arena}, DA))
        return lists

    def _fetch(self, params: dict[str, str], source: str) -> BenchmarkList:
        body = self.http.get_json(self.url, params)
        return parse_benchmark_list(clean_json(body), self.url, source)
