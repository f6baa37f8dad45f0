"""Parsing upstream payloads of every era, and typing the errors of the HTTP edge."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from catalog.sources.base import (
    HttpClient,
    PermanentError,
    TransientError,
    parse_items,
)
from catalog.sources.fields import MAX_TEXT
from catalog.sources.openrouter import EndpointRecord, ModelRecord
from demo.server import DemoUpstream
from tests.support.recordings import DATA, recorded


def parse(items: list[Any]):
    return parse_items(items, ModelRecord, lambda item, i: f"item #{i}")


def by_id(items: list[dict[str, Any]], model_id: str) -> dict[str, Any]:
    return next(item for item in items if item["id"] == model_id)


def a_model(**changes: Any) -> dict[str, Any]:
    """A plain, valid model in the 2025 shape, with `changes` applied."""
    item = json.loads(json.dumps(by_id(recorded("2025-05-22"), "liquid/lfm-40b")))
    return item | changes


@pytest.mark.parametrize(
    ("date", "count"), [("2025-04-24", 301), ("2025-05-12", 320), ("2025-05-22", 321)]
)
def test_recorded_2025_catalogues_parse_without_item_errors(date: str, count: int):
    """Each recorded 2025 model list parses completely."""
    fetched = parse(recorded(date))
    assert fetched.errors == []
    assert len(fetched.records) == count


@pytest.mark.slow
def test_every_history_recording_parses_without_item_errors():
    """All 63 daily 2026 recordings parse completely, model for model."""
    assert DemoUpstream.history_length() == 63
    for index in range(63):
        raw = DemoUpstream.history_snapshot(index)
        fetched = parse(raw)
        assert fetched.errors == [], f"history:{index}"
        assert [r.id for r in fetched.records] == [m["id"] for m in raw]


def test_seed_model_fields_match_the_recording():
    """liquid/lfm-40b comes out with the facts its OpenRouter page shows."""
    (lfm,) = [
        r for r in parse(recorded("2025-05-22")).records if r.id == "liquid/lfm-40b"
    ]
    assert lfm.name == "Liquid: LFM 40B MoE"
    assert lfm.created == datetime(2024, 9, 30, tzinfo=UTC)
    assert lfm.context_length == 32768
    assert lfm.pricing.token["prompt"] == Decimal("0.15")
    assert lfm.pricing.token["completion"] == Decimal("0.15")
    assert lfm.pricing.variable is False
    assert lfm.architecture.tokenizer == "Other"
    assert lfm.architecture.instruct_type == "chatml"
    assert lfm.author == "liquid"
    assert lfm.variant == ""


def test_router_minus_one_prices_mean_variable():
    """openrouter/auto's "-1" prices become the variable flag, never -$1."""
    (auto,) = [
        r for r in parse(recorded("2025-05-22")).records if r.id == "openrouter/auto"
    ]
    assert auto.pricing.variable is True
    assert all(value >= 0 for value in auto.pricing.token.values())
    assert all(value >= 0 for value in auto.pricing.unit.values())


def test_float_artefact_price_is_read_exactly_enough():
    """ "0.00000020000000000000002" per token is $0.2 per million."""
    item = a_model(pricing={"prompt": "0.00000020000000000000002", "completion": "0"})
    (record,) = parse([item]).records
    assert record.pricing.token["prompt"] == Decimal("0.2")
    assert record.pricing.token["completion"] == Decimal(0)


def test_variant_is_taken_from_the_id():
    """The part after ":" is the variant."""
    (record,) = parse([a_model(id="liquid/lfm-40b:free")]).records
    assert record.variant == "free"


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"id": None}, "id"),
        ({"id": 1234}, "id"),
        ({"id": "no-slash"}, "id"),
        ({"pricing": {"prompt": "abc", "completion": "0"}}, "pricing"),
        ({"pricing": {"prompt": "1e999", "completion": "0"}}, "pricing"),
        ({"pricing": {"prompt": "-2", "completion": "0"}}, "pricing"),
        ({"context_length": "huge"}, "context_length"),
        ({"context_length": -5}, "context_length"),
        ({"context_length": 10**20}, "context_length"),
        ({"created": "yesterday"}, "created"),
    ],
)
def test_hostile_item_is_reported_and_the_rest_kept(change: dict[str, Any], where: str):
    """One bad item becomes an item error naming the field; its neighbours survive."""
    good = recorded("2025-05-22")[:5]
    bad = a_model(**change)
    if change.get("id") is None:
        del bad["id"]
    fetched = parse([*good[:2], bad, *good[2:]])
    assert [r.id for r in fetched.records] == [m["id"] for m in good]
    (error,) = fetched.errors
    assert where in error.error


def test_huge_description_is_clipped():
    """A 5 MB description is cut to the text limit instead of stored whole."""
    (record,) = parse([a_model(description="x" * 5_000_000)]).records
    assert len(record.description) == MAX_TEXT


def test_html_in_description_is_kept_as_text():
    """Parsing does not interpret markup: sanitising is the template's job."""
    text = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    (record,) = parse([a_model(description=text)]).records
    assert record.description == text


