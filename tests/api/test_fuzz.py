"""Property-based fuzz of the API and the pages' query strings: no 5xx, whatever
the input; the API's answers match its OpenAPI document, and what the document
calls valid is accepted.

The API's operations and parameters are read from the document itself, so a route
or parameter added to it is fuzzed without touching this file. Bounded and
deterministic (derandomize): the same examples run in CI every time.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from api.forms import ModelListParams, output_modalities_pattern
from api.openapi import openapi_document
from catalog.models import CatalogEvent, EventKind
from stats.models import EndpointSample, TokenUsageDaily
from tests.support.factories import make_endpoint, make_model

pytestmark = [pytest.mark.django_db, pytest.mark.backend]

FUZZ = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DOC = openapi_document(server="http://testserver/api/v1")
IDS = ["acme/model", "acme/model:free", "acme/secret", "nobody/none"]
# Any text a URL can carry (lone surrogates cannot be encoded at all).
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
JUNK = st.one_of(
    ANY_TEXT,
    st.sampled_from(
        ["", " ", "-1", "0", "1e400", "NaN", "Infinity", "null", "true", "all",
         ",", ",,", "%00", "\x00", "\x7f", "a" * 3000, "2026-02-30", "../..",
         "=1+1", "<script>", "%", "?", "#"]
    ),
)  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def catalogue(django_db_setup, django_db_blocker) -> Iterator[None]:
    """A small catalogue with the awkward cases: a hidden model, an odd id stored
    before the id rule, NaN samples, events and tokens."""
    with django_db_blocker.unblock():
        try:
            now = datetime(2026, 7, 1, tzinfo=UTC)
            for slug, extra in (
                ("acme/model", {"tokenizer": "GPT"}),
                ("acme/model:free", {"variant": "free"}),
                ("acme/secret", {"hidden": True}),
                ("ëvil/x", {"hidden": True}),
            ):
                model = make_model(slug, **extra)
                endpoint = make_endpoint(model, "hostco/fp8", quantization="fp8")
                EndpointSample.objects.create(
                    endpoint=endpoint,
                    window_start=now,
                    polled_at=now,
                    latency_p50=float("nan"),
                    uptime_1d=99.5,
                )
                CatalogEvent.objects.create(
                    kind=EventKind.PRICE,
                    model=model,
                    before={"prompt": "-1"},
                    after={"prompt": "0.000001"},
                    observed_at=now,
                )
                TokenUsageDaily.objects.create(
                    model=model, date=date(2026, 6, 30), source="website", total=5
                )
            yield
        finally:
            call_command("flush", interactive=False, verbosity=0)


# ---------------------------------------------------------------- the API


def _operations() -> list[tuple[str, dict[str, Any]]]:
    return [(path, item["get"]) for path, item in DOC["paths"].items() if "get" in item]


def _valid(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    """Values the document calls valid for one parameter."""
    if "enum" in schema:
        return st.sampled_from([str(v) for v in schema["enum"]])
    kind = schema.get("type")
    if kind == "integer":
        low, high = schema.get("minimum", 0), schema.get("maximum", 10**6)
        return st.integers(low, high).map(str)
    if kind == "number":
        low, high = schema.get("minimum", 0), schema.get("maximum", 10**6)
        return st.floats(low, high, allow_nan=False, allow_infinity=False).map(str)
    if kind == "boolean":
        return st.sampled_from(["true", "false"])
    if schema.get("format") == "date":
        return st.dates(date(2024, 1, 1), date(2027, 1, 1)).map(date.isoformat)
    if "pattern" in schema:
        longest = schema.get("maxLength", 200)
        return st.from_regex(schema["pattern"], fullmatch=True).filter(
            lambda s: len(s) <= longest
        )
    return st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


def _path_value(valid: bool) -> st.SearchStrategy[str]:
    parts = st.sampled_from([p for i in IDS for p in i.split("/")])
    return parts if valid else parts | JUNK.filter(lambda s: s and "/" not in s)


@st.composite
def requests(draw, valid: bool) -> tuple[str, str, dict[str, str]]:
    """(document path, URL path, query) of one operation, valid or anything."""
    path, operation = draw(st.sampled_from(_operations()))
    url, query = path, {}
    for param in operation.get("parameters", []):
        values = _valid(param["schema"]) if valid else _valid(param["schema"]) | JUNK
        if param["in"] == "path":
            value = draw(_path_value(valid))
            url = url.replace("{" + param["name"] + "}", quote(value, safe=":~"))
        elif (valid and param.get("required")) or draw(st.booleans()):
            # A valid request carries every required parameter.
            query[param["name"]] = draw(values)
    return path, url, query


def _schema_of(path: str, status: int) -> dict[str, Any] | None:
    response = DOC["paths"][path]["get"]["responses"].get(str(status))
    content = (response or {}).get("content", {}).get("application/json")
    if content is None:
        return None
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **content["schema"],
        "components": DOC["components"],
    }


def _check_against_document(path: str, response) -> None:
    assert response.status_code < 500, response.content[:300]
    declared = DOC["paths"][path]["get"]["responses"]
    assert str(response.status_code) in declared, response.status_code
    media = response.get("Content-Type", "").partition(";")[0]
    if media == "application/rss+xml":  # ?use_rss=true: a feed, as declared
        assert media in declared[str(response.status_code)]["content"]
        assert ET.fromstring(response.content).tag == "rss"
        return
    schema = _schema_of(path, response.status_code)
    if schema is not None:
        body = json.loads(response.content, parse_constant=_no_constants)
        errors = list(Draft202012Validator(schema).iter_errors(body))
        assert not errors, [e.message for e in errors[:3]]


def _no_constants(token: str) -> None:
    raise AssertionError(f"bare {token} in a JSON body")


@pytest.mark.slow
@FUZZ
@given(requests(valid=False))
def test_api_answers_anything_without_a_server_error(request_):
    """Any parameter, any path value: a declared status, a body in its schema."""
    path, url, query = request_
    response = Client().get("/api/v1" + url, query)
    _check_against_document(path, response)


@pytest.mark.slow
@FUZZ
@given(requests(valid=True))
def test_api_accepts_what_the_document_calls_valid(request_):
    """Valid per the document is never a 400 (unknown ids are a 404)."""
    path, url, query = request_
    response = Client(HTTP_AUTHORIZATION="Bearer k").get("/api/v1" + url, query)
    _check_against_document(path, response)
    assert response.status_code in (200, 404), (url, query, response.content[:300])


@pytest.mark.slow
@FUZZ
@given(
    st.lists(
        st.sampled_from(["all", "text", "image", "nope", ",", " ", "x", "\t"])
    ).map("".join)
)
def test_output_modalities_pattern_is_what_the_api_accepts(value):
    """The document's pattern and the validation agree on every value."""
    documented = re.search(output_modalities_pattern(), value) is not None
    form = ModelListParams({"output_modalities": value})
    assert form.is_valid() == documented, (value, form.errors)


