"""The other catalogues' syncs (embeddings, images, videos): lock -> source ->
ingest -> SyncRun, one run per kind, like the chat catalogue's (the jobs and
`manage.py sync embeddings|images|videos` call them)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from catalog.ingest import IngestResult, kind_model_upsert_many
from catalog.models import SyncKind, SyncRun
from catalog.runs import run_guarded
from catalog.sources import kinds_source
from catalog.sources.kinds import Kind, KindsSource


def sync_kind(kind: Kind, source: KindsSource | None = None) -> SyncRun:
    """Poll one kind's model list into KindModel rows."""
    owned = source is None
    source = source or kinds_source()
    try:

        def work(run: SyncRun) -> IngestResult:
            fetched = source.fetch(kind)
            result = kind_model_upsert_many(
                fetched,
                now=timezone.now(),
                run=run,
                shrink_ratio=settings.SYNC_SHRINK_GUARD_RATIO,
            )
            result.failed += len(fetched.errors)
            result.errors = fetched.errors + result.errors
            return result

        return run_guarded(
            SyncKind(kind), source.url_of(kind), work, source=source.name
        )
    finally:
        if owned:
            source.http.close()


def sync_embeddings(source: KindsSource | None = None) -> SyncRun:
    """Poll the embedding models."""
    return sync_kind("embeddings", source)


def sync_images(source: KindsSource | None = None) -> SyncRun:
    """Poll the image generation models and their endpoints."""
    return sync_kind("images", source)


def sync_videos(source: KindsSource | None = None) -> SyncRun:
    """Poll the video generation models."""
    return sync_kind("videos", source)
