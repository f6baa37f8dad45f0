"""Writes for direct-provider offers: make the stored offers of a source match one
complete fetch of it, each matched to its catalogue model (catalog.matching)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from catalog import matching
from catalog.editorial.overrides import overrides_by_target
from catalog.ingest.batch import (
    Batch,
    IngestResult,
    baseline_event,
    price_change,
    value_event,
)
from catalog.ingest.rows import objects_update, rows_update
from catalog.models import (
    CatalogEvent,
    DirectAlias,
    DirectOffer,
    EventKind,
    LanguageModel,
    MatchKind,
    SyncKind,
    SyncRun,
)
from catalog.pricing import prices
from catalog.runs import shrink_applied, shrink_guard
from catalog.sources.litellm import SOURCE, PriceEntry
from catalog.versions import data_version_bump

# Rules that read a snapshot or a moving alias as the model itself.
LOOSE_RULES = ("date suffix dropped", "-latest dropped")


def offer_prices(entry: PriceEntry) -> dict[str, Any]:
    """The price columns of one entry: per million tokens, or per unit."""
    columns: dict[str, Any] = {}
    for key in prices.COLUMN_KEYS:
        value = entry.prices.get(key)
        if value is not None and prices.is_per_token(key):
            value = prices.per_million(value)
        columns[prices.KEY[key].column_name] = value
    return columns


def offer_fields(entry: PriceEntry, match: matching.Match) -> dict[str, Any]:
    """The DirectOffer columns that come from the source and the matching."""
    return {
        **offer_prices(entry),
        "model_id": None,  # set from the match by the caller (a pk)
        "match": match.how if match.model else MatchKind.NONE,
        "match_rule": match.rule[:300],
        "maker": is_maker(entry.provider, match.model),
        "mode": entry.mode,
        "pricing_raw": entry.priced.raw,
        "pricing_overrides": entry.priced.overrides(),
        "modes": entry.priced.modes,
        "max_input_tokens": entry.max_input_tokens,
        "max_output_tokens": entry.max_output_tokens,
        "deprecation_date": entry.deprecation_date,
        "successor_model": entry.successor_model,
        "source_url": entry.source_url,
    }


def is_maker(provider: str, model: str | None) -> bool:
    """Whether the provider is the maker of the model (OpenAI of openai/*)."""
    maker = matching.MAKERS.get(provider)
    return bool(model and maker and model.startswith(f"{maker}/"))


def aliases_of(source: str) -> dict[str, str]:
    """The code's aliases and the editors' (theirs win): key -> catalogue id."""
    editors = DirectAlias.objects.filter(source=source).values_list(
        "key", "model__slug"
    )
    return matching.ALIASES | dict(editors)


@dataclass(frozen=True)
class Listed:
    """What matching knows of one entry: its key, provider and list prices (per
    million tokens, None when it has none)."""

    key: str
    provider: str
    prompt: Decimal | None
    completion: Decimal | None


@dataclass(frozen=True)
class Catalogue:
    """The listed catalogue as matching reads it."""

    ids: dict[str, frozenset[str]]
    pks: dict[str, int]
    prices: dict[str, tuple[Decimal | None, Decimal | None]]


def catalogue_index() -> Catalogue:
    """Every id and canonical slug of the listed catalogue -> its models' ids,
    each id's pk, and its default prompt and completion prices."""
    rows = list(
        LanguageModel.objects.filter(delisted_at__isnull=True).values_list(
            "pk", "slug", "canonical_slug", "price_prompt", "price_completion"
        )
    )
    return Catalogue(
        ids=matching.catalogue_ids([(r[1], r[2]) for r in rows]),
        pks={r[1]: r[0] for r in rows},
        prices={r[1]: (r[3], r[4]) for r in rows},
    )


def _other_release(entry: Listed, model: str, catalogue: Catalogue) -> bool:
    """A date or -latest rule's model priced otherwise than the entry: another
    release under the same name (mistral-large-latest is not 2024's
    mistral-large), so no match."""
    prompt, completion = catalogue.prices.get(model, (None, None))
    return any(
        ours is not None and theirs is not None and ours != theirs
        for ours, theirs in ((prompt, entry.prompt), (completion, entry.completion))
    )


def matches_for(entries: Iterable[Listed], source: str) -> dict[str, matching.Match]:
    """Each entry's match, by key. A date or -latest rule is looser than the
    others: it yields to the same provider listing the model itself (that entry
    is its price), and to a price that says it is another release."""
    catalogue = catalogue_index()
    aliases = aliases_of(source)
    found = {
        e.key: (e, matching.match_entry(e.key, e.provider, catalogue.ids, aliases))
        for e in entries
    }
    direct = {
        (e.provider, m.model): e.key
        for e, m in found.values()
        if m.model and not _loose(m)
    }
    result = {}
    for key, (entry, m) in found.items():
        own = direct.get((entry.provider, m.model)) if m.model else None
        if m.model and own is not None and own != key:
            m = matching.Match(
                None, "", f"{entry.provider} lists {m.model} itself: {own}"
            )
        elif m.model and _loose(m) and _other_release(entry, m.model, catalogue):
            m = matching.Match(None, "", f"{m.rule} gives {m.model}, priced otherwise")
        result[key] = m
    return result


def _loose(found: matching.Match) -> bool:
    return any(rule in found.rule for rule in LOOSE_RULES)


@dataclass
class DirectBatch(Batch[DirectOffer]):
    """The offer writes of one fetch of a source."""

    model = DirectOffer
    override_kind = "direct_offer"

    def label(self, obj: DirectOffer) -> str:
        return obj.key

    def event(self, kind: str, obj: DirectOffer, **kwargs: Any) -> CatalogEvent:
        return super().event(
            kind, obj, direct_offer=obj, model_id=obj.model_id, **kwargs
        )

    def added_event(self, obj: DirectOffer) -> CatalogEvent:
        return self.event(EventKind.DIRECT_ADDED, obj, after={"key": obj.key})

    def delisted_event(self, obj: DirectOffer) -> CatalogEvent:
        return self.event(EventKind.DIRECT_REMOVED, obj, before={"key": obj.key})

    def relisted_event(self, obj: DirectOffer) -> CatalogEvent:
        return self.event(EventKind.DIRECT_ADDED, obj, after={"key": obj.key})

    def change_events(
        self, obj: DirectOffer, values: dict[str, Any], previous: dict[str, Any]
    ) -> list[CatalogEvent]:
        events = []
        moved = price_change(
            obj.pricing_raw,
            values["pricing_raw"],
            obj.pricing_overrides,
            values["pricing_overrides"],
        )
        if moved is not None:
            before, after = moved
            events.append(
                self.event(EventKind.DIRECT_PRICE, obj, before=before, after=after)
            )
        retirement = value_event(
            self,
            EventKind.DIRECT_DEPRECATION,
            obj,
            _retirement(obj.deprecation_date, obj.successor_model),
            _retirement(values["deprecation_date"], values["successor_model"]),
        )
        if retirement is not None:
            events.append(retirement)
        return events


def _retirement(day: Any, successor: str) -> dict[str, str] | None:
    if day is None and not successor:
        return None
    return {"deprecation_date": day.isoformat() if day else "", "successor": successor}


def _listed(entry: PriceEntry) -> Listed:
    columns = offer_prices(entry)
    return Listed(
        entry.key, entry.provider, columns["price_prompt"], columns["price_completion"]
    )


def direct_offer_upsert_many(
    entries: list[PriceEntry],
    *,
    listed: set[str],
    now: datetime,
    run: SyncRun | None = None,
    shrink_ratio: float = 0.5,
) -> IngestResult:
    """Make the stored offers of the source match one complete fetch of it.
    `listed`: every key the fetch named, its skipped entries' too (those keep
    their stored offer as it was)."""
    existing = {
        (o.provider, o.key): o for o in DirectOffer.objects.filter(source=SOURCE)
    }
    active = [o for o in existing.values() if o.delisted_at is None]
    vanished = [o for o in active if o.key not in listed]
    accepted = shrink_guard(
        len(active),
        [o.key for o in vanished],
        shrink_ratio,
        "LiteLLM price map",
        kind=run.kind if run else SyncKind.LITELLM,
        run=run,
    )
    matches = matches_for((_listed(e) for e in entries), SOURCE)
    pks = catalogue_index().pks
    batch = DirectBatch(
        now=now,
        run=run,
        baseline=not existing,
        overrides=overrides_by_target("direct_offer"),
    )
    for entry in entries:
        match = matches[entry.key]
        values = offer_fields(entry, match)
        values["model_id"] = pks.get(match.model) if match.model else None
        offer = existing.get((entry.provider, entry.key))
        if offer is None:
            batch.add(
                DirectOffer(
                    source=SOURCE,
                    provider=entry.provider,
                    key=entry.key,
                    first_seen_at=now,
                    updated_at=now,
                    **values,
                )
            )
        else:
            batch.compare(offer, values)
    for offer in vanished:
        batch.vanish(offer)
    result = batch.write()
    successors_resolve()
    direct_flags_store()
    if batch.baseline and result.created:
        baseline_event(now, run, SOURCE, {"offers": result.created}).save()
        result.events += 1
    shrink_applied(accepted, run)
    return result


def successors_resolve(source: str = SOURCE) -> int:
    """Point each offer at the catalogue model its `successor_model` names: the
    same provider's matched entry of that key, or whose key ends in "/" and it
    (the shortest key first). How many offers changed their successor."""
    rows = list(
        DirectOffer.objects.filter(source=source).values_list(
            "pk", "provider", "key", "model_id", "successor_model", "successor_id"
        )
    )
    named: dict[tuple[str, str], int] = {}
    for _, provider, key, model_id, _, _ in sorted(
        rows, key=lambda r: (len(r[2]), r[2])
    ):
        if model_id is not None:
            parts = key.split("/")
            for start in range(len(parts)):
                named.setdefault((provider, "/".join(parts[start:])), model_id)
    changed = [
        (pk, found)
        for pk, provider, _, _, successor, current in rows
        if (found := named.get((provider, successor)) if successor else None) != current
    ]
    rows_update(DirectOffer, ["successor"], changed)
    if changed:
        data_version_bump()
    return len(changed)


def direct_flags_store() -> int:
    """Flag the catalogue models a source lists a direct offer of, and unflag the
    others (LanguageModel.has_direct_offers); how many changed."""
    listed = set(
        DirectOffer.objects.filter(delisted_at__isnull=True, model__isnull=False)
        .values_list("model_id", flat=True)
        .distinct()
    )
    flagged = set(
        LanguageModel.objects.filter(has_direct_offers=True).values_list(
            "pk", flat=True
        )
    )
    changed = [(pk, True) for pk in sorted(listed - flagged)]
    changed += [(pk, False) for pk in sorted(flagged - listed)]
    rows_update(LanguageModel, ["has_direct_offers"], changed)
    if changed:
        data_version_bump()
    return len(changed)


def direct_rematch(source: str = SOURCE) -> int:
    """Match the stored offers again (after an editor's alias, or once the
    catalogue changed): how many offers changed their match."""
    offers = list(DirectOffer.objects.filter(source=source, delisted_at__isnull=True))
    matches = matches_for(
        (Listed(o.key, o.provider, o.price_prompt, o.price_completion) for o in offers),
        source,
    )
    pks = catalogue_index().pks
    changed = []
    for offer in offers:
        found = matches[offer.key]
        model_id = pks.get(found.model) if found.model else None
        if model_id != offer.model_id or found.rule[:300] != offer.match_rule:
            offer.model_id = model_id
            offer.match = found.how if found.model else MatchKind.NONE
            offer.match_rule = found.rule[:300]
            offer.maker = is_maker(offer.provider, found.model)
            changed.append(offer)
    with transaction.atomic():
        objects_update(changed, ["model", "match", "match_rule", "maker"])
        successors_resolve(source)
        direct_flags_store()
    return len(changed)
