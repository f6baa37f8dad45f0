"""The catalogue list: every filter and sort returns exactly the models it should.

Expected sets come straight from the recorded 2025-05-22 `/models` body, computed here
with plain Python, not with the code under test."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.db.models import Max, Min, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Endpoint
from stats.figures import week_window
from stats.models import EndpointSample, TokenUsageDaily
from tests.front.conftest import recorded

pytestmark = [pytest.mark.django_db, pytest.mark.backend]

ROW = re.compile(r'<code class="id">([^<]+)</code>')
MILLION = Decimal(1_000_000)


def per_m(model: dict[str, Any], key: str) -> Decimal | None:
    raw = model["pricing"].get(key)
    if raw is None or Decimal(raw) < 0:
        return None
    return Decimal(raw) * MILLION


def ids(models) -> set[str]:
    return {m["id"] for m in models}


def streamed(response) -> str:
    """The body of a streamed export."""
    return b"".join(response.streaming_content).decode()


def exported(client, params: dict[str, Any]) -> list[str]:
    response = client.get("/", params | {"format": "json"})
    assert response.status_code == 200
    return [row["id"] for row in json.loads(streamed(response))["data"]]


def listed(response) -> list[str]:
    return ROW.findall(response.content.decode())


RECORDED = recorded()
FILTERS = [
    ({}, lambda m: True),
    ({"min_context": 100000}, lambda m: (m["context_length"] or 0) >= 100000),
    (
        {"max_price": 1},
        lambda m: per_m(m, "prompt") is not None and per_m(m, "prompt") <= 1,
    ),
    (
        {"max_output_price": "2.5"},
        lambda m: (
            per_m(m, "completion") is not None
            and per_m(m, "completion") <= Decimal("2.5")
        ),
    ),
    (
        {"input_modality": "image"},
        lambda m: "image" in m["architecture"]["input_modalities"],
    ),
    (
        {"input_modality": "file"},
        lambda m: "file" in m["architecture"]["input_modalities"],
    ),
    (
        {"output_modality": "text"},
        lambda m: "text" in m["architecture"]["output_modalities"],
    ),
    ({"output_modality": "image"}, lambda m: False),
    ({"parameter": "tools"}, lambda m: "tools" in (m["supported_parameters"] or [])),
    (
        {"parameter": "reasoning"},
        lambda m: "reasoning" in (m["supported_parameters"] or []),
    ),
    (
        {"free": 1},
        lambda m: per_m(m, "prompt") == 0 and per_m(m, "completion") == 0,
    ),
    (
        # Routers (a variable price) are not free: they stay.
        {"paid": 1},
        lambda m: not (per_m(m, "prompt") == 0 and per_m(m, "completion") == 0),
    ),
    ({"author": "openai"}, lambda m: m["id"].startswith("openai/")),
    (
        # "vision" asks for what a model can do: the models that read images.
        {"q": "vision"},
        lambda m: "image" in m["architecture"]["input_modalities"],
    ),
    (
        {"input_modality": "image", "parameter": "tools", "max_price": 3},
        lambda m: (
            "image" in m["architecture"]["input_modalities"]
            and "tools" in (m["supported_parameters"] or [])
            and per_m(m, "prompt") is not None
            and per_m(m, "prompt") <= 3
        ),
    ),
]


@pytest.mark.parametrize(
    ("params", "keep"), FILTERS, ids=lambda v: "keep" if callable(v) else str(v)
)
def test_filter_returns_exactly_the_matching_models(
    client, demo_catalogue, params, keep
):
    """Each filter (and a combination) lists exactly the recorded models it selects."""
    expected = ids(m for m in RECORDED if keep(m))
    assert set(exported(client, params)) == expected
    page = client.get("/", params)
    assert page.status_code == 200
    count = re.search(r'id="result-count">([\d,]+)<', page.content.decode())
    assert int(count.group(1).replace(",", "")) == len(expected)
    assert set(listed(page)) <= expected


def test_provider_filter_lists_models_with_an_active_endpoint(client, demo_catalogue):
    """?provider= lists the models the provider serves through a listed endpoint."""
    slug = (
        Endpoint.objects.values("provider__slug")
        .annotate(n=Max("model_id"))
        .order_by("provider__slug")
        .first()["provider__slug"]
    )
    expected = set(
        Endpoint.objects.filter(
            provider__slug=slug, delisted_at__isnull=True
        ).values_list("model__slug", flat=True)
    )
    assert expected
    assert set(exported(client, {"provider": slug})) == expected


def test_unknown_provider_or_author_is_an_empty_list_that_says_why(
    client, demo_catalogue
):
    """A well-formed but unknown provider finds nothing, and the page says what to widen."""
    response = client.get("/", {"provider": "nobody", "free": 1})
    assert response.status_code == 200
    page = response.content.decode()
    assert listed(response) == []
    assert "No model matches all of: provider, free only" in page
    assert "remove or loosen a filter" in page


def price_key(model: dict[str, Any]):
    prompt, completion = per_m(model, "prompt"), per_m(model, "completion")
    return (
        prompt is None,
        prompt or 0,
        completion is None,
        completion or 0,
        model["id"],
    )


def test_sort_price_low_to_high(client, demo_catalogue):
    """price_asc: by input then output price, cheapest first, variable prices last."""
    expected = [m["id"] for m in sorted(RECORDED, key=price_key)]
    assert exported(client, {"sort": "price_asc"}) == expected
    assert expected[-1] == "openrouter/auto"
    assert listed(client.get("/", {"sort": "price_asc"})) == expected[:50]


def test_sort_price_high_to_low(client, demo_catalogue):
    """price_desc: dearest first, variable prices still last."""
    priced = [m for m in RECORDED if per_m(m, "prompt") is not None]
    expected = [
        m["id"]
        for m in sorted(
            priced,
            key=lambda m: (
                -per_m(m, "prompt"),
                -(per_m(m, "completion") or 0),
                m["id"],
            ),
        )
    ]
    assert exported(client, {"sort": "price_desc"}) == expected + ["openrouter/auto"]


def test_sort_context_and_newest(client, demo_catalogue):
    """context: largest first; newest (the default): most recently created first."""
    by_context = sorted(RECORDED, key=lambda m: (-(m["context_length"] or 0), m["id"]))
    assert exported(client, {"sort": "context"}) == [m["id"] for m in by_context]
    newest = sorted(RECORDED, key=lambda m: (-m["created"], m["id"]))
    assert exported(client, {}) == [m["id"] for m in newest]
    assert exported(client, {"sort": "newest"}) == [m["id"] for m in newest]


def test_sort_by_tokens_this_week(client, demo_catalogue):
    """tokens_week: most tokens in the last 7 complete days first (from stats),
    none last."""
    first, last = week_window(timezone.now().date())
    totals = dict(
        TokenUsageDaily.objects.filter(
            source="website", date__gte=first, date__lte=last
        )
        .values_list("model__slug")
        .annotate(t=Sum("total"))
    )
    assert totals, "the demo upstream should have served tokens per day"
    order = exported(client, {"sort": "tokens_week"})
    ranked = [s for s in order if s in totals]
    assert ranked == sorted(totals, key=lambda s: (-totals[s], s))
    assert order[: len(ranked)] == ranked


@pytest.mark.parametrize(
    ("sort", "column", "best", "reverse"),
    [
        ("throughput", "throughput_p50", Max, True),
        ("latency", "latency_p50", Min, False),
    ],
)
def test_sort_by_performance(client, demo_catalogue, sort, column, best, reverse):
    """throughput (fastest first) and latency (lowest first) from the latest samples."""
    values = dict(
        EndpointSample.objects.filter(
            endpoint__delisted_at__isnull=True, **{f"{column}__isnull": False}
        )
        .values_list("endpoint__model__slug")
        .annotate(v=best(column))
    )
    order = exported(client, {"sort": sort})
    ranked = [s for s in order if s in values]
    sign = -1 if reverse else 1
    assert ranked == sorted(values, key=lambda s: (sign * values[s], s))
    assert set(order[len(ranked) :]).isdisjoint(values)


def test_pages_follow_the_export_order_and_keep_the_filters(client, demo_catalogue):
    """Page 2 holds rows 51-100 of the same list, and its links keep every filter."""
    params = {"sort": "price_asc", "parameter": "tools"}
    everything = exported(client, params)
    page = client.get("/", params | {"page": 2})
    assert listed(page) == everything[50:100]
    html = page.content.decode()
    assert "sort=price_asc&amp;parameter=tools&amp;page=1" in html
    assert "sort=price_asc&amp;parameter=tools&amp;page=3" in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"min_context": "abc"}, "min_context"),
        ({"sort": "nope"}, "sort"),
        ({"q": "x" * 5000}, "q"),
        ({"max_price": "-1"}, "max_price"),
        ({"max_output_price": "cheap"}, "max_output_price"),
        ({"input_modality": "smell"}, "input_modality"),
        ({"provider": "../etc"}, "provider"),
        ({"parameter": "Tools!"}, "parameter"),
        ({"page": "0"}, "page"),
        ({"format": "xml"}, "format"),
        ({"max_price": "NaN"}, "max_price"),
        ({"min_context": "9" * 30}, "min_context"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_malformed_query_is_a_400_with_a_message(client, demo_catalogue, params, field):
    """Bad values are refused with the field named in the page, never a 500."""
    response = client.get("/", params)
    assert response.status_code == 400
    page = response.content.decode()
    assert "That query could not be used" in page
    assert f"<code>{field}</code>" in page
    assert "x" * 300 not in page  # the 5,000-character query is not echoed whole


def test_page_past_the_end_is_a_clear_empty_state(client, demo_catalogue):
    """?page=99999 is a 200 that says how many pages there are."""
    response = client.get("/", {"page": 99999, "free": 1})
    assert response.status_code == 200
    assert listed(response) == []
    assert "There is no page 99999" in response.content.decode()


@pytest.mark.parametrize(
    "sort",
    [
        "newest",
        "price_asc",
        "price_desc",
        "context",
        "tokens_week",
        "throughput",
        "latency",
    ],
)
def test_list_runs_a_constant_number_of_queries(client, demo_catalogue, sort):
    """3 rows or 50, any sort: the same handful of queries."""
    client.get("/")  # the data version and the filter choices are cached after it
    counts = []
    for params in ({"q": "lfm"}, {}, {"page": 3}, {"parameter": "tools", "free": 1}):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/", params | {"sort": sort}).status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts
    assert counts[0] <= 6  # including one for editors' overrides of the page


def test_csv_export_has_a_row_per_filtered_model(
    client, demo_catalogue, django_assert_max_num_queries
):
    """?format=csv exports the whole filtered list (all pages), one row per model."""
    expected = ids(m for m in RECORDED if (m["context_length"] or 0) >= 100000)
    with django_assert_max_num_queries(2):
        response = client.get("/", {"format": "csv", "min_context": 100000})
        body = streamed(response)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == len(expected) > 50
    assert {r["id"] for r in rows} == expected
    lfm = next(
        r
        for r in csv.DictReader(
            io.StringIO(streamed(client.get("/", {"format": "csv", "q": "lfm-40b"})))
        )
    )
    assert (lfm["input_usd_per_m"], lfm["context_length"]) == ("0.15", "32768")


def test_json_export_matches_the_list(client, demo_catalogue):
    """?format=json carries the count and OpenRouter-style ids and $/M prices."""
    response = client.get("/", {"format": "json", "free": 1})
    body = json.loads(streamed(response))
    assert (
        body["count"]
        == len(body["data"])
        == len(
            [
                m
                for m in RECORDED
                if per_m(m, "prompt") == 0 and per_m(m, "completion") == 0
            ]
        )
    )
    assert {(r["input_usd_per_m"], r["output_usd_per_m"]) for r in body["data"]} == {
        ("0", "0")
    }


def test_delisted_models_only_with_the_checkbox(client, demo_catalogue):
    """Delisted models leave the list and come back with ?delisted=1."""
    from catalog.models import LanguageModel

    LanguageModel.objects.filter(slug="liquid/lfm-40b").update(
        delisted_at=timezone.now()
    )
    assert "liquid/lfm-40b" not in exported(client, {"q": "lfm"})
    assert "liquid/lfm-40b" in exported(client, {"q": "lfm", "delisted": 1})
    page = client.get("/", {"q": "lfm", "delisted": 1}).content.decode()
    assert '<span class="tag">delisted</span>' in page


def test_a_search_says_what_its_words_for_orders_and_kinds_did(client, demo_catalogue):
    """ "long context" sorts and says so; a kind the board holds none of answers
    no model and a sentence saying so (with a link to its own list when it has
    one); another sort chosen, only the filters."""
    page = client.get("/", {"q": "long context"}).content.decode()
    assert 'id="search-intent">Sorted by context, largest first.<' in page
    # 2,000,000 tokens, both.
    first = listed(client.get("/", {"q": "long context"}))[0]
    assert first in {"google/gemini-pro-1.5", "openrouter/auto"}
    page = client.get("/", {"q": "embedding"}).content.decode()
    assert 'id="result-count">0<' in page
    # Embedding models are a catalogue of their own: the sentence leads there.
    assert (
        "No chat model is one of the embedding models. "
        '<a href="?kind=embeddings">They are listed apart</a>.' in page
    )
    page = client.get("/", {"q": "free vision", "sort": "newest"}).content.decode()
    assert 'id="search-intent">Free models only; models that read images only.<' in (
        page
    )


CHIP = re.compile(r'<a class="chip" href="([^"]*)" data-chip="([^"]+)"')


def test_each_active_filter_is_a_chip_that_drops_it_alone(client, demo_catalogue):
    """A chip per filter in force (none for the sort, the workload or a false
    flag), each a link to the same query less that one parameter and the page."""
    query = {
        "author": "openai", "min_context": "100000", "paid": "1", "free": "",
        "delisted": "false", "sort": "price_asc", "preset": "rag", "page": "1",
    }  # fmt: skip
    page = client.get("/", query).content.decode()
    chips = {name: href for href, name in CHIP.findall(page)}
    assert set(chips) == {"author", "min_context", "paid"}
    for name, href in chips.items():
        left = {
            k: v for k, v in parse_qs(href.lstrip("?").replace("&amp;", "&")).items()
        }
        expected = {k: [v] for k, v in query.items() if v and k not in (name, "page")}
        assert left == expected, name
    assert "Author: OpenAI" in page and "Context ≥ 100000 tokens" in page
    # The drawer's summary counts them; a list without filters has no chips.
    assert '<span class="tag">3 active</span>' in page
    assert not CHIP.findall(client.get("/", {"sort": "newest"}).content.decode())
