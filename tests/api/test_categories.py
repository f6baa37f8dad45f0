"""GET /api/v1/models?category=: the models upstream ranks for the category's
tasks (its task classifications, polled from the demo upstream), in the list's
order; a known category nobody ranks lists none, an unknown one is a 400."""

from __future__ import annotations

import pytest

from catalog.categories import CATEGORIES, categories_of
from catalog.models import LanguageModel
from catalog.syncs import sync_categories
from demo.classifications import classifications_payload
from tests.support import snapshots

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.backend,
    pytest.mark.state("catalogued"),
]


@pytest.fixture
def categorised(mock_upstream, settings):
    snapshots.load("catalogued")
    settings.OPENROUTER_API_KEY = "demo"
    assert sync_categories().status == "succeeded"
    return mock_upstream


def ranked_for(category: str) -> set[str]:
    """The demo data's model ids of every tag the category takes, read from the
    served body rather than from what we stored."""
    return {
        m["id"]
        for c in classifications_payload()["data"]["classifications"]
        if category in categories_of(c["tag"], c["macro_category"])
        for m in c["models"]
    }


def listed(client, query: str) -> list[str]:
    response = client.get(f"/api/v1/models?output_modalities=all&{query}")
    assert response.status_code == 200, response.content
    return [m["id"] for m in response.json()["data"]]


def test_programming_lists_the_models_ranked_for_code(client, categorised):
    programming = ranked_for("programming")
    assert len(programming) == 8
    ids = listed(client, "category=programming")
    assert set(ids) == programming
    # In the list's own order (upstream's), as without the filter.
    everything = listed(client, "")
    assert ids == [i for i in everything if i in programming]
    count = client.get(
        "/api/v1/models/count?output_modalities=all&category=programming"
    )
    assert count.json()["data"]["count"] == 8


@pytest.mark.parametrize("category", ["roleplay", "translation", "marketing/seo"])
def test_every_category_lists_its_own_tasks_models(client, categorised, category):
    assert set(listed(client, f"category={category}")) == ranked_for(category)
    assert ranked_for(category)


def test_the_category_is_read_in_any_case(client, categorised):
    assert set(listed(client, "category=Programming")) == ranked_for("programming")


def test_a_known_category_nobody_ranks_is_an_empty_list(client, categorised):
    assert ranked_for("legal") == set()
    response = client.get("/api/v1/models?category=legal")
    assert response.status_code == 200
    assert response.json()["data"] == []


def test_before_any_poll_every_category_is_empty(client, catalogued):
    assert listed(client, "category=programming") == []


@pytest.mark.parametrize("category", ["cooking", "code", "code:general_impl", " "])
def test_an_unknown_category_is_a_400_naming_the_known_ones(
    client, catalogued, category
):
    response = client.get("/api/v1/models", {"category": category})
    assert response.status_code == 400
    if not category.strip():
        # Given empty it is none of the document's values (left out, no filter).
        assert "category: must not be empty" in response.json()["error"]["message"]
        return
    message = response.json()["error"]["message"]
    assert "unknown category" in message and all(c in message for c in CATEGORIES)


def test_a_delisted_model_leaves_its_categories(client, categorised):
    gone = "mistralai/codestral-2501"
    assert gone in listed(client, "category=programming")
    LanguageModel.objects.filter(slug=gone).update(delisted_at="2025-05-23T00:00Z")
    assert gone not in listed(client, "category=programming")
