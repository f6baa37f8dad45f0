"""Plain-text descriptions of catalogue events (escaped by whoever renders them)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from catalog.models import CatalogEvent, EventKind

MILLION = Decimal(1_000_000)
TOKEN_KEYS = {
    "prompt",
    "completion",
    "internal_reasoning",
    "input_cache_read",
    "input_cache_write",
    "input_cache_write_1h",
    "audio",
    "audio_output",
    "input_audio_cache",
    "image_token",
}
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
            f"{self.key} {_human(self.key, self.before)} → "
            f"{_human(self.key, self.after)} {arrow}{pct}"
        )


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _human(key: str, value: str) -> str:
    """A per-token string as "$0.15/M"; per-unit keys as "$0.005"; "-1" variable."""
    number = _decimal(value)
    if number is None:
        return str(value)
    if number < 0:
        return "variable"
    if key in TOKEN_KEYS:
        text = format((number * MILLION).normalize(), "f")
        return f"${text}/M"
    return f"${format(number.normalize(), 'f')}"


def price_moves(event: CatalogEvent) -> list[PriceMove]:
    """The changed prices of a price event, key by key."""
    if event.kind not in PRICE_KINDS:
        return []
    before, after = event.before or {}, event.after or {}
    moves = []
    for key in sorted(before.keys() | after.keys()):
        old, new = _decimal(before.get(key, "0")), _decimal(after.get(key, "0"))
        direction, percent = "", None
        if old is not None and new is not None and old >= 0 and new >= 0:
            direction = "up" if new > old else "down" if new < old else ""
            if old > 0:
                percent = ((new - old) / old * 100).quantize(Decimal("0.1"))
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
    if event.model_id:
        subject = f"{event.model.name} ({event.model.slug})"
        if event.endpoint_id and event.provider_id:
            subject += f" at {event.provider.name}"
        return subject
    if event.provider_id:
        return event.provider.name
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
