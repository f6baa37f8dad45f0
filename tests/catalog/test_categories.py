"""Upstream's task classifications: polled from the demo upstream's spec-shaped
data into which model is ranked for which task, hostile entries reported one by
one, each poll replacing the last behind the shrink guard."""

from __future__ import annotations

import json

import pytest

from catalog.categories import CATEGORIES, categories_of
from catalog.models import SyncKind, SyncRun, TaskClassification
from catalog.runs import SyncFailed
from catalog.syncs import sync_categories
from demo.classifications import PATH, classifications_payload
from ops.status import source_status_list
from tests.support import snapshots

pytestmark = [pytest.mark.django_db, pytest.mark.state("catalogued")]


@pytest.fixture
def keyed(mock_upstream, settings):
    """The demo catalogue, with a key for upstream's keyed routes."""
    snapshots.load("catalogued")
    settings.OPENROUTER_API_KEY = "demo"
    return mock_upstream


def served(classifications: list, as_of: object = "2025-05-21") -> str:
    data = {"as_of": as_of, "classifications": classifications}
    return json.dumps({"data": {**data, "macro_categories": [], "window_days": 7}})


def ranked(tag: str, *ids: str, macro: str = "") -> dict:
    return {
        "tag": tag,
        "display_name": tag,
        "macro_category": macro or tag.partition(":")[0],
        "usage_share": 0.1,
        "token_share": 0.1,
        "category_usage_share": 0.5,
        "category_token_share": 0.5,
        "models": [
            {"id": i, "tag_usage_share": 0.2, "tag_token_share": 0.3} for i in ids
        ],
    }


def stored() -> set[tuple[str, str, int]]:
    rows = TaskClassification.objects.values_list("tag", "model__slug", "rank")
    return set(rows)


def test_a_poll_stores_every_ranked_model_in_its_place(keyed):
    run = sync_categories()
    assert run.status == "succeeded", run.error
    assert run.item_errors == []
    expected = {
        (c["tag"], m["id"], rank)
        for c in classifications_payload()["data"]["classifications"]
        for rank, m in enumerate(c["models"])
    }
    assert len(expected) == 24
    assert stored() == expected
    row = TaskClassification.objects.get(
        tag="code:general_impl", model__slug="openai/gpt-4.1-mini"
    )
    # The spec's own example entry: its shares and the window's day.
    assert (row.usage_share, row.token_share) == (0.55, 0.75)
    assert (row.macro_category, row.display_name) == ("code", "Code Generation")
    assert str(row.as_of) == "2025-05-21"
    assert run.counts["created"] == 24
    again = sync_categories()
    assert again.counts["unchanged"] == 24 and again.counts["created"] == 0


def test_without_a_key_the_poll_is_skipped_and_status_says_why(keyed, settings):
    settings.OPENROUTER_API_KEY = ""
    run = sync_categories()
    assert run.status == "skipped"
    assert "needs OPENROUTER_API_KEY" in run.error
    assert not TaskClassification.objects.exists()
    status = {s.kind: s for s in source_status_list()}[SyncKind.CATEGORIES]
    assert status.colour == "grey"
    assert "needs OPENROUTER_API_KEY" in status.summary


def test_the_demo_route_wants_a_key_as_upstream(keyed):
    response = keyed.handle("GET", PATH, {}, b"")
    assert response.status == 401
    keyed_response = keyed.handle(
        "GET", PATH + "?window=7d", {"authorization": "Bearer x"}, b""
    )
    assert keyed_response.status == 200
    bad = keyed.handle("GET", PATH + "?window=30d", {"authorization": "Bearer x"}, b"")
    assert bad.status == 400


