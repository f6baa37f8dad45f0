"""CSV exports of one model: its price history and its public tokens per day."""

from __future__ import annotations

import csv
import io

from catalog.models import CatalogEvent, LanguageModel
from catalog.prices import percent_change
from catalog.spreadsheet import csv_row
from stats.models import TokenUsageDaily

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
                csv_row(
                    [
                        event.observed_at.isoformat(),
                        model.slug,
                        key,
                        old,
                        new,
                        "" if change is None else change,
                    ]
                )
            )
    return out.getvalue()


def tokens_per_day_csv(model: LanguageModel) -> str:
    """Tokens per day of a model, every source, oldest first."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TOKEN_COLUMNS)
    rows = TokenUsageDaily.objects.filter(model=model).order_by("date", "source")
    for row in rows.values_list(*TOKEN_COLUMNS):
        writer.writerow(csv_row("" if v is None else v for v in row))
    return out.getvalue()
