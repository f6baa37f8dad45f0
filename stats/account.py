"""Reads of the account's own usage (/activity): what /usage and /usage.csv show.

Private figures, kept apart from the public ones: nothing here reads the public
token tables, and nothing outside /usage reads AccountUsageDaily. Every read is
aggregated in the database over a bounded date range, in a fixed number of queries
whatever the number of days, models or providers the account used.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, Count, F, Max, Min, QuerySet, Sum
from django.db.models.functions import Cast, Round

from catalog.models import LanguageModel
from catalog.pricing.prices import MILLION
from stats.models import AccountUsageDaily

# Models drawn (and listed) on their own; the rest are one "Other models" stack.
TOP_MODELS = 8
TOP_PROVIDERS = 8
# The longest range one page or export reads (a year and a leap day).
MAX_DAYS = 366
DEFAULT_DAYS = 30
OTHER = "Other models"
NO_PROVIDER = "Unknown provider"
CSV_COLUMNS = (
    "date",
    "model",
    "provider",
    "endpoint_id",
    "requests",
    "prompt_tokens",
    "completion_tokens",
    "reasoning_tokens",
    "spend_usd",
)


@dataclass(frozen=True)
class Spend:
    """Spend and tokens of some rows; reasoning tokens are counted in completion."""

    usd: Decimal = Decimal(0)
    requests: int = 0
    prompt: int = 0
    completion: int = 0
    reasoning: int = 0

    @property
    def tokens(self) -> int:
        return self.prompt + self.completion

    def plus(self, other: Spend) -> Spend:
        return Spend(
            self.usd + other.usd,
            self.requests + other.requests,
            self.prompt + other.prompt,
            self.completion + other.completion,
            self.reasoning + other.reasoning,
        )

    def minus(self, other: Spend) -> Spend:
        return Spend(
            self.usd - other.usd,
            self.requests - other.requests,
            self.prompt - other.prompt,
            self.completion - other.completion,
            self.reasoning - other.reasoning,
        )


@dataclass(frozen=True)
class ModelSpend:
    """One model's spend, and what its tokens cost at the model's list price."""

    slug: str
    spend: Spend
    model: LanguageModel | None = None

    @property
    def name(self) -> str:
        return self.model.name if self.model and self.model.name else self.slug

    @property
    def effective_per_million(self) -> Decimal | None:
        """USD paid per million tokens (prompt and completion together)."""
        return _per_million(self.spend.usd, self.spend.tokens)

    @property
    def list_cost(self) -> Decimal | None:
        """The same tokens at today's list prices; None when unknown or variable."""
        m = self.model
        if m is None or m.is_variable_price:
            return None
        if m.price_prompt is None or m.price_completion is None:
            return None
        cost = self.spend.prompt * m.price_prompt
        return (cost + self.spend.completion * m.price_completion) / MILLION

    @property
    def list_per_million(self) -> Decimal | None:
        cost = self.list_cost
        return None if cost is None else _per_million(cost, self.spend.tokens)


@dataclass(frozen=True)
class ProviderSpend:
    name: str
    spend: Spend


@dataclass
class AccountUsage:
    """The account's usage over [start, end]: totals, leaders and daily stacks."""

    start: date
    end: date
    total: Spend
    model_count: int
    models: list[ModelSpend]
    providers: list[ProviderSpend]
    # Series name (a top model's slug, or OTHER) -> day -> its figures that day.
    daily: dict[str, dict[date, Spend]] = field(default_factory=dict)

    @property
    def days(self) -> list[date]:
        span = (self.end - self.start).days + 1
        return [self.start + timedelta(days=n) for n in range(span)]

    @property
    def other(self) -> Spend:
        """Everything beyond the listed models."""
        listed = Spend()
        for m in self.models:
            listed = listed.plus(m.spend)
        return self.total.minus(listed)


def _per_million(usd: Decimal, tokens: int) -> Decimal | None:
    return usd * MILLION / tokens if tokens else None


# Spend is summed as whole units of its last decimal place, integers every backend
# adds exactly (SQLite adds decimals as floats, to 15 significant digits), then
# scaled back: a total is the exact Decimal sum of its rows.
USD_PLACES = AccountUsageDaily._meta.get_field("usage_usd").decimal_places

SUMS = {
    "usd_units": Sum(
        Cast(Round(F("usage_usd") * 10**USD_PLACES), BigIntegerField()), default=0
    ),
    "requests": Sum("requests", default=0),
    "prompt_tokens": Sum("prompt", default=0),
    "completion_tokens": Sum("completion", default=0),
    "reasoning_tokens": Sum("reasoning", default=0),
}


