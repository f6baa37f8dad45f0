"""CSV exports of one model: its price history and its public tokens per day."""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

from django.apps import apps

from catalog.models import CatalogEvent, LanguageModel

PRICE_COLUMNS = [
    "observed_at",
    "model",
    "price",
    "before_usd",
    "after_usd",
    "change_percent",
]
TOKEN_COLUMNS = [
    "date",
    "source",
    "prompt",
    "completion",
    "reasoning",
    "total",
    "requests",
]


def percent_change(before: str | None, after: str | None) -> Decimal | None:
    """(after - before) / before in percent, one decimal; None when undefined."""
    try:
        old, new = Decimal(str(before)), Decimal(str(after))
    except (InvalidOperation, ValueError):
        return None
    if old <= 0 or new < 0:
        return None  # from free or from/to variable: no meaningful percentage
    return ((new - old) / old * 100).quantize(Decimal("0.1"))


def price_history_csv(model: LanguageModel, events: list[CatalogEvent]) -> str:
    """One row per changed price key per change, oldest first, USD per token/unit."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(PRICE_COLUMNS)
    for event in events:
        before, after = event.before or {}, event.after or {}
        for key in sorted(before.keys() | after.keys()):
            old, new = before.get(key, "0"), after.get(key, "0")
            change = percent_change(old, new)
            writer.writerow(
                [
                    event.observed_at.isoformat(),
                    model.slug,
                    key,
                    old,
                    new,
                    "" if change is None else change,
                ]
            )
    return out.getvalue()


def tokens_per_day_csv(model: LanguageModel) -> str | None:
    """Tokens per day from stats.TokenUsageDaily; None when stats is not installed."""
    if not apps.is_installed("stats"):
        return None
    try:
        usage = apps.get_model("stats", "TokenUsageDaily")
    except LookupError:
        return None
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TOKEN_COLUMNS)
    rows = usage.objects.filter(model=model).order_by("date", "source")
    for row in rows.values_list(*TOKEN_COLUMNS):
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()
