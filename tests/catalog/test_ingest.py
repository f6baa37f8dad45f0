"""Ingesting the model list: idempotence, events, delisting and the shrink guard."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from catalog.ingest import ShrinkGuardError, model_upsert_many
from catalog.models import CatalogEvent, LanguageModel, SyncRun
from catalog.runs import SyncFailed
from catalog.syncs import sync_catalog
from tests.support.diffing import diff
from tests.support.recordings import recorded, records, stored_models

pytestmark = [pytest.mark.django_db, pytest.mark.backend]

T0 = datetime(2026, 1, 1, tzinfo=UTC)
T1 = datetime(2026, 1, 2, tzinfo=UTC)
T2 = datetime(2026, 1, 3, tzinfo=UTC)


def events(**filters) -> Counter:
    return Counter(
        (e.kind, e.model.slug)
        for e in CatalogEvent.objects.filter(**filters).select_related("model")
    )


def edited(items, model_id, **changes):
    """A deep copy of `items` with one model's fields changed."""
    copy = json.loads(json.dumps(items))
    for item in copy:
        if item["id"] == model_id:
            item.update(changes)
    return copy


@pytest.mark.slow
def test_first_sync_creates_every_model(mock_upstream):
    """Syncing the 2025-05-22 catalogue stores its 321 models; the first import is
    one baseline event, not an "Added" per model."""
    run = sync_catalog()
    assert run.status == "succeeded"
    assert run.counts["created"] == 321
    assert run.counts["failed"] == 0
    assert LanguageModel.objects.count() == 321
    assert set(LanguageModel.objects.values_list("slug", flat=True)) == {
        m["id"] for m in recorded("2025-05-22")
    }
    assert not CatalogEvent.objects.filter(kind="added").exists()
    baseline = CatalogEvent.objects.get(kind="baseline")
    assert baseline.after["models"] == 321 and baseline.after["sync"] == "catalog"
    assert run.upstream_url.startswith(mock_upstream.base_url)


@pytest.mark.slow
def test_second_sync_writes_nothing(mock_upstream):
    """Polling an unchanged upstream again changes no row and records no event."""
    sync_catalog()
    rows, event_count = stored_models(), CatalogEvent.objects.count()
    run = sync_catalog()
    assert run.status == "succeeded"
    assert {k: run.counts[k] for k in ("created", "updated", "unchanged")} == {
        "created": 0,
        "updated": 0,
        "unchanged": 321,
    }
    assert run.counts["events"] == 0
    assert CatalogEvent.objects.count() == event_count
    assert stored_models() == rows


@pytest.mark.slow
def test_recorded_change_yields_the_events_an_independent_diff_finds(mock_upstream):
    """2025-05-12 -> 2025-05-22: exactly the added, removed and repriced ids."""
    mock_upstream.set_snapshot("2025-05-12")
    sync_catalog()
    mock_upstream.set_snapshot("2025-05-22")
    run = sync_catalog()
    expected = diff(recorded("2025-05-12"), recorded("2025-05-22"))
    assert expected["added"] and expected["removed"]  # the pair is worth testing
    found = events(sync_run=run)
    assert {slug for kind, slug in found if kind == "added"} == expected["added"]
    assert {slug for kind, slug in found if kind == "delisted"} == expected["removed"]
    assert {slug for kind, slug in found if kind == "price"} == expected["price"]
    assert max(found.values()) == 1
    assert run.counts["created"] == len(expected["added"])
    assert run.counts["delisted"] == len(expected["removed"])


@pytest.mark.slow
def test_price_event_keeps_exact_before_and_after(db):
    """A price change records the per-token strings before and after, only for keys that moved."""
    items = recorded("2025-05-22")
    model_upsert_many(records(items), now=T0)
    cheaper = {"prompt": "0.0000001", "completion": "0.00000015", "image": "0"}
    model_upsert_many(records(edited(items, "liquid/lfm-40b", pricing=cheaper)), now=T1)
    (event,) = CatalogEvent.objects.filter(kind="price")
    assert event.model.slug == "liquid/lfm-40b"
    assert event.before.keys() == event.after.keys() == {"prompt"}
    assert Decimal(event.before["prompt"]) == Decimal("0.00000015")
    assert Decimal(event.after["prompt"]) == Decimal("0.0000001")
    lfm = LanguageModel.objects.get(slug="liquid/lfm-40b")
    assert str(lfm.price_prompt.normalize()) == "0.1"
    assert lfm.updated_at == T1


@pytest.mark.slow
def test_rename_and_context_change_are_recorded(db):
    """A new name and a longer context each leave one event with before and after."""
    items = recorded("2025-05-22")
    model_upsert_many(records(items), now=T0)
    changed = edited(
        items, "liquid/lfm-40b", name="Liquid: LFM 40B", context_length=65536
    )
    result = model_upsert_many(records(changed), now=T1)
    assert (result.updated, result.unchanged) == (1, 320)
    renamed = CatalogEvent.objects.get(kind="renamed")
    context = CatalogEvent.objects.get(kind="context")
    assert (renamed.before, renamed.after) == ("Liquid: LFM 40B MoE", "Liquid: LFM 40B")
    assert (context.before, context.after) == (32768, 65536)
    assert renamed.model.slug == context.model.slug == "liquid/lfm-40b"
    assert renamed.observed_at == T1
    assert not CatalogEvent.objects.filter(kind="price").exists()


