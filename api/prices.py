"""Our stored prices back to upstream's shape: USD per token (or unit) as strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from catalog.models import TOKEN_PRICE_KEYS, UNIT_PRICE_KEYS

MILLION = Decimal(1_000_000)
VARIABLE = "-1"


def plain(value: Decimal) -> str:
    """A Decimal as a plain string: no exponent, no trailing zeros ("0.00000015")."""
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def per_token(per_million: Decimal) -> str:
    """USD per million tokens (our column) -> USD per token (upstream's string)."""
    return plain(Decimal(per_million) / MILLION)


def pricing_of(obj: Any) -> dict[str, str]:
    """Upstream-style pricing of a model or endpoint, from its effective columns.

    Keys we keep no column for (audio, image_output, …) come from the raw pricing,
    which is then the effective value too. Routers say "-1" for prompt and completion.
    """
    raw = obj.pricing_raw or {}
    pricing: dict[str, str] = {
        key: str(value)
        for key, value in raw.items()
        if key not in TOKEN_PRICE_KEYS + UNIT_PRICE_KEYS + ("discount",)
        and isinstance(value, str | int | float)
        and not isinstance(value, bool)
    }
    for key in TOKEN_PRICE_KEYS:
        value = getattr(obj, f"price_{key}")
        if value is not None:
            pricing[key] = per_token(value)
    for key in UNIT_PRICE_KEYS:
        value = getattr(obj, f"price_{key}")
        if value is not None:
            pricing[key] = plain(Decimal(value))
    if obj.is_variable_price:
        for key in ("prompt", "completion"):
            pricing.setdefault(key, VARIABLE)
    return dict(sorted(pricing.items()))
