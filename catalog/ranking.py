"""Lists no index can order, ranked from narrow rows and then read by id.

A search's relevance and a workload's cost order every match, thousands of them at
30,000 models. They are ordered from ModelRank (a few hundred bytes a model, kept by
triggers) and the search keys instead of the ~1 KB model rows; only the rows of the
page asked for are then read, by primary key. Two queries a page, whatever the
catalogue's size, and none of them reads a model row that is not shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any, overload

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, OrderBy, OuterRef, Q, QuerySet

from catalog.models import LanguageModel, ModelRank, PriceTier
from catalog.models.search import PRESET_COSTS
from catalog.pricing.costs import Workload
from catalog.pricing.expressions import by_cost


def ranks_listed(*, include_delisted: bool = False) -> QuerySet[ModelRank]:
    """The ranks of the models a public list shows: the same models as
    catalog.reads.selectors.models_visible() without a user, listed unless asked."""
    ranks = ModelRank.objects.filter(visible=True)
    if not include_delisted:
        ranks = ranks.filter(delisted=False)
    return ranks


def ranks_by_cost(
    ranks: QuerySet[ModelRank], workload: Workload, *ties: str
) -> QuerySet[ModelRank]:
    """`ranks` annotated with `cost` (a month of `workload`), cheapest first, then
    by `ties`; variable and unknown prices last. A preset's workload is ordered by
    its stored cost (an index on PostgreSQL, tiers included), any other priced in
    the query: its tiers from the regions of the few tiered models only."""
    column = PRESET_COSTS.get(workload)
    if column is None:
        regions = PriceTier.objects.filter(model_id=OuterRef("model_id"))
        return by_cost(
            ranks,
            workload,
            *ties,
            exact=False,
            regions=regions,
            only_if=Q(tiered=True),
        )
    annotated = ranks.annotate(cost=F(column))
    return annotated.order_by(F("cost").asc(nulls_last=True), *(ties or ("pk",)))


class CountedModels:
    """An ordered list of model rows (a page is one index scan of the model
    table) counted from the narrow rows of the same models: what a Paginator and
    the API's `total_count` need (count, slices, iterator). Counting thousands of
    ~370-byte ranks instead of ~2.5 KB model rows is what keeps a filtered list's
    count flat in time at 30,000 models."""

    def __init__(
        self,
        rows: QuerySet[LanguageModel],
        ranks: QuerySet[ModelRank],
        *,
        ids_first: bool = False,
    ):
        self.rows = rows
        self.ranks = ranks
        # Whole rows (the API's: descriptions, raw payloads) past the first page:
        # see __getitem__.
        self.ids_first = ids_first
        self._total: int | None = None

    def count(self) -> int:
        if self._total is None:
            self._total = self.ranks.count()
        return self._total

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, key: int) -> LanguageModel: ...
    @overload
    def __getitem__(self, key: slice) -> list[LanguageModel]: ...
    def __getitem__(self, key: int | slice) -> LanguageModel | list[LanguageModel]:
        if isinstance(key, int):
            return self.rows[key]
        if not (self.ids_first and key.start):
            return list(self.rows[key])
        # Past the first page, the ids first: the rows skipped over are then
        # walked in the ordering's index without reading their wide columns
        # (descriptions, raw payloads), and only the page's rows are read whole.
        # At offset 1,000 of 30,000 models: 3 ms instead of 27. (A list of a few
        # narrow columns skips its rows as cheaply: one query is better there.)
        return self._read(list(self.rows.values_list("pk", flat=True)[key]))

    def __iter__(self) -> Iterator[LanguageModel]:
        return self.iterator()

    def iterator(self, chunk_size: int = 500) -> Iterator[LanguageModel]:
        return self.rows.iterator(chunk_size=chunk_size)

    def _read(self, ids: list[int]) -> list[LanguageModel]:
        # A row removed between the two queries is left out, not an error. The
        # rows come in the order of `ids`: none is asked of the database.
        by_id = self.rows.order_by().in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]


class RankedModels(CountedModels):
    """Model rows in the order of a ranked ModelRank queryset, read a page at a
    time: what a Paginator, the API's slices and the exports need (count, slices,
    iterator), each page two queries (its ids, then its rows).

    A search's matches (`count_with_page`) are counted by the page's own query
    (a window over the matches it ranks anyway) instead of matching them again:
    read the page first (`prefetch`), then ask the count."""

    def __init__(
        self,
        ranks: QuerySet[ModelRank],
        rows: QuerySet[LanguageModel],
        *,
        count_with_page: bool = False,
    ):
        super().__init__(rows, ranks)
        self.count_with_page = count_with_page
        self._page: tuple[int, int, list[LanguageModel]] | None = None

    def prefetch(self, start: int, stop: int) -> None:
        """Read rows [start:stop] now: a slice of them is then answered without a
        query, and so is the count when the page came with it."""
        self[start:stop]

    @overload
    def __getitem__(self, key: int) -> LanguageModel: ...
    @overload
    def __getitem__(self, key: slice) -> list[LanguageModel]: ...
    def __getitem__(self, key: int | slice) -> LanguageModel | list[LanguageModel]:
        if isinstance(key, int):
            found = self[key : key + 1]
            if not found:
                raise IndexError(key)
            return found[0]
        start, stop = key.start or 0, key.stop
        if self._page and stop is not None:
            read_from, read_to, rows = self._page
            if start == read_from and stop <= read_to:
                return rows[: stop - start]
        rows = self._read(self._page_ids(key))
        if stop is not None:
            self._page = (start, stop, rows)
        return rows

    def _page_ids(self, key: slice) -> list[int]:
        if not self.count_with_page:
            return list(self._ids()[key])
        found = counted_page(self.ranks, key)
        if found:
            self._total = found[0][1]
        return [model_id for model_id, _ in found]

    def iterator(self, chunk_size: int = 500) -> Iterator[LanguageModel]:
        """Every row in order, `chunk_size` at a time (memory stays flat)."""
        ids = self._ids().iterator(chunk_size=chunk_size)
        while chunk := list(islice(ids, chunk_size)):
            yield from self._read(chunk)

    def _ids(self) -> QuerySet[ModelRank, int]:
        return self.ranks.values_list("model_id", flat=True)


def counted_page(ranks: QuerySet[ModelRank], key: slice) -> list[tuple[int, int]]:
    """(model id, number of ranks) of each rank in `key` of the ordered `ranks`:
    the page and the count in one query, a window over every match.

    The ordering's keys are computed in a subquery under the window. Ordered
    directly, PostgreSQL buffers each match with the columns its keys are computed
    from (a search's ~300 bytes of search keys) and computes them above the
    window: for 6,070 matches at 30,000 models, 30 ms instead of 17."""
    connection = connections[ranks.db]
    keys: dict[str, Any] = {}
    order = []
    quote = connection.ops.quote_name
    for n, item in enumerate(ranks.query.order_by):
        by = _order_by(item)
        name = f"key_{n}"
        keys[name] = by.expression
        nulls = " NULLS LAST" if by.nulls_last else ""
        nulls = " NULLS FIRST" if by.nulls_first else nulls
        order.append(f"{quote(name)} {'DESC' if by.descending else 'ASC'}{nulls}")
    inner = ranks.order_by().annotate(**keys).values_list("model_id", *keys)
    try:
        sql, params = inner.query.get_compiler(using=ranks.db).as_sql()
    except EmptyResultSet:  # ranks.none(): a query that matches nothing
        return []
    # OFFSET 0 keeps PostgreSQL from merging the subquery into the outer query.
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    ordered = f" ORDER BY {', '.join(order)}" if order else ""
    limit = connection.ops.limit_offset_sql(key.start or 0, key.stop)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('model_id')}, COUNT(*) OVER () "  # noqa: S608 - compiled
            f"FROM ({sql}{fence}) AS ranked{ordered} {limit}",
            params,
        )
        return [(model_id, total) for model_id, total in cursor.fetchall()]


def _order_by(item: str | Any) -> OrderBy:
    """An item of a queryset's order_by() as an OrderBy ("-x", "x", F, OrderBy)."""
    if isinstance(item, str):
        name = item.removeprefix("-")
        return OrderBy(F(name), descending=item.startswith("-"))
    if isinstance(item, OrderBy):
        return item
    return OrderBy(item)
