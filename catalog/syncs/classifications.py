"""Upstream's task classifications, one sync: lock -> source -> ingest -> SyncRun,
like the others (the job and `manage.py sync categories` call it). Upstream wants
an API key for them: without OPENROUTER_API_KEY the run is recorded as skipped."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from catalog.ingest import IngestResult
from catalog.ingest.classifications import classifications_replace
from catalog.models import SyncKind, SyncRun
from catalog.runs import run_guarded, sync_run_skipped
from catalog.sources import http_client
from catalog.sources.classifications import fetch_classifications

SWITCHED_OFF = "switched off: needs OPENROUTER_API_KEY"


def categories_switched_off() -> str:
    """Why the categories poll does not run, or "" when it does."""
    return "" if settings.OPENROUTER_API_KEY else SWITCHED_OFF


def sync_categories() -> SyncRun:
    """Poll the task classifications into the models' category memberships."""
    if reason := categories_switched_off():
        return sync_run_skipped(SyncKind.CATEGORIES, reason=reason)
    base = settings.OPENROUTER_BASE_URL

    def work(run: SyncRun) -> IngestResult:
        http = http_client()
        try:
            fetched = fetch_classifications(http, base)
        finally:
            http.close()
        return classifications_replace(
            fetched,
            now=timezone.now(),
            run=run,
            shrink_ratio=settings.SYNC_SHRINK_GUARD_RATIO,
        )

    url = f"{base.rstrip('/')}/classifications/task"
    return run_guarded(SyncKind.CATEGORIES, url, work)
