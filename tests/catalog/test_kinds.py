"""The other catalogues (embeddings, images, videos): polled from the demo upstream
through the source machinery, stored as models of their kind with unit prices,
apart from the chat catalogue."""

from __future__ import annotations

import json

import pytest

from catalog.models import KindModel, LanguageModel, SyncKind, SyncStatus
from catalog.runs import SyncFailed
from catalog.syncs import sync_embeddings, sync_images, sync_videos
from demo import kinds as demo_kinds

pytestmark = pytest.mark.django_db

SYNCS = {"embeddings": sync_embeddings, "images": sync_images, "videos": sync_videos}


def _listed(kind: str) -> list[KindModel]:
    return list(KindModel.objects.filter(kind=kind, delisted_at__isnull=True))


@pytest.mark.parametrize("kind", list(SYNCS))
def test_each_kind_is_stored_in_upstreams_order(mock_upstream, kind):
    run = SYNCS[kind]()
    assert run.status == SyncStatus.SUCCEEDED, run.error
    assert run.kind == SyncKind(kind)
    expected = [item["id"] for item in demo_kinds.body_of(kind)["data"]]
    assert [m.slug for m in _listed(kind)] == expected
    assert run.counts["created"] == len(expected)
    assert all(m.unit_prices for m in _listed(kind))
    # The chat catalogue is untouched.
    assert not LanguageModel.objects.exists()


def test_unit_prices_per_kind(mock_upstream):
    for sync in SYNCS.values():
        sync()
    small = KindModel.objects.get(
        kind="embeddings", slug="openai/text-embedding-3-small"
    )
    assert small.unit_prices == [
        {"billable": "input_text", "unit": "token", "cost_usd": "0.00000002"}
    ]
    flux = KindModel.objects.get(kind="images", slug="black-forest-labs/flux.2-pro")
    assert {
        "billable": "output_image",
        "unit": "megapixel",
        "cost_usd": "0.03",
        "provider": "Black Forest Labs",
    } in flux.unit_prices
    assert [e["provider_slug"] for e in flux.endpoints] == [
        "black-forest-labs",
        "together",
    ]
    veo = KindModel.objects.get(kind="videos", slug="google/veo-3.1")
    assert veo.unit_prices == [
        {"billable": "generate", "unit": "sku", "cost_usd": "0.5"}
    ]
    assert veo.payload == demo_kinds.body_of("videos")["data"][0]


def test_a_second_sync_writes_nothing(mock_upstream):
    sync_images()
    again = sync_images()
    assert again.counts["created"] == again.counts["updated"] == 0
    assert again.counts["unchanged"] == len(demo_kinds.body_of("images")["data"])


def test_a_bad_item_is_reported_and_the_rest_stored(mock_upstream):
    items = json.loads(json.dumps(demo_kinds.body_of("videos")["data"]))
    items[1]["created"] = "yesterday"
    items[2]["pricing_skus"] = {"generate": "free"}
    items[3] = "not an object"
    body = json.dumps({"data": items})
    mock_upstream.serve_body("/api/v1/videos/models", body)
    run = sync_videos()
    assert run.status == SyncStatus.SUCCEEDED
    assert run.counts["failed"] == 3
    errors = {e["item"]: e["error"] for e in run.item_errors}
    assert "created" in errors[items[1]["id"]]
    assert "pricing_skus.generate" in errors[items[2]["id"]]
    assert "item 3" in errors
    assert len(_listed("videos")) == len(items) - 3


def test_image_endpoints_that_fail_keep_the_stored_ones(mock_upstream):
    sync_images()
    model = "bytedance-seed/seedream-4.5"
    mock_upstream.inject("500", f"/api/v1/images/models/{model}/endpoints")
    run = sync_images()
    assert run.status == SyncStatus.SUCCEEDED
    assert any(e["item"] == model for e in run.item_errors)
    stored = KindModel.objects.get(kind="images", slug=model)
    assert stored.endpoints and stored.unit_prices[0]["cost_usd"] == "0.05"


def test_a_list_that_lost_most_models_is_refused(mock_upstream):
    sync_embeddings()
    first = demo_kinds.body_of("embeddings")["data"][:2]
    mock_upstream.serve_body("/api/v1/embeddings/models", json.dumps({"data": first}))
    with pytest.raises(SyncFailed):
        sync_embeddings()
    assert len(_listed("embeddings")) == len(demo_kinds.body_of("embeddings")["data"])


