"""Plain-text descriptions of catalogue events (escaped by whoever renders them)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from catalog.models import CatalogEvent, EventKind
from catalog.pricing import prices, tiers
from catalog.sources.litellm import split_price_key

PRICE_KINDS = {EventKind.PRICE, EventKind.ENDPOINT_PRICE, EventKind.DIRECT_PRICE}


@dataclass(frozen=True)
class PriceMove:
    """One price key of a price event: before, after, direction and percentage."""

    key: str
    before: str
    after: str
    direction: str  # "up", "down" or "" (to/from variable)
    percent: Decimal | None  # None when from free or to/from variable
    # The price key that says its unit: a direct price's LiteLLM name is shown
    # as it is, priced per token or per unit as its namesake of ours.
    unit_key: str = ""

    @property
    def label(self) -> str:
        if self.key == "tiers":
            return f"price tiers {self.before} → {self.after}"
        arrow = {"up": "↑", "down": "↓"}.get(self.direction, "→")
        pct = f" {self.percent:+}%" if self.percent is not None else ""
        return (
            f"{self.key} {prices.human(self.unit_key or self.key, self.before)} → "
            f"{prices.human(self.unit_key or self.key, self.after)} {arrow}{pct}"
        )


def price_moves(event: CatalogEvent) -> list[PriceMove]:
    """The changed prices of a price event, key by key."""
    if event.kind not in PRICE_KINDS:
        return []
    before, after = event.before or {}, event.after or {}
    moves = []
    for key in sorted((before.keys() | after.keys()) - {"overrides"}):
        old = prices.to_decimal(before.get(key, "0"))
        new = prices.to_decimal(after.get(key, "0"))
        direction = ""
        if old is not None and new is not None and old >= 0 and new >= 0:
            direction = "up" if new > old else "down" if new < old else ""
        percent = prices.percent_change(old, new)
        moves.append(
            PriceMove(
                key,
                str(before.get(key, "0")),
                str(after.get(key, "0")),
                direction,
                percent,
                _unit_key(event, key),
            )
        )
    if "overrides" in before or "overrides" in after:
        old, new = before.get("overrides"), after.get("overrides")
        moves.append(PriceMove("tiers", tiers_text(old), tiers_text(new), "", None))
    return moves


def _unit_key(event: CatalogEvent, key: str) -> str:
    if event.kind != EventKind.DIRECT_PRICE:
        return key
    ours, _, _ = split_price_key(key.partition(".")[0])
    return ours or key


def tiers_text(overrides: object) -> str:
    """Price tiers for people: "none", or each well-formed entry's sentence
    ("prompts over 200,000 tokens: $2.50/M in, $15.00/M out"), "; " between."""
    if not overrides:
        return "none"
    found = tiers.parse(overrides)
    if not found:
        return "none priced (malformed)"
    return "; ".join(t.sentence() for t in found.entries)


def event_subject(event: CatalogEvent) -> str:
    """What the event is about: the model, else the provider."""
    model, provider = event.model, event.provider
    direct = event.direct_offer if event.direct_offer_id else None
    if model is not None:
        subject = f"{model.name} ({model.slug})"
        if event.endpoint_id and provider is not None:
            subject += f" at {provider.name}"
        if direct is not None:
            subject += f", direct at {direct.provider}"
        return subject
    if direct is not None:
        return f"{direct.key} ({direct.provider}, direct)"
    if provider is not None:
        return provider.name
    return "the catalogue"


BASELINE_SUBJECTS = {
    "catalog": "the model list",
    "endpoints": "every model's providers",
    "providers": "the provider list",
    "litellm": "the direct providers' list prices (LiteLLM)",
}


def event_title(event: CatalogEvent) -> str:
    if event.kind == EventKind.BASELINE:
        sync = event.after.get("sync") if isinstance(event.after, dict) else None
        subject = BASELINE_SUBJECTS.get(str(sync), "the catalogue")
        return f"{event.get_kind_display()} of {subject}"
    return f"{event.get_kind_display()}: {event_subject(event)}"


def event_summary(event: CatalogEvent) -> str:
    """One sentence on what changed, e.g. "prompt $0.15/M → $0.20/M ↑ +33.3%"."""
    moves = price_moves(event)
    if moves:
        return "; ".join(m.label for m in moves)
    if event.kind == EventKind.BASELINE:
        return baseline_text(event.after)
    provider = event.provider.name if event.provider_id and event.provider else ""
    fixed = FIXED.get(event.kind)
    if fixed is not None:
        return fixed.format(provider=provider or "A provider").strip()
    changed = VALUE_TEXT.get(event.kind, "{before} → {after}")
    return changed.format(
        before=_plain(event.before, event.kind), after=_plain(event.after, event.kind)
    )


# What an event without a before/after says, by kind.
FIXED: dict[str, str] = {
    EventKind.ADDED: "new in the catalogue",
    EventKind.DELISTED: "no longer listed upstream",
    EventKind.RELISTED: "listed upstream again",
    EventKind.ENDPOINT_ADDED: "{provider} now serves this model",
    EventKind.ENDPOINT_REMOVED: "{provider} no longer serves this model",
    EventKind.ENDPOINT_RELISTED: "{provider} serves this model again",
    EventKind.PROVIDER_ADDED: "new provider listed upstream",
    EventKind.PROVIDER_REMOVED: "provider no longer listed upstream",
    EventKind.PROVIDER_RELISTED: "provider listed upstream again",
    EventKind.DIRECT_ADDED: "a direct list price is listed",
    EventKind.DIRECT_REMOVED: "the direct list price is no longer listed",
}
VALUE_TEXT: dict[str, str] = {
    EventKind.CONTEXT: "context {before} → {after} tokens",
    EventKind.RENAMED: "renamed from “{before}” to “{after}”",
    EventKind.DEPRECATION: "retirement date {before} → {after}",
    EventKind.DIRECT_DEPRECATION: "direct retirement {before} → {after}",
}


def baseline_text(after: object) -> str:
    """What a first import brought in: "imported 321 models from 54 authors",
    "imported 800 provider endpoints of 320 models at 38 providers"."""
    counts = after if isinstance(after, dict) else {}

    def n(key: str, unit: str) -> str:
        value = counts.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            return ""
        return f"{value:,} {unit}{'' if value == 1 else 's'}"

    sync = counts.get("sync")
    if sync == "endpoints":
        parts = [n("endpoints", "provider endpoint"), n("models", "model")]
        text = " of ".join(p for p in parts if p)
        at = n("providers", "provider")
        return f"imported {text} at {at}" if at else f"imported {text}"
    if sync == "providers":
        return f"imported {n('providers', 'provider')}"
    if sync == "litellm":
        return f"imported {n('offers', 'direct offer')}"
    models, authors = n("models", "model"), n("authors", "author")
    return f"imported {models} from {authors}" if authors else f"imported {models}"


def _plain(value: object, kind: str) -> str:
    if value in (None, ""):
        return "none"
    if kind == EventKind.DIRECT_DEPRECATION and isinstance(value, dict):
        day, successor = value.get("deprecation_date"), value.get("successor")
        text = str(day or "no date")
        return f"{text} (successor {successor})" if successor else text
    if kind == EventKind.CONTEXT and isinstance(value, int):
        return f"{value:,}"
    return str(value)
