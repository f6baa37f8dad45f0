"""A workload as the pages and the API read it from a query string, and the
presets people start from. Bad values are form errors (a 400), never a 500."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django import forms

from catalog.pricing import prices, tiers
from catalog.pricing.costs import Workload
from catalog.pricing.tiers import Hours

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Preset:
    slug: str
    label: str
    workload: Workload


PRESETS = {
    p.slug: p
    for p in (
        Preset("chat", "Chat", Workload()),
        Preset(
            "rag",
            "RAG with long prompts",
            Workload(
                input_tokens=8000,
                output_tokens=500,
                requests_per_day=Decimal(500),
                cache_share=Decimal("0.5"),
            ),
        ),
        Preset(
            "agent",
            "Agent with tool calls",
            Workload(
                input_tokens=6000,
                output_tokens=800,
                requests_per_day=Decimal(2000),
                cache_share=Decimal("0.7"),
                reasoning_tokens=1000,
                web_searches=Decimal("0.1"),
            ),
        ),
        Preset(
            "batch",
            "Batch summarisation",
            Workload(
                input_tokens=20000,
                output_tokens=1000,
                requests_per_day=Decimal(200),
            ),
        ),
    )
}
DEFAULT_PRESET = "chat"
# The query-string names of a workload (pages and API alike), and what they set.
PARAMS = (
    "preset",
    "input_tokens",
    "output_tokens",
    "requests_per_day",
    "tokens_per_month",
    "cache_percent",
    "reasoning_tokens",
    "images",
    "web_searches",
    "cache_ttl",
    "utc_start",
    "utc_end",
    "utc_days",
    "service_tier",
)

MAX_TOKENS = 10_000_000


def _tokens(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        required=False, min_value=0, max_value=MAX_TOKENS, label=label
    )


def _amount(label: str, maximum: int, places: int) -> forms.DecimalField:
    return forms.DecimalField(
        required=False,
        min_value=0,
        max_value=maximum,
        max_digits=places + len(str(maximum)),
        decimal_places=places,
        label=label,
    )


class WorkloadQuery(forms.Form):
    """The workload in a query string. Every field is optional: a preset (else
    chat's) gives the others. Tokens a month, when given, set the volume and
    requests a day are then ignored (a form may carry both)."""

    preset = forms.ChoiceField(
        required=False,
        choices=[("", "custom")] + [(p.slug, p.label) for p in PRESETS.values()],
    )
    input_tokens = _tokens("Input tokens / request")
    output_tokens = _tokens("Output tokens / request")
    requests_per_day = _amount("Requests / day", 1_000_000_000, 2)
    tokens_per_month = forms.IntegerField(
        required=False, min_value=0, max_value=10**15, label="or tokens / month"
    )
    cache_percent = _amount("Input from cache %", 100, 2)
    reasoning_tokens = _tokens("Reasoning tokens / request")
    images = _amount("Images / request", 1000, 2)
    web_searches = _amount("Web searches / request", 1000, 2)
    cache_ttl = forms.ChoiceField(
        required=False,
        choices=[("", "5 minutes"), ("5m", "5 minutes"), ("1h", "1 hour")],
        label="Cache writes last",
    )
    utc_start = forms.CharField(
        required=False, max_length=4, label="Requests from (UTC, HHMM)"
    )
    utc_end = forms.CharField(required=False, max_length=4, label="until (UTC, HHMM)")
    utc_days = forms.CharField(
        required=False, max_length=100, label="on days (mon,tue,… UTC)"
    )
    service_tier = forms.ChoiceField(
        required=False,
        choices=[
            ("", "standard tier only"),
            ("standard", "standard tier only"),
            ("cheapest", "cheapest tier"),
        ],
        label="Providers' service tiers",
    )

    # Requests from 17:00 to 23:00 UTC: utc_start=1700, utc_end=2300. One end alone
    # runs from or to midnight; equal ends, or none, are the whole day.
    def clean_utc_start(self) -> int | None:
        return _hhmm(self.cleaned_data.get("utc_start"))

    def clean_utc_end(self) -> int | None:
        return _hhmm(self.cleaned_data.get("utc_end"))

    def clean_utc_days(self) -> tuple[int, ...] | None:
        """Weekdays by name, full or short ("mon,tue" or "saturday,sunday")."""
        text = self.cleaned_data.get("utc_days") or ""
        if not text.strip():
            return None
        days = set()
        for word in text.lower().replace(" ", "").split(","):
            found = [i for i, d in enumerate(tiers.DAYS) if word and d.startswith(word)]
            if len(word) < 3 or len(found) != 1:
                raise forms.ValidationError(f"Not a weekday: {word[:20]!r}.")
            days.add(found[0])
        return tuple(sorted(days))

    def given(self) -> bool:
        """Whether the query names a workload at all."""
        return any(self.data.get(name) not in (None, "") for name in PARAMS)

    def workload(self) -> Workload:
        """The workload asked for: the preset's values, replaced by those given."""
        data = self.cleaned_data
        base = PRESETS[data.get("preset") or DEFAULT_PRESET].workload
        values: dict[str, Any] = {
            name: data[name]
            for name in (
                "input_tokens",
                "output_tokens",
                "reasoning_tokens",
                "images",
                "web_searches",
            )
            if data.get(name) is not None
        }
        if data.get("cache_percent") is not None:
            values["cache_share"] = data["cache_percent"] / HUNDRED
        if data.get("cache_ttl"):
            values["cache_ttl"] = data["cache_ttl"]
        if data.get("service_tier"):
            values["service_tier"] = data["service_tier"]
        start, end = data.get("utc_start"), data.get("utc_end")
        if start is not None or end is not None or data.get("utc_days") is not None:
            # One end alone runs from or to midnight; equal ends are the whole day.
            values["hours"] = Hours(start or 0, end or 0, data.get("utc_days"))
        if data.get("tokens_per_month") is not None:
            values["tokens_per_month"] = data["tokens_per_month"]
            values["requests_per_day"] = None
        elif data.get("requests_per_day") is not None:
            values["requests_per_day"] = data["requests_per_day"]
            values["tokens_per_month"] = None
        return replace(base, **values)


def workload_query(workload: Workload, preset: str = "") -> dict[str, str]:
    """A workload back as query parameters (for links that keep it)."""
    params = {
        "input_tokens": str(workload.input_tokens),
        "output_tokens": str(workload.output_tokens),
        "cache_percent": _plain(workload.cache_share * HUNDRED),
        "reasoning_tokens": str(workload.reasoning_tokens),
        "images": _plain(workload.images),
        "web_searches": _plain(workload.web_searches),
    }
    if workload.tokens_per_month is not None:
        params["tokens_per_month"] = str(workload.tokens_per_month)
    else:
        params["requests_per_day"] = _plain(workload.requests_per_day or Decimal(0))
    # The rest only when not their defaults: most workloads' links stay short.
    if workload.cache_ttl != "5m":
        params["cache_ttl"] = workload.cache_ttl
    hours = workload.hours
    if hours.utc_start is not None and hours.utc_end is not None:
        params["utc_start"] = f"{hours.utc_start:04d}"
        params["utc_end"] = f"{hours.utc_end:04d}"
    if hours.days is not None:
        params["utc_days"] = ",".join(tiers.DAYS[d][:3] for d in hours.days)
    if workload.service_tier != "standard":
        params["service_tier"] = workload.service_tier
    if preset:
        params = {"preset": preset, **params}
    return params


# A UTC clock time as upstream writes it, HHMM without leading zeros needed:
# "0", "30", "930", "0930", "2359".
HHMM = r"^(?:[0-9]|[0-5][0-9]|[0-9][0-5][0-9]|[01][0-9][0-5][0-9]|2[0-3][0-5][0-9])$"
# Weekdays by name, full or from their first three letters, comma-separated.
DAYS = "|".join(
    f"{day[:3]}(?:{'|'.join(day[3:i] for i in range(4, len(day) + 1))})?"
    for day in tiers.DAYS
)
DAYS_LIST = rf"^(?:{DAYS})(?:,(?:{DAYS}))*$"


def _hhmm(value: str | None) -> int | None:
    text = (value or "").strip()
    if not text:
        return None
    if not re.fullmatch(HHMM, text):
        raise forms.ValidationError("An HHMM time, 0000 to 2359.")
    return int(text)


def _plain(value: Decimal) -> str:
    return prices.plain(value) or "0"
