"""Field types shared by every upstream record: lenient where upstream drifts (blank
means missing, numbers arrive as strings), strict where a value would be wrong.

Text is clipped to the column it lands in, since PostgreSQL enforces lengths, and
cleaned of what no column can hold: NUL (PostgreSQL's text and jsonb refuse it), lone
surrogates (not encodable as UTF-8) and other control characters (XML feeds cannot
carry them). Every string of every record is cleaned, the raw payload included.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WrapValidator,
    model_validator,
)

MAX_TEXT = 100_000
# C0 controls but tab, newline and carriage return; DEL; lone UTF-16 surrogates.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Raw payloads are kept for the record, not for their bulk: nested this deep or
# strings this long are cut.
MAX_DEPTH = 20


def clean_text(value: str) -> str:
    """`value` without the characters no column, JSON document or feed can hold."""
    return _UNSTORABLE.sub("", value)


def clean_json(value: Any, depth: int = 0) -> Any:
    """A JSON value safe to store and to serve: strings cleaned and clipped to
    MAX_TEXT, NaN and infinities as null, nesting cut at MAX_DEPTH."""
    if isinstance(value, str):
        return clean_text(value[:MAX_TEXT])
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, bool | int | BaseModel):
        return value
    if depth >= MAX_DEPTH:
        return None
    if isinstance(value, dict):
        return {
            clean_text(str(k)[:200]): clean_json(v, depth + 1) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [clean_json(v, depth + 1) for v in value]
    return clean_text(str(value)[:MAX_TEXT])


class Lenient(BaseModel):
    """A record of upstream data: unknown fields ignored, the raw object kept."""

    model_config = ConfigDict(
        extra="ignore", populate_by_name=True, str_strip_whitespace=True
    )
    # The upstream object as received, kept for the record's raw payload.
    _raw: dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def raw(self) -> dict[str, Any]:
        return self._raw

    @model_validator(mode="after")
    def _clean_strings(self) -> Lenient:
        # Whatever a field's type, no string leaves the source boundary uncleaned.
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, str | list | dict):
                setattr(self, name, clean_json(value) if value else value)
        return self


def blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _count(value: Any) -> Any:
    # Totals arrive as strings ("123456") in some shapes and ints in others.
    value = blank_to_none(value)
    if isinstance(value, bool):
        raise ValueError("must be a number, not a boolean")
    if isinstance(value, str):
        try:
            return int(Decimal(value.strip()))
        except (InvalidOperation, ValueError):
            raise ValueError(f"not a number: {value[:40]!r}") from None
    return value


def text(limit: int, *, coerce: bool = False) -> Callable[[Any], str]:
    """A validator clipping text to `limit`; None is "". With `coerce`, numbers and
    other scalars become their string; without, anything but a string is an error."""

    def clip(value: Any) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            if not coerce:
                raise ValueError("must be a string")
            value = str(value)
        return clean_text(value[:limit])

    return clip


def _string_list(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError("must be a list of strings")
    items = [item for item in value if isinstance(item, str | int)][:200]
    return [clean_text(str(item)[:100]) for item in items]


def _iso_date(value: Any) -> date | None:
    value = blank_to_none(value)
    if value is None:
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value) < 10:
        raise ValueError("must be a YYYY-MM-DD date")
    return date.fromisoformat(value[:10])


def _day(value: Any) -> date:
    # "2026-07-17 00:00:00" (website) or "2026-07-17" (Data API).
    day = _iso_date(value)
    if day is None:
        raise ValueError("must be a YYYY-MM-DD date")
    return day


def _hour(value: Any) -> datetime:
    # Website timestamps are UTC without a zone: "2026-07-17 13:00:00".
    if not isinstance(value, str):
        raise ValueError("must be a timestamp string")
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed
    return parsed.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


# Lengths, limits: a context of 10^12 tokens or a day of 10^18 is not believable.
Count = Annotated[
    Annotated[int, Field(ge=0, le=10**12)] | None, BeforeValidator(_count)
]
BigCount = Annotated[
    Annotated[int, Field(ge=0, le=10**18)] | None, BeforeValidator(_count)
]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] | None
# A latency (ms) or throughput (tokens/s) percentile: an hour or a million at most.
Measure = Annotated[float, Field(ge=0, le=3_600_000, allow_inf_nan=False)]
Percentiles = dict[str, Measure | None] | None
Text = Annotated[str, BeforeValidator(text(MAX_TEXT))]
ShortText = Annotated[str, BeforeValidator(text(300))]


def _as_sent(limit: int) -> WrapValidator:
    """Text kept as upstream sent it, its surrounding whitespace included (records
    strip every other string): clients compare names and descriptions with
    upstream's, and a stripped one reads as a change that never happened."""
    clip = text(limit)
    return WrapValidator(lambda value, handler: clip(value))


TextAsSent = Annotated[str, _as_sent(MAX_TEXT)]
ShortTextAsSent = Annotated[str, _as_sent(300)]
Text200 = Annotated[str, BeforeValidator(text(200))]
Text60 = Annotated[str, BeforeValidator(text(60))]
Label = Annotated[str, BeforeValidator(text(300, coerce=True))]
LongLabel = Annotated[str, BeforeValidator(text(5000, coerce=True))]
UpstreamId = Annotated[str, BeforeValidator(text(64, coerce=True))]
Strings = Annotated[list[str], BeforeValidator(_string_list)]
IsoDate = Annotated[date | None, BeforeValidator(_iso_date)]
Day = Annotated[date, BeforeValidator(_day)]
Hour = Annotated[datetime, BeforeValidator(_hour)]
