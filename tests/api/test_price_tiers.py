"""The 2026 pricing recordings (price tiers on models and endpoints, service tiers,
1-hour cache writes) synced and served: `pricing.overrides` exactly as recorded,
parsed by OpenRouter's Python SDK for every model and endpoint, and the cost
route pricing each part by the tier that applies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import openrouter
import pytest

from catalog.models import Endpoint, LanguageModel
from tests.api.conftest import (
    live_api,
    openrouter_sdk,
    reads_outside_a_test_transaction,
)
from tests.support import snapshots

pytestmark = [pytest.mark.http, pytest.mark.django_db]
_django_db_marker = pytest.fixture(autouse=True, name="_django_db_marker")(
    reads_outside_a_test_transaction
)

DATA = Path(__file__).resolve().parents[2] / "demo" / "data"


def recording() -> dict[str, dict[str, Any]]:
    body = json.loads((DATA / "models-2026-pricing.json").read_text())
    return {m["id"]: m for m in body["data"]}


def recorded_endpoints() -> dict[str, list[dict[str, Any]]]:
    return json.loads((DATA / "endpoints-2026-pricing.json").read_text())["data"]


@pytest.fixture(scope="module")
def tiered_api(django_db_setup, django_db_blocker) -> Iterator[str]:
    with snapshots.committed("tiered", django_db_blocker), live_api() as url:
        yield url


@pytest.fixture(scope="module")
def sdk(tiered_api: str) -> Iterator[openrouter.OpenRouter]:
    with openrouter_sdk(tiered_api) as client:
        yield client


def _get(url: str) -> Any:
    import httpx

    response = httpx.get(url, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def test_every_models_overrides_are_served_as_recorded(tiered_api):
    recorded = recording()
    served = {m["id"]: m for m in _get(f"{tiered_api}/models")["data"]}
    assert served.keys() == recorded.keys()
    tiered = 0
    for model_id, model in recorded.items():
        pricing = served[model_id]["pricing"]
        if "overrides" in model["pricing"]:
            tiered += 1
            # Order, keys and strings verbatim.
            assert pricing["overrides"] == model["pricing"]["overrides"], model_id
            assert json.dumps(pricing["overrides"]) == json.dumps(
                model["pricing"]["overrides"]
            )
        else:
            assert "overrides" not in pricing, model_id
    assert tiered == 4
    one = _get(f"{tiered_api}/model/google/gemini-2.5-pro")["data"]
    assert (
        one["pricing"]["overrides"]
        == recorded["google/gemini-2.5-pro"]["pricing"]["overrides"]
    )
    sonnet = served["anthropic/claude-sonnet-4.5"]["pricing"]
    assert sonnet["input_cache_write_1h"] == "0.000006"


def test_every_endpoints_overrides_are_served_as_recorded(tiered_api):
    for model_id, endpoints in recorded_endpoints().items():
        body = _get(f"{tiered_api}/models/{model_id}/endpoints")["data"]
        served = {e["tag"]: e for e in body["endpoints"]}
        for endpoint in endpoints:
            got = served[endpoint["tag"]]
            assert got["service_tier"] == endpoint["service_tier"], endpoint["tag"]
            if "overrides" in endpoint["pricing"]:
                assert got["pricing"]["overrides"] == endpoint["pricing"]["overrides"]
            else:
                assert "overrides" not in got["pricing"]


def test_the_python_sdk_parses_every_model_and_endpoint(sdk):
    models, page = [], sdk.models.list(output_modalities="all", limit=100)
    while page is not None:
        models += page.result.data
        page = page.next()
    recorded = recording()
    assert {m.id for m in models} == recorded.keys()
    for model in models:
        overrides = recorded[model.id]["pricing"].get("overrides")
        parsed = model.pricing.overrides
        if overrides is None:
            assert parsed is None, model.id
        else:
            assert [o.model_dump(exclude_none=True) for o in parsed] == overrides
    served = 0
    for model in LanguageModel.objects.filter(delisted_at__isnull=True):
        author, slug = model.slug.split("/", 1)
        data = sdk.endpoints.list(author=author, slug=slug).data
        served += len(data.endpoints)
        for endpoint in data.endpoints:
            if endpoint.pricing.overrides:
                assert endpoint.pricing.overrides[0].min_prompt_tokens in (
                    200000,
                    None,
                )
    assert served == Endpoint.objects.filter(delisted_at__isnull=True).count()
    gemini = sdk.endpoints.list(author="google", slug="gemini-2.5-pro").data
    tiers = {e.tag: e.service_tier for e in gemini.endpoints}
    assert tiers["google-vertex/flex"] == "flex"
    assert tiers["google-vertex/priority"] == "priority"


def test_the_cost_route_says_which_tier_priced_each_part(tiered_api):
    body = _get(
        f"{tiered_api}/cost?model=google/gemini-2.5-pro&input_tokens=300000"
        "&output_tokens=1000&requests_per_day=10"
    )
    model = body["model"]
    # 90M in x $2.50 + 0.3M out x $15 (the tier above 200,000 tokens).
    assert model["usd_per_month"] == "229.5"
    (prompt,) = model["parts"]["prompt"]["priced_by"]
    assert prompt["tier"] == "prompts over 200,000 tokens"
    assert prompt["overrides"] == [0] and prompt["share"] == "1"
    # Standard tier only by default: no flex nor priority row.
    assert {row["service_tier"] for row in body["data"]} == {None}
    cheapest = _get(
        f"{tiered_api}/cost?model=google/gemini-2.5-pro&input_tokens=300000"
        "&output_tokens=1000&requests_per_day=10&service_tier=cheapest"
    )
    first = cheapest["data"][0]
    assert first["service_tier"] == "flex"
    # Flex above 200,000 tokens: 90M x $1.25 + 0.3M x $7.50.
    assert D(first["usd_per_month"]) == D("114.75")


def test_a_window_is_weighed_by_the_requests_hours(tiered_api):
    url = (
        f"{tiered_api}/cost?model=deepseek/deepseek-chat&input_tokens=1000"
        "&output_tokens=0&requests_per_day=30"
    )
    spread = _get(url)["model"]
    # 0.9M in: 16 of 24 hours at $0.32/M, 8 at $0.16/M.
    assert spread["usd_per_month"] == "0.24"
    night = _get(f"{url}&utc_start=1700&utc_end=2300")["model"]
    assert night["usd_per_month"] == "0.144"
    assert night["parts"]["prompt"]["priced_by"][0]["tier"] == "16:30–00:30 UTC"


def _camel(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry with the TypeScript SDK's camelCase keys."""
    return {
        k.split("_")[0] + "".join(w[0].upper() + w[1:] for w in k.split("_")[1:]): v
        for k, v in entry.items()
    }


