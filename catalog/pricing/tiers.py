"""Price tiers: upstream's `pricing.overrides`, validated, and where each one applies.

An entry of `overrides` names conditions and prices. It applies to a request when
every condition it names holds:

- `min_prompt_tokens`: the request's prompt tokens are strictly greater;
- `utc_start` / `utc_end`: the request's UTC time of day is inside the half-open
  window [start, end), HHMM numbers (1630 = 16:30) that may wrap past midnight;
- `utc_days`: the request's UTC weekday (at the request instant) is listed.

Among the entries that apply, later ones win key by key; a key no applying entry
names keeps the base price. Prices are upstream's strings in USD per token (or per
unit), kept here per million tokens (or per unit) as the base prices are.

Upstream's list is kept verbatim for the API; what prices a request is the list
parsed here. A malformed entry (see `parse`) never prices anything: it is reported,
and the others still apply.

Where the entries apply is cut into regions of the plane (prompt size x minute of
the UTC week): in each region one set of entries applies, and so one set of prices.
Python's cost (catalog.pricing.costs) and the database's (the regions stored as
catalog.models.PriceTier rows) both price a workload from these regions.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from catalog.pricing import prices

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES
CONDITIONS = ("min_prompt_tokens", "utc_start", "utc_end", "utc_days")
# Kept as sent and never priced past these: a list this long is no price sheet.
MAX_ENTRIES = 20
MAX_REGIONS = 400
# Thresholds above any context a model has (10^12 tokens) are no condition.
MAX_THRESHOLD = 10**12

# Minute-of-week intervals [start, end), 0 = Monday 00:00 UTC.
Intervals = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Tier:
    """One well-formed entry of upstream's list (`index`: its place there)."""

    index: int
    prices: dict[str, Decimal]
    min_prompt_tokens: int | None = None
    utc_start: int | None = None
    utc_end: int | None = None
    utc_days: tuple[int, ...] | None = None

    @property
    def timed(self) -> bool:
        return self.utc_start is not None or self.utc_days is not None

    @functools.cached_property
    def minutes(self) -> Intervals:
        """Where in the week the time conditions hold (the whole week without)."""
        days = self.utc_days if self.utc_days is not None else range(7)
        daily: list[tuple[int, int]] = [(0, DAY_MINUTES)]
        if self.utc_start is not None and self.utc_end is not None:
            start, end = _minute(self.utc_start), _minute(self.utc_end)
            # A window past midnight is two pieces of each day: the instant's day.
            daily = [(start, end)] if start < end else [(0, end), (start, DAY_MINUTES)]
        pieces = [
            (day * DAY_MINUTES + s, day * DAY_MINUTES + e)
            for day in days
            for s, e in daily
            if s < e
        ]
        return merged(pieces)

    def covers(self, minute: int) -> bool:
        return any(s <= minute < e for s, e in self.minutes)

    def condition(self) -> str:
        """The conditions for people: "prompts over 200,000 tokens",
        "16:30–00:30 UTC, Mon–Fri"."""
        parts = []
        if self.min_prompt_tokens is not None:
            parts.append(f"prompts over {self.min_prompt_tokens:,} tokens")
        if self.utc_start is not None and self.utc_end is not None:
            parts.append(f"{_clock(self.utc_start)}–{_clock(self.utc_end)} UTC")
        if self.utc_days is not None:
            parts.append(days_text(self.utc_days))
        return ", ".join(parts)

    def sentence(self) -> str:
        """The entry for people: "prompts over 200,000 tokens: $2.50/M in,
        $15.00/M out"."""
        return f"{self.condition()}: {prices_text(self.prices)}"


@dataclass(frozen=True)
class Region:
    """Where one set of entries applies: prompts of more than `prompt_above`
    tokens, up to `prompt_upto` (None: any size), in minutes [start, end) of the
    UTC week; `prices` are the entries' prices merged (later ones win)."""

    prompt_above: int
    prompt_upto: int | None
    start: int
    end: int
    entries: tuple[int, ...]
    prices: dict[str, Decimal]

    def holds(self, prompt_tokens: int) -> bool:
        return self.prompt_above < prompt_tokens and (
            self.prompt_upto is None or prompt_tokens <= self.prompt_upto
        )


@dataclass(frozen=True)
class Tiers:
    """Upstream's list parsed: the well-formed entries, what was wrong with the
    others (one message each, naming the entry), and where they apply."""

    entries: tuple[Tier, ...] = ()
    problems: tuple[str, ...] = ()
    regions: tuple[Region, ...] = field(default=(), repr=False)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def by_index(self, index: int) -> Tier | None:
        return next((t for t in self.entries if t.index == index), None)


NONE = Tiers()


