"""Our stored prices back to upstream's shape: USD per token (or unit) as strings."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from catalog.pricing import prices

VARIABLE = "-1"
# Raw pricing keys a column (or the discount) answers instead.
NOT_RAW = frozenset({*prices.COLUMN_KEYS, "discount"})
COLUMNS = tuple(zip(prices.COLUMN_KEYS, prices.COLUMNS, strict=True))


def pricing_of(obj: Any) -> dict[str, Any]:
    """Upstream-style pricing of a model or endpoint, from its effective columns.

    Keys we keep no column for (audio, image_output, …) come from the raw pricing,
    which is then the effective value too. Routers say "-1" for prompt and completion.
    """
    raw = obj.pricing_raw or {}
    pricing: dict[str, Any] = {
        key: str(value)
        for key, value in raw.items()
        if key not in NOT_RAW
        and isinstance(value, str | int | float)
        and not isinstance(value, bool)
    }
    for key, column in COLUMNS:
        value = getattr(obj, column)
        if value is not None:
            pricing[key] = as_sent(key, value, raw.get(key))
    if obj.is_variable_price:
        for required in prices.REQUIRED:
            pricing.setdefault(required.name, VARIABLE)
    overrides = overrides_of(obj.pricing_overrides)
    if overrides is not None:
        pricing["overrides"] = overrides
    return dict(sorted(pricing.items()))


# The types upstream's PricingOverride gives its fields.
NUMBERS = ("min_prompt_tokens", "utc_start", "utc_end")


def overrides_of(stored: Any) -> list[dict[str, Any]] | None:
    """Upstream's `pricing.overrides` as it sent them (order, keys and strings),
    None when it sent none. Entries that do not fit upstream's own schema for
    them (a price that is no string, a condition that is no number: clients'
    parsers refuse those) are left out; they are stored, and reported by the
    sync that saw them."""
    if not isinstance(stored, list):
        return None
    return [entry for entry in stored if _fits(entry)]


def _fits(entry: Any) -> bool:
    if not isinstance(entry, dict):
        return False
    for key, value in entry.items():
        if key in NUMBERS:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        elif key == "utc_days":
            ok = isinstance(value, list) and all(isinstance(d, str) for d in value)
        else:
            ok = isinstance(value, str)
        if not ok:
            return False
    return True


def as_sent(key: str, value: Decimal, sent: Any) -> str:
    """Upstream's own string for a price when the column still holds what it
    stores for it ("0.00000008333333333333334", not our 12 places' rounding: a
    client comparing with upstream sees no change), else the column's price (an
    editor's, or a value upstream sent as a number)."""
    if not isinstance(sent, str):
        return upstream_price(key, value)
    number = prices.to_decimal(sent)
    if number is None:
        return upstream_price(key, value)
    stored = prices.per_million(number) if prices.is_per_token(key) else number
    try:
        same = stored.quantize(prices.PLACES) == value
    except InvalidOperation:
        same = False
    return sent if same else upstream_price(key, value)


@lru_cache(maxsize=4096)
def upstream_price(key: str, value: Decimal) -> str:
    """A column's price as upstream writes it: per token ("0.00000015") or per unit.
    Memoised: a catalogue has few distinct prices, and a list of 500 models would
    otherwise divide and format thousands of Decimals."""
    per_unit = prices.per_token(value) if prices.is_per_token(key) else value
    return prices.plain(Decimal(per_unit)) or "0"
