"""Writes: diff fetched records against the database, upsert in bulk, record events.

Every function here is idempotent: ingesting the same records twice writes nothing the
second time. Upstream values are compared field by field, so a row is only updated
(and an event only recorded) when something really changed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from catalog.models import (
    Author,
    CatalogEvent,
    EventKind,
    FieldOverride,
    LanguageModel,
    Origin,
    Provider,
    SyncRun,
)
from catalog.overrides import overrides_by_target, overrides_split, to_json
from catalog.sources.base import ItemError
from catalog.sources.openrouter import (
    ModelRecord,
    Prices,
    ProviderRecord,
    normalized_prices,
)

logger = logging.getLogger(__name__)


class ShrinkGuardError(Exception):
    """Upstream lost too much of the catalogue at once to be believed."""


@dataclass
class IngestResult:
    """What one ingest did; becomes a SyncRun's counts."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    delisted: int = 0
    relisted: int = 0
    failed: int = 0
    events: int = 0
    errors: list[ItemError] = field(default_factory=list)

    def add(self, other: IngestResult) -> None:
        for name in ("created", "updated", "unchanged", "delisted", "relisted"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failed += other.failed
        self.events += other.events
        self.errors.extend(other.errors)

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "delisted": self.delisted,
            "relisted": self.relisted,
            "failed": self.failed,
            "events": self.events,
        }


def price_fields(prices: Prices) -> dict[str, Any]:
    """Model/endpoint price columns from parsed upstream pricing."""
    fields: dict[str, Any] = {f"price_{k}": prices.token.get(k) for k in PRICE_TOKEN}
    fields |= {f"price_{k}": prices.unit.get(k) for k in PRICE_UNIT}
    fields["is_variable_price"] = prices.variable
    fields["pricing_raw"] = prices.raw
    return fields


PRICE_TOKEN = (
    "prompt",
    "completion",
    "internal_reasoning",
    "input_cache_read",
    "input_cache_write",
)
PRICE_UNIT = ("request", "image", "web_search")


def model_fields(record: ModelRecord, author: Author) -> dict[str, Any]:
    """The LanguageModel columns that come from upstream."""
    arch, top = record.architecture, record.top_provider
    return {
        "canonical_slug": record.canonical_slug,
        "author_id": author.pk,
        "variant": record.variant,
        "name": record.name or record.id,
        "description": record.description,
        "created": record.created,
        "context_length": record.context_length,
        "modality": arch.modality,
        "input_modalities": arch.input_modalities,
        "output_modalities": arch.output_modalities,
        "tokenizer": arch.tokenizer,
        "instruct_type": arch.instruct_type,
        "hugging_face_id": record.hugging_face_id,
        "supported_parameters": record.supported_parameters,
        "default_parameters": record.default_parameters,
        "knowledge_cutoff": record.knowledge_cutoff,
        "expiration_date": record.expiration_date,
        "top_provider_context_length": top.context_length,
        "max_completion_tokens": top.max_completion_tokens,
        "is_moderated": top.is_moderated,
        "raw": record.raw,
        **price_fields(record.pricing),
    }


def changed_fields(obj: Any, values: dict[str, Any]) -> list[str]:
    """Names of the fields whose stored value differs from `values`."""
    changed = []
    for name, value in values.items():
        current = getattr(obj, name)
        if isinstance(value, Decimal) or isinstance(current, Decimal):
            if (current is None) != (value is None) or (
                current is not None and Decimal(current) != Decimal(value)
            ):
                changed.append(name)
        elif current != value:
            changed.append(name)
    return changed


def _event(
    kind: str, now: datetime, run: SyncRun | None, **kwargs: Any
) -> CatalogEvent:
    return CatalogEvent(kind=kind, observed_at=now, sync_run=run, **kwargs)


def _price_event(
    kind: str,
    old_raw: dict,
    new_raw: dict,
    now: datetime,
    run: SyncRun | None,
    **kw: Any,
) -> CatalogEvent | None:
    before, after = normalized_prices(old_raw), normalized_prices(new_raw)
    if before == after:
        return None
    keys = sorted(
        k for k in before.keys() | after.keys() if before.get(k) != after.get(k)
    )
    return _event(
        kind,
        now,
        run,
        before={k: before.get(k, "0") for k in keys},
        after={k: after.get(k, "0") for k in keys},
        **kw,
    )


