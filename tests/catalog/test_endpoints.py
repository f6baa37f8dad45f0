"""Polling every listed model's providers (endpoints) from the demo upstream."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from catalog.ingest.endpoints import endpoint_upsert_many
from catalog.models import CatalogEvent, Endpoint, LanguageModel
from catalog.sources import openrouter_source
from catalog.syncs import sync_endpoints
from demo import synth
from tests.support import snapshots
from tests.support.recordings import recorded

pytestmark = [pytest.mark.django_db, pytest.mark.state("catalogued")]

ENDPOINTS_PATH = re.compile(r"^/api/v1/models/(.+)/endpoints$")


@pytest.fixture
def catalogued(mock_upstream):
    """Providers and the 2025-05-22 catalogue synced, endpoints not yet
    (restored from this run's snapshot of them)."""
    snapshots.load("catalogued")
    return mock_upstream


@pytest.mark.slow
def test_every_listed_model_gets_the_endpoints_upstream_lists(catalogued):
    """After one run each model has as many endpoints as the demo serves for it."""
    run = sync_endpoints()
    assert run.status == "succeeded"
    assert run.counts["failed"] == 0
    served = {m["id"]: len(synth.specs_for(m)) for m in recorded("2025-05-22")}
    stored = Counter(Endpoint.objects.values_list("model__slug", flat=True))
    assert {slug: stored.get(slug, 0) for slug in served} == served
    assert run.counts["created"] == sum(served.values())
    # The first import is one baseline event, not one per endpoint.
    assert not CatalogEvent.objects.filter(kind="endpoint_added").exists()
    baseline = CatalogEvent.objects.get(kind="baseline", after__sync="endpoints")
    assert baseline.after["endpoints"] == sum(served.values())


@pytest.mark.slow
def test_seed_model_has_liquid_and_lambda(catalogued):
    """liquid/lfm-40b is served by Liquid (32,768) and Lambda (65,536)."""
    snapshots.load("synced")  # what the endpoints sync stores
    endpoints = Endpoint.objects.filter(model__slug="liquid/lfm-40b").select_related(
        "provider"
    )
    by_provider = {e.provider.name: e for e in endpoints}
    assert set(by_provider) == {"Liquid", "Lambda"}
    assert by_provider["Liquid"].context_length == 32768
    assert by_provider["Lambda"].context_length == 65536
    assert by_provider["Lambda"].max_completion_tokens == 65536
    for endpoint in endpoints:
        assert endpoint.price_prompt == Decimal("0.15")
        assert endpoint.price_completion == Decimal("0.15")
        assert endpoint.provider.listed is True  # joined to the /providers row


@pytest.mark.slow
def test_second_run_changes_nothing(catalogued):
    """Rolling stats move between polls; stored endpoints and events do not."""
    sync_endpoints()
    rows = list(Endpoint.objects.order_by("pk").values())
    events = CatalogEvent.objects.count()
    run = sync_endpoints()
    assert (run.counts["created"], run.counts["updated"]) == (0, 0)
    assert run.counts["unchanged"] == len(rows)
    assert list(Endpoint.objects.order_by("pk").values()) == rows
    assert CatalogEvent.objects.count() == events


@pytest.mark.slow
def test_one_request_per_listed_model(catalogued):
    """The run asks for each listed model's endpoints exactly once."""
    start = len(catalogued.requests)
    sync_endpoints()
    asked = Counter(
        match.group(1)
        for _, path, _ in catalogued.requests[start:]
        if (match := ENDPOINTS_PATH.match(path.split("?")[0]))
    )
    listed = set(
        LanguageModel.objects.filter(delisted_at__isnull=True).values_list(
            "slug", flat=True
        )
    )
    assert set(asked) == listed
    assert set(asked.values()) == {1}


def test_endpoint_price_change_is_an_event(catalogued):
    """A provider repricing its endpoint records before and after for that endpoint."""
    fetched = openrouter_source().fetch_endpoints("liquid/lfm-40b")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    endpoint_upsert_many({"liquid/lfm-40b": fetched.records}, now=now)
    liquid, lambda_ = fetched.records
    raw = liquid.raw["pricing"] | {"completion": "0.0000002"}
    repriced = liquid.model_validate(liquid.raw | {"pricing": raw})
    repriced._raw = liquid.raw | {"pricing": raw}

    later = datetime(2026, 1, 2, tzinfo=UTC)
    result = endpoint_upsert_many({"liquid/lfm-40b": [repriced, lambda_]}, now=later)
    assert (result.updated, result.unchanged) == (1, 1)
    (event,) = CatalogEvent.objects.filter(kind="endpoint_price")
    assert event.endpoint.tag == liquid.tag
    assert event.provider.slug == "liquid"
    assert event.before.keys() == event.after.keys() == {"completion"}
    assert Decimal(event.before["completion"]) == Decimal("0.00000015")
    assert Decimal(event.after["completion"]) == Decimal("0.0000002")
    assert event.observed_at == later
    stored = Endpoint.objects.get(pk=event.endpoint_id)
    assert stored.price_completion == Decimal("0.2")


def test_vanished_endpoint_is_delisted_with_an_event(catalogued):
    """A provider that stops serving a model is marked, not deleted."""
    fetched = openrouter_source().fetch_endpoints("liquid/lfm-40b")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    endpoint_upsert_many({"liquid/lfm-40b": fetched.records}, now=now)
    later = datetime(2026, 1, 2, tzinfo=UTC)
    result = endpoint_upsert_many({"liquid/lfm-40b": fetched.records[:1]}, now=later)
    assert result.delisted == 1
    assert Endpoint.objects.filter(model__slug="liquid/lfm-40b").count() == 2
    gone = Endpoint.objects.get(delisted_at=later)
    assert gone.provider.slug == "lambda"
    assert CatalogEvent.objects.filter(kind="endpoint_removed", endpoint=gone).exists()


def test_long_endpoint_text_fits_the_columns(catalogued):
    """Every text an endpoint record can carry fits its column."""
    from catalog.ingest.endpoints import endpoint_fields
    from catalog.models import Provider
    from catalog.sources.openrouter import EndpointRecord

    (raw,) = [
        e.raw for e in openrouter_source().fetch_endpoints("liquid/lfm-40b").records[:1]
    ]
    record = EndpointRecord.model_validate(
        raw | {"tag": "t" * 250, "provider_name": "P" * 250}
    )
    values = endpoint_fields(record, Provider.objects.first())
    for field in Endpoint._meta.concrete_fields:
        limit = getattr(field, "max_length", None)
        if limit and isinstance(values.get(field.name), str):
            assert len(values[field.name]) <= limit, field.name


@pytest.mark.slow
@pytest.mark.django_db
def test_each_sync_closes_the_http_client_it_opened(catalogued, monkeypatch):
    """A long-lived worker must not keep one connection pool per sync it ran."""
    from catalog import syncs
    from catalog.syncs import openrouter

    made = []
    real = openrouter.openrouter_source

    def tracking():
        made.append(real())
        return made[-1]

    monkeypatch.setattr(openrouter, "openrouter_source", tracking)
    syncs.sync_providers()
    syncs.sync_catalog()
    syncs.sync_endpoints(slugs=["liquid/lfm-40b"])
    assert len(made) == 3
    assert all(source.http._client.is_closed for source in made)


CAPABILITIES_2026 = {
    "service_tier": "flex",
    "native_tools": {"openrouter:web_search": {"type": "web_search_20250305"}},
    "supports_tool_choice": {
        "auto": True,
        "none": True,
        "required": False,
        "function": True,
    },
    "supports_diarization": True,
    "supports_voice_cloning": False,
}


def _serve_endpoints(demo, slug: str, endpoints: list[dict]) -> None:
    body = {"data": {"id": slug, "name": slug, "endpoints": endpoints}}
    demo.serve_body(f"/api/v1/models/{slug}/endpoints", json.dumps(body))


@pytest.mark.slow
def test_capabilities_upstream_sends_are_stored(catalogued):
    """The 2026 fields of an endpoint (tier, native tools, tool_choice flags, audio
    flags) land in their columns; a re-poll without them empties them again."""
    raw = openrouter_source().fetch_endpoints("liquid/lfm-40b").records[0].raw
    _serve_endpoints(catalogued, "liquid/lfm-40b", [raw | CAPABILITIES_2026])
    sync_endpoints(slugs=["liquid/lfm-40b"])
    endpoint = Endpoint.objects.get(model__slug="liquid/lfm-40b", delisted_at=None)
    assert endpoint.service_tier == "flex"
    assert endpoint.native_tools == CAPABILITIES_2026["native_tools"]
    assert endpoint.supports_tool_choice == CAPABILITIES_2026["supports_tool_choice"]
    assert endpoint.supports_diarization is True
    assert endpoint.supports_voice_cloning is False
    assert endpoint.supports_image_reference is None

    _serve_endpoints(catalogued, "liquid/lfm-40b", [raw])
    sync_endpoints(slugs=["liquid/lfm-40b"])
    endpoint.refresh_from_db()
    assert (endpoint.service_tier, endpoint.native_tools) == ("", {})
    assert endpoint.supports_tool_choice is None
    assert endpoint.supports_diarization is None


@pytest.mark.parametrize(
    "field, junk",
    [
        ("service_tier", 7),
        ("native_tools", ["openrouter:web_search"]),
        ("native_tools", {"openrouter:x": {"type": None}}),
        ("supports_tool_choice", {"auto": "yes", "none": True}),
        ("supports_tool_choice", True),
        ("supports_diarization", "true"),
    ],
)
@pytest.mark.slow
def test_a_capability_of_the_wrong_shape_is_unknown_not_a_lost_endpoint(
    catalogued, field, junk
):
    raw = openrouter_source().fetch_endpoints("liquid/lfm-40b").records[0].raw
    _serve_endpoints(catalogued, "liquid/lfm-40b", [raw | {field: junk}])
    assert sync_endpoints(slugs=["liquid/lfm-40b"]).status == "succeeded"
    endpoint = Endpoint.objects.get(model__slug="liquid/lfm-40b", delisted_at=None)
    assert getattr(endpoint, field) in (None, "", {})
