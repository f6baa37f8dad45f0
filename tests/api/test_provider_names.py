"""Provider names as upstream spells them: the demo uses upstream's spellings, and a
name outside the spec's list (upstream's list grows and changes) passes through
unchanged, the document's ProviderName being an open string."""

from __future__ import annotations

import pytest

from api.openapi import openapi_document
from api.upstream import known_values
from catalog.models import Endpoint, Provider

pytestmark = [pytest.mark.django_db]

# Demo providers upstream's 2026 list names no more: passed through as they are.
NOT_IN_THE_SPEC = {"Lambda", "Hyperbolic"}


def test_the_demo_spells_providers_as_upstream(client, synced):
    known = set(known_values("ProviderName"))
    # The API serves an endpoint's provider_name column as stored.
    stored = set(Endpoint.objects.values_list("provider_name", flat=True))
    assert stored - known <= NOT_IN_THE_SPEC
    body = client.get("/api/v1/models/google/gemini-2.5-pro-preview/endpoints").json()
    assert {e["provider_name"] for e in body["data"]["endpoints"]} <= stored
    names = set(Provider.objects.values_list("name", flat=True))
    assert names - known == NOT_IN_THE_SPEC


def test_a_name_outside_the_spec_passes_through(client, synced):
    endpoint = Endpoint.objects.filter(model__slug="liquid/lfm-40b").first()
    assert endpoint is not None
    Endpoint.objects.filter(pk=endpoint.pk).update(provider_name="Brand New Cloud")
    body = client.get("/api/v1/models/liquid/lfm-40b/endpoints").json()
    assert "Brand New Cloud" in {e["provider_name"] for e in body["data"]["endpoints"]}
    schema = openapi_document("http://testserver/api/v1")["components"]["schemas"]
    assert "enum" not in schema["ProviderName"]
    assert "string" in schema["ProviderName"]["type"]