def _model_events(
    model: LanguageModel,
    values: dict[str, Any],
    previous: dict[str, Any],
    now: datetime,
    run: SyncRun | None,
) -> list[CatalogEvent]:
    """Events for what changed upstream; `previous` holds overridden fields' old
    upstream values, since their columns show the editor's value."""
    events = []
    price = _price_event(
        EventKind.PRICE, model.pricing_raw, values["pricing_raw"], now, run, model=model
    )
    if price:
        events.append(price)
    for name, kind in (
        ("context_length", EventKind.CONTEXT),
        ("name", EventKind.RENAMED),
        ("expiration_date", EventKind.DEPRECATION),
    ):
        old = previous[name] if name in previous else getattr(model, name)
        new = values[name]
        if old != new:
            events.append(
                _event(
                    kind, now, run, model=model, before=to_json(old), after=to_json(new)
                )
            )
    return events


def authors_for(slugs: Iterable[str]) -> dict[str, Author]:
    """Authors by slug, creating the missing ones."""
    wanted = set(slugs)
    known = {a.slug: a for a in Author.objects.filter(slug__in=wanted)}
    missing = [Author(slug=slug) for slug in wanted - known.keys()]
    if missing:
        Author.objects.bulk_create(missing, ignore_conflicts=True)
        known = {a.slug: a for a in Author.objects.filter(slug__in=wanted)}
    return known


def shrink_guard(active: int, missing: int, ratio: float, what: str) -> None:
    """Refuse a fetch that would delist more than `ratio` of the active rows."""
    if active and missing > active * ratio:
        raise ShrinkGuardError(
            f"refused: upstream {what} lost {missing} of {active} active entries "
            f"(more than {ratio:.0%}); nothing was marked delisted"
        )


def model_upsert_many(
    records: list[ModelRecord],
    *,
    now: datetime,
    run: SyncRun | None = None,
    shrink_ratio: float = 0.5,
) -> IngestResult:
    """Make the stored catalogue match one complete fetch of the model list.

    Hand-added models are never touched; overridden fields keep the editor's value.
    """
    result = IngestResult()
    records = _unique_by_id(records, result)
    existing = {m.slug: m for m in LanguageModel.objects.all()}
    hand = {slug for slug, m in existing.items() if m.origin == Origin.HAND}
    records = _skip_hand_added(records, hand, result)
    seen = {r.id for r in records}
    listed = [
        m for m in existing.values() if m.delisted_at is None and m.slug not in hand
    ]
    vanished = [m for m in listed if m.slug not in seen]
    shrink_guard(len(listed), len(vanished), shrink_ratio, "model list")

    with transaction.atomic():
        batch = _ModelBatch(now=now, run=run, overrides=overrides_by_target("model"))
        authors = authors_for(r.author for r in records)
        for record in records:
            values = model_fields(record, authors[record.author])
            model = existing.get(record.id)
            if model is None:
                batch.create.append(_new_model(record.id, values, now))
            else:
                batch.compare(model, values)
        for model in vanished:
            model.delisted_at = now
            batch.events.append(_event(EventKind.DELISTED, now, run, model=model))
        result.add(batch.write(vanished))
    return result


