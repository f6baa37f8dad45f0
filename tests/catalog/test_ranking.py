"""ModelRank, the narrow copy the ranked lists read and the filtered lists are
counted from, follows every write of a model (the triggers of migrations 0019 and
0020, on SQLite and PostgreSQL alike); a ranked list reads its pages in the ranks'
order, two queries a page; every filter counts the same models on either table."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from django.db import connection
from django.db.models import Case, F, Value, When
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.editorial.overrides import override_set
from catalog.models import LanguageModel, ModelRank
from catalog.models.search import PRESET_COSTS
from catalog.pricing import prices
from catalog.pricing.costs import Workload
from catalog.ranking import (
    CountedModels,
    RankedModels,
    counted_page,
    ranks_by_cost,
    ranks_listed,
)
from catalog.reads.selectors import (
    featured_first,
    model_list,
    models_visible,
    ranks_list,
)
from catalog.syncs import sync_catalog
from tests.support.factories import make_model

pytestmark = [pytest.mark.django_db, pytest.mark.backend]


def mirrored(model: LanguageModel) -> dict:
    """What the rank of `model` must say, from the model row itself."""

    def price(value: D | None) -> float | None:
        return None if value is None else float(value)

    return {
        "visible": not model.hidden,
        "delisted": model.delisted_at is not None,
        "featured": model.featured,
        "slug": model.slug,
        "name_length": len(model.name),
        "tokens_week": model.tokens_week,
        "is_variable_price": model.is_variable_price,
        **{column: price(getattr(model, column)) for column in prices.COLUMNS},
        "author_id": model.author_id,
        "created": model.created,
        "context_length": model.context_length,
        "tokenizer": model.tokenizer,
        "input_modalities": model.input_modalities,
        "output_modalities": model.output_modalities,
        "supported_parameters": model.supported_parameters,
    }


def rank_of(model: LanguageModel) -> dict:
    rank = ModelRank.objects.get(pk=model.pk)
    got = {key: getattr(rank, key) for key in mirrored(model)}
    for key, value in got.items():
        if key.startswith("price_") and value is not None:
            # SQLite's REAL and PostgreSQL's double precision: the same float.
            got[key] = pytest.approx(value, rel=1e-12)
    return got


def assert_mirrors_every_model() -> None:
    models = list(LanguageModel.objects.all())
    assert ModelRank.objects.count() == len(models)
    for model in models:
        assert rank_of(model) == mirrored(model), model.slug


@pytest.mark.slow
def test_a_synced_catalogue_has_a_rank_per_model(mock_upstream):
    assert sync_catalog().status == "succeeded"
    assert LanguageModel.objects.count() == 321
    assert_mirrors_every_model()
    # The list's public models are the same whichever table is asked.
    assert set(ranks_listed().values_list("model_id", flat=True)) == set(
        models_visible().filter(delisted_at__isnull=True).values_list("pk", flat=True)
    )


def test_every_kind_of_write_reaches_the_rank():
    """save(), queryset update(), bulk_update() and an editor's override."""
    model = make_model("a/one", price_prompt=D("0.15"), price_completion=D("0.6"))
    other = make_model("a/two", name="Two", tokens_week=5)
    assert_mirrors_every_model()

    model.name, model.featured = "A much longer name", True
    model.save()
    LanguageModel.objects.filter(pk=other.pk).update(
        hidden=True, delisted_at=timezone.now(), price_image=D("0.0025")
    )
    other.refresh_from_db()
    other.tokens_week = 123_456_789_012
    LanguageModel.objects.bulk_update([other], ["tokens_week"])
    override_set(model, "price_prompt", D("0.2"), reason="list price")
    override_set(model, "context_length", 2_000_000, reason="documented")
    LanguageModel.objects.filter(pk=model.pk).update(
        supported_parameters=["tools", "seed"], input_modalities=["text", "image"]
    )
    assert_mirrors_every_model()
    assert ModelRank.objects.get(pk=model.pk).price_prompt == pytest.approx(0.2)
    assert ModelRank.objects.get(pk=other.pk).tokens_week == 123_456_789_012


