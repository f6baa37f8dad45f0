"""OpenRouter's official SDKs, Python and TypeScript, over HTTP against a live
server holding the demo catalogue with its ZDR endpoints marked: the ZDR list
parses and holds exactly the marked endpoints, and the models list with `zdr`
exactly the models that have one."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import openrouter
import pytest

from catalog.models import Endpoint
from tests.api.conftest import (
    live_api,
    openrouter_sdk,
    reads_outside_a_test_transaction,
)
from tests.api.test_openrouter_sdk import listed
from tests.support import snapshots
from tests.support.typescript import Call, sdk_calls

pytestmark = [pytest.mark.http, pytest.mark.django_db]
_django_db_marker = pytest.fixture(autouse=True, name="_django_db_marker")(
    reads_outside_a_test_transaction
)


@pytest.fixture(scope="module")
def zdr_api(django_db_setup, django_db_blocker) -> Iterator[str]:
    """/api/v1 of a live server over the demo catalogue with its ZDR endpoints
    marked (committed for this module)."""
    with snapshots.committed("zdr", django_db_blocker), live_api() as url:
        yield url


@pytest.fixture(scope="module")
def sdk(zdr_api: str) -> Iterator[openrouter.OpenRouter]:
    with openrouter_sdk(zdr_api) as client:
        yield client


def test_list_zdr_endpoints_parses_and_lists_the_marked_ones(sdk):
    items = sdk.endpoints.list_zdr_endpoints().data
    marked = Endpoint.objects.filter(zdr=True, delisted_at__isnull=True)
    assert len(items) == marked.count() > 50
    # Variants' endpoints share a name: the model id tells them apart.
    by_key = {
        (e.model.canonical_slug or e.model.slug, e.name, e.tag): e
        for e in marked.select_related("model", "provider")
    }
    assert len(by_key) == len(items)
    for item in items:
        stored = by_key[(item.model_id, item.name, item.tag)]
        assert item.provider_name == stored.provider_name
        assert Decimal(item.pricing.prompt) * 10**6 == stored.price_prompt
        assert item.context_length in (
            stored.context_length,
            stored.model.context_length,
        )


def test_models_list_zdr_lists_the_models_with_a_zdr_endpoint(sdk):
    models = listed(sdk, zdr="true", output_modalities="all")
    expected = set(
        Endpoint.objects.filter(zdr=True, delisted_at__isnull=True).values_list(
            "model__slug", flat=True
        )
    )
    assert {m.id for m in models} == expected
    everything = listed(sdk, output_modalities="all")
    assert 0 < len(models) < len(everything)
    assert sdk.models.count(output_modalities="all").data.count == len(everything)


@pytest.mark.integration
@pytest.mark.slow
def test_the_typescript_sdk_parses_the_zdr_list_and_filter(zdr_api):
    """`@openrouter/sdk` (Node): listZdrEndpoints parses every item (its zod
    schemas refuse a null where the spec has none), and models.list with zdr
    lists the models that have a ZDR endpoint."""
    listed_zdr, models = sdk_calls(
        zdr_api,
        [
            Call("endpoints.listZdrEndpoints"),
            Call("models.list", ({"zdr": "true", "outputModalities": "all"},)),
        ],
    )
    assert listed_zdr.ok, listed_zdr.error
    marked = Endpoint.objects.filter(zdr=True, delisted_at__isnull=True)
    items = listed_zdr.value["data"]
    assert len(items) == marked.count() > 50
    assert {(i["name"], i["tag"]) for i in items} == set(
        marked.values_list("name", "tag")
    )
    assert models.ok, models.error
    expected = set(marked.values_list("model__slug", flat=True))
    ids = {m["id"] for page in models.value["pages"] for m in page["data"]}
    assert ids == expected
