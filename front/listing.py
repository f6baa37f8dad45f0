"""The catalogue list: the catalogue's filters with its own and the stats' sorts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from catalog import prices
from catalog.costs import Workload, by_cost
from catalog.models import LanguageModel
from catalog.ranking import RankedModels, ranks_listed, ranks_narrowed
from catalog.search import by_relevance, models_matching
from catalog.selectors import (
    LIST_COLUMNS,
    featured_first,
    model_list,
    models_sorted,
    models_visible,
)
from stats.selectors import STATS_SORTS, models_sorted_by_stats


def models_listed(
    *, sort: str = "newest", workload: Workload | None = None, **filters: Any
) -> QuerySet[LanguageModel] | RankedModels:
    """The filtered list in the asked order, editors' featured models first; a
    search's matches by relevance, as ranked (nothing pinned before the best match)."""
    columns = (*LIST_COLUMNS, *prices.COLUMNS) if workload is not None else ()
    if sort == "cost" or (sort == "relevance" and filters.get("q")):
        return _ranked(sort, workload or Workload(), columns, **filters)
    models = model_list(**filters)
    if columns:
        # Every price column: the page prices each shown row for the workload.
        models = models.only(*columns)
    if sort in STATS_SORTS:
        models = models_sorted_by_stats(models, sort)
    else:
        models = models_sorted(models, sort)
    return featured_first(models)


def _ranked(
    sort: str,
    workload: Workload,
    columns: tuple[str, ...],
    *,
    q: str = "",
    include_delisted: bool = False,
    **narrowing: Any,
) -> RankedModels:
    # Relevance and cost order every match: ranked from the narrow rows, then the
    # page's rows read by id (catalog.ranking).
    narrowed = {k: v for k, v in narrowing.items() if v not in (None, "", False)}
    ranks = ranks_listed(include_delisted=include_delisted)
    if narrowed:
        models = model_list(include_delisted=include_delisted, **narrowed)
        ranks = ranks_narrowed(ranks, models)
    if q:
        ranks = models_matching(ranks, q)
    if sort == "cost":
        ranks = featured_first(by_cost(ranks, workload, "slug", exact=False))
    else:
        ranks = by_relevance(ranks)
    rows = models_visible().only(*(columns or LIST_COLUMNS))
    # A search's matches are counted by their page's query (catalog.ranking).
    return RankedModels(ranks, rows, count_with_page=bool(q))
