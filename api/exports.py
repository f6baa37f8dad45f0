"""CSV exports of one model: its price history and its public tokens per day."""

from __future__ import annotations

import csv
import io

from catalog.models import LanguageModel
from catalog.pricing import prices
from catalog.reads.history import PricePoint, price_changes
from catalog.reads.spreadsheet import csv_row
from stats.models import TokenUsageDaily

PRICE_COLUMNS = [
    "from",
    "model",
    "series",
    "input_usd_per_m",
    "output_usd_per_m",
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


def price_history_csv(model: LanguageModel, points: list[PricePoint]) -> str:
    """The model page's price table: each series' first price and every change
    (the model, then each provider), oldest first, USD per million tokens."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(PRICE_COLUMNS)
    for p in price_changes(points):
        writer.writerow(
            csv_row(
                [
                    p.at.isoformat(),
                    model.slug,
                    p.series,
                    prices.plain(p.prompt) or "",
                    prices.plain(p.completion) or "",
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
