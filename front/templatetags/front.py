from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import dateformat, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from catalog.models import Endpoint, LanguageModel
from catalog.pricing import costs, prices
from catalog.pricing.costs import Cost
from front.countries import country_name
from front.text import markdown_to_safe_html

register = template.Library()


@register.filter
def usd(value: Decimal | None, variable: bool = False) -> str:
    """A price as "$0.10" (two decimals at least); "variable" for routers; an em
    dash when unknown."""
    value = _finite(value)
    if variable and (value is None or value < 0):
        return "variable"
    if value is None:
        return "—"
    if value < 0:
        return "variable"
    return prices.money(Decimal(value))


@register.filter
def per_million(value: Decimal | None, variable: bool = False) -> str:
    """A token price as "$0.15/M"."""
    text = usd(value, variable)
    return f"{text}/M" if text.startswith("$") else text


@register.filter
def usd_spend(value: Decimal | None) -> str:
    """An amount spent: cents from a dollar up, four decimals below ("$0.0042")."""
    value = _finite(value)
    if value is None:
        return "—"
    places = Decimal("0.01") if abs(value) >= 1 else Decimal("0.0001")
    return prices.money(Decimal(value).quantize(places))


def _finite(value: Decimal | None) -> Decimal | None:
    """A NaN or infinite amount (stored by a raw path) is shown as missing."""
    if value is None or not Decimal(value).is_finite():
        return None
    return value


@register.filter
def cost(value: Cost | None) -> str:
    """A workload's monthly cost: "$12.35", "variable", "unknown"; an em dash when
    none was worked out."""
    return "—" if value is None else costs.money(value)


@register.filter
def poll_eta(moment: datetime | None) -> str:
    """ "at 14:30 UTC" (a date before it when not today), or "any minute now" once
    due: a clock time, since a cached page outlives any "in 25 minutes"."""
    if moment is None:
        return "not scheduled"
    now = timezone.now()
    if moment - now < timedelta(minutes=1):
        return "any minute now"
    local = timezone.localtime(moment)
    zone = local.tzname() or ""
    if local.date() == timezone.localtime(now).date():
        return f"at {local:%H:%M} {zone}".rstrip()
    return f"on {dateformat.format(local, 'j M')} at {local:%H:%M} {zone}".rstrip()


@register.filter
def country(code: str) -> str:
    """A country's name from its ISO 3166 code ("US" -> "United States")."""
    return country_name(code)


@register.filter
def countries(codes: list[str] | None) -> str:
    """Country names, comma-separated."""
    return ", ".join(country_name(str(c)) for c in codes or [] if c)


@register.filter
def host(url: str) -> str:
    """The host of a URL, for a short link text ("status.example.com")."""
    return urlsplit(url or "").netloc or url


@register.filter
def short_name(name: str) -> str:
    """A model's name without its author prefix ("LFM 40B MoE" from "Liquid: LFM
    40B MoE"), as upstream titles its sections."""
    prefix, sep, rest = (name or "").partition(": ")
    return rest if sep and rest else name


@register.filter
def without_title(text: str, title: str) -> str:
    """An app's description without a leading repeat of its title."""
    text = (text or "").strip()
    if title and text.startswith(title):
        text = text[len(title) :].strip(" -–—:")
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1]
    return text


@register.simple_tag
def quantization(value: str) -> str:
    """An endpoint's quantization; a dash (with why) when unknown or undisclosed."""
    if value and value.lower() != "unknown":
        return value
    return format_html(
        '<span title="{}">—</span>', "Quantization not disclosed by the provider"
    )


@register.filter
def count(value: int | None) -> str:
    """A number with thousands separators; an em dash when unknown."""
    return "—" if value is None else intcomma(value)


# The characters escaping changes (Django's escape is html.escape's, quotes included).
_NEEDS_ESCAPE = re.compile("[&<>\"']")


@register.filter(is_safe=True, needs_autoescape=True)
def join_cells(values: Sequence[str], separator: str, autoescape: bool = True) -> str:
    """What Django's `join` writes (each value escaped, the separator escaped unless
    it is the template's own markup), cheaply for many plain-text values: when none
    holds a character escaping changes (our own times and figures), none is escaped
    one by one. A model page's chart tables join ~3,000 figures."""
    if not autoescape:
        return SafeString(separator.join(values))
    if _NEEDS_ESCAPE.search("".join(values)):
        values = [conditional_escape(v) for v in values]
    # SafeString, not mark_safe: its check for lazy strings costs more than the join.
    return SafeString(conditional_escape(separator).join(values))


@register.filter(name="markdown")
def markdown_filter(source: str) -> SafeString:
    # markdown_to_safe_html sanitises with nh3, so marking it safe is sound here.
    return mark_safe(markdown_to_safe_html(source or ""))  # noqa: S308


@register.simple_tag
def edited(obj: LanguageModel | Endpoint, field: str) -> str:
    """A small "edited" mark when an editor overrode `field`; its title says what
    upstream says, who edited it, when and why."""
    overrides = getattr(obj, "edited", None)
    if overrides is None:
        # Only what the selectors prefetched: a page never queries per row here.
        prefetched = getattr(obj, "_prefetched_objects_cache", {}).get("overrides")
        overrides = {o.field: o for o in prefetched} if prefetched is not None else {}
        obj.edited = overrides
    override = overrides.get(field)
    if override is None:
        return ""
    who = override.author.get_username() if override.author else "an editor"
    title = (
        f"Edited by {who} on {_day(override.updated_at)}: {override.reason}. "
        f"Upstream says: {_upstream_text(field, override.upstream_value)}"
    )
    if override.upstream_changed_at:
        title += f" (changed upstream on {_day(override.upstream_changed_at)})"
    return format_html(
        '<span class="edited" title="{}" tabindex="0">edited</span>', title
    )


def _day(moment: date | datetime) -> str:
    return dateformat.format(moment, "M j, Y")


@register.filter
def days(window: tuple[date, date] | None) -> str:
    """A week's first and last day: "Nov 30 – Dec 6, 2026" (the year once when
    both have it)."""
    if not window:
        return ""
    start, end = window
    first = dateformat.format(start, "M j" if start.year == end.year else "M j, Y")
    return f"{first} – {_day(end)}"


def _upstream_text(field: str, value: Any) -> str:
    if value is None:
        return "nothing"
    if field.startswith("price_"):
        return usd(Decimal(value)) + ("/M" if field in prices.TOKEN_COLUMNS else "")
    if isinstance(value, int):
        return intcomma(value)
    return str(value)[:200]