@pytest.mark.integration
def test_the_typescript_sdk_parses_every_model_and_endpoint(tiered_api):
    from tests.support.typescript import Call, sdk_calls

    slugs = sorted(recording())
    listed, *endpoints = sdk_calls(
        tiered_api,
        [
            Call("models.list", ({"outputModalities": "all"},)),
            *(
                Call(
                    "endpoints.list",
                    ({"author": s.split("/")[0], "slug": s.split("/", 1)[1]},),
                )
                for s in slugs
            ),
        ],
    )
    assert listed.ok, listed.error
    models = {m["id"]: m for page in listed.value["pages"] for m in page["data"]}
    for model_id, model in recording().items():
        want = [_camel(o) for o in model["pricing"].get("overrides", [])]
        assert models[model_id]["pricing"].get("overrides", []) == want, model_id
    recorded = recorded_endpoints()
    for slug, outcome in zip(slugs, endpoints, strict=True):
        assert outcome.ok, (slug, outcome.error)
        served = {e["tag"]: e for e in outcome.value["data"]["endpoints"]}
        for endpoint in recorded.get(slug, []):
            # (This SDK version's endpoint has no service tier: it drops the key.)
            got = served[endpoint["tag"]]
            # The SDK's camelCase keys: minPromptTokens, inputCacheRead, …
            want = endpoint["pricing"].get("overrides")
            assert (want is None) == ("overrides" not in got["pricing"])
            if want:
                assert got["pricing"]["overrides"] == [_camel(o) for o in want]