def test_an_empty_boolean_is_refused_as_the_document_says():
    response = Client().get("/api/v1/models", {"include_delisted": ""})
    assert response.status_code == 400
    assert "include_delisted" in response.json()["error"]["message"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_are_405_not_a_csrf_403(method):
    client = Client(enforce_csrf_checks=True)
    for url in ("/api/v1/models", "/api/v1/models/acme/model", "/api/v1/nowhere"):
        response = getattr(client, method)(url)
        assert response.status_code == 405, (method, url)
        assert response["Allow"] == "GET, HEAD, OPTIONS"


# ---------------------------------------------------------------- the pages


PAGES: dict[str, list[str]] = {
    "/": [
        "q", "input_modality", "output_modality", "min_context", "max_price",
        "max_output_price", "provider", "author", "parameter", "free", "delisted",
        "sort", "page", "format", "preset", "input_tokens", "cache_percent",
        "requests_per_day", "tokens_per_month", "images",
    ],
    "/changes": ["kind", "provider", "author", "since", "page", "limit"],
    "/changes/feed.rss": ["kind", "provider", "author", "since", "limit"],
    "/compare": ["models", "preset", "output_tokens", "web_searches"],
    "/watch": ["target", "events"],
    "/rankings": [],
    "/acme": [],
    "/providers/hostco": [],
}  # fmt: skip
PAGE_VALUES = JUNK | st.sampled_from(
    ["text", "image", "tools", "acme", "hostco", "newest", "price_asc", "latency",
     "tokens_week", "csv", "json", "price", "added", "2026-06-01", "1", "2", "50",
     "cost", "agent", "rag", "100", "1e9",
     "acme/model,acme/secret", "acme/model,acme/model:free", "0.5"]
)  # fmt: skip


@pytest.mark.slow
@FUZZ
@given(
    st.sampled_from(sorted(PAGES)).flatmap(
        lambda page: st.tuples(
            st.just(page),
            st.dictionaries(
                st.sampled_from(PAGES[page] or ["x"]) | ANY_TEXT,
                st.lists(PAGE_VALUES, min_size=1, max_size=3),
                max_size=5,
            ),
        )
    )
)
def test_pages_answer_any_query_string_without_a_server_error(page_query):
    """Every filter, sort and form field, with junk: a 200 or a 400, never a 5xx."""
    page, query = page_query
    response = Client().get(page, query)
    assert response.status_code in (200, 400), (page, query, response.status_code)
    assert "acme/secret" not in response.content.decode(errors="replace")


@pytest.mark.slow
@FUZZ
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "target": PAGE_VALUES,
            "events": st.lists(PAGE_VALUES, max_size=3),
            "webhook_url": JUNK | st.just("https://hooks.example.com/x"),
            "email": JUNK | st.just("ops@example.com"),
        },
    )
)
def test_the_watch_form_answers_any_post_without_a_server_error(form):
    # The per-client limit on watch creation is tested on its own; here every
    # example must reach the form's validation.
    with override_settings(WATCH_CREATE_LIMIT=1_000_000):
        response = Client().post("/watch", form)
    assert response.status_code in (201, 400), response.status_code
