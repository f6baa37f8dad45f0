"""OpenRouter's official Python SDK, over HTTP against a live server holding the
synced demo catalogue: endpoints.list and providers.list parse, and say what we
hold (an editor's override included)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import openrouter
import pytest
from openrouter import components, errors, operations

from catalog.models import Endpoint, LanguageModel, Provider
from tests.api.conftest import (
    OVERRIDDEN,
    openrouter_sdk,
    reads_outside_a_test_transaction,
)
from tests.support import contract

pytestmark = [pytest.mark.http, pytest.mark.clients, pytest.mark.django_db]
_django_db_marker = pytest.fixture(autouse=True, name="_django_db_marker")(
    reads_outside_a_test_transaction
)


@pytest.fixture(scope="module")
def sdk(demo_api: str) -> Iterator[openrouter.OpenRouter]:
    # Closed before the server stops: a kept-alive connection would keep its
    # request thread, and that thread's database session, past the module.
    with openrouter_sdk(demo_api) as client:
        yield client


def test_endpoints_list_parses_for_every_demo_model(sdk):
    models = LanguageModel.objects.filter(delisted_at__isnull=True).order_by("slug")
    served = 0
    for model in models:
        author, slug = model.slug.split("/", 1)
        data = sdk.endpoints.list(author=author, slug=slug).data
        assert data.id == model.slug
        stored = Endpoint.objects.filter(model=model, delisted_at__isnull=True)
        assert len(data.endpoints) == stored.count(), model.slug
        served += len(data.endpoints)
    assert models.count() == 321
    assert served == Endpoint.objects.filter(delisted_at__isnull=True).count() > 321


def test_endpoint_fields_come_from_our_data(sdk):
    data = sdk.endpoints.list(author="google", slug="gemini-2.5-pro-preview").data
    by_tag = {e.tag: e for e in data.endpoints}
    vertex = by_tag["google-vertex"]
    assert vertex.pricing.prompt == "0.00000125"
    assert vertex.context_length == 1_048_576
    # tool_choice is among its supported parameters: every value is accepted.
    assert "tool_choice" in vertex.supported_parameters
    choice = vertex.supports_tool_choice
    assert (choice.auto, choice.none, choice.required, choice.function) == (True,) * 4
    # Nothing upstream did not say: no tier, no native tools, no diarization.
    assert vertex.service_tier is None and vertex.native_tools == {}
    assert vertex.supports_diarization is False
    assert vertex.perf_last_30m_by_workload is None


def test_rolling_stats_are_the_latest_sample(sdk):
    from stats.models import EndpointSample

    endpoint = Endpoint.objects.filter(model__slug="openai/gpt-4o").first()
    sample = EndpointSample.objects.filter(endpoint=endpoint).latest("window_start")
    data = sdk.endpoints.list(author="openai", slug="gpt-4o").data
    served = next(e for e in data.endpoints if e.name == endpoint.name)
    assert served.latency_last_30m.p50 == sample.latency_p50
    assert served.throughput_last_30m.p99 == sample.throughput_p99
    assert served.uptime_last_1d == sample.uptime_1d


def test_a_model_without_tool_choice_accepts_no_tool_choice(sdk):
    listed = Endpoint.objects.filter(
        delisted_at__isnull=True, model__delisted_at=None
    ).select_related("model")
    endpoint = next(
        e for e in listed.order_by("pk") if "tool_choice" not in e.supported_parameters
    )
    author, slug = endpoint.model.slug.split("/", 1)
    data = sdk.endpoints.list(author=author, slug=slug).data
    served = next(e for e in data.endpoints if e.name == endpoint.name)
    assert "tool_choice" not in served.supported_parameters
    assert served.supports_tool_choice.auto is False


def test_an_editors_override_is_what_the_sdk_reads(sdk):
    slug, context = OVERRIDDEN
    endpoint = Endpoint.objects.filter(model__slug=slug).order_by("key").first()
    author, rest = slug.split("/", 1)
    data = sdk.endpoints.list(author=author, slug=rest).data
    served = next(e for e in data.endpoints if e.name == endpoint.name)
    assert served.context_length == context == endpoint.context_length


def test_unknown_model_is_the_sdks_not_found_error(sdk):
    with pytest.raises(errors.NotFoundResponseError):
        sdk.endpoints.list(author="nobody", slug="nothing")


def test_providers_list_parses(sdk):
    providers = sdk.providers.list().data
    listed = Provider.objects.filter(listed=True, delisted_at__isnull=True)
    assert {p.slug for p in providers} == set(listed.values_list("slug", flat=True))
    assert len(providers) > 10
    stored = listed.exclude(privacy_policy_url="").first()
    served = next(p for p in providers if p.slug == stored.slug)
    assert served.privacy_policy_url == stored.privacy_policy_url
    assert served.name == stored.name


# One entry per SDK response model we serve: its class, and the API paths whose
# bodies it parses. A new served call is covered by adding its entry.
CONTRACTS = {
    "ListEndpointsResponse": (
        operations.ListEndpointsResponse,
        [
            "/models/google/gemini-2.5-pro-preview/endpoints",
            "/models/liquid/lfm-40b/endpoints",
            "/models/openai/gpt-4o/endpoints",
            "/models/openrouter/auto/endpoints",
            "/models/mistralai/mistral-7b-instruct:free/endpoints",
        ],
    ),
    "ListProvidersResponse": (operations.ListProvidersResponse, ["/providers"]),
    "ModelsListResponse": (
        components.ModelsListResponse,
        ["/models?limit=100", "/models?limit=100&offset=100&order=price"],
    ),
    "ModelResponse": (
        components.ModelResponse,
        ["/models/liquid/lfm-40b", "/models/openai/gpt-4o"],
    ),
}


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_we_emit_every_field_the_installed_sdk_requires(demo_api, name):
    model, paths = CONTRACTS[name]
    for path in paths:
        response = httpx.get(demo_api + path, timeout=10)
        assert response.status_code == 200, path
        missing = contract.missing_fields(model, response.json())
        assert missing == set(), f"{path} lacks what the SDK requires: {missing}"


def test_the_drift_check_names_a_field_a_future_sdk_requires(demo_api):
    class FutureEndpoint(components.PublicEndpoint):
        carbon_grams: float | None

    class FutureList(components.ListEndpointsResponse):
        endpoints: list[FutureEndpoint]

    class FutureResponse(operations.ListEndpointsResponse):
        data: FutureList

    body = httpx.get(demo_api + "/models/openai/gpt-4o/endpoints", timeout=10).json()
    assert body["data"]["endpoints"]
    missing = contract.missing_fields(FutureResponse, body)
    assert missing == {"data.endpoints[].carbon_grams"}
    # The walk reaches nested required fields too (tool_choice flags, pricing).
    required = contract.required_paths(operations.ListEndpointsResponse)
    assert {
        "data.endpoints[].supports_tool_choice.auto",
        "data.endpoints[].pricing.prompt",
        "data.endpoints[].native_tools{}.type",
        "data.architecture.tokenizer",
    } <= required
