"""Writes for the other catalogues (embeddings, images, videos): make a kind's
stored models match one complete fetch of its list. Idempotent: a second ingest
of the same fetch writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import transaction

from catalog.ingest.batch import IngestResult
from catalog.ingest.rows import objects_update
from catalog.models import KindModel, ModelKind, SyncRun
from catalog.runs import shrink_applied, shrink_guard
from catalog.sources.kinds import KindFetch, KindRecord
from catalog.versions import data_version_bump

FIELDS = (
    "name",
    "description",
    "created",
    "position",
    "unit_prices",
    "payload",
    "endpoints",
    "search_text",
)


def search_text(record: KindRecord) -> str:
    """The words a search of the kind matches: name, id, description, the kind's
    own name ("embeddings", "image generation") and what it bills."""
    billed = " ".join(
        f"{line['billable']} {line.get('provider', '')}" for line in record.unit_prices
    )
    words = (record.name, record.id, record.description, ModelKind(record.kind).label)
    return " ".join((*words, record.kind, billed)).lower()[:20_000]


def _values(
    record: KindRecord, position: int, stale: KindModel | None
) -> dict[str, Any]:
    """The stored columns of one record; `stale`: the stored row of an image
    model whose endpoints could not be read this time (they, and the prices
    read from them, stay as stored)."""
    return {
        "name": record.name,
        "description": record.description,
        "created": datetime.fromtimestamp(record.created, UTC),
        "position": position,
        "unit_prices": stale.unit_prices if stale else record.unit_prices,
        "payload": record.payload,
        "endpoints": stale.endpoints if stale else record.endpoints,
        "search_text": search_text(record),
    }


def kind_model_upsert_many(
    fetched: KindFetch,
    *,
    now: datetime,
    run: SyncRun | None = None,
    shrink_ratio: float = 0.5,
) -> IngestResult:
    """Make a kind's stored models match one complete fetch of its list: new
    ones added, changed ones updated, vanished ones delisted (behind the shrink
    guard), returning ones relisted. Items the fetch skipped keep their row."""
    kind = fetched.kind
    existing = {m.slug: m for m in KindModel.objects.filter(kind=kind)}
    active = [m for m in existing.values() if m.delisted_at is None]
    vanished = [m for m in active if m.slug not in fetched.listed]
    accepted = shrink_guard(
        len(active),
        [m.slug for m in vanished],
        shrink_ratio,
        f"{kind} model list",
        kind=run.kind if run else kind,
        run=run,
    )
    result = IngestResult()
    created, changed = [], []
    for position, record in enumerate(fetched.records):
        stored = existing.get(record.id)
        stale = stored if record.id in fetched.stale_endpoints else None
        values = _values(record, position, stale)
        if stored is None:
            created.append(
                KindModel(
                    kind=kind,
                    slug=record.id,
                    first_seen_at=now,
                    updated_at=now,
                    **values,
                )
            )
            continue
        differs = [f for f in FIELDS if getattr(stored, f) != values[f]]
        if stored.delisted_at is not None:
            stored.delisted_at = None
            result.relisted += 1
            differs.append("delisted_at")
        if differs:
            for name in differs:
                if name in values:
                    setattr(stored, name, values[name])
            stored.updated_at = now
            changed.append(stored)
            result.updated += 1
        else:
            result.unchanged += 1
    for model in vanished:
        model.delisted_at = model.updated_at = now
        changed.append(model)
    with transaction.atomic():
        KindModel.objects.bulk_create(created)
        objects_update(changed, [*FIELDS, "updated_at", "delisted_at"])
        if created or changed:
            data_version_bump()
    result.created, result.delisted = len(created), len(vanished)
    shrink_applied(accepted, run)
    return result
