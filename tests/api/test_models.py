"""GET /api/v1/models and friends: upstream's shapes, our filters, HTTP manners."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from catalog.models import LanguageModel
from tests.api.conftest import spec_validator

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.backend,
    pytest.mark.state("catalogued"),
]


def _errors(validator, item) -> list[str]:
    return [
        f"{'/'.join(map(str, e.path))}: {e.message}"
        for e in validator.iter_errors(item)
    ]


def test_every_2025_model_validates_against_the_spec(client, catalogued):
    validator = spec_validator("Model")
    body = client.get("/api/v1/models").json()
    assert len(body["data"]) == LanguageModel.objects.count() == 321
    assert body["total_count"] == 321 and body["links"] == {"next": None}
    problems = {m["id"]: _errors(validator, m) for m in body["data"]}
    assert {k: v for k, v in problems.items() if v} == {}


def test_the_seed_model_reads_like_upstream(client, catalogued):
    data = client.get("/api/v1/models/liquid/lfm-40b").json()["data"]
    assert data["id"] == "liquid/lfm-40b"
    assert data["name"] == "Liquid: LFM 40B MoE"
    assert data["created"] == 1727654400
    assert data["context_length"] == 32768
    assert data["pricing"]["prompt"] == "0.00000015"
    assert data["pricing"]["completion"] == "0.00000015"
    assert data["pricing"]["request"] == "0"
    assert data["architecture"]["instruct_type"] == "chatml"
    assert data["links"]["details"] == "/api/v1/models/liquid/lfm-40b/endpoints"
    extra = data["modelboard"]
    assert extra["edited"] == {}
    assert extra["page_url"] == "http://testserver/liquid/lfm-40b"
    assert extra["price_history_url"].endswith(
        "/api/v1/models/liquid/lfm-40b/prices.csv"
    )
    assert extra["delisted_at"] is None


def test_prices_are_read_from_columns_not_raw(client, catalogued):
    """An editor's price (the column) is what the API says, as a per-token string."""
    LanguageModel.objects.filter(slug="liquid/lfm-40b").update(
        price_prompt=Decimal("0.2"), price_completion=Decimal("1.25")
    )
    pricing = client.get("/api/v1/models/liquid/lfm-40b").json()["data"]["pricing"]
    assert pricing["prompt"] == "0.0000002"
    assert pricing["completion"] == "0.00000125"


def test_routers_say_minus_one(client, catalogued):
    data = client.get("/api/v1/models/openrouter/auto").json()["data"]
    assert data["pricing"]["prompt"] == data["pricing"]["completion"] == "-1"
    assert data["modelboard"]["variable_price"] is True


def test_pagination_with_offset_and_limit(client, catalogued):
    first = client.get("/api/v1/models", {"limit": 100}).json()
    assert len(first["data"]) == 100 and first["total_count"] == 321
    assert (
        "offset=100" in first["links"]["next"] and "limit=100" in first["links"]["next"]
    )
    last = client.get("/api/v1/models", {"offset": 300, "limit": 100}).json()
    assert len(last["data"]) == 21 and last["links"]["next"] is None
    everything = client.get("/api/v1/models").json()["data"]
    assert [m["id"] for m in everything[:100]] == [m["id"] for m in first["data"]]


@pytest.mark.slow
def test_filters_and_orders(client, catalogued):
    tools = client.get("/api/v1/models", {"supported_parameters": "tools,tool_choice"})
    data = tools.json()["data"]
    assert data and all(
        {"tools", "tool_choice"} <= set(m["supported_parameters"]) for m in data
    )
    text = client.get("/api/v1/models", {"output_modalities": "text"}).json()
    assert all("text" in m["architecture"]["output_modalities"] for m in text["data"])
    found = client.get("/api/v1/models", {"q": "lfm-40b"}).json()["data"]
    assert [m["id"] for m in found] == ["liquid/lfm-40b"]
    by_context = client.get("/api/v1/models", {"order": "context"}).json()["data"]
    contexts = [m["context_length"] or 0 for m in by_context]
    assert contexts == sorted(contexts, reverse=True)
    by_name = client.get("/api/v1/models", {"order": "name"}).json()["data"]
    names = [m["name"].casefold() for m in by_name]
    assert names == sorted(names)
    newest = client.get("/api/v1/models").json()["data"]
    created = [m["created"] for m in newest]
    assert created == sorted(created, reverse=True)


