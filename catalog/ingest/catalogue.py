"""The model list: make the stored catalogue match one complete fetch."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from catalog.editorial.overrides import overrides_by_target
from catalog.ingest.batch import (
    Batch,
    IngestResult,
    baseline_event,
    price_change,
    price_columns,
    tier_problems,
    tiered_rows,
    value_event,
)
from catalog.ingest.rows import objects_update
from catalog.models import (
    Author,
    CatalogEvent,
    Endpoint,
    EventKind,
    FieldOverride,
    LanguageModel,
    Origin,
    SyncKind,
    SyncRun,
)
from catalog.pricetiers import price_tiers_store
from catalog.runs import shrink_applied, shrink_guard
from catalog.search.index import SEARCHED_FIELDS, search_index_refresh
from catalog.sources.base import ItemError
from catalog.sources.openrouter import ModelRecord

# Models read and written per round trip.
BATCH = 1000

# Upstream fields whose change is news, and the event each one makes.
WATCHED = (
    ("context_length", EventKind.CONTEXT),
    ("name", EventKind.RENAMED),
    ("expiration_date", EventKind.DEPRECATION),
)


def model_fields(record: ModelRecord, author: Author) -> dict[str, Any]:
    """The LanguageModel columns that come from upstream."""
    arch, top = record.architecture, record.top_provider
    return {
        "canonical_slug": record.canonical_slug,
        "author_id": author.pk,
        "variant": record.variant,
        "name": record.name if record.name.strip() else record.id,
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
        **price_columns(record.pricing),
    }


def authors_for(slugs: Iterable[str]) -> dict[str, Author]:
    """Authors by slug, creating the missing ones."""
    wanted = set(slugs)
    known = {a.slug: a for a in Author.objects.filter(slug__in=wanted)}
    missing = [Author(slug=slug) for slug in wanted - known.keys()]
    if missing:
        Author.objects.bulk_create(missing, ignore_conflicts=True)
        known = {a.slug: a for a in Author.objects.filter(slug__in=wanted)}
    return known


@dataclass
class ModelBatch(Batch[LanguageModel]):
    """The model writes of one catalogue fetch."""

    model = LanguageModel
    override_kind = "model"

    def added_event(self, obj: LanguageModel) -> CatalogEvent:
        return self.event(EventKind.ADDED, obj, model=obj)

    def delisted_event(self, obj: LanguageModel) -> CatalogEvent:
        return self.event(EventKind.DELISTED, obj, model=obj)

    def relisted_event(self, obj: LanguageModel) -> CatalogEvent:
        return self.event(EventKind.RELISTED, obj, model=obj)

    def cascade(
        self, updated: list[LanguageModel], delisted: list[LanguageModel]
    ) -> None:
        """A model's endpoints follow it: delisted with it, relisted with it (those
        delisted at the same moment); the next endpoints poll refines them."""
        if delisted:
            Endpoint.objects.filter(
                model__in=delisted, delisted_at__isnull=True
            ).update(delisted_at=self.now)
        for model in updated:
            since = self.was_delisted.get(id(model))
            if since is not None:
                Endpoint.objects.filter(model=model, delisted_at=since).update(
                    delisted_at=None
                )

    def index(self, created: list[LanguageModel], updated: list[LanguageModel]) -> None:
        """New models and those whose searched fields changed get their search keys."""
        changed = [
            m
            for m in updated
            if not SEARCHED_FIELDS.isdisjoint(self.changed.get(id(m), ()))
        ]
        search_index_refresh([*created, *changed])
        price_tiers_store(tiered_rows(self, created, updated))

    def change_events(
        self, obj: LanguageModel, values: dict[str, Any], previous: dict[str, Any]
    ) -> list[CatalogEvent]:
        events = []
        moved = price_change(
            obj.pricing_raw,
            values["pricing_raw"],
            previous.get("pricing_overrides", obj.pricing_overrides),
            values["pricing_overrides"],
        )
        if moved:
            before, after = moved
            events.append(
                self.event(EventKind.PRICE, obj, model=obj, before=before, after=after)
            )
        for name, kind in WATCHED:
            old = previous[name] if name in previous else getattr(obj, name)
            if name == "name" and str(old).strip() == str(values[name]).strip():
                continue  # whitespace alone (names are stored as sent) is no rename
            event = value_event(self, kind, obj, old, values[name], model=obj)
            if event is not None:
                events.append(event)
        return events


def model_upsert_many(
    records: list[ModelRecord],
    *,
    now: datetime,
    run: SyncRun | None = None,
    shrink_ratio: float = 0.5,
) -> IngestResult:
    """Make the stored catalogue match one complete fetch of the model list."""
    batches = (records[i : i + BATCH] for i in range(0, len(records), BATCH))
    return model_upsert_batches(
        batches,
        ids={r.id for r in records},
        now=now,
        run=run,
        shrink_ratio=shrink_ratio,
    )


def model_upsert_batches(
    batches: Iterable[list[ModelRecord]],
    *,
    ids: Collection[str],
    now: datetime,
    run: SyncRun | None = None,
    shrink_ratio: float = 0.5,
) -> IngestResult:
    """Make the stored catalogue match one complete fetch, given a batch of parsed
    records at a time (so neither the fetch nor the stored rows are in memory whole).

    `ids` are every id the fetch lists, parsed or not: a model upstream still lists
    is never delisted because one of its fields failed to parse. The shrink guard
    reads them before anything is written; then each batch is its own transaction.
    Hand-added models are never touched; overridden fields keep the editor's value.
    """
    result = IngestResult()
    upstream = LanguageModel.objects.exclude(origin=Origin.HAND)
    hand = set(
        LanguageModel.objects.filter(origin=Origin.HAND).values_list("slug", flat=True)
    )
    listed = set(
        upstream.filter(delisted_at__isnull=True).values_list("slug", flat=True)
    )
    vanished = sorted(listed - set(ids))
    accepted = shrink_guard(
        len(listed),
        vanished,
        shrink_ratio,
        "model list",
        kind=run.kind if run else SyncKind.CATALOG,
        run=run,
    )
    # The first import: one baseline event instead of an "Added" per model.
    baseline = not upstream.exists()
    overrides = overrides_by_target("model")
    seen: set[str] = set()
    authors_seen: set[str] = set()
    order: list[str] = []
    for records in batches:
        part = _unique_by_id(records, result, seen)
        part = _skip_hand_added(part, hand, result)
        authors_seen.update(r.author for r in part)
        order += [r.id for r in part]
        result.add(_write_batch(part, upstream, overrides, now, run, baseline))
    positions_store(order)
    for start in range(0, len(vanished), BATCH):
        batch = ModelBatch(now=now, run=run, overrides=overrides)
        for model in upstream.filter(slug__in=vanished[start : start + BATCH]):
            batch.vanish(model)
        result.add(batch.write())
    if baseline and result.created:
        counts = {"models": result.created, "authors": len(authors_seen)}
        baseline_event(now, run, "catalog", counts).save()
        result.events += 1
    shrink_applied(accepted, run)
    return result


def _write_batch(
    records: list[ModelRecord],
    upstream: QuerySet[LanguageModel],
    overrides: dict[int, dict[str, FieldOverride]],
    now: datetime,
    run: SyncRun | None,
    baseline: bool,
) -> IngestResult:
    # The diff reads; the write checks the overrides again (Batch.write).
    batch = ModelBatch(now=now, run=run, overrides=overrides, baseline=baseline)
    authors = authors_for(r.author for r in records)
    _author_names(authors, records)
    stored = upstream.in_bulk([r.id for r in records], field_name="slug")
    problems = []
    for record in records:
        problems += tier_problems(record.id, record.pricing)
        values = model_fields(record, authors[record.author])
        model = stored.get(record.id)
        if model is None:
            batch.add(
                LanguageModel(
                    slug=record.id, first_seen_at=now, updated_at=now, **values
                )
            )
        else:
            batch.compare(model, values)
    result = batch.write()
    result.errors += problems
    return result


def positions_store(order: list[str]) -> None:
    """Store where upstream lists each model (0 first), writing only the rows whose
    position moved. A position is no upstream field to diff: a move is neither an
    update (no updated_at, no event) nor news."""
    position = {slug: i for i, slug in enumerate(order)}
    for start in range(0, len(order), BATCH):
        part = order[start : start + BATCH]
        moved = [
            model
            for model in LanguageModel.objects.filter(slug__in=part).only(
                "pk", "slug", "upstream_position"
            )
            if model.upstream_position != position[model.slug]
        ]
        for model in moved:
            model.upstream_position = position[model.slug]
        objects_update(moved, ["upstream_position"])


def author_display_name(names: Iterable[str]) -> str:
    """The name an author's models give it: "OpenAI" from "OpenAI: GPT-4o" (the
    most common prefix before ": "), else ""."""
    prefixes = Counter(name.split(": ", 1)[0].strip() for name in names if ": " in name)
    if not prefixes:
        return ""
    prefix, _ = prefixes.most_common(1)[0]
    return prefix[:200]


def _author_names(authors: dict[str, Author], records: list[ModelRecord]) -> None:
    """Name authors from their models' names where no name is stored yet."""
    names: dict[str, list[str]] = defaultdict(list)
    for record in records:
        names[record.author].append(record.name or "")
    named = []
    for slug, author in authors.items():
        name = author_display_name(names.get(slug, []))
        if name and not author.name:
            author.name = name
            named.append(author)
    objects_update(named, ["name"])


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


def _unique_by_id(
    records: list[ModelRecord], result: IngestResult, seen: set[str]
) -> list[ModelRecord]:
    """The records whose id no earlier record of the fetch had; `seen` grows."""
    unique = []
    for record in records:
        if record.id in seen:
            result.failed += 1
            result.errors.append(ItemError(record.id, "duplicate id in one response"))
            continue
        seen.add(record.id)
        unique.append(record)
    return unique
