"""The fields OpenRouter's SDK requires of an endpoint, from what we store: what
upstream said when it said it, what follows from our data otherwise, never a
made-up figure."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openrouter import components, operations

from api.openapi import openapi_document
from stats.models import EndpointSample
from tests.support.factories import T0, make_endpoint, make_model

pytestmark = pytest.mark.django_db

FLAGS = {"auto": True, "none": False, "required": False, "function": True}


def _endpoints(client, slug: str = "acme/model") -> list[dict]:
    response = client.get(f"/api/v1/models/{slug}/endpoints")
    assert response.status_code == 200
    # Whatever we serve, the SDK's own model of the response parses it.
    operations.ListEndpointsResponse.model_validate(response.json())
    return response.json()["data"]["endpoints"]


def _model(**extra):
    return make_model("acme/model", context_length=8192, **extra)


def test_upstreams_capabilities_are_served_as_stored(client):
    make_endpoint(
        _model(),
        "acme",
        price_prompt=Decimal(1),
        price_completion=Decimal(2),
        supported_parameters=["tools", "tool_choice"],
        supports_tool_choice=FLAGS,
        service_tier="priority",
        native_tools={"openrouter:web_search": {"type": "web_search"}},
        supports_diarization=True,
    )
    (served,) = _endpoints(client)
    assert served["supports_tool_choice"] == FLAGS
    assert served["service_tier"] == "priority"
    assert served["native_tools"] == {"openrouter:web_search": {"type": "web_search"}}
    assert served["supports_diarization"] is True


def test_without_upstreams_flags_tool_choice_follows_the_parameters(client):
    model = _model()
    common = {"price_prompt": Decimal(1), "price_completion": Decimal(2)}
    make_endpoint(model, "yes", supported_parameters=["tool_choice"], **common)
    make_endpoint(model, "no", supported_parameters=["tools"], **common)
    by_tag = {e["tag"]: e for e in _endpoints(client)}
    assert set(by_tag["yes"]["supports_tool_choice"].values()) == {True}
    assert set(by_tag["no"]["supports_tool_choice"].values()) == {False}
    for served in by_tag.values():
        assert served["service_tier"] is None and served["native_tools"] == {}
        assert served["supports_diarization"] is False
        assert served["supports_implicit_caching"] is False
        assert "perf_last_30m_by_workload" not in served


def test_stats_are_all_four_percentiles_or_none(client):
    endpoint = make_endpoint(
        _model(), "acme", price_prompt=Decimal(1), price_completion=Decimal(2)
    )
    EndpointSample.objects.create(
        endpoint=endpoint,
        window_start=T0,
        polled_at=T0,
        uptime_1d=99.5,
        latency_p50=300,
        latency_p75=None,
        throughput_p50=50,
        throughput_p75=40,
        throughput_p90=30,
        throughput_p99=float("nan"),
    )
    (served,) = _endpoints(client)
    assert served["uptime_last_1d"] == 99.5
    # Upstream's percentiles come four together; a partial or NaN set is unknown.
    assert served["latency_last_30m"] is None
    assert served["throughput_last_30m"] is None


def test_an_endpoint_without_a_context_serves_its_models(client):
    make_endpoint(
        _model(),
        "acme",
        context_length=None,
        price_prompt=Decimal(1),
        price_completion=Decimal(2),
    )
    (served,) = _endpoints(client)
    assert served["context_length"] == 8192


@pytest.mark.parametrize(
    "sdk_model, name",
    [
        (components.PublicEndpoint, "PublicEndpoint"),
        (components.ListEndpointsResponse, "ListEndpointsResponse"),
        (operations.ListProvidersData, "Provider"),
        (components.ToolChoiceSupport, "ToolChoiceSupport"),
    ],
)
def test_the_document_requires_what_the_installed_sdk_requires(sdk_model, name):
    schemas = openapi_document("http://testserver/api/v1")["components"]["schemas"]
    required = {
        field.alias or key
        for key, field in sdk_model.model_fields.items()
        if field.is_required()
    }
    assert required
    assert required - set(schemas[name]["required"]) == set()
    assert set(sdk_model.model_fields) - set(schemas[name]["properties"]) == set()