def parse(raw: Any) -> Tiers:
    """Upstream's `pricing.overrides` (None when absent) checked entry by entry.

    Malformed, and so never priced: an entry that is no object; unknown keys; a
    price that is not a number, negative, NaN or too large; a threshold that is
    not a number or negative; a window with one end only, an end equal to its
    start, or a time that is no HHMM clock time (hours above 23, minutes above
    59); unknown weekdays; no condition (it would replace the base price) or no
    price; a threshold not above an earlier entry's of the same hours
    (thresholds out of order); a window overlapping an earlier entry's at the
    same threshold. Entries past MAX_ENTRIES are not priced either."""
    if raw is None:
        return NONE
    if not isinstance(raw, list):
        return Tiers(problems=("pricing.overrides is not a list: not priced",))
    text = json.dumps(raw, sort_keys=True, default=str)
    # Memoised by the list's text: a page prices the same few lists many times.
    # A list as long as no price sheet is (hostile input) is parsed each time.
    return _memoised(text) if len(text) <= MEMOISED_TEXT else _parsed(raw)


MEMOISED_TEXT = 20_000


@functools.lru_cache(maxsize=4096)
def _memoised(text: str) -> Tiers:
    return _parsed(json.loads(text))


def _parsed(raw: list[Any]) -> Tiers:
    entries: list[Tier] = []
    problems: list[str] = []
    for index, item in enumerate(raw):
        try:
            if index >= MAX_ENTRIES:
                raise ValueError(f"beyond the first {MAX_ENTRIES} entries")
            tier = _entry(index, item)
            _check_against(tier, entries)
        except ValueError as exc:
            problems.append(f"pricing.overrides[{index}]: {exc}; not priced")
        else:
            entries.append(tier)
    regions = _regions(entries)
    if len(regions) > MAX_REGIONS:
        problem = (
            f"pricing.overrides: more than {MAX_REGIONS} price regions; not priced"
        )
        return Tiers(problems=(*problems, problem))
    return Tiers(tuple(entries), tuple(problems), tuple(regions))


def _entry(index: int, item: Any) -> Tier:
    if not isinstance(item, dict):
        raise ValueError("is not an object")
    unknown = sorted(
        str(k) for k in item if k not in CONDITIONS and k not in prices.KEY
    )
    if unknown:
        raise ValueError(f"unknown key {unknown[0][:40]!r}")
    listed = {k: _price(k, v) for k, v in item.items() if k in prices.KEY}
    threshold = _threshold(item.get("min_prompt_tokens"))
    start, end = _clock_value(item, "utc_start"), _clock_value(item, "utc_end")
    if (start is None) != (end is None):
        raise ValueError("names one end of a time window only")
    if start is not None and start == end:
        raise ValueError(f"utc_start equals utc_end ({start}): no window")
    days = _days(item.get("utc_days")) if "utc_days" in item else None
    if threshold is None and start is None and days is None:
        raise ValueError("names no condition")
    if not listed:
        raise ValueError("names no price")
    return Tier(index, listed, threshold, start, end, days)


def _price(key: str, value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{key} is not a number string")
    number = prices.to_decimal(value)
    if number is None:
        raise ValueError(f"{key} is not a number: {str(value)[:40]!r}")
    if number < 0:
        raise ValueError(f"{key} is negative: {str(value)[:40]!r}")
    if number >= 10**6:
        raise ValueError(f"{key} is out of range: {str(value)[:40]!r}")
    if prices.is_per_token(key):
        return prices.per_million(number)
    return number.normalize() + Decimal(0)


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} is not a number: {str(value)[:40]!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} is not a finite number")
    return float(value)


def _threshold(value: Any) -> int | None:
    if value is None:
        return None
    number = _number("min_prompt_tokens", value)
    if number < 0 or number > MAX_THRESHOLD:
        raise ValueError(f"min_prompt_tokens {value} is out of range")
    # "Strictly greater than 200000.5" is "greater than 200000" for whole tokens.
    return math.floor(number)


def _clock_value(item: dict[str, Any], name: str) -> int | None:
    value = item.get(name)
    if value is None:
        return None
    number = _number(name, value)
    if number != int(number) or not 0 <= number <= 2359 or int(number) % 100 >= 60:
        raise ValueError(f"{name} {value} is not an HHMM time (0000 to 2359)")
    return int(number)


