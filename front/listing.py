"""The catalogue list: the catalogue's filters with its own and the stats' sorts."""

from __future__ import annotations

from typing import Any

from django.db.models import F, FloatField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast, NullIf

from catalog.models import ModelRank, ModelScores
from catalog.pricing.costs import COSTED_COLUMNS, Workload
from catalog.ranking import CountedModels, RankedModels, ranks_by_cost
from catalog.reads.selectors import (
    LIST_COLUMNS,
    featured_first,
    model_list,
    models_sorted,
    models_visible,
    ranks_list,
)
from catalog.search import by_relevance
from stats.selectors import STATS_SORTS, models_sorted_by_stats


def models_listed(
    *, sort: str = "newest", workload: Workload | None = None, **filters: Any
) -> CountedModels:
    """The filtered list in the asked order, editors' featured models first; a
    search's matches by relevance, as ranked (nothing pinned before the best match).
    Either way it is counted from the narrow rows (catalog.ranking)."""
    columns = (*LIST_COLUMNS, *COSTED_COLUMNS) if workload is not None else ()
    if sort in ("cost", "value") or (sort == "relevance" and filters.get("q")):
        return _ranked(sort, workload or Workload(), columns, **filters)
    models = model_list(**filters)
    if columns:
        # Every price column: the page prices each shown row for the workload.
        models = models.only(*columns)
    if sort in STATS_SORTS:
        models = models_sorted_by_stats(models, sort)
    elif sort == "intelligence":
        models = models.order_by(*BY_INTELLIGENCE)
    else:
        models = models_sorted(models, sort)
    return CountedModels(featured_first(models), ranks_list(**filters))


def _ranked(
    sort: str, workload: Workload, columns: tuple[str, ...], **filters: Any
) -> RankedModels:
    # Relevance and cost order every match: ranked from the narrow rows, then the
    # page's rows read by id (catalog.ranking).
    ranks = ranks_list(**filters)
    if sort == "cost":
        ranks = featured_first(ranks_by_cost(ranks, workload, "slug"))
    elif sort == "value":
        ranks = featured_first(ranks_by_value(ranks, workload))
    else:
        ranks = by_relevance(ranks)
    rows = models_visible().only(*(columns or LIST_COLUMNS))
    # A search's matches are counted by their page's query (catalog.ranking).
    return RankedModels(ranks, rows, count_with_page=bool(filters.get("q")))


# The intelligence index, best first; no score last, then upstream's order.
BY_INTELLIGENCE = (
    F("scores__intelligence_index").desc(nulls_last=True),
    F("upstream_position").asc(nulls_last=True),
    "slug",
)


def ranks_by_value(
    ranks: QuerySet[ModelRank], workload: Workload
) -> QuerySet[ModelRank]:
    """`ranks` by intelligence index points per dollar of `workload`, best first:
    the index over the month's cost orders as over a request's (every model
    serves the same requests a month). No index, a variable, unknown or zero
    cost: last (a free model's points cost nothing, so no ratio ranks it)."""
    priced = ranks_by_cost(ranks, workload, "slug")
    points = ModelScores.objects.filter(model_id=OuterRef("model_id"))
    value = Cast(
        Subquery(points.values("intelligence_index")[:1]), FloatField()
    ) / NullIf(Cast(F("cost"), FloatField()), 0.0)
    return priced.annotate(value=value).order_by(
        F("value").desc(nulls_last=True), "slug"
    )
