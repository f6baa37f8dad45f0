"""OpenRouter's official TypeScript SDK (`@openrouter/sdk`, run by Node), over HTTP
against a live server holding the synced demo catalogue: its catalogue calls parse
what we serve (its zod schemas validate every response) and say what we hold."""

from __future__ import annotations

import pytest

from catalog.models import LanguageModel, Provider
from tests.api.conftest import reads_outside_a_test_transaction
from tests.support.typescript import Call, sdk_calls

pytestmark = [pytest.mark.http, pytest.mark.integration, pytest.mark.django_db]
_django_db_marker = pytest.fixture(autouse=True, name="_django_db_marker")(
    reads_outside_a_test_transaction
)


def test_models_list_count_and_get_parse_and_agree(demo_api):
    listed, count, one = sdk_calls(
        demo_api,
        [
            Call("models.list", ({"outputModalities": "all"},)),
            Call("models.count", ({"outputModalities": "all"},)),
            Call("models.get", ({"author": "liquid", "slug": "lfm-40b"},)),
        ],
    )
    assert listed.ok, listed.error
    ids = [m["id"] for page in listed.value["pages"] for m in page["data"]]
    stored = LanguageModel.objects.filter(delisted_at__isnull=True)
    assert sorted(ids) == sorted(stored.values_list("slug", flat=True))
    assert count.ok, count.error
    assert count.value["data"]["count"] == len(ids) == 321
    assert one.ok, one.error
    model = one.value["data"]
    assert model["id"] == "liquid/lfm-40b"
    assert model["contextLength"] == 32_768
    assert model["pricing"]["prompt"] == "0.00000015"


def test_providers_list_parses(demo_api):
    (providers,) = sdk_calls(demo_api, [Call("providers.list")])
    assert providers.ok, providers.error
    slugs = {p["slug"] for p in providers.value["data"]}
    assert slugs == set(
        Provider.objects.filter(delisted_at__isnull=True).values_list("slug", flat=True)
    )


def test_an_unknown_model_is_the_sdks_not_found(demo_api):
    (missing,) = sdk_calls(
        demo_api, [Call("models.get", ({"author": "nobody", "slug": "nothing"},))]
    )
    assert not missing.ok
    assert missing.error["status"] == 404, missing.error
