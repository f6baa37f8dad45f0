"""The OpenAPI document is generated from the declarations: its components are the
shapes in api.shapes (and the upstream schemas they refer to), every route of
api/urls.py is in it, and every route answers in the shape it declares."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from django.urls import URLPattern
from jsonschema import Draft202012Validator
from schemathesis.specs.openapi.definitions import OPENAPI_31
from typing_extensions import TypeAliasType, is_typeddict

from api import shapes
from api.openapi.schemas import generated_schemas
from api.upstream import REF, upstream_schemas
from api.urls import urlpatterns
from catalog.editorial.overrides import override_set
from catalog.models import Endpoint, LanguageModel
from catalog.syncs import sync_embeddings, sync_images, sync_videos

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _is_shape(name: str) -> bool:
    value = getattr(shapes, name, None)
    return is_typeddict(value) or isinstance(value, TypeAliasType)


def _declared(name: str) -> dict[str, Any]:
    """A shape's schema, generated on its own."""
    return generated_schemas([getattr(shapes, name)])[1][name]


def test_the_components_are_the_declared_shapes_and_upstreams_schemas(document):
    components = document["components"]["schemas"]
    ours = {name for name in components if _is_shape(name)}
    assert {"Model", "PublicEndpoint", "PublicPricing", "Provider", "Error"} <= ours
    for name, schema in components.items():
        if name in ours:
            assert schema == _declared(name), name
        else:
            # Passed through as upstream sent it: upstream's schema, unchanged.
            assert schema == upstream_schemas()[name], name


def test_every_component_is_used_and_every_reference_resolves(document):
    components = document["components"]["schemas"]
    used = _references(document["paths"])
    while more := {r for name in used for r in _references(components[name])} - used:
        used |= more
    assert used == set(components)


def _references(value: Any) -> set[str]:
    found = set(re.findall(r"'\$ref': '#/components/schemas/(\w+)'", repr(value)))
    return found


def test_every_route_is_in_the_document(document):
    routes = {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(p.pattern))
        for p in urlpatterns
        if isinstance(p, URLPattern) and p.name
    }
    assert routes == set(document["paths"])
    ids = [op["get"]["operationId"] for op in document["paths"].values()]
    assert len(ids) == len(set(ids))


@pytest.mark.slow
def test_the_document_is_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"
    assert list(Draft202012Validator(OPENAPI_31).iter_errors(document)) == []
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


# ---------------------------------------------------------------- the answers

AT = "2099-01-01"
ROUTES = {
    "api-root": ["/"],
    "api-openapi": ["/openapi.json"],
    "api-models": ["/models", "/models?limit=5&offset=2", "/models?limit=0"],
    "api-models-count": ["/models/count?q=llama"],
    "api-models-user": ["/models/user?limit=3"],
    "api-models-suggest": ["/models/suggest?q=gpt", "/models/suggest"],
    "api-model": [
        "/models/liquid/lfm-40b",
        "/models/openai/gpt-4o?at=" + AT,
        "/models/nobody/none",
    ],
    "api-model-get": ["/model/openai/gpt-4o"],
    "api-model-endpoints": [
        "/models/openai/gpt-4o/endpoints",
        "/models/liquid/lfm-40b/endpoints",
    ],
    "api-model-offers": ["/models/openai/gpt-4o/offers"],
    "api-model-prices-csv": ["/models/openai/gpt-4o/prices.csv"],
    "api-model-tokens-csv": ["/models/openai/gpt-4o/tokens.csv"],
    "api-providers": ["/providers", "/providers?include_delisted=true"],
    "api-cost": [
        "/cost?preset=rag&limit=10",
        "/cost?model=openai/gpt-4o&preset=agent",
        "/cost?images=1000.00",
    ],
    "api-endpoints-zdr": ["/endpoints/zdr"],
    "api-embeddings-models": [
        "/embeddings/models",
        "/embeddings/models?offset=2&limit=3",
        "/embeddings/models?limit=0",
    ],
    "api-images-models": ["/images/models"],
    "api-image-model-endpoints": [
        "/images/models/black-forest-labs/flux.2-pro/endpoints",
        "/images/models/nobody/none/endpoints",
    ],
    "api-videos-models": ["/videos/models"],
    "api-benchmarks": [
        "/benchmarks",
        "/benchmarks?source=design-arena&arena=models",
        "/benchmarks?task_type=coding&max_results=3",
        "/benchmarks?source=mmlu",
    ],
}


@pytest.fixture
def edited(synced):
    """The synced demo catalogue, with an editor's overrides and the objects
    upstream sends for some models only."""
    model = LanguageModel.objects.get(slug="openai/gpt-4o")
    override_set(model, "context_length", 100_000, reason="Provider docs say so")
    endpoint = Endpoint.objects.filter(model__slug="liquid/lfm-40b").first()
    assert endpoint is not None
    override_set(endpoint, "context_length", 16_384, reason="Provider docs say so")
    model.raw |= {
        "reasoning": {"mandatory": False, "default_enabled": True},
        "alias_target": {"slug": "openai/gpt-4o-2024-11-20", "name": "GPT-4o"},
    }
    model.save(update_fields=["raw"])
    for sync in (sync_embeddings, sync_images, sync_videos):
        sync()
    return synced


@pytest.mark.slow
def test_every_route_answers_in_its_declared_shape(client, document, edited):
    assert set(ROUTES) == {p.name for p in urlpatterns if p.name}
    components = document["components"]["schemas"]
    closed = _closed(components)
    for url in (u for urls in ROUTES.values() for u in urls):
        path, _, _ = url.partition("?")
        response = client.get("/api/v1" + url)
        declared = _declared_path(document, path)["get"]["responses"]
        assert str(response.status_code) in declared, url
        content = declared[str(response.status_code)].get("content", {})
        if "application/json" not in content:
            assert response["Content-Type"].startswith("text/csv"), url
            continue
        schema = content["application/json"]["schema"]
        body = response.json()
        for schemas in (components, closed):
            validator = Draft202012Validator(
                {**schema, "components": {"schemas": schemas}}
            )
            errors = [
                f"{list(e.path)}: {e.message}" for e in validator.iter_errors(body)
            ]
            assert errors == [], (url, errors[:3])


def test_the_closed_schemas_refuse_an_undeclared_key(client, document, edited):
    """The check above would see a key the declarations lack."""
    closed = _closed(document["components"]["schemas"])
    body = client.get("/api/v1/providers").json()
    body["data"][0]["modelboard"]["surprise"] = 1
    schema = {"$ref": REF + "BoardProviderList", "components": {"schemas": closed}}
    assert list(Draft202012Validator(schema).iter_errors(body)) != []


def _declared_path(document: dict[str, Any], path: str) -> dict[str, Any]:
    for template, item in document["paths"].items():
        pattern = re.sub(r"\\{\w+\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            return item
    raise AssertionError(f"{path} is not in the document")


def _closed(components: dict[str, Any]) -> dict[str, Any]:
    """Our shapes with no key beyond those declared (prices excepted: upstream's
    new price keys pass through)."""
    closed = copy.deepcopy(components)
    for name, schema in closed.items():
        open_ = name in ("PublicPricing", "EndpointPricing")
        if _is_shape(name) and "properties" in schema and not open_:
            schema["additionalProperties"] = False
    return closed
