"""Hostile upstream values at the source boundary and at the database: odd ids are
refused by one rule, unstorable characters never reach a column, and a row the
database refuses is reported while the rest of its batch is stored."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from django.urls import NoReverseMatch, resolve, reverse
from pydantic import BaseModel

from catalog import ids
from catalog.ingest import model_upsert_many
from catalog.models import LanguageModel
from catalog.sources.base import parse_items
from catalog.sources.openrouter import EndpointRecord, ModelRecord, ProviderRecord
from stats import sources as stats_sources

pytestmark = pytest.mark.backend

NOW = datetime(2026, 7, 1, tzinfo=UTC)
GOOD_IDS = [
    "openai/gpt-4o",
    "meta-llama/llama-3-8b-instruct:free",
    "~anthropic/claude-sonnet-latest",
    "eleutherai/llemma_7b",
    "x/.hidden",
]
ODD_IDS = [
    "ëvil/x",
    "openai/gpt-4ö",
    "changes/x",
    "api/x",
    "admin/x",
    "static/x",
    "watch/x",
    "providers/x",
    "x/..",
    "x/.",
    "../x",
    "x/./y",
    "x/y/z",
    "x/a%2e",
    "x/a?b",
    "x/a#b",
    "x/a b",
    " x/a",
    "x/a\n",
    "x/a\x00",
    "x/a\x07",
    "x",
    "/x",
    "x/",
    "",
    "a" * 150 + "/" + "b" * 60,
]


def model_item(model_id: Any, **extra: Any) -> dict[str, Any]:
    return {
        "id": model_id,
        "name": f"Model {model_id}",
        "created": 1_700_000_000,
        "pricing": {"prompt": "0.000001", "completion": "0.000002"},
    } | extra


@pytest.mark.parametrize("model_id", ODD_IDS)
def test_odd_ids_are_refused_by_id(model_id):
    """An id our URLs cannot route is an item error naming it; the rest go on."""
    fetched = parse_items(
        [model_item(model_id), model_item("openai/gpt-4o")], ModelRecord, _label
    )
    assert [r.id for r in fetched.records] == ["openai/gpt-4o"]
    assert len(fetched.errors) == 1
    assert "id" in fetched.errors[0].error


@pytest.mark.parametrize("model_id", GOOD_IDS)
def test_the_parser_and_the_pages_agree_on_good_ids(model_id):
    """Every id the parser accepts reverses and resolves to its model page."""
    record = ModelRecord.model_validate(model_item(model_id))
    author, _, slug = record.id.partition("/")
    url = reverse("model-detail", kwargs={"author": author, "slug": slug})
    match = resolve(url)
    assert match.url_name == "model-detail"
    assert f"{match.kwargs['author']}/{match.kwargs['slug']}" == model_id


@pytest.mark.parametrize("model_id", GOOD_IDS)
def test_a_model_url_is_what_reverse_makes(model_id):
    """get_absolute_url fills a URL reversed once: byte for byte reverse()'s own,
    under a script prefix too."""
    from django.urls import set_script_prefix

    model = LanguageModel(slug=model_id)
    author, _, slug = model_id.partition("/")
    for prefix in ("/", "/board/"):
        set_script_prefix(prefix)
        try:
            wanted = reverse("model-detail", kwargs={"author": author, "slug": slug})
            assert model.get_absolute_url() == wanted
        finally:
            set_script_prefix("/")


# Too long is a storage limit, not a routing one.
@pytest.mark.parametrize("model_id", [i for i in ODD_IDS if len(i) <= ids.MAX_LENGTH])
def test_the_pages_never_route_an_id_the_parser_refuses(model_id):
    """The converter refuses what the parser refuses: no page of ours is reachable
    at an id that would have been refused upstream."""
    author, _, slug = model_id.partition("/")
    try:
        url = reverse("model-detail", kwargs={"author": author, "slug": slug})
    except NoReverseMatch:
        return
    # Reversible means every character was quoted; it must not round-trip to a
    # model page for this id.
    match = resolve(url)
    routed = f"{match.kwargs.get('author')}/{match.kwargs.get('slug')}"
    assert match.url_name != "model-detail" or routed != model_id


def test_reserved_words_cover_every_top_level_route():
    """Each top-level word of our own URLs is reserved for authors."""
    from config.urls import urlpatterns as root
    from front.urls import urlpatterns as front

    words = {str(p.pattern).split("/")[0] for p in (*root, *front)}
    words = {w for w in words if w and not w.startswith(("<", "^"))}
    assert words <= set(ids.RESERVED), words - set(ids.RESERVED)


def test_request_paths_built_from_ids_cannot_normalise():
    """A dot-only segment is spelled out, so the client asks for that name."""
    assert ids.path_quote("x/..") == "x/%2E%2E"
    assert ids.path_quote("a b/c?d#e") == "a%20b/c%3Fd%23e"
    url = httpx.URL(f"http://h/api/v1/models/{ids.path_quote('x/..')}/endpoints")
    assert url.raw_path == b"/api/v1/models/x/%2E%2E/endpoints"


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, BaseModel):
        return _strings(value.model_dump()) + _strings(getattr(value, "raw", {}))
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


# Numbers and dates sent as strings: poisoned, they are refused (not numbers).
NOT_TEXT = {"pricing", "total_tokens", "date"}


def _poisoned(value: Any) -> Any:
    """Every string of a payload with NUL, a lone surrogate and a control char."""
    if isinstance(value, str):
        return f"{value}\x00\ud800\x01"
    if isinstance(value, dict):
        return {k: v if k in NOT_TEXT else _poisoned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_poisoned(v) for v in value]
    return value


def _label(item: Any, index: int) -> str:
    return str(index)


RECORDS: list[tuple[type[BaseModel], dict[str, Any], set[str]]] = [
    (
        ModelRecord,
        model_item(
            "openai/gpt-4o",
            description="d",
            canonical_slug="openai/gpt-4o-2024",
            hugging_face_id="h",
            architecture={
                "modality": "text->text",
                "input_modalities": ["text"],
                "output_modalities": ["text"],
                "tokenizer": "GPT",
                "instruct_type": "chatml",
            },
            supported_parameters=["tools"],
            default_parameters={"stop": ["x"]},
            extra_field={"nested": ["deep"]},
        ),
        {"id", "canonical_slug"},
    ),
    (
        ProviderRecord,
        {
            "slug": "deepinfra",
            "name": "DeepInfra",
            "privacy_policy_url": "https://p",
            "terms_of_service_url": "https://t",
            "status_page_url": "https://s",
            "headquarters": "US",
            "datacenters": ["US"],
        },
        {"slug"},
    ),
    (
        EndpointRecord,
        {
            "name": "DeepInfra | x",
            "provider_name": "DeepInfra",
            "tag": "deepinfra/fp8",
            "id": "abc",
            "model_id": "x/y",
            "quantization": "fp8",
            "pricing": {"prompt": "0.000001", "completion": "0.000002"},
            "supported_parameters": ["tools"],
        },
        set(),
    ),
    (
        stats_sources.TopApp,
        {
            "rank": 1,
            "total_tokens": "5",
            "app": {
                "id": "app-1",
                "title": "t",
                "slug": "s",
                "description": "d",
                "main_url": "https://m",
                "origin_url": "https://o",
                "categories": ["c"],
            },
        },
        set(),
    ),
    (
        stats_sources.AccountActivity,
        {
            "date": "2026-07-01",
            "model": "x/y",
            "model_permaslug": "x/y",
            "endpoint_id": "e",
            "provider_name": "p",
        },
        set(),
    ),
    (
        stats_sources.AppRankingRow,
        {"rank": 1, "app_id": "a", "app_name": "n", "total_tokens": "1"},
        set(),
    ),
]


@pytest.mark.parametrize(
    ("record", "item", "ids_fields"), RECORDS, ids=[r[0].__name__ for r in RECORDS]
)
def test_no_unstorable_character_survives_any_text_field(record, item, ids_fields):
    """NUL, lone surrogates and control characters in every string of a payload:
    ids are refused; every other string comes out clean, the raw payload too."""
    for name in ids_fields:
        poisoned = item | {name: _poisoned(item[name])}
        assert not parse_items([poisoned], record, _label).records, name
    clean = {k: v for k, v in item.items() if k not in ids_fields}
    poisoned = _poisoned(clean) | {k: item[k] for k in ids_fields}
    fetched = parse_items([poisoned], record, _label)
    assert fetched.records, fetched.errors
    strings = _strings(fetched.records[0])
    assert strings
    for text in strings:
        assert "\x00" not in text and "\x01" not in text and "\ud800" not in text
        text.encode("utf-8")  # a lone surrogate would raise here
    json.dumps(fetched.records[0].model_dump(mode="json"), allow_nan=False)


@pytest.mark.django_db
def test_a_row_the_database_refuses_is_reported_and_the_rest_stored():
    """The database's own check refuses one row: that row is an item error naming
    its id, its batch is stored row by row, the other rows are stored."""
    good = [ModelRecord.model_validate(model_item(f"acme/m{i}")) for i in range(3)]
    bad = ModelRecord.model_validate(model_item("acme/bad"))
    # Past every parser check, as if a rule were forgotten: the column's CHECK
    # (context_length >= 0) is the last line.
    bad.context_length = -5
    # Not the first import (that one is a single baseline event): rows get "added".
    seed = ModelRecord.model_validate(model_item("acme/seed"))
    model_upsert_many([seed], now=NOW)
    result = model_upsert_many([seed, *good, bad], now=NOW)
    assert result.created == 3
    assert [e.item for e in result.errors] == ["acme/bad"]
    assert "not stored" in result.errors[0].error
    stored = set(LanguageModel.objects.values_list("slug", flat=True))
    assert stored == {"acme/seed", "acme/m0", "acme/m1", "acme/m2"}
    # Only the stored rows have their "added" event.
    assert LanguageModel.objects.filter(events__kind="added").count() == 3

    # The same on an update: the refused row keeps its stored values.
    changed = [r.model_copy(update={"name": "New"}) for r in good]
    refused = good[0].model_copy(update={"context_length": -1, "name": "Bad"})
    result = model_upsert_many([seed, refused, *changed[1:]], now=NOW)
    assert [e.item for e in result.errors] == ["acme/m0"]
    assert result.updated == 2
    assert LanguageModel.objects.get(slug="acme/m0").name == "Model acme/m0"
    assert LanguageModel.objects.get(slug="acme/m1").name == "New"