def test_a_vanished_model_is_delisted_and_comes_back(mock_upstream):
    items = demo_kinds.body_of("embeddings")["data"]
    sync_embeddings()
    mock_upstream.serve_body(
        "/api/v1/embeddings/models", json.dumps({"data": items[1:]})
    )
    assert sync_embeddings().counts["delisted"] == 1
    assert KindModel.objects.get(slug=items[0]["id"]).delisted_at is not None
    mock_upstream.clear_bodies()
    assert sync_embeddings().counts["relisted"] == 1
    assert [m.slug for m in _listed("embeddings")][0] == items[0]["id"]


def test_an_unreachable_list_fails_the_run_with_the_reason(mock_upstream):
    mock_upstream.inject("500", "/api/v1/images/models")
    with pytest.raises(SyncFailed) as failed:
        sync_images()
    assert "HTTP 500" in failed.value.run.error


def test_hostile_embedding_items_are_refused_one_by_one(mock_upstream):
    items = json.loads(json.dumps(demo_kinds.body_of("embeddings")["data"]))
    items[0]["pricing"] = None
    items[1]["name"] = None
    items[2]["architecture"] = "text->embeddings"
    items[3]["id"] = "../../etc/passwd"
    items[4]["pricing"]["prompt"] = "NaN"
    items[5]["description"] = "x\x00" * 150_000
    items[6]["context_length"] = 10**15
    mock_upstream.serve_body("/api/v1/embeddings/models", json.dumps({"data": items}))
    run = sync_embeddings()
    assert run.status == SyncStatus.SUCCEEDED
    refused = {e["item"] for e in run.item_errors}
    assert refused == {items[i]["id"] for i in (0, 1, 2, 3, 4, 6)}
    long = KindModel.objects.get(slug=items[5]["id"])
    # Clipped to 100,000 characters, then cleaned of its NULs.
    assert long.description == "x" * 50_000
    assert len(_listed("embeddings")) == len(items) - 6


def test_bad_image_endpoints_are_reported_and_the_model_kept(mock_upstream):
    model = "google/imagen-4"
    mock_upstream.serve_body(
        f"/api/v1/images/models/{model}/endpoints", json.dumps({"data": []})
    )
    flux = "black-forest-labs/flux.2-pro"
    endpoints = json.loads(json.dumps(demo_kinds.body_of("images")["endpoints"][flux]))
    endpoints[1]["pricing"][0]["cost_usd"] = "cheap"
    mock_upstream.serve_body(
        f"/api/v1/images/models/{flux}/endpoints",
        json.dumps({"id": flux, "endpoints": endpoints}),
    )
    run = sync_images()
    assert run.status == SyncStatus.SUCCEEDED
    errors = {e["item"]: e["error"] for e in run.item_errors}
    assert "expected {endpoints: [...]}" in errors[model]
    assert "cost_usd" in errors[f"{flux} endpoint 1"]
    stored = KindModel.objects.get(slug=flux)
    assert [e["provider_slug"] for e in stored.endpoints] == ["black-forest-labs"]
    assert KindModel.objects.get(slug=model).delisted_at is None


@pytest.mark.backend  # JSON storage: PostgreSQL's jsonb keeps values, not key order
def test_values_are_kept_as_sent_not_coerced(mock_upstream):
    items = json.loads(json.dumps(demo_kinds.body_of("videos")["data"]))
    items[0]["generate_audio"] = "true"
    items[1]["supported_durations"] = ["5"]
    items[2]["upscale_factor"] = {"min": 1, "max": 4}
    items[2]["name"] = " Sora 2 "
    mock_upstream.serve_body("/api/v1/videos/models", json.dumps({"data": items}))
    run = sync_videos()
    assert {e["item"] for e in run.item_errors} == {items[0]["id"], items[1]["id"]}
    kept = KindModel.objects.get(kind="videos", slug=items[2]["id"])
    assert kept.payload == items[2]
    # Integers stay integers (not 1.0, not "1"), whatever order the keys come in.
    upscale = json.dumps(kept.payload["upscale_factor"], sort_keys=True)
    assert upscale == '{"max": 4, "min": 1}'