@dataclass
class _ModelBatch:
    """The model writes of one catalogue fetch, done in bulk."""

    now: datetime
    run: SyncRun | None
    overrides: dict[int, dict[str, FieldOverride]]
    create: list[LanguageModel] = field(default_factory=list)
    update: list[LanguageModel] = field(default_factory=list)
    moved: list[FieldOverride] = field(default_factory=list)
    events: list[CatalogEvent] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    unchanged: int = 0
    relisted: int = 0

    def compare(self, model: LanguageModel, values: dict[str, Any]) -> None:
        write, previous, moved = overrides_split(
            model, values, self.overrides.get(model.pk, {}), self.now
        )
        self.moved += moved
        names = changed_fields(model, write)
        if model.delisted_at is not None:
            model.delisted_at = None
            names.append("delisted_at")
            self.events.append(
                _event(EventKind.RELISTED, self.now, self.run, model=model)
            )
            self.relisted += 1
        if not names and not moved:
            self.unchanged += 1
            return
        self.events += _model_events(model, values, previous, self.now, self.run)
        if not names:
            self.unchanged += 1
            return
        for name in names:
            if name != "delisted_at":
                setattr(model, name, write[name])
        model.updated_at = self.now
        self.names.update(names, {"updated_at"})
        self.update.append(model)

    def write(self, vanished: list[LanguageModel]) -> IngestResult:
        created = LanguageModel.objects.bulk_create(self.create, batch_size=500)
        self.events += [
            _event(EventKind.ADDED, self.now, self.run, model=m) for m in created
        ]
        if self.update:
            LanguageModel.objects.bulk_update(self.update, sorted(self.names), 500)
        LanguageModel.objects.bulk_update(vanished, ["delisted_at"], 500)
        FieldOverride.objects.bulk_update(
            self.moved, ["upstream_value", "upstream_changed_at"]
        )
        CatalogEvent.objects.bulk_create(self.events, batch_size=500)
        return IngestResult(
            created=len(created),
            updated=len(self.update),
            unchanged=self.unchanged,
            delisted=len(vanished),
            relisted=self.relisted,
            events=len(self.events),
        )


def _skip_hand_added(
    records: list[ModelRecord], hand: set[str], result: IngestResult
) -> list[ModelRecord]:
    kept = []
    for record in records:
        if record.id in hand:
            result.errors.append(
                ItemError(record.id, "kept the hand-added model with this id")
            )
        else:
            kept.append(record)
    return kept


def _new_model(slug: str, values: dict[str, Any], now: datetime) -> LanguageModel:
    return LanguageModel(slug=slug, first_seen_at=now, updated_at=now, **values)


def _unique_by_id(
    records: list[ModelRecord], result: IngestResult
) -> list[ModelRecord]:
    unique: dict[str, ModelRecord] = {}
    for record in records:
        if record.id in unique:
            result.failed += 1
            result.errors.append(ItemError(record.id, "duplicate id in one response"))
            continue
        unique[record.id] = record
    return list(unique.values())


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


def provider_upsert_many(
    records: list[ProviderRecord],
    *,
    now: datetime,
    run: SyncRun | None = None,
    shrink_ratio: float = 0.5,
) -> IngestResult:
    """Make the stored providers match one complete fetch of the provider list."""
    result = IngestResult()
    records = list({r.slug: r for r in records}.values())
    existing = {p.slug: p for p in Provider.objects.all()}
    seen = {r.slug for r in records}
    listed = [
        p
        for p in existing.values()
        if p.listed and p.delisted_at is None and p.origin == Origin.UPSTREAM
    ]
    vanished = [p for p in listed if p.slug not in seen]
    shrink_guard(len(listed), len(vanished), shrink_ratio, "provider list")
    with transaction.atomic():
        to_create, events = [], []
        for record in records:
            values = provider_fields(record)
            provider = existing.get(record.slug)
            if provider is None:
                to_create.append(
                    Provider(
                        slug=record.slug, first_seen_at=now, updated_at=now, **values
                    )
                )
                continue
            names = changed_fields(provider, values)
            if provider.delisted_at is not None:
                provider.delisted_at = None
                names.append("delisted_at")
            if not names:
                result.unchanged += 1
                continue
            for name, value in values.items():
                setattr(provider, name, value)
            provider.updated_at = now
            provider.save()
            result.updated += 1
        created = Provider.objects.bulk_create(to_create)
        events += [
            _event(EventKind.PROVIDER_ADDED, now, run, provider=p) for p in created
        ]
        for provider in vanished:
            provider.delisted_at = now
            provider.save(update_fields=["delisted_at"])
            events.append(
                _event(EventKind.PROVIDER_REMOVED, now, run, provider=provider)
            )
        CatalogEvent.objects.bulk_create(events)
    result.created, result.delisted, result.events = (
        len(created),
        len(vanished),
        len(events),
    )
    return result
