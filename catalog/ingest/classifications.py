"""Writes for upstream's task classifications: the stored set becomes one poll's
snapshot (a model ranked for a tag is a row; a row upstream no longer ranks goes),
behind the shrink guard so an empty or truncated answer never wipes it."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db import transaction

from catalog.ingest.batch import IngestResult
from catalog.ingest.rows import objects_update
from catalog.models import LanguageModel, SyncKind, SyncRun, TaskClassification
from catalog.runs import shrink_applied, shrink_guard
from catalog.sources.base import ItemError
from catalog.sources.classifications import Classifications

Key = tuple[int, str]  # (model pk, tag)
FIELDS = (
    "macro_category",
    "display_name",
    "rank",
    "usage_share",
    "token_share",
    "as_of",
)


def _model_index() -> dict[str, list[int]]:
    """Upstream ranks permaslugs: every listed model of one (its variants too),
    or the model whose id it is (payloads without `canonical_slug`)."""
    index: dict[str, list[int]] = defaultdict(list)
    rows = LanguageModel.objects.filter(delisted_at__isnull=True).values_list(
        "pk", "slug", "canonical_slug"
    )
    for pk, slug, canonical in rows.order_by("pk"):
        index[canonical or slug].append(pk)
    for pk, slug, canonical in rows.order_by("pk"):
        if canonical and canonical != slug and slug not in index:
            index[slug].append(pk)
    return index


def _wanted(
    fetched: Classifications, errors: list[ItemError]
) -> dict[Key, dict[str, Any]]:
    index = _model_index()
    wanted: dict[Key, dict[str, Any]] = {}
    for record in fetched.records:
        for rank, entry in enumerate(record.models):
            pks = index.get(entry.id)
            if not pks:
                errors.append(
                    ItemError(f"{record.tag} {entry.id}", "not in the catalogue")
                )
                continue
            for pk in pks:
                wanted.setdefault(
                    (pk, record.tag),
                    {
                        "macro_category": record.macro_category,
                        "display_name": record.display_name,
                        "rank": rank,
                        "usage_share": entry.tag_usage_share,
                        "token_share": entry.tag_token_share,
                        "as_of": fetched.as_of,
                    },
                )
    return wanted


def classifications_replace(
    fetched: Classifications,
    *,
    now: datetime,
    run: SyncRun | None = None,
    shrink_ratio: float = 0.5,
) -> IngestResult:
    """Make the stored classifications one poll's: rows added, changed or removed."""
    result = IngestResult(errors=list(fetched.errors))
    wanted = _wanted(fetched, result.errors)
    stored = {(row.model_id, row.tag): row for row in TaskClassification.objects.all()}
    tags = {tag for _, tag in stored}
    gone_tags = sorted(tags - {tag for _, tag in wanted})
    accepted = shrink_guard(
        len(tags),
        gone_tags,
        shrink_ratio,
        "task classifications",
        kind=run.kind if run else SyncKind.CATEGORIES,
        run=run,
    )
    with transaction.atomic():
        gone = [row.pk for key, row in stored.items() if key not in wanted]
        TaskClassification.objects.filter(pk__in=gone).delete()
        changed = []
        for key, values in wanted.items():
            row = stored.get(key)
            if row is None:
                continue
            if any(getattr(row, name) != values[name] for name in FIELDS):
                for name in FIELDS:
                    setattr(row, name, values[name])
                row.seen_at = now
                changed.append(row)
        objects_update(changed, [*FIELDS, "seen_at"])
        new = [
            TaskClassification(model_id=pk, tag=tag, seen_at=now, **values)
            for (pk, tag), values in wanted.items()
            if (pk, tag) not in stored
        ]
        TaskClassification.objects.bulk_create(new)
        shrink_applied(accepted, run)
    result.created, result.updated, result.delisted = len(new), len(changed), len(gone)
    result.unchanged = len(wanted) - len(new) - len(changed)
    result.failed = len(result.errors)
    return result