def test_unknown_fields_are_ignored():
    """Fields upstream adds later do not break parsing."""
    item = a_model(brand_new_field={"nested": [1, 2]}, links=["x"])
    item["architecture"] = item["architecture"] | {"future": True}
    (record,) = parse([item]).records
    assert record.id == "liquid/lfm-40b"
    assert record.raw["brand_new_field"] == {"nested": [1, 2]}


def test_recorded_endpoints_parse():
    """The recorded Gemini endpoints body gives two provider endpoints."""
    body = json.loads(
        (DATA / "endpoints-google-gemini-2.5-pro-preview-2025-05-22.json").read_text()
    )
    fetched = parse_items(
        body["data"]["endpoints"], EndpointRecord, lambda e, i: str(i)
    )
    assert fetched.errors == []
    vertex, studio = fetched.records
    assert (vertex.tag, studio.tag) == ("google-vertex", "google-ai-studio")
    assert (vertex.provider_name, studio.provider_name) == (
        "Google",
        "Google AI Studio",
    )
    assert vertex.context_length == 1048576
    assert (vertex.max_completion_tokens, studio.max_completion_tokens) == (
        65535,
        65536,
    )
    for endpoint in (vertex, studio):
        assert endpoint.pricing.discount == Decimal(0)
        assert endpoint.pricing.unit["image"] == Decimal("0.00516")
        assert endpoint.pricing.token["prompt"] == Decimal("1.25")
        assert endpoint.pricing.token["completion"] == Decimal("10")
        assert endpoint.pricing.token["input_cache_write"] == Decimal("1.625")
        assert endpoint.status == 0


# ------------------------------------------------------------------ the HTTP edge


def client_answering(handler) -> HttpClient:
    return HttpClient(
        timeout=1,
        user_agent="tests",
        requests_per_second=1000,
        transport=httpx.MockTransport(handler),
    )


def get(handler) -> Any:
    return client_answering(handler).get_json("https://upstream.test/api/v1/models")


def test_rate_limit_is_transient_with_retry_after():
    """429 with Retry-After can be retried, after the delay upstream asked for."""
    answer = httpx.Response(
        429, json={"error": {"message": "slow down"}}, headers={"Retry-After": "7"}
    )
    with pytest.raises(TransientError) as caught:
        get(lambda request: answer)
    assert caught.value.retry_after == 7
    assert "429" in str(caught.value)
    assert "slow down" in str(caught.value)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_transient(status: int):
    """5xx answers are worth retrying."""
    with pytest.raises(TransientError, match=f"HTTP {status}"):
        get(lambda request: httpx.Response(status, text="oops"))


@pytest.mark.parametrize("status", [400, 401, 404])
def test_client_errors_are_permanent(status: int):
    """Other 4xx answers will not get better by retrying."""
    with pytest.raises(PermanentError, match=f"HTTP {status}"):
        get(lambda request: httpx.Response(status, json={"error": {"message": "no"}}))


def test_html_page_with_200_is_permanent_and_names_the_content_type():
    """A Cloudflare page served as 200 is not mistaken for data."""
    page = httpx.Response(
        200, text="<html>Bad gateway</html>", headers={"content-type": "text/html"}
    )
    with pytest.raises(PermanentError, match="text/html"):
        get(lambda request: page)


def test_truncated_json_is_permanent():
    """Half a JSON body fails as unparseable JSON."""
    body = json.dumps({"data": recorded("2025-05-22")[:3]}).encode()
    answer = httpx.Response(
        200,
        content=body[: len(body) // 2],
        headers={"content-type": "application/json"},
    )
    with pytest.raises(PermanentError, match="JSON"):
        get(lambda request: answer)


def test_timeout_is_transient():
    """A read timeout is reported as one, and may be retried."""

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("too slow", request=request)

    with pytest.raises(TransientError, match="timed out"):
        get(handler)


def test_connection_error_is_transient():
    """An unreachable upstream may come back."""

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(TransientError, match="connection failed"):
        get(handler)


def test_requests_carry_user_agent_and_key():
    """Every request says who we are, and sends the key only when one is set."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"data": []})

    keyed = HttpClient(
        timeout=1, user_agent="modelboard-tests", api_key="sk-test",
        transport=httpx.MockTransport(handler),
    )  # fmt: skip
    keyed.get_json("https://upstream.test/x")
    client_answering(handler).get_json("https://upstream.test/x")
    assert seen[0].headers["User-Agent"] == "modelboard-tests"
    assert seen[0].headers["Authorization"] == "Bearer sk-test"
    assert "Authorization" not in seen[1].headers


@pytest.mark.parametrize("created", [10**20, -(10**20)])
def test_out_of_range_created_is_an_item_error(created: int):
    """A timestamp no calendar can hold is one item error, not a crashed fetch."""
    good = recorded("2025-05-22")[:3]
    fetched = parse([a_model(created=created), *good])
    assert [r.id for r in fetched.records] == [m["id"] for m in good]
    assert "created" in fetched.errors[0].error


def test_nonsense_retry_after_falls_back_to_our_backoff():
    """A Retry-After that is not a finite number is ignored."""
    answer = httpx.Response(429, headers={"Retry-After": "nan"})
    with pytest.raises(TransientError) as caught:
        get(lambda request: answer)
    assert caught.value.retry_after is None
