"""The list page's kind filter and the pages of embedding, image and video
models: their own lists with unit prices, apart from the chat catalogue."""

from __future__ import annotations

import pytest

from catalog.syncs import sync_embeddings, sync_images, sync_videos

pytestmark = pytest.mark.django_db


@pytest.fixture
def kinds_synced(mock_upstream):
    for sync in (sync_embeddings, sync_images, sync_videos):
        sync()
    return mock_upstream


def test_the_chat_list_offers_the_kinds_and_is_the_default(client, kinds_synced):
    page = client.get("/").content.decode()
    assert 'data-kind="chat" aria-current="page"' in page
    for kind in ("embeddings", "images", "videos"):
        assert f'href="/?kind={kind}" data-kind="{kind}"' in page
    # None of them is in the chat catalogue's count.
    assert '<strong id="result-count">0</strong>' in page


def test_the_embeddings_kind_lists_embedding_models_with_unit_prices(
    client, kinds_synced, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get("/?kind=embeddings")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<strong id="result-count">12</strong>' in page
    assert 'data-kind="embeddings" aria-current="page"' in page
    assert "Text Embedding 3 Small" in page
    assert "$0.02 per 1M input text tokens" in page
    assert page.index("Text Embedding 3 Small") < page.index("Text Embedding 3 Large")


def test_images_list_each_providers_price(client, kinds_synced):
    page = client.get("/?kind=images").content.decode()
    assert "$0.03 per megapixel (output image)" in page
    assert "(Black Forest Labs)" in page and "(Together)" in page


@pytest.mark.parametrize(
    ("kind", "query", "found"),
    [
        ("embeddings", "embedding", 12),
        ("embeddings", "qwen", 2),
        ("images", "image generation", 10),
        ("images", "flux", 3),
        ("videos", "sora", 2),
        ("embeddings", "sora", 0),
    ],
)
def test_search_within_a_kind(client, kinds_synced, kind, query, found):
    page = client.get("/", {"kind": kind, "q": query}).content.decode()
    assert f'<strong id="result-count">{found}</strong>' in page


def test_search_in_chat_does_not_find_them(client, kinds_synced):
    page = client.get("/?q=embedding").content.decode()
    assert '<strong id="result-count">0</strong>' in page


@pytest.mark.parametrize(
    "query",
    [
        "kind=audio",
        "kind=embeddings&page=0",
        "kind=embeddings&page=x",
        "kind=images&q=flux%00",
        "kind=%3Cscript%3E",
    ],
)
def test_a_bad_kind_or_page_is_a_400_that_says_why(client, kinds_synced, query):
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_a_page_past_the_last_says_so(client, kinds_synced):
    page = client.get("/?kind=videos&page=99").content.decode()
    assert "There is no such page" in page


def test_a_kind_model_page_shows_facts_and_unit_prices(client, kinds_synced):
    response = client.get("/images/black-forest-labs/flux.2-pro")
    assert response.status_code == 200
    page = response.content.decode()
    assert "FLUX.2 [pro]" in page and "Image generation" in page
    assert "$0.03 per megapixel (output image)" in page
    assert "Providers" in page and "Together" in page
    video = client.get("/videos/google/veo-3.1").content.decode()
    assert "$0.50 per generate" in video and "Durations (s)" in video
    embedding = client.get("/embeddings/openai/text-embedding-3-large").content.decode()
    assert "$0.13 per 1M input text tokens" in embedding


def test_an_unknown_kind_model_is_a_404(client, kinds_synced):
    assert client.get("/embeddings/openai/gpt-4o").status_code == 404


def test_a_bad_chat_query_keeps_the_kind_filter(client, kinds_synced):
    response = client.get("/?min_context=lots")
    assert response.status_code == 400
    assert 'href="/?kind=embeddings"' in response.content.decode()
