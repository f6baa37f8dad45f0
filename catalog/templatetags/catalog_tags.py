from __future__ import annotations

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.safestring import SafeString, mark_safe

from catalog.text import markdown_to_safe_html

register = template.Library()


@register.filter
def usd(value: Decimal | None, variable: bool = False) -> str:
    """A price as "$0.15"; "variable" for routers; an em dash when unknown."""
    if variable and (value is None or value < 0):
        return "variable"
    if value is None:
        return "—"
    if value < 0:
        return "variable"
    text = format(Decimal(value).normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"${text}"


@register.filter
def per_million(value: Decimal | None, variable: bool = False) -> str:
    """A token price as "$0.15/M"."""
    text = usd(value, variable)
    return f"{text}/M" if text.startswith("$") else text


@register.filter
def count(value: int | None) -> str:
    """A number with thousands separators; an em dash when unknown."""
    return "—" if value is None else intcomma(value)


@register.filter(name="markdown")
def markdown_filter(source: str) -> SafeString:
    # markdown_to_safe_html sanitises with nh3, so marking it safe is sound here.
    return mark_safe(markdown_to_safe_html(source or ""))  # noqa: S308