def test_a_write_of_other_columns_leaves_the_rank_alone():
    model = make_model("a/one", tokens_week=7)
    ModelRank.objects.filter(pk=model.pk).update(tokens_week=99)
    LanguageModel.objects.filter(pk=model.pk).update(
        endpoints_polled_at=timezone.now(), description="new words"
    )
    # Nothing the rank copies was written: its row was not rewritten either.
    assert ModelRank.objects.get(pk=model.pk).tokens_week == 99


def test_a_deleted_model_takes_its_rank_along():
    model = make_model("a/one")
    model.delete()
    assert not ModelRank.objects.exists()


def test_a_ranked_list_reads_pages_in_the_ranks_order():
    for n in range(7):
        make_model(f"a/m{n}", tokens_week=n * 10)
    ranks = ranks_listed().order_by("-tokens_week")
    listed = RankedModels(ranks, LanguageModel.objects.all())
    order = [f"a/m{n}" for n in reversed(range(7))]
    assert listed.count() == len(listed) == 7
    with CaptureQueriesContext(connection) as queries:
        page = listed[2:5]
    assert [m.slug for m in page] == order[2:5]
    assert len(queries) == 2  # the page's ids, then its rows
    assert listed[0].slug == order[0]
    with pytest.raises(IndexError):
        listed[7]
    assert [m.slug for m in listed.iterator(chunk_size=3)] == order
    # A row gone between the two queries is left out, not an error.
    shown = RankedModels(ranks, LanguageModel.objects.exclude(slug="a/m5"))
    assert [m.slug for m in shown[:3]] == ["a/m6", "a/m4"]


def test_a_search_is_counted_by_its_page():
    """A search's page query counts its matches too: the page, then the count,
    cost its two queries (ids with the total, then rows), no third."""
    for n in range(5):
        make_model(f"a/m{n}", tokens_week=n)
    ranks = ranks_listed().order_by("-tokens_week")
    listed = RankedModels(ranks, LanguageModel.objects.all(), count_with_page=True)
    with CaptureQueriesContext(connection) as queries:
        listed.prefetch(0, 2)
        assert [m.slug for m in listed[0:2]] == ["a/m4", "a/m3"]
        assert listed.count() == 5
    assert len(queries) == 2
    # Past the end there is no page to count with: the count is asked apart.
    beyond = RankedModels(ranks, LanguageModel.objects.all(), count_with_page=True)
    assert beyond[10:12] == []
    assert beyond.count() == 5


def test_a_counted_page_orders_as_the_queryset_and_computes_its_keys_first():
    """Any ordering (expressions, descending, nulls last, names) gives the pages a
    plain slice gives, each with the count of every rank; the keys are computed
    in a subquery under the count's window (not from the wide columns above it)."""
    for n in range(9):
        make_model(f"a/m{n}", tokens_week=None if n % 3 == 0 else n * 10)
    ranks = ranks_listed().order_by(
        F("tokens_week").desc(nulls_last=True),
        Case(When(slug__endswith="4", then=Value(1)), default=Value(0)),
        "-name_length",
        "slug",
    )
    expected = list(ranks.values_list("model_id", flat=True))
    for key in (slice(0, 4), slice(3, 8), slice(7, 20), slice(2, None)):
        with CaptureQueriesContext(connection) as queries:
            page = counted_page(ranks, key)
        assert [model_id for model_id, _ in page] == expected[key]
        assert {total for _, total in page} == {9}
        (sql,) = (q["sql"] for q in queries.captured_queries)
        outer, inner = sql.split(" FROM (SELECT ", 1)
        assert "COUNT(*) OVER ()" in outer and "CASE" in inner, sql
    assert counted_page(ranks, slice(20, 30)) == []
    assert counted_page(ranks.none(), slice(0, 10)) == []


def test_a_later_page_reads_its_rows_by_id_in_the_lists_order():
    """Whole rows (the API's) past the first page: the ids come first, so the rows
    skipped over are not read whole (only the page's rows are), and the page is
    the same as a plain slice."""
    for n in range(7):
        make_model(f"a/m{n}", tokens_week=n * 10)
    rows = models_visible().order_by("-tokens_week", "slug")
    listed = CountedModels(rows, ranks_listed(), ids_first=True)
    with CaptureQueriesContext(connection) as queries:
        page = listed[2:5]
    assert [m.slug for m in page] == [m.slug for m in rows[2:5]]
    assert [m.slug for m in page] == ["a/m4", "a/m3", "a/m2"]
    ids, read = (q["sql"] for q in queries.captured_queries)
    select = ids.split(" FROM ")[0]
    assert "description" not in select and "slug" not in select, select
    assert "description" in read.split(" FROM ")[0]
    # The first page is one query, as before.
    with CaptureQueriesContext(connection) as queries:
        assert [m.slug for m in listed[0:2]] == ["a/m6", "a/m5"]
    assert len(queries) == 1
    assert listed[7:9] == []
    # Narrow rows (the list page's) skip as cheaply: one query, any page.
    with CaptureQueriesContext(connection) as queries:
        assert [m.slug for m in CountedModels(rows, ranks_listed())[2:4]] == [
            "a/m4",
            "a/m3",
        ]
    assert len(queries) == 1


