"""The catalogue list and model pages, rendered from a synced demo catalogue."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from catalog.models import LanguageModel
from catalog.syncs import sync_catalog
from catalog.versions import data_version
from tests.support.recordings import recorded

pytestmark = [pytest.mark.django_db, pytest.mark.state("synced")]

ROW = re.compile(r'<code class="id">([^<]+)</code>')


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Static URLs without a collectstatic manifest (`make test` builds one; we may not)."""
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        }
    }


def listed_slugs(response) -> list[str]:
    return ROW.findall(response.content.decode())


@pytest.mark.slow
def test_seed_model_page_shows_the_facts_of_openrouter(client, synced):
    """/liquid/lfm-40b shows title, id, dates, context, prices and both providers."""
    response = client.get("/liquid/lfm-40b")
    assert response.status_code == 200
    for text in (
        "Liquid: LFM 40B MoE",
        "liquid/lfm-40b",
        "Created Sep 30, 2024",
        "32,768 context",
        "$0.15/M input tokens",
        "$0.15/M output tokens",
        "Liquid",
        "Lambda",
        "65,536",
    ):
        assert text in response.content.decode(), text
    assert 'href="https://www.liquid.ai/liquid-foundation-models"' in (
        response.content.decode()
    )


def test_free_variant_page_renders(client, synced):
    """A `:free` id is a page of its own."""
    free = next(m["id"] for m in recorded("2025-05-22") if m["id"].endswith(":free"))
    response = client.get(f"/{free}")
    assert response.status_code == 200
    assert free in response.content.decode()


@pytest.mark.slow
def test_router_page_says_variable(client, synced):
    """openrouter/auto's "-1" prices read "variable", never a negative dollar amount."""
    page = client.get("/openrouter/auto").content.decode()
    assert "Price: variable" in page
    assert "-$" not in page and "$-" not in page


def test_unknown_model_is_our_404(client, synced):
    """A model we do not know gets our not-found page, naming it."""
    response = client.get("/nobody/no-such-model")
    assert response.status_code == 404
    assert "Browse all models" in response.content.decode()
    assert "nobody/no-such-model" in response.content.decode()


@pytest.mark.slow
def test_delisted_model_page_says_so(client, synced):
    """A model gone from upstream keeps its page, with a banner."""
    synced.set_snapshot("2025-05-12")
    sync_catalog()
    gone = LanguageModel.objects.filter(delisted_at__isnull=False).first()
    assert gone is not None
    response = client.get(gone.get_absolute_url())
    assert response.status_code == 200
    assert "No longer listed" in response.content.decode()


def test_hostile_description_is_sanitised(client, synced):
    """Script tags and javascript: links from upstream never reach the page."""
    LanguageModel.objects.filter(slug="liquid/lfm-40b").update(
        description="Hi <script>alert(1)</script> [x](javascript:alert(1)) "
        '<a href="javascript:alert(2)">y</a> <img src=x onerror=alert(3)>'
    )
    page = client.get("/liquid/lfm-40b").content.decode()
    description = page.split('aria-label="Description"')[1].split("</section>")[0]
    assert "<script" not in description.lower()
    assert "javascript:" not in page.lower()
    assert "onerror" not in description.lower()


def test_list_shows_fifty_per_page(client, synced):
    """The list pages through the 321 listed models, 50 at a time, newest first."""
    first = client.get("/")
    assert first.status_code == 200
    assert len(listed_slugs(first)) == 50
    last = client.get("/?page=7")
    assert len(listed_slugs(last)) == 321 - 6 * 50
    newest = LanguageModel.objects.order_by("-created", "slug").first()
    assert listed_slugs(first)[0] == newest.slug


def test_search_finds_the_liquid_models(client, synced):
    """?q=lfm finds the three Liquid models and nothing else."""
    response = client.get("/", {"q": "lfm"})
    assert response.status_code == 200
    assert sorted(listed_slugs(response)) == [
        "liquid/lfm-3b",
        "liquid/lfm-40b",
        "liquid/lfm-7b",
    ]


def test_page_past_the_end_is_empty_and_says_so(client, synced):
    """A page number past the end is a 200 with an explanation, not an error."""
    response = client.get("/?page=99999")
    assert response.status_code == 200
    assert listed_slugs(response) == []
    assert "There is no page 99999" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [({"page": "abc"}, "page"), ({"q": "x" * 5000}, "q"), ({"page": "0"}, "page")],
)
def test_bad_query_is_a_400_with_a_message(client, synced, params, field):
    """Malformed query strings are refused with a message, not a crash."""
    response = client.get("/", params)
    assert response.status_code == 400
    page = response.content.decode()
    assert "That query could not be used" in page
    assert f"<code>{field}</code>" in page


def test_list_query_count_does_not_grow_with_rows(
    client, synced, django_assert_max_num_queries
):
    """The list page costs the same few queries for 3 rows or 50, on any page; a
    ranked list one more (its ids, then its rows), but a search none (its page's
    query counts it); a word of five letters one more: its one-typo neighbours;
    a priced workload one more: its direct offers."""
    client.get("/")  # the data version and the filter choices are cached after it

    def counted(*queries: dict) -> set[int]:
        counts = set()
        for params in queries:
            with CaptureQueriesContext(connection) as captured:
                assert client.get("/", params).status_code == 200
            counts.add(len(captured))
        return counts

    (indexed,) = counted({}, {"page": 3}, {"page": 7}, {"sort": "context"})
    # A priced workload one more: the page's cheapest direct offers.
    assert counted({"sort": "cost"}, {"sort": "cost", "page": 3}) == {indexed + 2}
    assert counted({"q": "lfm"}) == {indexed}
    assert counted({"q": "lfm", "sort": "cost"}) == {indexed + 1}
    assert counted({"q": "llama"}, {"q": "llama", "page": 2}) == {indexed + 1}
    # A handful: counts, filter choices, the last sync, the page itself.
    with django_assert_max_num_queries(8):
        client.get("/")


def test_model_page_query_count_does_not_grow_with_providers(client, synced):
    """One provider, the seed's two, the busiest model's many: same query count."""
    data_version()  # read once, then cached: not a per-page query
    by_size = LanguageModel.objects.annotate(n=Count("endpoints")).filter(n__gt=0)
    fewest = by_size.order_by("n", "slug")[0]
    busiest = by_size.order_by("-n", "slug")[0]
    assert fewest.n < 2 < busiest.n
    # Links in a description cost a lookup of their own: measured without them.
    LanguageModel.objects.update(description="")
    counts = []
    for model in (fewest.slug, "liquid/lfm-40b", busiest.slug):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/{model}").status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts


def test_the_filter_choices_are_read_once_a_request(client, synced, settings):
    """Without a cache (each read goes to the database), the list's providers
    and authors are read once: the selects and the filter chips share them."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/?provider=openai").status_code == 200
    authors = [
        q for q in captured.captured_queries if 'FROM "catalog_author"' in q["sql"]
    ]
    assert len(authors) == 1, [q["sql"][:80] for q in authors]