def _spend(row: dict[str, Any]) -> Spend:
    return Spend(
        usd=Decimal(row["usd_units"]).scaleb(-USD_PLACES),
        requests=int(row["requests"]),
        prompt=int(row["prompt_tokens"]),
        completion=int(row["completion_tokens"]),
        reasoning=int(row["reasoning_tokens"]),
    )


def _grouped(
    rows: QuerySet[Any], *keys: str, limit: int | None = None
) -> list[dict[str, Any]]:
    """SUMS per group of `keys`: by spend (then key) and cut at `limit` in the
    database when given, else unordered."""
    grouped: Any = rows.values(*keys).annotate(**SUMS)
    if limit is None:
        return list(grouped.order_by())
    return list(grouped.order_by("-usd_units", *keys)[:limit])


def _in_range(start: date, end: date) -> QuerySet[AccountUsageDaily]:
    return AccountUsageDaily.objects.filter(date__gte=start, date__lte=end)


def account_usage_span() -> tuple[date, date] | None:
    """The first and last day the account has usage stored for, or None."""
    found = AccountUsageDaily.objects.aggregate(first=Min("date"), last=Max("date"))
    if found["first"] is None:
        return None
    return found["first"], found["last"]


def account_usage_get(start: date, end: date) -> AccountUsage:
    """The account's usage over [start, end] (at most MAX_DAYS), in six queries."""
    if not 0 <= (end - start).days < MAX_DAYS:
        raise ValueError(f"a range of 1 to {MAX_DAYS} days, not {start}..{end}")
    rows = _in_range(start, end)
    total = rows.aggregate(**SUMS, models=Count("model_slug", distinct=True))
    by_model = _grouped(rows, "model_slug", limit=TOP_MODELS)
    slugs = [r["model_slug"] for r in by_model]
    known = {
        m.slug: m
        for m in LanguageModel.objects.filter(slug__in=slugs).only(
            "slug",
            "name",
            "hidden",
            "price_prompt",
            "price_completion",
            "is_variable_price",
        )
    }
    return AccountUsage(
        start=start,
        end=end,
        total=_spend(total),
        model_count=total["models"],
        models=[
            ModelSpend(r["model_slug"], _spend(r), known.get(r["model_slug"]))
            for r in by_model
        ],
        providers=_providers(rows),
        daily=_daily(rows, slugs),
    )


def _providers(rows: QuerySet[AccountUsageDaily]) -> list[ProviderSpend]:
    grouped = _grouped(rows, "provider_name", limit=TOP_PROVIDERS)
    return [
        ProviderSpend(r["provider_name"] or NO_PROVIDER, _spend(r)) for r in grouped
    ]


def _daily(
    rows: QuerySet[AccountUsageDaily], slugs: list[str]
) -> dict[str, dict[date, Spend]]:
    """Each top model's days, and the rest as OTHER (a day's total minus them)."""
    daily: dict[str, dict[date, Spend]] = {slug: {} for slug in slugs}
    top = rows.filter(model_slug__in=slugs)
    listed: dict[date, Spend] = {}
    for r in _grouped(top, "date", "model_slug"):
        spend = _spend(r)
        daily[r["model_slug"]][r["date"]] = spend
        listed[r["date"]] = listed.get(r["date"], Spend()).plus(spend)
    other: dict[date, Spend] = {}
    for r in _grouped(rows, "date"):
        rest = _spend(r).minus(listed.get(r["date"], Spend()))
        if rest.usd or rest.tokens or rest.requests:
            other[r["date"]] = rest
    if other:
        daily[OTHER] = other
    return daily


def account_usage_rows(start: date, end: date) -> Iterator[dict[str, Any]]:
    """Every stored row over [start, end] for the CSV export, oldest first, read in
    chunks (a year of a busy account stays out of memory)."""
    if not 0 <= (end - start).days < MAX_DAYS:
        raise ValueError(f"a range of 1 to {MAX_DAYS} days, not {start}..{end}")
    rows = (
        _in_range(start, end)
        .order_by("date", "model_slug", "provider_name", "endpoint_upstream_id")
        .values_list(
            "date",
            "model_slug",
            "provider_name",
            "endpoint_upstream_id",
            "requests",
            "prompt",
            "completion",
            "reasoning",
            "usage_usd",
        )
    )
    for values in rows.iterator(chunk_size=2000):
        yield dict(zip(CSV_COLUMNS, values, strict=True))
