"""The provider list: make the stored providers match one complete fetch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from catalog.ingest.batch import Batch, IngestResult, baseline_event
from catalog.models import CatalogEvent, EventKind, Origin, Provider, SyncKind, SyncRun
from catalog.runs import shrink_applied, shrink_guard
from catalog.sources.base import ItemError
from catalog.sources.openrouter import ProviderRecord


def provider_fields(record: ProviderRecord) -> dict[str, Any]:
    """The Provider columns that come from upstream."""
    return {
        "name": record.name or record.slug,
        "privacy_policy_url": record.privacy_policy_url,
        "terms_of_service_url": record.terms_of_service_url,
        "status_page_url": record.status_page_url,
        "headquarters": record.headquarters,
        "datacenters": record.datacenters,
        "listed": True,
        "raw": record.raw,
    }


@dataclass
class ProviderBatch(Batch[Provider]):
    """The provider writes of one provider-list fetch."""

    model = Provider

    def added_event(self, obj: Provider) -> CatalogEvent:
        return self.event(EventKind.PROVIDER_ADDED, obj, provider=obj)

    def delisted_event(self, obj: Provider) -> CatalogEvent:
        return self.event(EventKind.PROVIDER_REMOVED, obj, provider=obj)

    def relisted_event(self, obj: Provider) -> CatalogEvent:
        return self.event(EventKind.PROVIDER_RELISTED, obj, provider=obj)


def provider_upsert_many(
    records: list[ProviderRecord],
    *,
    now: datetime,
    run: SyncRun | None = None,
    shrink_ratio: float = 0.5,
) -> IngestResult:
    """Make the stored providers match one complete fetch of the provider list."""
    records = list({r.slug: r for r in records}.values())
    existing = {p.slug: p for p in Provider.objects.all()}
    seen = {r.slug for r in records}
    listed = [
        p
        for p in existing.values()
        if p.listed and p.delisted_at is None and p.origin == Origin.UPSTREAM
    ]
    vanished = [p for p in listed if p.slug not in seen]
    accepted = shrink_guard(
        len(listed),
        [p.slug for p in vanished],
        shrink_ratio,
        "provider list",
        kind=run.kind if run else SyncKind.PROVIDERS,
        run=run,
    )
    kept: list[ItemError] = []
    # The first import: one baseline event instead of one per provider.
    baseline = not any(p.origin == Origin.UPSTREAM for p in existing.values())
    batch = ProviderBatch(now=now, run=run, baseline=baseline)
    for record in records:
        values = provider_fields(record)
        provider = existing.get(record.slug)
        if provider is not None and provider.origin == Origin.HAND:
            kept.append(ItemError(record.slug, "kept the hand-added provider"))
        elif provider is None:
            batch.add(
                Provider(slug=record.slug, first_seen_at=now, updated_at=now, **values)
            )
        else:
            batch.compare(provider, values)
    for provider in vanished:
        batch.vanish(provider)
    result = batch.write()
    if baseline and result.created:
        baseline_event(now, run, "providers", {"providers": result.created}).save()
        result.events += 1
    shrink_applied(accepted, run)
    result.errors += kept
    return result