def test_delisted_models_only_on_request(client, catalogued):
    LanguageModel.objects.filter(slug="liquid/lfm-40b").update(
        delisted_at="2025-06-01T00:00Z"
    )
    ids = {m["id"] for m in client.get("/api/v1/models").json()["data"]}
    assert "liquid/lfm-40b" not in ids
    body = client.get("/api/v1/models", {"include_delisted": "true"}).json()
    assert "liquid/lfm-40b" in {m["id"] for m in body["data"]}
    assert client.get("/api/v1/models/liquid/lfm-40b").status_code == 404
    again = client.get("/api/v1/models/liquid/lfm-40b", {"include_delisted": "1"})
    assert again.json()["data"]["modelboard"]["delisted_at"].startswith("2025-06-01")


def test_etag_gives_304_and_caching_headers(client, catalogued, settings):
    settings.PAGE_CACHE_SECONDS = 300  # validators come with the public page cache
    response = client.get("/api/v1/models")
    etag = response["ETag"]
    assert etag.startswith('"') and response["Cache-Control"] == "public, max-age=60"
    assert response["Last-Modified"].endswith("GMT")
    again = client.get("/api/v1/models", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    other = client.get("/api/v1/models", {"limit": 5}, HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200


def test_cors_on_get_and_preflight(client, catalogued):
    assert client.get("/api/v1/models")["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/models",
        HTTP_ORIGIN="https://example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert client.get("/api/v1/nothing")["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "query",
    [
        {"limit": "0"},
        {"limit": "1001"},
        {"limit": "ten"},
        {"offset": "-1"},
        {"order": "random"},
        {"output_modalities": "smells"},
        {"include_delisted": "maybe"},
        {"q": "x" * 201},
        # One of the document's enum given empty is none of its values.
        {"zdr": ""},
        {"sort": ""},
        {"region": " "},
        {"category": ""},
    ],
)
def test_bad_parameters_are_a_400_in_json(client, catalogued, query):
    response = client.get("/api/v1/models", query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == 400 and error["message"].startswith(
        "Invalid query parameter"
    )
    assert f"{next(iter(query))}:" in error["message"]


def test_bad_date_is_a_400(client, catalogued):
    response = client.get("/api/v1/models/liquid/lfm-40b", {"at": "2026-13-01"})
    assert response.status_code == 400
    assert "at" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/models/nobody/nothing",
        "/api/v1/models/nobody/nothing/endpoints",
        "/api/v1/models/nobody/nothing/prices.csv",
        "/api/v1/does-not-exist",
        "/api/v1/models/a/b/c/d",
        # A newline in the path (what schemathesis sent) is no route either.
        "/api/v1/model/%C3%B7%0A%0F/nousresearch%2Fhermes-3-llama-3.1-70b",
    ],
)
def test_unknown_ids_and_routes_are_a_404_in_json(client, catalogued, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == 404


def test_writes_are_refused(client, catalogued):
    response = client.post("/api/v1/models", {})
    assert response.status_code == 405
    assert response.json()["error"]["code"] == 405


def test_variant_ids_with_a_colon(client, catalogued):
    free = LanguageModel.objects.filter(slug__contains=":").first()
    response = client.get(f"/api/v1/models/{free.slug}")
    assert response.status_code == 200 and response.json()["data"]["id"] == free.slug


def test_endpoints_follow_the_public_endpoint_shape(client, synced):
    body = client.get("/api/v1/models/google/gemini-2.5-pro-preview/endpoints").json()
    data = body["data"]
    assert data["id"] == "google/gemini-2.5-pro-preview"
    assert len(data["endpoints"]) == 2
    endpoint = data["endpoints"][0]
    for key in (
        "name",
        "model_id",
        "model_name",
        "context_length",
        "pricing",
        "provider_name",
        "tag",
        "quantization",
        "max_completion_tokens",
        "max_prompt_tokens",
        "supported_parameters",
        "status",
        "uptime_last_30m",
        "supports_implicit_caching",
        "latency_last_30m",
    ):
        assert key in endpoint
    # A number as upstream sent it: its 0 stays 0 (tests/api/test_verbatim.py).
    assert endpoint["pricing"]["discount"] == 0
    assert endpoint["pricing"]["prompt"] == "0.00000125"
    assert endpoint["modelboard"]["edited"] == {}


def test_providers_list(client, catalogued):
    validator = spec_validator("Provider")
    data = client.get("/api/v1/providers").json()["data"]
    assert data
    assert [p for p in data if list(validator.iter_errors(p))] == []


def test_openapi_document_describes_our_responses(client, catalogued):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    assert "/models/{author}/{slug}" in document["paths"]
    validator = spec_validator("BoardModelList", document["components"])
    body = client.get("/api/v1/models", {"limit": 50}).json()
    assert list(validator.iter_errors(body)) == []
    one = spec_validator("BoardModelResponse", document["components"])
    detail = client.get("/api/v1/models/liquid/lfm-40b").json()
    assert list(one.iter_errors(detail)) == []
    assert list(one.iter_errors({"data": {"id": 1}})) != []


def test_hidden_models_stay_out_of_the_api(client, catalogued):
    LanguageModel.objects.filter(slug="liquid/lfm-40b").update(hidden=True)
    ids = {m["id"] for m in client.get("/api/v1/models").json()["data"]}
    assert "liquid/lfm-40b" not in ids
    assert client.get("/api/v1/models/liquid/lfm-40b").status_code == 404


def test_model_list_query_count_is_constant(
    client, catalogued, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/models")
    assert len(response.json()["data"]) == 321


def test_a_large_unpaged_list_is_streamed_whole(client, catalogued, monkeypatch):
    """Past a page's worth, the unpaged list (upstream's default) streams every
    model in the same shape as pages of it."""
    monkeypatch.setattr("api.views.MAX_LIMIT", 100)
    response = client.get("/api/v1/models")
    assert response.streaming
    body = json.loads(b"".join(response.streaming_content))
    paged = []
    for offset in range(0, 400, 100):
        page = client.get("/api/v1/models", {"offset": offset, "limit": 100}).json()
        paged += page["data"]
    assert body["data"] == paged and body["total_count"] == len(paged) == 321
    assert body["links"] == {"next": None}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_every_api_filter_counts_the_same_models_on_the_ranks(catalogued):
    """total_count and /models/count come from the narrow rows; the page from the
    model rows: the same models under every filter."""
    from django.utils import timezone

    from api.selectors import ModelQuery, model_api_ranks, models_filtered
    from catalog.models import TaskClassification

    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    TaskClassification.objects.create(
        model=model,
        tag="general:roleplay",
        macro_category="general",
        rank=0,
        usage_share=0.5,
        token_share=0.5,
        seen_at=timezone.now(),
    )
    queries = [
        ModelQuery(),
        ModelQuery(include_delisted=True),
        ModelQuery(q="llama"),
        ModelQuery(output_modalities=frozenset({"text"})),
        ModelQuery(input_modalities=frozenset({"image", "file"})),
        ModelQuery(supported_parameters=frozenset({"tools", "tool_choice"})),
        ModelQuery(context=200_000),
        ModelQuery(model_authors=frozenset({"openai", "anthropic"})),
        ModelQuery(providers=frozenset({"openai"}), region="us"),
        ModelQuery(arch="llama3"),
        ModelQuery(category="roleplay"),
        ModelQuery(min_price=Decimal("0.1"), max_output_price=Decimal("2")),
        ModelQuery(min_age_days=30, max_age_days=400),
    ]
    for query in queries:
        models = set(models_filtered(query).values_list("pk", flat=True))
        ranks = set(model_api_ranks(query).values_list("model_id", flat=True))
        assert ranks == models, query
    assert set(models_filtered(ModelQuery(category="roleplay"))) == {model}