def test_hostile_entries_are_reported_and_the_rest_kept(keyed):
    good = ranked("code:general_impl", "openai/gpt-4.1-mini", "liquid/lfm-40b")
    broken_models = ranked("general:roleplay", "gryphe/mythomax-l2-13b")
    broken_models["models"] += [
        {"id": None, "tag_usage_share": 0.1, "tag_token_share": 0.1},
        {"id": "sao10k/l3.3-euryale-70b", "tag_usage_share": "NaN"},
        {"id": "nobody/nothing", "tag_usage_share": 0.1, "tag_token_share": 0.1},
        "not an object",
    ]
    body = served(
        [
            good,
            broken_models,
            {**ranked("agent:web_search", "perplexity/sonar"), "tag": None},
            {**ranked("data:extraction", "openai/gpt-4o-mini"), "usage_share": 7},
            {**ranked("x" * 5000 + ":y", "openai/gpt-4o-mini")},
            {**ranked("general:translation", "cohere/command-a"), "models": {}},
            42,
        ],
        as_of="yesterday",
    )
    keyed.serve_body(PATH, body)
    run = sync_categories()
    assert run.status == "succeeded", run.error
    assert stored() == {
        ("code:general_impl", "openai/gpt-4.1-mini", 0),
        ("code:general_impl", "liquid/lfm-40b", 1),
        ("general:roleplay", "gryphe/mythomax-l2-13b", 0),
    }
    # A malformed as_of loses the day, not the classifications.
    assert set(TaskClassification.objects.values_list("as_of", flat=True)) == {None}
    errors = {e["item"]: e["error"] for e in run.item_errors}
    assert set(errors) == {
        "general:roleplay model 1",
        "general:roleplay model 2",
        "general:roleplay model 4",
        "general:roleplay nobody/nothing",
        "classification #2",
        "classification data:extraction",
        "classification " + "x" * 60,
        "classification general:translation",
        "classification #6",
    }
    assert "usage_share" in errors["classification data:extraction"]
    assert errors["general:roleplay nobody/nothing"] == "not in the catalogue"
    assert run.counts["failed"] == 9


def test_a_poll_replaces_the_last_and_an_empty_one_is_refused(keyed):
    assert sync_categories().status == "succeeded"
    keep = classifications_payload()["data"]["classifications"]
    # Upstream drops one model from one tag and reorders another's.
    changed = json.loads(json.dumps(keep))
    code = next(c for c in changed if c["tag"] == "code:general_impl")
    code["models"] = code["models"][1:]
    keyed.serve_body(
        PATH,
        json.dumps(
            {"data": {**classifications_payload()["data"], "classifications": changed}}
        ),
    )
    run = sync_categories()
    assert run.counts["delisted"] == 1 and run.counts["updated"] == 5
    assert not TaskClassification.objects.filter(
        tag="code:general_impl", model__slug="openai/gpt-4.1-mini"
    ).exists()
    before = stored()
    keyed.serve_body(PATH, served([]))
    with pytest.raises(SyncFailed):
        sync_categories()
    assert stored() == before
    refused = SyncRun.objects.filter(kind=SyncKind.CATEGORIES).latest("pk")
    assert refused.status == "failed" and "refused" in refused.error


def test_each_category_takes_its_tasks():
    assert categories_of("code:general_impl", "code") == ["programming"]
    assert categories_of("code:debugging", "code") == ["programming"]
    assert categories_of("general:roleplay", "general") == ["roleplay"]
    assert categories_of("general:marketing_seo", "general") == ["marketing/seo"]
    assert categories_of("agent:web_search", "agent") == []
    # The spec's enum, in its order.
    assert CATEGORIES[:4] == ("programming", "roleplay", "marketing", "marketing/seo")


@pytest.mark.parametrize("fault", ["500", "garbage", "truncated", "html"])
def test_a_failed_poll_keeps_what_is_stored(keyed, fault):
    assert sync_categories().status == "succeeded"
    before = stored()
    keyed.inject(fault, PATH)
    with pytest.raises(SyncFailed):
        sync_categories()
    assert stored() == before
    failed = SyncRun.objects.filter(kind=SyncKind.CATEGORIES).latest("pk")
    assert failed.status == "failed" and failed.error


def test_sync_categories_by_hand_and_in_a_full_sync(keyed):
    from io import StringIO

    from django.core.management import call_command

    from ops.jobs import BY_NAME, TARGETS

    job = BY_NAME["sync-categories"]
    assert TARGETS["categories"] == (job,) and job.full_sync
    assert job.kind == SyncKind.CATEGORIES and job.task == "catalog.sync_categories"
    out = StringIO()
    call_command("sync", "categories", no_progress=True, stdout=out, stderr=StringIO())
    assert "categories: 24 created" in out.getvalue()
    assert TaskClassification.objects.count() == 24
