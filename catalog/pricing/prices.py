"""The price vocabulary: which upstream keys are prices, their units, and how a price
is converted, compared and written. Pure Python; every other module asks here.

Upstream sends every price as a string in USD per token (or per request, image,
search). We store token prices per million tokens, the unit people read, and keep
unit prices as they are.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

MILLION = Decimal(1_000_000)
# 12 decimal places keep the smallest recorded per-token prices exact
# ("0.000000042" per token -> 0.042 per million).
PLACES = Decimal("0.000000000001")
# Routers price each request by where it lands: upstream says "-1".
VARIABLE = Decimal(-1)

# The prices we keep a column for (`price_<key>`), in display order.
COLUMN_KEYS = (
    "prompt",
    "completion",
    "internal_reasoning",
    "input_cache_read",
    "input_cache_write",
    "request",
    "image",
    "web_search",
)
# Every upstream key priced per token, columns or not (events keep the others raw).
PER_TOKEN = frozenset(
    {
        "prompt",
        "completion",
        "internal_reasoning",
        "input_cache_read",
        "input_cache_write",
        "input_cache_write_1h",
        "audio",
        "audio_output",
        "input_audio_cache",
        "image_token",
        "image_output",
    }
)
TOKEN_COLUMN_KEYS = tuple(k for k in COLUMN_KEYS if k in PER_TOKEN)
UNIT_COLUMN_KEYS = tuple(k for k in COLUMN_KEYS if k not in PER_TOKEN)
COLUMNS = tuple(f"price_{k}" for k in COLUMN_KEYS)
TOKEN_COLUMNS = frozenset(f"price_{k}" for k in TOKEN_COLUMN_KEYS)


def is_per_token(key: str) -> bool:
    """Whether an upstream pricing key (or a `price_` column) is priced per token."""
    return key.removeprefix("price_") in PER_TOKEN


def to_decimal(value: Any) -> Decimal | None:
    """A finite Decimal from a string or number, else None (booleans are not prices)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def per_million(per_token: Decimal) -> Decimal:
    """USD per token -> USD per million tokens, exact to PLACES ("-1" stays "-1")."""
    if per_token == VARIABLE:
        return VARIABLE
    # `+ 0` turns a negative zero into a zero.
    return (per_token * MILLION).quantize(PLACES).normalize() + Decimal(0)


def per_token(per_million_value: Decimal) -> Decimal:
    """USD per million tokens -> USD per token."""
    return Decimal(per_million_value) / MILLION


def plain(value: Decimal | None) -> str | None:
    """A Decimal as a plain string: no exponent, no trailing zeros ("0.00000015")."""
    if value is None:
        return None
    if value == 0:
        return "0"
    text = format(Decimal(value).normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def money(value: Decimal, *, places: int = 2) -> str:
    """A dollar amount for people: at least `places` decimals, more when the value
    needs them ("$0.10", "$0.15", "$0.0375", "$1,250.00")."""
    text = plain(abs(value)) or "0"
    whole, _, fraction = text.partition(".")
    fraction = fraction.ljust(places, "0")
    sign = "-" if value < 0 else ""
    return f"{sign}${int(whole):,}.{fraction}"


def percent_change(before: Any, after: Any) -> Decimal | None:
    """(after - before) / before in percent, one decimal; None when undefined
    (from free, or from/to a variable price)."""
    old, new = to_decimal(before), to_decimal(after)
    if old is None or new is None or old <= 0 or new < 0:
        return None
    return ((new - old) / old * 100).quantize(Decimal("0.1"))


def normalized(raw: Any) -> dict[str, str]:
    """Every non-zero numeric price of a raw pricing object, as plain strings.

    2025 payloads list zero prices, 2026 payloads omit them: comparing these
    normalised dicts sees only real price changes across the two eras.
    """
    if not isinstance(raw, dict):
        return {}
    prices = {}
    for key, value in raw.items():
        number = None if key == "discount" else to_decimal(value)
        if number is not None and number != 0:
            prices[str(key)] = plain(number) or "0"
    return dict(sorted(prices.items()))


def human(key: str, per_unit: Any) -> str:
    """A raw upstream price (per token or per unit) for people: "$0.10/M",
    "$0.005" per request, "variable" for routers."""
    number = to_decimal(per_unit)
    if number is None:
        return str(per_unit)
    if number < 0:
        return "variable"
    if is_per_token(key):
        return f"{money(per_million(number))}/M"
    return money(number)