def _days(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError("utc_days is not a list of weekdays")
    days = set()
    for day in value:
        name = day.lower() if isinstance(day, str) else None
        if name not in DAYS:
            raise ValueError(f"utc_days names an unknown weekday: {str(day)[:20]!r}")
        days.add(DAYS.index(name))
    return tuple(sorted(days))


def _same_hours(a: Tier, b: Tier) -> bool:
    return a.minutes == b.minutes


def _check_against(tier: Tier, earlier: list[Tier]) -> None:
    """Thresholds rise within the same hours; windows at one threshold do not
    overlap."""
    for other in earlier:
        if (
            tier.min_prompt_tokens is not None
            and other.min_prompt_tokens is not None
            and _same_hours(tier, other)
            and tier.min_prompt_tokens <= other.min_prompt_tokens
        ):
            raise ValueError(
                f"min_prompt_tokens {tier.min_prompt_tokens} is not above entry "
                f"{other.index}'s {other.min_prompt_tokens} (thresholds out of order)"
            )
        if (
            tier.timed
            and other.timed
            and tier.min_prompt_tokens == other.min_prompt_tokens
            and overlap(tier.minutes, other.minutes)
        ):
            raise ValueError(f"its window overlaps entry {other.index}'s")


def _regions(entries: list[Tier]) -> list[Region]:
    """The plane cut where the set of applying entries changes (see the module)."""
    if not entries:
        return []
    thresholds = sorted(
        {t.min_prompt_tokens for t in entries if t.min_prompt_tokens is not None}
    )
    lows: list[int] = [-1, *thresholds]
    bands = list(zip(lows, [*lows[1:], None], strict=True))
    cuts = sorted(
        {0, WEEK_MINUTES, *(m for t in entries for i in t.minutes for m in i)}
    )
    segments = list(zip(cuts, cuts[1:], strict=False))
    regions: list[Region] = []
    for low, high in bands:
        open_: tuple[int, int, tuple[Tier, ...]] | None = None
        for start, end in segments:
            applying = tuple(
                t
                for t in entries
                if (t.min_prompt_tokens is None or t.min_prompt_tokens <= low)
                and t.covers(start)
            )
            if open_ is not None and open_[2] == applying and open_[1] == start:
                open_ = (open_[0], end, applying)
                continue
            if open_ is not None and open_[2]:
                regions.append(_region(low, high, *open_))
            open_ = (start, end, applying)
        if open_ is not None and open_[2]:
            regions.append(_region(low, high, *open_))
    return regions


def _region(
    low: int, high: int | None, start: int, end: int, applying: tuple[Tier, ...]
) -> Region:
    merged_prices: dict[str, Decimal] = {}
    for tier in applying:  # in upstream's order: later entries win key by key
        merged_prices.update(tier.prices)
    return Region(
        low, high, start, end, tuple(t.index for t in applying), merged_prices
    )


def merged(pieces: list[tuple[int, int]]) -> Intervals:
    """Intervals sorted, touching and overlapping ones joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(pieces):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)


def overlap(a: Intervals, b: Intervals) -> int:
    """Minutes two sets of intervals share."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _minute(hhmm: int) -> int:
    return hhmm // 100 * 60 + hhmm % 100


def _clock(hhmm: int) -> str:
    return f"{hhmm // 100:02d}:{hhmm % 100:02d}"


def days_text(days: tuple[int, ...]) -> str:
    """Weekdays for people: "Mon–Fri", "Sat, Sun", "Mon, Wed–Fri"."""
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        DAY_SHORT[r[0]] if len(r) < 3 else f"{DAY_SHORT[r[0]]}–{DAY_SHORT[r[-1]]}"
        for run in runs
        for r in ([run] if len(run) != 2 else [[run[0]], [run[1]]])
    )


# How a tier's prices read: "$2.50/M in", "$0.25/M cache read", "$0.01 per search".
SHORT = {"prompt": "in", "completion": "out"}


def prices_text(listed: dict[str, Decimal]) -> str:
    shown = []
    for key in prices.KEYS:
        if key.name not in listed:
            continue
        label = SHORT.get(key.name, key.label.lower())
        amount = prices.money(listed[key.name])
        shown.append(
            f"{amount}/M {label}" if key.per_token else f"{amount} {label.lower()}"
        )
    return ", ".join(shown)


@dataclass(frozen=True)
class Hours:
    """When a workload's requests are made: spread evenly over [start, end) UTC
    (HHMM; None: the whole day) on `days` (weekday numbers; None: every day)."""

    utc_start: int | None = None
    utc_end: int | None = None
    days: tuple[int, ...] | None = None

    @functools.cached_property
    def minutes(self) -> Intervals:
        return Tier(
            -1, {}, utc_start=self.utc_start, utc_end=self.utc_end, utc_days=self.days
        ).minutes

    @property
    def total(self) -> int:
        return sum(e - s for s, e in self.minutes)

    def share(self, region: Region) -> tuple[int, int]:
        """The share of requests inside `region`'s minutes, as (minutes, total)."""
        return overlap(self.minutes, ((region.start, region.end),)), self.total


ALL_WEEK = Hours()
