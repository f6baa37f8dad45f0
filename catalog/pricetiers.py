"""Each model's and endpoint's price tier regions, stored where the database can
price them (PriceTier rows, catalog.pricing.tiers): written from the effective
`pricing_overrides` whenever it changes (ingest, an editor's override, the admin).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from catalog.models import Endpoint, LanguageModel, PriceTier
from catalog.pricing import prices, tiers

COLUMNS = tuple(prices.KEY[k].column_name for k in prices.COLUMN_KEYS)


def price_tiers_store(rows: Iterable[Any]) -> int:
    """Replace the stored regions of `rows` (models or endpoints, saved) by
    those of their `pricing_overrides`; how many regions were written."""
    models = [r for r in rows if isinstance(r, LanguageModel)]
    endpoints = [r for r in rows if isinstance(r, Endpoint)]
    PriceTier.objects.filter(model__in=[m.pk for m in models]).delete()
    PriceTier.objects.filter(endpoint__in=[e.pk for e in endpoints]).delete()
    owners: list[LanguageModel | Endpoint] = [*models, *endpoints]
    new = [
        _row(owner, region)
        for owner in owners
        for region in tiers.parse(owner.pricing_overrides).regions
    ]
    PriceTier.objects.bulk_create(new, batch_size=500)
    return len(new)


def _row(owner: LanguageModel | Endpoint, region: tiers.Region) -> PriceTier:
    owned = (
        {"model": owner} if isinstance(owner, LanguageModel) else {"endpoint": owner}
    )
    listed = {
        prices.KEY[key].column_name: value
        for key, value in region.prices.items()
        if prices.KEY[key].column
    }
    return PriceTier(
        **owned,
        prompt_above=region.prompt_above,
        prompt_upto=region.prompt_upto,
        start_minute=region.start,
        end_minute=region.end,
        entries=list(region.entries),
        **listed,
    )