FILTERS = [
    {},
    {"include_delisted": True},
    {"q": "llama"},
    {"input_modality": "image"},
    {"output_modality": "text", "input_modality": "file"},
    {"parameter": "tools"},
    {"min_context": 100_000},
    {"max_price": D("0.5")},
    {"max_output_price": D("1")},
    {"free": True},
    {"author": "openai"},
    {"provider": "openai"},
    {"parameter": "tools", "min_context": 100_000, "max_price": D("5")},
]


@pytest.mark.slow
def test_every_list_filter_counts_the_same_models_on_the_ranks(mock_upstream):
    """The list counts its ranks (narrow rows), and shows model rows: the same."""
    from catalog.syncs import sync_providers
    from ops.jobs import sync_endpoints

    for sync in (sync_providers, sync_catalog, sync_endpoints):
        assert sync().status == "succeeded"
    LanguageModel.objects.filter(slug="openai/gpt-4o").update(
        delisted_at=timezone.now()
    )
    LanguageModel.objects.filter(slug="openai/gpt-4o-mini").update(hidden=True)
    for filters in FILTERS:
        models = set(model_list(**filters).values_list("pk", flat=True))
        assert models, filters
        ranks = set(ranks_list(**filters).values_list("model_id", flat=True))
        assert ranks == models, filters


def plan_of(run) -> str:
    """The database's plan for the last statement `run` makes (on PostgreSQL with
    sequential and bitmap scans priced out: which index can answer it, whatever a
    test's few rows would make cheapest)."""
    with CaptureQueriesContext(connection) as queries:
        run()
    sql = queries.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
        try:
            cursor.execute(f"EXPLAIN {sql}")
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")


def columns_read(queryset) -> set[str]:
    sql, _ = queryset.query.get_compiler(using=queryset.db).as_sql()
    return set(re.findall(r'"catalog_modelrank"\."(\w+)"', sql))


def index_columns(name: str) -> set[str]:
    """Every column a PostgreSQL index holds, its INCLUDE columns too."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
            "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indexrelid = %s::regclass",
            [f'"{name}"'],
        )
        return {column for (column,) in cursor.fetchall()}


def test_the_list_is_counted_and_priced_from_the_listed_ranks_indexes():
    """The unfiltered count and a workload of one's own (priced over every listed
    model) read an index of the listed ranks, not the table's wide rows: on
    PostgreSQL, migration 0023's narrow indexes hold all they read (an index-only
    scan where the table's pages are all visible, as autovacuum leaves them)."""
    for n in range(5):
        make_model(f"a/m{n}", price_prompt=D(n), price_completion=D(2 * n))
    workload = Workload(output_tokens=600)
    priced = featured_first(ranks_by_cost(ranks_list(), workload, "slug"))
    assert workload not in PRESET_COSTS  # priced in the query, not a stored column
    page = priced.values_list("model_id", flat=True)[:3]

    if connection.vendor == "postgresql":
        assert 'using "rank-listed"' in plan_of(lambda: ranks_list().count())
        # The listed ranks' condition is the index's own; the rest it holds.
        read = columns_read(page) - {"visible", "delisted"}
        assert read >= {"model_id", "featured", "price_prompt", "slug"}, read
        assert read <= index_columns("rank-priced"), read
    else:
        assert "USING INDEX rank-" in plan_of(lambda: ranks_list().count())
        assert "USING INDEX rank-priced" in plan_of(lambda: list(page))
    cheapest = RankedModels(priced, LanguageModel.objects.all())[:3]
    assert [m.slug for m in cheapest] == ["a/m0", "a/m1", "a/m2"]
