"""GET /api/v1/models/{author}/{slug}/offers: routed and direct offers of a model,
as the OpenAPI document describes them, direct prices exact to the map's text."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from catalog.models import DirectOffer, LanguageModel
from catalog.sources.litellm import BASE_KEYS
from demo import litellm
from tests.api.conftest import spec_validator
from tests.support import snapshots

pytestmark = [pytest.mark.django_db, pytest.mark.state("direct")]


@pytest.fixture
def direct(mock_upstream):
    snapshots.load("direct")
    return mock_upstream


def _offers(client, slug: str) -> dict:
    response = client.get(f"/api/v1/models/{slug}/offers")
    assert response.status_code == 200, response.content[:300]
    return response.json()


@pytest.mark.slow
def test_every_offers_response_validates_and_is_exact(direct, client):
    """For every model a direct offer is matched to: the body is the document's
    OfferList, and each direct price is the number the map's text spells."""
    document = client.get("/api/v1/openapi.json").json()
    validator = spec_validator("OfferList", document["components"])
    recorded = json.loads(litellm.prices_text(litellm.LATEST), parse_float=Decimal)
    slugs = set(
        DirectOffer.objects.filter(delisted_at=None)
        .exclude(model=None)
        .values_list("model__slug", flat=True)
    )
    assert len(slugs) > 100
    checked = 0
    for slug in sorted(slugs):
        body = _offers(client, slug)
        validator.validate(body)
        for offer in body["data"]:
            if offer["source"] != "litellm":
                continue
            entry = recorded[offer["key"]]
            for theirs, ours in BASE_KEYS.items():
                if theirs in entry:
                    assert Decimal(offer["pricing"][ours]) == entry[theirs]
                    checked += 1
    assert checked > 700


def test_a_models_offers_name_their_source_and_match(direct, client):
    body = _offers(client, "openai/gpt-4o")
    sources = {(o["source"], o["provider"], o["key"]) for o in body["data"]}
    assert ("litellm", "openai", "gpt-4o") in sources
    assert any(source == "openrouter" for source, _, _ in sources)
    (own,) = [o for o in body["data"] if o["key"] == "gpt-4o"]
    assert own["match"] == "exact"
    assert own["pricing"]["prompt"] == "0.0000025"
    assert own["modes"]["batch"]["pricing"]["prompt"] == "0.00000125"
    assert own["source_url"].startswith("https://")
    assert own["as_of"]


def test_offers_of_an_unknown_model_is_a_404(direct, client):
    assert client.get("/api/v1/models/nobody/nothing/offers").status_code == 404


def test_a_model_without_direct_offers_lists_its_routed_ones(direct, client):
    model = LanguageModel.objects.exclude(direct_offers__isnull=False).first()
    body = _offers(client, model.slug)
    assert {o["source"] for o in body["data"]} <= {"openrouter"}


def test_cost_per_provider_routed_direct_or_both(direct, client):
    """/api/v1/cost?model=…&source=: OpenRouter's endpoints, the providers' list
    prices, or both, cheapest first, each row naming its source."""
    document = client.get("/api/v1/openapi.json").json()
    validator = spec_validator("EndpointCostList", document["components"])
    bodies = {}
    for source in ("routed", "direct", "all"):
        response = client.get(f"/api/v1/cost?model=openai/o3&source={source}")
        assert response.status_code == 200
        validator.validate(response.json())
        bodies[source] = response.json()["data"]
    assert {r["source"] for r in bodies["routed"]} == {"openrouter"}
    assert {r["source"] for r in bodies["direct"]} == {"litellm"}
    assert len(bodies["all"]) == len(bodies["routed"]) + len(bodies["direct"])
    cheapest = bodies["all"][0]
    assert (cheapest["source"], cheapest["tag"]) == ("litellm", "o3")
    totals = [Decimal(r["usd_per_month"]) for r in bodies["all"]]
    assert totals == sorted(totals)
    assert client.get("/api/v1/cost?model=openai/o3&source=x").status_code == 400


@pytest.mark.slow
def test_cost_list_adds_the_cheapest_direct_offer(direct, client):
    body = client.get("/api/v1/cost?source=all&limit=400").json()
    rows = {r["id"]: r for r in body["data"]}
    assert rows["openai/o3"]["direct"]["key"] == "o3"
    assert Decimal(rows["openai/o3"]["direct"]["usd_per_month"]) < Decimal(
        rows["openai/o3"]["usd_per_month"]
    )
    plain = client.get("/api/v1/cost?limit=400").json()
    assert all("direct" not in r for r in plain["data"])
