"""What a workload costs a month on a model (at its default price) or on one
provider's endpoint: every price component that applies, in exact Decimals.

The rules, from upstream's pricing (see /api/v1/models docs and
catalog/pricing/prices.py):

- input not served from cache is billed at the prompt price; the share served
  from cache at the cache-read price. With caching in use (a cache share above 0)
  the input that was not read from cache is written to it, so the next request can
  read it: billed at the cache-write price where one is listed;
- a model listing no cache-read (or cache-write) price does not cache: those
  tokens are billed at the prompt price;
- reasoning tokens are billed as output tokens unless an `internal_reasoning`
  price above zero is listed (2025 payloads carried "0" for every model, which
  never meant free reasoning);
- per-request, per-image and per-search prices are charged per unit; a missing
  one is not charged (upstream: a missing key means not applicable, and 2026
  payloads omit zero prices);
- a variable price (routers, "-1") is never a number: such models and endpoints
  are reported apart as "variable", as are those with neither a prompt nor a
  completion price ("unknown"), never as zero;
- an endpoint's `discount` figure is not applied: the listed prices are charged.

A month is 30 days. The same arithmetic runs in Python (`cost_of`, for the rows
shown and the API's breakdown) and in the database (`cost_expression`, to sort
30,000 models without reading them: over ModelRank's float copies of the prices,
whose order differs from the exact one only between costs equal to ~15 digits,
which show the same). Both are built from the price keys' declarations
(catalog/pricing/prices.py: which keys are costed, each one's fallback, which
zero means "not listed", which keys make prices known), so they bill the same
keys by the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Context, Decimal, localcontext
from typing import Any, Literal, TypeVar, cast

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    Field,
    FloatField,
    Model,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce, NullIf

from catalog.pricing import prices
from catalog.pricing.prices import PriceKey, Prices

DAYS_PER_MONTH = 30
ZERO = Decimal(0)
# The largest workload (10M tokens a request, a billion requests a day) at the
# largest storable price needs ~40 digits; Decimal's default keeps 28.
EXACT = Context(prec=80)
# Monthly costs are shown to the cent above a dollar and to 6 places below it;
# the API sends this precision too.
COST_PLACES = Decimal("0.000001")

M = TypeVar("M", bound=Model)
Status = Literal["priced", "variable", "unknown"]
# Units billed a month, keyed by price key: millions of tokens, or units.
Units = Mapping[str, Decimal]
# The keys a cost bills, in the order of its parts (a bill's): input tokens,
# output tokens, then what is charged per unit.
PARTS = tuple(
    sorted(
        (k for k in prices.KEYS if k.costed), key=lambda k: (not k.per_token, k.output)
    )
)
COMPONENTS = tuple(k.name for k in PARTS)


def billed_by(key: PriceKey) -> tuple[PriceKey, ...]:
    """The keys whose price may bill `key`'s units, the first one listed winning:
    its own, then its fallback's (and so on)."""
    if key.fallback is None:
        return (key,)
    return (key, *billed_by(prices.KEY[key.fallback]))


BILLED_BY = {k.name: billed_by(k) for k in PARTS}
# The keys with a `price_<key>` column.
COLUMNED = tuple(k for k in prices.KEYS if k.column)


@dataclass(frozen=True)
class Workload:
    """Per request: tokens in and out, reasoning tokens, images and web searches;
    the share of input served from cache (0..1); and a volume, either requests a
    day or tokens (input + output) a month."""

    # The defaults are the "chat" preset's (catalog.pricing.workloads).
    input_tokens: int = 1500
    output_tokens: int = 400
    requests_per_day: Decimal | None = Decimal(1000)
    tokens_per_month: int | None = None
    cache_share: Decimal = ZERO
    reasoning_tokens: int = 0
    images: Decimal = ZERO
    web_searches: Decimal = ZERO

    @property
    def requests_per_month(self) -> Decimal:
        """Requests a month: from requests a day, else from tokens a month."""
        if self.tokens_per_month is not None:
            per_request = self.input_tokens + self.output_tokens
            if per_request <= 0:
                return ZERO
            return Decimal(self.tokens_per_month) / Decimal(per_request)
        return (self.requests_per_day or ZERO) * DAYS_PER_MONTH

    def per_request(self) -> dict[str, Decimal]:
        """What one request uses of each costed price: tokens, or units (itself,
        its images, its searches)."""
        cached = Decimal(self.input_tokens) * self.cache_share
        uncached = Decimal(self.input_tokens) - cached
        written = uncached if self.cache_share > 0 else ZERO
        return {
            "prompt": uncached - written,
            "input_cache_read": cached,
            "input_cache_write": written,
            "completion": Decimal(self.output_tokens),
            "internal_reasoning": Decimal(self.reasoning_tokens),
            "request": Decimal(1),
            "image": self.images,
            "web_search": self.web_searches,
        }

    def units(self) -> dict[str, Decimal]:
        """Units billed a month per cost part: millions of tokens for token
        prices, requests, images and searches for the others (before the fallbacks
        that bill a missing cache or reasoning price at another price)."""
        n = self.requests_per_month
        used = {name: amount * n for name, amount in self.per_request().items()}
        return {
            k.name: used[k.name] / prices.MILLION if k.per_token else used[k.name]
            for k in PARTS
        }


