"""The providers table of a model (or the models table of a provider): each
endpoint with its current figures and the cheapest/fastest badges."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from catalog.models import DirectOffer, Endpoint
from catalog.pricing.costs import Cost, service_offers, tiers_of


@dataclass
class ProviderOffer:
    """One endpoint with its current figures and badges.

    The figures are the endpoint's latest sample's, which stats keeps on the row as
    each snapshot is stored (stats.figures) and clears once a day old: the table
    reads them with the endpoint, not its samples."""

    endpoint: Endpoint
    cheapest: bool = False
    fastest: bool = False
    # A month of the page's workload on this endpoint (front.workload).
    cost: Cost | None = None
    # The same provider's direct list price, when the routed price differs
    # (front.direct).
    direct_gap: DirectOffer | None = None

    @property
    def service_tier(self) -> str:
        """Upstream's service tier of this endpoint ("flex", "priority", …), ""
        for the standard one."""
        return self.endpoint.service_tier

    @property
    def tiers(self) -> list[str]:
        """The endpoint's price tiers as sentences ("prompts over 200,000 tokens:
        $2.50/M in, $15.00/M out")."""
        return [t.sentence() for t in tiers_of(self.endpoint).entries]

    @property
    def latency(self) -> float | None:
        return _finite(self.endpoint.latency_p50)

    @property
    def throughput(self) -> float | None:
        return _finite(self.endpoint.throughput_p50)

    @property
    def uptime(self) -> float | None:
        """Uptime over the last day, else over the last 30 minutes (the rule
        stats.figures keeps, one for every table that shows it)."""
        return _finite(self.endpoint.uptime)

    @property
    def price_total(self) -> Decimal | None:
        e = self.endpoint
        if e.is_variable_price or e.price_prompt is None:
            return None
        return e.price_prompt + (e.price_completion or 0)


def _finite(value: float | None) -> float | None:
    # Figures stored before sources refused NaN and infinities show as unknown.
    return value if value is not None and math.isfinite(value) else None


def provider_offers(
    endpoints: Iterable[Endpoint], *, of_one_model: bool = False
) -> list[ProviderOffer]:
    """Endpoints as offers; the cheapest and the fastest marked. A model's (`of_one
    _model`) with each provider's service tiers right after its standard endpoint,
    and only standard ones marked cheapest: a service tier is a choice, not a
    price cut."""
    ordered = list(endpoints)
    if of_one_model:
        ordered = [
            e
            for offer in service_offers(ordered)
            for e in ([offer.standard] if offer.standard is not None else [])
            + offer.tiers
        ]
    offers = [ProviderOffer(e) for e in ordered]
    priced = [
        o
        for o in offers
        if o.price_total is not None and not (of_one_model and o.service_tier)
    ]
    if len(offers) > 1 and priced:
        low = min(o.price_total for o in priced if o.price_total is not None)
        for o in priced:
            o.cheapest = o.price_total == low
    timed = [o for o in offers if o.throughput is not None]
    if len(offers) > 1 and timed:
        max(timed, key=lambda o: o.throughput or 0).fastest = True
    return offers


def has_perf(offers: list[ProviderOffer]) -> bool:
    """Whether any endpoint has a latency, throughput or uptime to show."""
    return any(
        o.latency is not None or o.throughput is not None or o.uptime is not None
        for o in offers
    )
