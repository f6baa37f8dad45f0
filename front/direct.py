"""A model page's Direct rows: the providers' own list prices beside the routed
ones, with the gaps between them and the retirements the sources announce."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from catalog.models import DirectOffer, LanguageModel
from catalog.pricing.costs import ZERO, Cost, Workload, money, tiers_of
from catalog.reads.direct import (
    ROUTED_PROVIDER,
    canonical_offers,
    cheapest_direct,
    direct_offers_of,
    provider_name,
    successors_of,
)
from front.offers import ProviderOffer


@dataclass
class DirectRow:
    """One provider's direct list price for the model."""

    offer: DirectOffer
    name: str
    successor: LanguageModel | None = None
    days_left: int | None = None
    cost: Cost | None = None

    @property
    def tiers(self) -> list[str]:
        return [t.sentence() for t in tiers_of(self.offer).entries]

    @property
    def countdown(self) -> str:
        """The time to the retirement: "in 12 days", "today", "3 days ago"."""
        days = self.days_left
        if days is None:
            return ""
        if days == 0:
            return "today"
        unit = "day" if abs(days) == 1 else "days"
        return f"in {days} {unit}" if days > 0 else f"{-days} {unit} ago"

    @property
    def modes(self) -> list[str]:
        """The service tiers the list prices ("batch", "flex", "priority")."""
        return sorted(self.offer.modes) if isinstance(self.offer.modes, dict) else []


def direct_rows(model: LanguageModel, today: date) -> list[DirectRow]:
    """One row per provider of the model's direct offers, the maker's first (no
    query for a model no source lists: most of them)."""
    if not model.has_direct_offers:
        return []
    offers = canonical_offers(direct_offers_of(model))
    successors = successors_of(offers)
    return [
        DirectRow(
            offer=o,
            name=provider_name(o.provider),
            successor=successors.get(o.pk),
            days_left=(o.deprecation_date - today).days if o.deprecation_date else None,
        )
        for o in offers
    ]


def prices_differ(routed: ProviderOffer, direct: DirectOffer) -> bool:
    """Whether a routed endpoint's input or output price is not the list price
    (a price either side does not list is no difference)."""
    e = routed.endpoint
    if e.is_variable_price:
        return False
    return any(
        ours is not None and theirs is not None and ours != theirs
        for ours, theirs in (
            (e.price_prompt, direct.price_prompt),
            (e.price_completion, direct.price_completion),
        )
    )


def mark_gaps(offers: Iterable[ProviderOffer], rows: list[DirectRow]) -> int:
    """Mark each routed standard offer whose price differs from the same
    provider's direct list price; how many were marked."""
    by_provider: dict[str, DirectOffer] = {}
    for row in rows:
        slug = ROUTED_PROVIDER.get(row.offer.provider)
        if slug is not None:
            by_provider.setdefault(slug, row.offer)
    marked = 0
    for offer in offers:
        direct = by_provider.get(offer.endpoint.provider.slug)
        if (
            direct is not None
            and not offer.service_tier
            and prices_differ(offer, direct)
        ):
            offer.direct_gap = direct
            marked += 1
    return marked


@dataclass(frozen=True)
class DirectBeside:
    """A model's cheapest direct offer for a workload, beside its routed cost: the
    list and compare pages' "routed vs direct"."""

    cost: Cost
    provider: str
    key: str
    # The direct cost against the routed one, in words ("" when either has none).
    gap: str


def direct_beside(
    models: Iterable[LanguageModel],
    routed: Mapping[int, Cost | None],
    workload: Workload,
) -> dict[int, DirectBeside]:
    """Each model's cheapest direct offer for the workload and its gap to the
    routed cost given for it (by model pk)."""
    return {
        pk: DirectBeside(
            cost,
            provider_name(offer.provider),
            offer.key,
            gap_words(routed.get(pk), cost),
        )
        for pk, (cost, offer) in cheapest_direct(models, workload).items()
    }


def gap_words(routed: Cost | None, direct: Cost) -> str:
    """ "$2.00 less than routed", "$0.50 more than routed", "same as routed";
    "" when either cost is no number."""
    if routed is None or routed.total is None or direct.total is None:
        return ""
    gap = direct.total - routed.total
    if Cost("priced", abs(gap)).rounded == ZERO:
        return "same as routed"
    amount = money(Cost("priced", abs(gap)))
    return f"{amount} {'less' if gap < 0 else 'more'} than routed"
