"""Zero-data-retention marks from upstream's /endpoints/zdr: the demo's list
marked exactly, a failed or shrunken poll changing no mark, hostile items
reported one by one while the rest are marked."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import Endpoint, SyncRun
from catalog.runs import SyncFailed
from catalog.syncs import sync_zdr
from demo.snapshots import GEMINI_ID
from demo.zdr import is_zdr

# Each builds the demo's whole ZDR list at least once (some 0.4 s).
pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.state("synced")]

ZDR_PATH = "/api/v1/endpoints/zdr"
# What each fault makes the run say (tests/catalog/test_faults.py's words).
REASONS = {
    "500": "HTTP 500",
    "429": "429",
    "truncated": "JSON",
    "html": "text/html",
    "garbage": "expected {data",
    "empty": "refused",
}


def marks() -> set[int]:
    return set(Endpoint.objects.filter(zdr=True).values_list("pk", flat=True))


def demo_marks() -> set[int]:
    """The listed endpoints the demo lists as ZDR, by its own seeded rule (the
    recorded Gemini endpoints name no model_id: it lists none of them)."""
    listed = Endpoint.objects.filter(delisted_at__isnull=True)
    rows = listed.exclude(model__slug=GEMINI_ID).values_list(
        "pk", "tag", "model__canonical_slug", "model__slug"
    )
    return {
        pk
        for pk, tag, canonical, slug in rows
        if tag and is_zdr(canonical or slug.split(":", 1)[0], tag)
    }


def _permaslug(model) -> str:
    return model.canonical_slug or model.slug.split(":", 1)[0]


def latest() -> SyncRun:
    run = SyncRun.objects.filter(kind="zdr").order_by("-pk").first()
    assert run is not None
    return run


def test_the_demo_list_marks_exactly_its_endpoints(synced):
    assert marks() == set()
    run = sync_zdr()
    assert run.status == "succeeded", run.error
    expected = demo_marks()
    # A plausible share, on several providers and models.
    assert 0.2 < len(expected) / Endpoint.objects.count() < 0.4
    assert marks() == expected
    assert run.counts["updated"] == len(expected)
    assert run.counts["failed"] == 0
    assert run.upstream_url.endswith(ZDR_PATH)

    again = sync_zdr()
    assert again.counts["updated"] == 0
    assert again.counts["unchanged"] == Endpoint.objects.count()


@pytest.mark.parametrize("kind", REASONS)
def test_a_failed_poll_keeps_the_stored_marks(synced, kind):
    sync_zdr()
    before = marks()
    synced.inject(kind, path=ZDR_PATH)
    with pytest.raises(SyncFailed):
        sync_zdr()
    run = latest()
    assert run.status == "failed"
    assert REASONS[kind] in run.error
    assert marks() == before


def test_a_list_that_lost_most_endpoints_is_refused(synced):
    sync_zdr()
    before = marks()
    body = synced.handle("GET", ZDR_PATH, {}, b"").payload
    synced.serve_body(ZDR_PATH, json.dumps({"data": body["data"][:5]}))
    with pytest.raises(SyncFailed):
        sync_zdr()
    assert "refused" in latest().error
    assert marks() == before


def test_hostile_items_are_reported_and_the_rest_marked(synced):
    body = synced.handle("GET", ZDR_PATH, {}, b"").payload
    good = body["data"][:3]
    hostile = [
        None,
        "openai/gpt-4o",
        {"name": "no model id", "provider_name": "OpenAI", "tag": "openai"},
        {"model_id": "../../etc", "provider_name": "OpenAI", "tag": "x"},
        {"model_id": ["a"], "provider_name": "OpenAI"},
        {"model_id": "openai/gpt-4o", "provider_name": 7},
        {"model_id": "openai/gpt-4o", "provider_name": None, "tag": ""},
    ]
    synced.serve_body(ZDR_PATH, json.dumps({"data": [*hostile, *good]}))
    run = sync_zdr()
    assert run.status == "succeeded"
    assert run.counts["failed"] == len(hostile)
    assert len(run.item_errors) == len(hostile)
    assert any("model_id" in e["error"] for e in run.item_errors)
    keys = {(e["model_id"], e["tag"]) for e in good}
    marked = Endpoint.objects.filter(zdr=True).select_related("model")
    assert {(_permaslug(e.model), e.tag) for e in marked} == keys


def test_endpoints_upstream_lists_but_the_catalogue_lacks_are_counted(synced):
    item = {
        "model_id": "nobody/unknown-model",
        "provider_name": "OpenAI",
        "tag": "openai",
        "name": "OpenAI | nobody/unknown-model",
    }
    synced.serve_body(ZDR_PATH, json.dumps({"data": [item]}))
    run = sync_zdr()
    assert run.counts["unmatched"] == 1
    assert marks() == set()


def test_the_sync_command_polls_it(synced):
    """`manage.py sync zdr` is the same data path, with its summary line."""
    out = StringIO()
    call_command("sync", "zdr", no_progress=True, stdout=out, stderr=StringIO())
    assert f"zdr: 0 created, {len(marks())} updated" in out.getvalue()
    assert marks() == demo_marks() != set()
