"""Writes for the providers serving each model (one endpoints fetch per model)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.text import slugify

from catalog import ids
from catalog.editorial.overrides import overrides_by_target
from catalog.ingest.batch import (
    Batch,
    IngestResult,
    baseline_event,
    price_change,
    price_columns,
    tier_problems,
    tiered_rows,
)
from catalog.models import (
    CatalogEvent,
    Endpoint,
    EventKind,
    LanguageModel,
    Provider,
    SyncKind,
    SyncRun,
)
from catalog.pricetiers import price_tiers_store
from catalog.runs import shrink_applied, shrink_guard
from catalog.sources.openrouter import EndpointRecord

BATCH_MODELS = 100


def endpoint_keys(records: list[EndpointRecord]) -> list[tuple[str, EndpointRecord]]:
    """Give each endpoint a stable key: its tag, numbered when upstream repeats one."""
    seen: dict[str, int] = defaultdict(int)
    keyed = []
    for record in records:
        base = (record.tag or slugify(record.provider_name) or "provider")[:180]
        seen[base] += 1
        keyed.append((base if seen[base] == 1 else f"{base}#{seen[base]}", record))
    return keyed


def provider_slug_for(record: EndpointRecord) -> str:
    """The provider's slug: the tag before any "/" (deepinfra/fp4) when it is a slug
    our URLs can route (catalog.ids), else made from the name."""
    if record.tag:
        slug = record.tag.split("/", 1)[0].lower()[:100]
        if ids.provider_slug_problem(slug) is None:
            return slug
    return slugify(record.provider_name)[:100] or "unknown"


def providers_for(records: list[EndpointRecord], now: datetime) -> dict[str, Provider]:
    """Providers by slug for these endpoints, creating unlisted ones as needed."""
    wanted = {provider_slug_for(r): r.provider_name for r in records}
    known = {p.slug: p for p in Provider.objects.filter(slug__in=wanted)}
    by_name = {
        p.name.lower(): p
        for p in Provider.objects.filter(name__in=set(wanted.values()))
    }
    missing = []
    for slug, name in wanted.items():
        if slug not in known and name.lower() in by_name:
            known[slug] = by_name[name.lower()]
        elif slug not in known:
            missing.append(
                Provider(
                    slug=slug,
                    name=name,
                    listed=False,
                    first_seen_at=now,
                    updated_at=now,
                )
            )
    Provider.objects.bulk_create(missing, ignore_conflicts=True)
    if missing:
        known |= {p.slug: p for p in Provider.objects.filter(slug__in=wanted)}
    return known


def endpoint_fields(record: EndpointRecord, provider: Provider) -> dict[str, Any]:
    """The Endpoint columns that come from upstream (rolling stats excluded)."""
    return {
        "provider_id": provider.pk,
        "name": record.name,
        "provider_name": record.provider_name,
        "tag": record.tag,
        "upstream_id": record.id[:64],
        "quantization": record.quantization[:20],
        "context_length": record.context_length,
        "max_completion_tokens": record.max_completion_tokens,
        "max_prompt_tokens": record.max_prompt_tokens,
        "supported_parameters": record.supported_parameters,
        "supports_implicit_caching": record.supports_implicit_caching,
        "service_tier": record.service_tier,
        "native_tools": record.native_tools,
        "supports_tool_choice": record.supports_tool_choice,
        "supports_diarization": record.supports_diarization,
        "supports_voice_cloning": record.supports_voice_cloning,
        "supports_image_reference": record.supports_image_reference,
        "supports_multiple_audio_references": (
            record.supports_multiple_audio_references
        ),
        "discount": record.pricing.discount,
        **price_columns(record.pricing),
    }


def endpoint_upsert_many(
    fetched: dict[str, list[EndpointRecord]],
    *,
    now: datetime,
    run: SyncRun | None = None,
    shrink_ratio: float = 0.5,
    baseline: bool | None = None,
) -> IngestResult:
    """Make each fetched model's stored endpoints match what upstream listed.

    Models whose fetch failed are absent from `fetched` and keep what they had.
    `baseline`: whether this belongs to the first import of endpoints (no "added"
    per endpoint); a caller writing one import in parts decides it once and records
    the baseline event itself (endpoints_baseline_event). By default this call
    decides and records it.
    """
    models = {m.slug: m for m in LanguageModel.objects.filter(slug__in=fetched)}
    stored: dict[int, dict[str, Endpoint]] = defaultdict(dict)
    for endpoint in Endpoint.objects.filter(model__in=models.values()):
        stored[endpoint.model_id][endpoint.key] = endpoint
    keyed = {slug: endpoint_keys(fetched[slug]) for slug in models}
    active = [
        e for eps in stored.values() for e in eps.values() if e.delisted_at is None
    ]
    wanted = {(models[s].pk, key) for s, pairs in keyed.items() for key, _ in pairs}
    vanished = [e for e in active if (e.model_id, e.key) not in wanted]
    slug_of = {m.pk: s for s, m in models.items()}
    accepted = shrink_guard(
        len(active),
        [f"{slug_of[e.model_id]} {e.key}" for e in vanished],
        shrink_ratio,
        "endpoint lists",
        kind=run.kind if run else SyncKind.ENDPOINTS,
        run=run,
    )

    # The first import of endpoints: one baseline event, not one per endpoint.
    first = not Endpoint.objects.exists() if baseline is None else baseline
    providers = providers_for([r for recs in fetched.values() for r in recs], now)
    overrides = overrides_by_target("endpoint")
    result = IngestResult()
    slugs = sorted(models)
    for start in range(0, len(slugs), BATCH_MODELS):
        batch = EndpointBatch(now=now, run=run, overrides=overrides, baseline=first)
        problems = []
        for slug in slugs[start : start + BATCH_MODELS]:
            model = models[slug]
            batch.slugs[model.pk] = slug
            _diff(batch, model, keyed[slug], stored[model.pk], providers)
            for key, record in keyed[slug]:
                problems += tier_problems(f"{slug} {key}", record.pricing)
        result.add(batch.write())
        result.errors += problems
    if baseline is None and first and result.created:
        endpoints_baseline_event(now, run)
        result.events += 1
    shrink_applied(accepted, run)
    return result


def endpoints_baseline_event(now: datetime, run: SyncRun | None) -> None:
    """The one event of the first import of endpoints: how many, of how many
    models, at how many providers."""
    listed = Endpoint.objects.filter(delisted_at__isnull=True)
    counts = {
        "endpoints": listed.count(),
        "models": listed.values("model").distinct().count(),
        "providers": listed.values("provider").distinct().count(),
    }
    baseline_event(now, run, "endpoints", counts).save()


@dataclass
class EndpointBatch(Batch[Endpoint]):
    """The endpoint writes of a batch of models."""

    model = Endpoint
    override_kind = "endpoint"
    # Model ids by pk, to name an endpoint in item errors.
    slugs: dict[int, str] = field(default_factory=dict)

    def label(self, obj: Endpoint) -> str:
        return f"{self.slugs.get(obj.model_id, obj.model_id)} {obj.key}"

    def event(self, kind: str, obj: Endpoint, **kwargs: Any) -> CatalogEvent:
        target = {
            "model_id": obj.model_id,
            "endpoint": obj,
            "provider_id": obj.provider_id,
        }
        return super().event(kind, obj, **(target | kwargs))

    def added_event(self, obj: Endpoint) -> CatalogEvent:
        return self.event(EventKind.ENDPOINT_ADDED, obj)

    def delisted_event(self, obj: Endpoint) -> CatalogEvent:
        return self.event(EventKind.ENDPOINT_REMOVED, obj)

    def relisted_event(self, obj: Endpoint) -> CatalogEvent:
        return self.event(EventKind.ENDPOINT_RELISTED, obj)

    def index(self, created: list[Endpoint], updated: list[Endpoint]) -> None:
        """New endpoints' and changed ones' price tier regions."""
        price_tiers_store(tiered_rows(self, created, updated))

    def change_events(
        self, obj: Endpoint, values: dict[str, Any], previous: dict[str, Any]
    ) -> list[CatalogEvent]:
        moved = price_change(
            obj.pricing_raw,
            values["pricing_raw"],
            previous.get("pricing_overrides", obj.pricing_overrides),
            values["pricing_overrides"],
        )
        if moved is None:
            return []
        before, after = moved
        # The provider as upstream lists it now (a renamed tag may move it).
        event = self.event(
            EventKind.ENDPOINT_PRICE,
            obj,
            provider_id=values["provider_id"],
            before=before,
            after=after,
        )
        return [event]


def _diff(
    batch: EndpointBatch,
    model: LanguageModel,
    keyed: list[tuple[str, EndpointRecord]],
    stored: dict[str, Endpoint],
    providers: dict[str, Provider],
) -> None:
    """Queue one model's endpoint writes: new ones, changed ones, vanished ones."""
    for key, record in keyed:
        values = endpoint_fields(record, providers[provider_slug_for(record)])
        endpoint = stored.get(key)
        if endpoint is None:
            batch.add(
                Endpoint(
                    model=model,
                    key=key,
                    first_seen_at=batch.now,
                    updated_at=batch.now,
                    **values,
                )
            )
        else:
            batch.compare(endpoint, values)
    wanted = {key for key, _ in keyed}
    for endpoint in stored.values():
        if endpoint.key not in wanted and endpoint.delisted_at is None:
            batch.vanish(endpoint)
