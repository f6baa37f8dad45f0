"""OpenRouter's zero-data-retention endpoint list, one sync on its own schedule:
lock -> source -> ingest -> SyncRun, like the others (the job and `manage.py
sync zdr` call it). A failed poll changes no mark: the stored ones stay."""

from __future__ import annotations

from django.conf import settings

from catalog.ingest.zdr import ZdrResult, endpoint_zdr_mark
from catalog.models import SyncKind, SyncRun
from catalog.runs import run_guarded
from catalog.sources import zdr_source
from catalog.sources.zdr import SOURCE, ZdrSource


def sync_zdr(source: ZdrSource | None = None) -> SyncRun:
    """Poll /endpoints/zdr into the listed endpoints' `zdr` marks."""
    owned = source is None
    source = source or zdr_source()
    try:

        def work(run: SyncRun) -> ZdrResult:
            fetched = source.fetch_zdr()
            result = endpoint_zdr_mark(
                fetched.records,
                run=run,
                shrink_ratio=settings.SYNC_SHRINK_GUARD_RATIO,
            )
            result.failed += len(fetched.errors)
            result.errors = fetched.errors + result.errors
            return result

        return run_guarded(SyncKind.ZDR, source.url, work, source=SOURCE)
    finally:
        if owned:
            source.http.close()
