"""Plain-text descriptions of catalogue events (escaped by whoever renders them)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from catalog import prices
from catalog.models import CatalogEvent, EventKind

PRICE_KINDS = {EventKind.PRICE, EventKind.ENDPOINT_PRICE}


@dataclass(frozen=True)
class PriceMove:
    """One price key of a price event: before, after, direction and percentage."""

    key: str
    before: str
    after: str
    direction: str  # "up", "down" or "" (to/from variable)
    percent: Decimal | None  # None when from free or to/from variable

    @property
    def label(self) -> str:
        arrow = {"up": "↑", "down": "↓"}.get(self.direction, "→")
        pct = f" {self.percent:+}%" if self.percent is not None else ""
        return (
            f"{self.key} {prices.human(self.key, self.before)} → "
            f"{prices.human(self.key, self.after)} {arrow}{pct}"
        )


def price_moves(event: CatalogEvent) -> list[PriceMove]:
    """The changed prices of a price event, key by key."""
    if event.kind not in PRICE_KINDS:
        return []
    before, after = event.before or {}, event.after or {}
    moves = []
    for key in sorted(before.keys() | after.keys()):
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
            )
        )
    return moves


def event_subject(event: CatalogEvent) -> str:
    """What the event is about: the model, else the provider."""
    model, provider = event.model, event.provider
    if model is not None:
        subject = f"{model.name} ({model.slug})"
        if event.endpoint_id and provider is not None:
            subject += f" at {provider.name}"
        return subject
    if provider is not None:
        return provider.name
    return "the catalogue"


def event_title(event: CatalogEvent) -> str:
    return f"{event.get_kind_display()}: {event_subject(event)}"


def event_summary(event: CatalogEvent) -> str:
    """One sentence on what changed, e.g. "prompt $0.15/M → $0.2/M ↑ +33.3%"."""
    moves = price_moves(event)
    if moves:
        return "; ".join(m.label for m in moves)
    if event.before is not None or event.after is not None:
        return f"{_plain(event.before)} → {_plain(event.after)}"
    return event.get_kind_display()


def _plain(value: object) -> str:
    return "none" if value in (None, "") else str(value)
