"""OpenRouter's official TypeScript SDK (`@openrouter/sdk`, run by Node), over HTTP
against a live server holding the synced demo catalogue: its catalogue calls parse
what we serve (its zod schemas validate every response) and say what we hold."""

from __future__ import annotations

import pytest

from catalog.models import LanguageModel, Provider
from tests.api.conftest import reads_outside_a_test_transaction
from tests.support.typescript import Call, sdk_calls

pytestmark = [
    pytest.mark.http,
    pytest.mark.integration,
    pytest.mark.clients,
    pytest.mark.django_db,
]
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


def _listed_ids(outcome) -> list[str]:
    assert outcome.ok, outcome.error
    return [m["id"] for page in outcome.value["pages"] for m in page["data"]]


def test_filters_and_the_user_list_read_as_the_sdk_documents_them(demo_api):
    llama, searched, default, everything, mine, keyless = sdk_calls(
        demo_api,
        [
            Call("models.list", ({"arch": "Llama", "outputModalities": "all"},)),
            Call("models.list", ({"q": "gpt-4o", "outputModalities": "all"},)),
            Call("models.list", ({},)),
            Call("models.list", ({"outputModalities": "all"},)),
            Call("models.listForUser", ({"bearer": "any-key"}, {})),
            Call("models.listForUser", ({"bearer": ""}, {})),
        ],
    )
    # arch: the family, every generation of its tokenizer.
    families = set(
        LanguageModel.objects.filter(tokenizer__startswith="Llama").values_list(
            "slug", flat=True
        )
    )
    assert set(_listed_ids(llama)) == families and families
    # q: names and ids, never a description alone.
    assert _listed_ids(searched)
    assert all(i.startswith("openai/gpt-4") for i in _listed_ids(searched))
    # The default output is text; the default order upstream's.
    listed = LanguageModel.objects.filter(delisted_at__isnull=True)
    text = [m for m in listed if "text" in (m.output_modalities or ["text"])]
    assert len(_listed_ids(default)) == len(text)
    ordered = listed.order_by("upstream_position")
    assert _listed_ids(everything) == list(ordered.values_list("slug", flat=True))
    # /models/user: the public list for any key, upstream's 401 without one.
    assert _listed_ids(mine) == _listed_ids(default)
    assert not keyless.ok and keyless.error["status"] == 401, keyless.error


def test_category_takes_the_specs_values_only(demo_api):
    """Before any poll of the task classifications (this server's state) a known
    category lists no model, and parses; an unknown one is the SDK's 400."""
    known, unknown = sdk_calls(
        demo_api,
        [
            Call("models.list", ({"category": "programming"},)),
            Call("models.list", ({"category": "cooking"},)),
        ],
    )
    assert _listed_ids(known) == []
    assert not unknown.ok
    assert unknown.error["status"] == 400, unknown.error
