"""Our stored prices back to upstream's shape: USD per token (or unit) as strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from catalog import prices

VARIABLE = "-1"


def pricing_of(obj: Any) -> dict[str, str]:
    """Upstream-style pricing of a model or endpoint, from its effective columns.

    Keys we keep no column for (audio, image_output, …) come from the raw pricing,
    which is then the effective value too. Routers say "-1" for prompt and completion.
    """
    raw = obj.pricing_raw or {}
    pricing: dict[str, str] = {
        key: str(value)
        for key, value in raw.items()
        if key not in (*prices.COLUMN_KEYS, "discount")
        and isinstance(value, str | int | float)
        and not isinstance(value, bool)
    }
    for key in prices.COLUMN_KEYS:
        value = getattr(obj, f"price_{key}")
        if value is None:
            continue
        per_unit = prices.per_token(value) if prices.is_per_token(key) else value
        pricing[key] = prices.plain(Decimal(per_unit)) or "0"
    if obj.is_variable_price:
        for key in ("prompt", "completion"):
            pricing.setdefault(key, VARIABLE)
    return dict(sorted(pricing.items()))
