"""An independent diff of two model lists: what a catalogue changelog should say.

Written separately from catalog.ingest on purpose, so the tests compare the product
against a second, simpler reading of the same recorded data.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

Models = list[dict[str, Any]]


def price_map(pricing: dict[str, Any] | None) -> dict[str, Decimal]:
    """Numeric prices by key; "discount" is not a price and non-numbers are skipped."""
    prices = {}
    for key, value in (pricing or {}).items():
        if key == "discount" or not isinstance(value, str | int | float):
            continue
        try:
            prices[key] = Decimal(str(value))
        except InvalidOperation:
            continue
    return prices


def prices_differ(old: dict[str, Any] | None, new: dict[str, Any] | None) -> bool:
    """True when any numeric price differs, a missing key counting as zero."""
    a, b = price_map(old), price_map(new)
    return any(
        a.get(k, Decimal(0)) != b.get(k, Decimal(0)) for k in a.keys() | b.keys()
    )


def diff(old: Models, new: Models) -> dict[str, set[str]]:
    """Ids added, removed, and present in both with different prices."""
    before = {m["id"]: m for m in old}
    after = {m["id"]: m for m in new}
    return {
        "added": after.keys() - before.keys(),
        "removed": before.keys() - after.keys(),
        "price": {
            i
            for i in before.keys() & after.keys()
            if prices_differ(before[i].get("pricing"), after[i].get("pricing"))
        },
    }
