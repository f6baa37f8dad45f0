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
- an endpoint's `discount` figure is not applied: the listed prices are charged;
- price tiers (upstream's `pricing.overrides`, catalog/pricing/tiers.py) replace
  the base prices key by key where they apply: a prompt-size tier when the
  workload's input tokens per request are above its threshold; a time window for
  the share of the workload's requests made inside it (requests are spread evenly
  over the workload's hours, by default the whole week). A variable or unknown
  base price stays so whatever the tiers say;
- a workload whose cache writes last an hour bills them at the 1-hour cache-write
  price, else at the (5-minute) cache-write price, else at the prompt price.

A month is 30 days. The same arithmetic runs in Python (`cost_of`, here, for the
rows shown and the API's breakdown) and in the database (`cost_expression`, in
catalog/pricing/expressions.py, to sort
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
from typing import Any, Literal

from catalog.pricing import prices, tiers
from catalog.pricing.prices import PriceKey, Prices
from catalog.pricing.tiers import ALL_WEEK, Hours, Tiers

DAYS_PER_MONTH = 30
ZERO = Decimal(0)
# The largest workload (10M tokens a request, a billion requests a day) at the
# largest storable price needs ~40 digits; Decimal's default keeps 28.
EXACT = Context(prec=80)
# Monthly costs are shown to the cent above a dollar and to 6 places below it;
# the API sends this precision too.
COST_PLACES = Decimal("0.000001")

Status = Literal["priced", "variable", "unknown"]
CacheTtl = Literal["5m", "1h"]
ServiceTier = Literal["standard", "cheapest"]
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
# What cost_of reads of a model or endpoint (for `.only()`).
COSTED_COLUMNS = ("is_variable_price", *prices.COLUMNS, "pricing_overrides")


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
    # How long cache writes last: 5 minutes (upstream's default) or an hour.
    cache_ttl: CacheTtl = "5m"
    # When the requests are made (time-window tiers weigh by it).
    hours: Hours = ALL_WEEK
    # A provider's offer at its standard tier only, or at its cheapest service
    # tier (flex, priority, …) where it has several.
    service_tier: ServiceTier = "standard"

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
        hour = self.cache_ttl == "1h"
        return {
            "prompt": uncached - written,
            "input_cache_read": cached,
            "input_cache_write": ZERO if hour else written,
            "input_cache_write_1h": written if hour else ZERO,
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
class PricedBy:
    """What priced (part of) one cost part: the tier entries that applied (their
    places in upstream's list; none for the base price), the price key billed
    (a fallback's when the part's own is not listed), the share of requests and
    the amount."""

    entries: tuple[int, ...]
    key: str
    share: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Cost:
    """A monthly cost: a total and its parts, or a status saying why there is none.
    `priced_by` says, part by part, which tier priced it."""

    status: Status
    total: Decimal | None = None
    parts: dict[str, Decimal] | None = None
    priced_by: dict[str, tuple[PricedBy, ...]] | None = None

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
    return _billed_by(listed, chain)[1]


def _billed_by(listed: Prices, chain: tuple[PriceKey, ...]) -> tuple[str, Decimal]:
    for key in chain:
        value = listed.get(key.name)
        if value is not None and not (key.zero_unlisted and value == 0):
            return key.name, value
    return chain[0].name, ZERO


def tiers_of(obj: Any) -> Tiers:
    """A model's or endpoint's price tiers (its `pricing_overrides`, parsed)."""
    return tiers.parse(getattr(obj, "pricing_overrides", None))


def effective_prices(obj: Any) -> dict[str, Decimal]:
    """A model's or endpoint's billed prices (billed_prices of its columns)."""
    return billed_prices(listed_prices(obj))


def cost_of(obj: Any, workload: Workload) -> Cost:
    """The monthly cost of `workload` on a model or endpoint (anything with the
    `price_*` columns and `is_variable_price`; its tiers from `pricing_overrides`)."""
    with localcontext(EXACT):
        return units_cost_of(
            obj,
            workload.units(),
            prompt_tokens=workload.input_tokens,
            hours=workload.hours,
        )


def units_cost_of(
    obj: Any, units: Units, *, prompt_tokens: int = 0, hours: Hours = ALL_WEEK
) -> Cost:
    """The cost of `units` (every cost part's) on a model or endpoint, for
    requests of `prompt_tokens` input tokens made in `hours`."""
    listed = listed_prices(obj)
    status = _status(obj.is_variable_price, listed)
    if status != "priced":
        return Cost(status)
    with localcontext(EXACT):
        pieces = _pieces(listed, tiers_of(obj), prompt_tokens, hours)
        total = Decimal(hours.total)
        parts: dict[str, Decimal] = {}
        priced_by: dict[str, tuple[PricedBy, ...]] = {}
        for name in COMPONENTS:
            shares, weighted = [], ZERO
            for entries, minutes, prices_there in pieces:
                key, price = _billed_by(prices_there, BILLED_BY[name])
                # Summed over whole minutes, divided once: exact where it can be.
                weighted += units[name] * price * minutes
                amount = units[name] * price * minutes / total
                shares.append(PricedBy(entries, key, minutes / total, amount))
            parts[name] = weighted / total
            priced_by[name] = tuple(shares)
        return Cost("priced", sum(parts.values(), ZERO), parts, priced_by)


def _pieces(
    listed: Prices, found: Tiers, prompt_tokens: int, hours: Hours
) -> list[tuple[tuple[int, ...], Decimal, Prices]]:
    """(entries, minutes of the workload's hours, listed prices there) of the
    base price and of each set of tier entries that applies to these requests
    (a window's regions, one a day, are one piece)."""
    minutes: dict[tuple[int, ...], int] = {}
    there: dict[tuple[int, ...], Prices] = {}
    for region in found.regions:
        inside, _ = hours.share(region)
        if inside and region.holds(prompt_tokens):
            minutes[region.entries] = minutes.get(region.entries, 0) + inside
            there[region.entries] = {**listed, **region.prices}
    pieces = [(e, Decimal(m), there[e]) for e, m in minutes.items()]
    rest = hours.total - sum(minutes.values())
    if rest:
        pieces.insert(0, ((), Decimal(rest), listed))
    return pieces


def money(cost: Cost) -> str:
    """A monthly cost for people: "$12.35", "$0.0042", "variable", "unknown"."""
    if cost.total is None:
        return cost.status
    with localcontext(EXACT):
        if cost.total >= 1:
            return prices.money(cost.total.quantize(Decimal("0.01")))
        return prices.money(cost.total.quantize(COST_PLACES))


@dataclass
class ServiceOffer:
    """One provider's offer of a model: its standard endpoint (None when it
    offers service tiers only) and its service-tier endpoints (flex, priority,
    …: upstream's `service_tier`), each priced at its own prices."""

    standard: Any
    tiers: list[Any]

    def priced(self, workload: Workload) -> tuple[Any, Cost] | None:
        """The endpoint that prices the offer for `workload`, and its cost: the
        standard one, or with `service_tier="cheapest"` the cheapest of all its
        tiers (priced before variable and unknown); None when the workload asks
        for the standard tier and the offer has none."""
        endpoints = [self.standard] if self.standard is not None else []
        if workload.service_tier == "cheapest":
            endpoints += self.tiers
        if not endpoints:
            return None
        costed = [(e, cost_of(e, workload)) for e in endpoints]
        return min(costed, key=lambda ec: (ec[1].total is None, ec[1].total or 0))


def service_offers(endpoints: list[Any]) -> list[ServiceOffer]:
    """A model's endpoints as offers, in their order: a service-tier endpoint
    joins its provider's standard endpoint of the same quantization, else the
    provider's first; a provider without one is an offer of tiers only."""
    offers: list[ServiceOffer] = []
    standard: dict[Any, list[ServiceOffer]] = {}
    for endpoint in endpoints:
        if not endpoint.service_tier:
            offer = ServiceOffer(endpoint, [])
            offers.append(offer)
            standard.setdefault(endpoint.provider_id, []).append(offer)
    tier_only: dict[Any, ServiceOffer] = {}
    for endpoint in endpoints:
        if not endpoint.service_tier:
            continue
        same = standard.get(endpoint.provider_id)
        if same:
            quantized = [
                o for o in same if o.standard.quantization == endpoint.quantization
            ]
            (quantized or same)[0].tiers.append(endpoint)
        elif endpoint.provider_id in tier_only:
            tier_only[endpoint.provider_id].tiers.append(endpoint)
        else:
            tier_only[endpoint.provider_id] = ServiceOffer(None, [endpoint])
            offers.append(tier_only[endpoint.provider_id])
    return offers
