"""The price vocabulary: which upstream keys are prices, their units, and how a price
is converted, compared and written. Pure Python; every other module asks here.

Upstream sends every price as a string in USD per token (or per request, image,
search). We store token prices per million tokens, the unit people read, and keep
unit prices as they are.

Each key is declared once, in KEYS: its unit, its label, whether it has a column
and takes part in a workload's cost, and how it is billed when not listed. The
lists of columns and per-token keys below, the models' price columns (checked by
the tests), and both cost paths (catalog.pricing.costs) follow from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

MILLION = Decimal(1_000_000)
# 12 decimal places keep the smallest recorded per-token prices exact
# ("0.000000042" per token -> 0.042 per million).
PLACES = Decimal("0.000000000001")
# Routers price each request by where it lands: upstream says "-1".
VARIABLE = Decimal(-1)

Unit = Literal["token", "request", "image", "web search"]
# Prices keyed by PriceKey name, in our units (USD per million tokens, per unit
# for the others): any subset of KEYS, as listed.
Prices = Mapping[str, Decimal]


@dataclass(frozen=True)
class PriceKey:
    """One upstream pricing key: its unit, its name for people, and what we do
    with it. Its name is upstream's key (`pricing.<name>`)."""

    name: str
    unit: Unit
    label: str
    # Kept in a `price_<name>` column (on models, endpoints and ranks); the other
    # keys stay in the raw pricing and events.
    column: bool = False
    # Billed in a workload's cost (a column key).
    costed: bool = False
    # Billed at this key's price when this one is not listed.
    fallback: str | None = None
    # A listed "0" counts as not listed (2025 payloads carried "0" for every
    # model's reasoning price, which never meant free reasoning).
    zero_unlisted: bool = False
    # Upstream always lists it: with none of these, a model's prices are unknown.
    required: bool = False
    # Priced on generated tokens (output), not on input.
    output: bool = False

    @property
    def per_token(self) -> bool:
        return self.unit == "token"

    @property
    def column_name(self) -> str:
        return f"price_{self.name}"


# Every upstream price key (all of upstream's pricing fields but `discount`, a
# fraction, and `overrides`), in display order, the columns first.
KEYS = (
    PriceKey("prompt", "token", "Input", column=True, costed=True, required=True),
    PriceKey(
        "completion",
        "token",
        "Output",
        column=True,
        costed=True,
        required=True,
        output=True,
    ),
    PriceKey(
        "internal_reasoning",
        "token",
        "Reasoning",
        column=True,
        costed=True,
        fallback="completion",
        zero_unlisted=True,
        output=True,
    ),
    # A model listing no cache price does not cache: input is billed as prompt.
    PriceKey(
        "input_cache_read",
        "token",
        "Cache read",
        column=True,
        costed=True,
        fallback="prompt",
    ),
    PriceKey(
        "input_cache_write",
        "token",
        "Cache write",
        column=True,
        costed=True,
        fallback="prompt",
    ),
    # Anthropic prices a cache kept an hour apart; a model listing no such price
    # bills those writes at its (5-minute) cache-write price.
    PriceKey(
        "input_cache_write_1h",
        "token",
        "Cache write (1 hour)",
        column=True,
        costed=True,
        fallback="input_cache_write",
    ),
    PriceKey("request", "request", "Per request", column=True, costed=True),
    PriceKey("image", "image", "Per image", column=True, costed=True),
    PriceKey("web_search", "web search", "Web search", column=True, costed=True),
    PriceKey("audio", "token", "Audio input"),
    PriceKey("audio_output", "token", "Audio output", output=True),
    PriceKey("input_audio_cache", "token", "Cached audio input"),
    PriceKey("image_token", "token", "Image input tokens"),
    PriceKey("image_output", "token", "Image output", output=True),
)
KEY = {k.name: k for k in KEYS}

# The prices we keep a column for (`price_<key>`), in display order.
COLUMN_KEYS = tuple(k.name for k in KEYS if k.column)
# Every upstream key priced per token, columns or not (events keep the others raw).
PER_TOKEN = frozenset(k.name for k in KEYS if k.per_token)
TOKEN_COLUMN_KEYS = tuple(k for k in COLUMN_KEYS if k in PER_TOKEN)
UNIT_COLUMN_KEYS = tuple(k for k in COLUMN_KEYS if k not in PER_TOKEN)
COLUMNS = tuple(KEY[k].column_name for k in COLUMN_KEYS)
TOKEN_COLUMNS = frozenset(KEY[k].column_name for k in TOKEN_COLUMN_KEYS)
# Without any of these, a model's or endpoint's prices are unknown.
REQUIRED = tuple(k for k in KEYS if k.required)


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
    """A Decimal as a plain string: no exponent, no trailing zeros ("0.00000015");
    None for a missing or non-finite value (NaN, infinities)."""
    if value is None or not Decimal(value).is_finite():
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