@dataclass(frozen=True)
class Cost:
    """A monthly cost: a total and its parts, or a status saying why there is none."""

    status: Status
    total: Decimal | None = None
    parts: dict[str, Decimal] | None = None

    @property
    def rounded(self) -> Decimal | None:
        if self.total is None:
            return None
        with localcontext(EXACT):
            return self.total.quantize(COST_PLACES)


def listed_prices(obj: Any) -> Prices:
    """The prices a model or endpoint lists, from its `price_*` columns."""
    values = ((k.name, getattr(obj, k.column_name)) for k in COLUMNED)
    return {name: Decimal(v) for name, v in values if v is not None}


def price_status(obj: Any) -> Status:
    """Whether a model's or endpoint's prices give a number for any workload."""
    return _status(obj.is_variable_price, listed_prices(obj))


def _status(variable: bool, listed: Prices) -> Status:
    if variable:
        return "variable"
    if not any(k.name in listed for k in prices.REQUIRED):
        return "unknown"
    return "priced"


def billed_prices(listed: Prices) -> dict[str, Decimal]:
    """The price billed per unit of each cost part, fallbacks applied (see the
    module's rules): token prices per million tokens, others per unit."""
    return {name: _billed(listed, chain) for name, chain in BILLED_BY.items()}


def _billed(listed: Prices, chain: tuple[PriceKey, ...]) -> Decimal:
    for key in chain:
        value = listed.get(key.name)
        if value is not None and not (key.zero_unlisted and value == 0):
            return value
    return ZERO


def effective_prices(obj: Any) -> dict[str, Decimal]:
    """A model's or endpoint's billed prices (billed_prices of its columns)."""
    return billed_prices(listed_prices(obj))


def cost_of(obj: Any, workload: Workload) -> Cost:
    """The monthly cost of `workload` on a model or endpoint (anything with the
    `price_*` columns and `is_variable_price`)."""
    with localcontext(EXACT):
        return units_cost_of(obj, workload.units())


def units_cost_of(obj: Any, units: Units) -> Cost:
    """The cost of `units` (every cost part's) on a model or endpoint."""
    listed = listed_prices(obj)
    status = _status(obj.is_variable_price, listed)
    if status != "priced":
        return Cost(status)
    with localcontext(EXACT):
        billed = billed_prices(listed)
        parts = {k: units[k] * billed[k] for k in COMPONENTS}
        return Cost("priced", sum(parts.values(), ZERO), parts)


COST_FIELD = DecimalField(max_digits=40, decimal_places=12)
# ModelRank keeps its prices as floats: they order costs, never show them.
ORDER_FIELD = FloatField()


def _billed_expression(key: PriceKey, field: Field[Any, Any], zero: Value) -> Coalesce:
    # _billed in SQL: the first listed price of the chain, else zero.
    listed = [
        NullIf(F(k.column_name), zero) if k.zero_unlisted else F(k.column_name)
        for k in BILLED_BY[key.name]
    ]
    none = Value(ZERO if field is COST_FIELD else 0.0)
    return Coalesce(*listed, none, output_field=field)


def cost_expression(workload: Workload, *, exact: bool = True) -> Case:
    """The monthly cost as a database expression over the `price_*` columns, null
    for variable and unknown prices: `.annotate(cost=…)` then order by it. In
    exact Decimals, or (`exact=False`, for ModelRank's float prices) in floats."""
    return units_cost_expression(workload.units(), exact=exact)


def units_cost_expression(units: Units, *, exact: bool = True) -> Case:
    """The cost of `units` (every cost part's) as a database expression."""
    field = COST_FIELD if exact else ORDER_FIELD
    zero = Value(ZERO if exact else 0.0, output_field=field)
    total: Any = zero
    for key in PARTS:
        if units[key.name]:
            amount = units[key.name] if exact else float(units[key.name])
            term = ExpressionWrapper(
                Value(amount, output_field=field)
                * _billed_expression(key, field, zero),
                output_field=field,
            )
            total = CombinedExpression(total, "+", term, output_field=field)
    unpriced = Value(None, output_field=field)
    unknown = Q(**{f"{k.column_name}__isnull": True for k in prices.REQUIRED})
    return Case(
        When(is_variable_price=True, then=unpriced),
        When(unknown, then=unpriced),
        default=total,
        output_field=field,
    )


def money(cost: Cost) -> str:
    """A monthly cost for people: "$12.35", "$0.0042", "variable", "unknown"."""
    if cost.total is None:
        return cost.status
    with localcontext(EXACT):
        if cost.total >= 1:
            return prices.money(cost.total.quantize(Decimal("0.01")))
        return prices.money(cost.total.quantize(COST_PLACES))


def by_cost(
    rows: QuerySet[M], workload: Workload, *ties: str, exact: bool = True
) -> QuerySet[M]:
    """Models, endpoints or ranks annotated with `cost` (a month of `workload`),
    cheapest first, then by `ties` (default the primary key); variable and unknown
    prices last. Ordered in the database: nothing is read to sort."""
    # django-stubs loses the row type through annotate(); it is unchanged.
    cost = cost_expression(workload, exact=exact)
    annotated = cast("QuerySet[M]", rows.annotate(cost=cost))
    return annotated.order_by(F("cost").asc(nulls_last=True), *(ties or ("pk",)))
