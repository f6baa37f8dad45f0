"""Direct-provider list prices from LiteLLM's price map, one sync: lock -> source
-> ingest -> SyncRun, like OpenRouter's (the jobs and `manage.py sync litellm`
call it)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from catalog.ingest import IngestResult, direct_offer_upsert_many
from catalog.ingest.statistics import tables_analyse
from catalog.models import CatalogEvent, DirectOffer, SyncKind, SyncRun
from catalog.runs import run_guarded
from catalog.sources import litellm_source
from catalog.sources.litellm import SOURCE, LiteLLMSource


def sync_litellm(source: LiteLLMSource | None = None) -> SyncRun:
    """Poll LiteLLM's price map into DirectOffer rows."""
    owned = source is None
    source = source or litellm_source()
    try:

        def work(run: SyncRun) -> IngestResult:
            fetched = source.fetch_map()
            result = direct_offer_upsert_many(
                fetched.entries,
                listed=fetched.keys,
                now=timezone.now(),
                run=run,
                shrink_ratio=settings.SYNC_SHRINK_GUARD_RATIO,
            )
            tables_analyse((DirectOffer, CatalogEvent), result.created + result.updated)
            result.failed += len(fetched.errors)
            result.errors = fetched.errors + result.errors
            return result

        return run_guarded(SyncKind.LITELLM, source.url, work, source=SOURCE)
    finally:
        if owned:
            source.http.close()
