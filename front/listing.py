"""The catalogue list: the catalogue's filters with its own and the stats' sorts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from catalog import prices
from catalog.costs import Workload, by_cost
from catalog.models import LanguageModel
from catalog.selectors import LIST_COLUMNS, featured_first, model_list, models_sorted
from stats.selectors import STATS_SORTS, models_sorted_by_stats


def models_listed(
    *, sort: str = "newest", workload: Workload | None = None, **filters: Any
) -> QuerySet[LanguageModel]:
    """The filtered list in the asked order, editors' featured models first; a
    search's matches by relevance, as ranked (nothing pinned before the best match)."""
    models = model_list(**filters)
    if workload is not None:
        # Every price column: the page prices each shown row for the workload.
        models = models.only(*LIST_COLUMNS, *prices.COLUMNS)
    if sort == "relevance" and filters.get("q"):
        return models_sorted(models, sort)
    if sort == "cost":
        models = by_cost(models, workload or Workload(), "slug")
    elif sort in STATS_SORTS:
        models = models_sorted_by_stats(models, sort)
    else:
        models = models_sorted(models, sort)
    return featured_first(models)