@pytest.mark.slow
def test_delisted_model_keeps_its_row_and_relisting_clears_it(db):
    """A vanished model is marked, not deleted; its return is an event of its own."""
    items = recorded("2025-05-22")
    model_upsert_many(records(items), now=T0)
    gone = {"liquid/lfm-40b", "openrouter/auto"}
    result = model_upsert_many(
        records([m for m in items if m["id"] not in gone]), now=T1
    )
    assert result.delisted == 2
    assert LanguageModel.objects.count() == 321
    assert (
        set(LanguageModel.objects.filter(delisted_at=T1).values_list("slug", flat=True))
        == gone
    )
    assert events(kind="delisted") == Counter(("delisted", s) for s in gone)

    result = model_upsert_many(records(items), now=T2)
    assert result.relisted == 2
    assert not LanguageModel.objects.filter(delisted_at__isnull=False).exists()
    assert events(kind="relisted") == Counter(("relisted", s) for s in gone)
    assert not CatalogEvent.objects.filter(kind="added", observed_at=T2).exists()


@pytest.mark.slow
def test_delisted_model_is_not_delisted_again(db):
    """A model still missing on the next poll gets no second delisted event."""
    items = recorded("2025-05-22")
    model_upsert_many(records(items), now=T0)
    rest = records([m for m in items if m["id"] != "liquid/lfm-40b"])
    model_upsert_many(rest, now=T1)
    result = model_upsert_many(rest, now=T2)
    assert result.delisted == 0
    assert CatalogEvent.objects.filter(kind="delisted").count() == 1
    assert LanguageModel.objects.get(slug="liquid/lfm-40b").delisted_at == T1


@pytest.mark.slow
def test_shrink_guard_refuses_a_subset_and_delists_nothing(db):
    """100 of 321 models is not believed: an error, and no row or event changes."""
    items = recorded("2025-05-22")
    model_upsert_many(records(items), now=T0)
    rows, event_count = stored_models(), CatalogEvent.objects.count()
    with pytest.raises(ShrinkGuardError, match="refused"):
        model_upsert_many(records(items[:100]), now=T1)
    assert stored_models() == rows
    assert CatalogEvent.objects.count() == event_count


@pytest.mark.slow
def test_shrink_guard_fails_the_run_on_an_empty_list(mock_upstream):
    """An empty model list over HTTP fails the run with a reason that says refused."""
    sync_catalog()
    rows = stored_models()
    mock_upstream.inject("empty", path="/api/v1/models")
    with pytest.raises(SyncFailed):
        sync_catalog()
    run = SyncRun.objects.filter(kind="catalog").first()
    assert run.status == "failed"
    assert "refused" in run.error
    assert stored_models() == rows
    assert not LanguageModel.objects.filter(delisted_at__isnull=False).exists()


@pytest.mark.slow
def test_shrink_guard_fails_the_run_when_most_ids_vanish(mock_upstream):
    """2025-05-22 -> the first 2026 recording loses over half the ids: refused."""
    sync_catalog()
    rows = stored_models()
    mock_upstream.set_snapshot("history:0")
    with pytest.raises(SyncFailed, match="refused"):
        sync_catalog()
    assert stored_models() == rows
    assert not CatalogEvent.objects.exclude(kind="baseline").exists()


@pytest.mark.slow
def test_duplicate_id_in_one_response_is_reported_not_fatal(db):
    """The second copy of an id is an item error; everything else is stored."""
    items = recorded("2025-05-22")
    lfm = next(m for m in items if m["id"] == "liquid/lfm-40b")
    result = model_upsert_many(records([*items, lfm | {"name": "Impostor"}]), now=T0)
    assert result.created == 321
    assert result.failed == 1
    assert [e.item for e in result.errors] == ["liquid/lfm-40b"]
    assert "duplicate" in result.errors[0].error
    assert (
        LanguageModel.objects.get(slug="liquid/lfm-40b").name == "Liquid: LFM 40B MoE"
    )


def test_item_errors_are_kept_on_the_run(mock_upstream, monkeypatch):
    """A model upstream sends broken is skipped and named on the run."""
    import demo.routes

    items = recorded("2025-05-22")
    broken = edited(items, "liquid/lfm-40b", context_length="huge")
    body = json.dumps({"data": broken}).encode()
    monkeypatch.setattr(demo.routes, "encoded_models", lambda name: body)
    run = sync_catalog()
    assert run.status == "succeeded"
    assert run.counts["created"] == 320
    assert run.counts["failed"] == 1
    assert run.item_errors[0]["item"] == "liquid/lfm-40b"
    assert "context_length" in run.item_errors[0]["error"]


def test_long_upstream_text_fits_the_columns(db):
    """Every text a record can carry fits its column, so one model cannot fail a batch."""
    from catalog.ingest.catalogue import authors_for, model_fields

    item = recorded("2025-05-22")[0] | {
        "id": "some-lab/model:" + "v" * 100,
        "architecture": {"tokenizer": "T" * 250, "instruct_type": "I" * 250},
    }
    (record,) = records([item])
    values = model_fields(record, authors_for([record.author])[record.author])
    for field in LanguageModel._meta.concrete_fields:
        limit = getattr(field, "max_length", None)
        if limit and isinstance(values.get(field.name), str):
            assert len(values[field.name]) <= limit, field.name
