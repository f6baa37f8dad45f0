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
which show the same).
"""

from __future__ import annotations

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
COMPONENTS = (
    "prompt",
    "input_cache_read",
    "input_cache_write",
    "completion",
    "internal_reasoning",
    "request",
    "image",
    "web_search",
)


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

    def units(self) -> dict[str, Decimal]:
        """Units billed a month per price component: millions of tokens for token
        prices, requests, images and searches for the others (before the fallbacks
        that bill a missing cache or reasoning price at another price)."""
        n = self.requests_per_month
        cached = Decimal(self.input_tokens) * self.cache_share
        uncached = Decimal(self.input_tokens) - cached
        written = uncached if self.cache_share > 0 else ZERO
        tokens = {
            "prompt": uncached - written,
            "input_cache_read": cached,
            "input_cache_write": written,
            "completion": Decimal(self.output_tokens),
            "internal_reasoning": Decimal(self.reasoning_tokens),
        }
        units = {k: v * n / prices.MILLION for k, v in tokens.items()}
        units["request"] = n
        units["image"] = self.images * n
        units["web_search"] = self.web_searches * n
        return units


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


def _price(obj: Any, key: str) -> Decimal | None:
    value = getattr(obj, f"price_{key}")
    return None if value is None else Decimal(value)


def price_status(obj: Any) -> Status:
    """Whether a model's or endpoint's prices give a number for any workload."""
    if obj.is_variable_price:
        return "variable"
    if _price(obj, "prompt") is None and _price(obj, "completion") is None:
        return "unknown"
    return "priced"


def effective_prices(obj: Any) -> dict[str, Decimal]:
    """The price billed per unit of each component, fallbacks applied (see the
    module's rules): token prices per million tokens, others per unit."""
    prompt = _price(obj, "prompt") or ZERO
    completion = _price(obj, "completion") or ZERO
    reasoning = _price(obj, "internal_reasoning")
    read, write = _price(obj, "input_cache_read"), _price(obj, "input_cache_write")
    return {
        "prompt": prompt,
        "input_cache_read": prompt if read is None else read,
        "input_cache_write": prompt if write is None else write,
        "completion": completion,
        "internal_reasoning": reasoning if reasoning else completion,
        "request": _price(obj, "request") or ZERO,
        "image": _price(obj, "image") or ZERO,
        "web_search": _price(obj, "web_search") or ZERO,
    }


def cost_of(obj: Any, workload: Workload) -> Cost:
    """The monthly cost of `workload` on a model or endpoint (anything with the
    `price_*` columns and `is_variable_price`)."""
    status = price_status(obj)
    if status != "priced":
        return Cost(status)
    with localcontext(EXACT):
        billed = effective_prices(obj)
        units = workload.units()
        parts = {k: units[k] * billed[k] for k in COMPONENTS}
        return Cost("priced", sum(parts.values(), ZERO), parts)


COST_FIELD = DecimalField(max_digits=40, decimal_places=12)
# ModelRank keeps its prices as floats: they order costs, never show them.
ORDER_FIELD = FloatField()


def _coalesced(field: Field, column: str | Any, *fallbacks: Any) -> Coalesce:
    first = F(column) if isinstance(column, str) else column
    zero = Value(ZERO if field is COST_FIELD else 0.0)
    return Coalesce(first, *fallbacks, zero, output_field=field)


def cost_expression(workload: Workload, *, exact: bool = True) -> Case:
    """The monthly cost as a database expression over the `price_*` columns, null
    for variable and unknown prices: `.annotate(cost=…)` then order by it. In
    exact Decimals, or (`exact=False`, for ModelRank's float prices) in floats."""
    field = COST_FIELD if exact else ORDER_FIELD
    units = workload.units()
    zero = Value(ZERO if exact else 0.0, output_field=field)
    billed = {
        "prompt": _coalesced(field, "price_prompt"),
        "input_cache_read": _coalesced(
            field, "price_input_cache_read", F("price_prompt")
        ),
        "input_cache_write": _coalesced(
            field, "price_input_cache_write", F("price_prompt")
        ),
        "completion": _coalesced(field, "price_completion"),
        # A zero reasoning price means "billed as output" (see the module's rules).
        "internal_reasoning": _coalesced(
            field, NullIf(F("price_internal_reasoning"), zero), F("price_completion")
        ),
        "request": _coalesced(field, "price_request"),
        "image": _coalesced(field, "price_image"),
        "web_search": _coalesced(field, "price_web_search"),
    }
    terms = [
        ExpressionWrapper(
            Value(units[k] if exact else float(units[k]), output_field=field)
            * billed[k],
            output_field=field,
        )
        for k in COMPONENTS
        if units[k]
    ]
    total: Any = zero
    for term in terms:
        total = CombinedExpression(total, "+", term, output_field=field)
    unpriced = Value(None, output_field=field)
    return Case(
        When(is_variable_price=True, then=unpriced),
        When(
            Q(price_prompt__isnull=True, price_completion__isnull=True), then=unpriced
        ),
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
