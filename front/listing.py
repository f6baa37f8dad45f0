"""The catalogue list: the catalogue's filters with its own and the stats' sorts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from catalog.models import LanguageModel
from catalog.selectors import featured_first, model_list, models_sorted
from stats.selectors import STATS_SORTS, models_sorted_by_stats


def models_listed(*, sort: str = "newest", **filters: Any) -> QuerySet[LanguageModel]:
    """The filtered list in the asked order, editors' featured models first; a
    search's matches by relevance, as ranked (nothing pinned before the best match)."""
    models = model_list(**filters)
    if sort == "relevance" and filters.get("q"):
        return models_sorted(models, sort)
    if sort in STATS_SORTS:
        models = models_sorted_by_stats(models, sort)
    else:
        models = models_sorted(models, sort)
    return featured_first(models)
