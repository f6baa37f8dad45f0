"""The long tables' rows as markup: a list of models, a provider's models.

Built here rather than by the template engine, which costs a few microseconds a
node: a page of the list holds hundreds of nodes a row. The markup is what the
templates wrote, byte for byte, and every value goes through format_html (escaped
unless already safe markup, like the "edited" mark). The cells use the templates'
own filters, but for floatformat (see _fixed).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma, intword
from django.template.defaultfilters import date, join
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from catalog.models import LanguageModel
from front.offers import ProviderOffer
from front.templatetags.front import cost, count, edited, per_million, quantization

DASH = "—"


# front/_model_rows.html's row, each line indented as the template's was.
MODEL_ROW = (
    "\n    <tr{delisted}>"
    '\n      <td data-label="Model"><a href="{url}">{name}</a><br>'
    '<code class="id">{slug}</code>{tags} <button type="button" class="compare-add"'
    ' data-compare-add="{slug}" data-compare-name="{name}" hidden>Add to compare'
    "</button></td>"
    "\n      {metric}"
    "\n      {cost}"
    '\n      <td class="num" data-label="Context">{context} {context_edited}</td>'
    '\n      <td class="num" data-label="Input">{prompt} {prompt_edited}</td>'
    '\n      <td class="num" data-label="Output">{completion} {completion_edited}</td>'
    '\n      <td data-label="Modalities">{inputs} → {outputs}</td>'
    '\n      <td data-label="Created">{created}</td>'
    "\n    </tr>\n  "
)
DELISTED = mark_safe(' class="delisted"')  # noqa: S308 - a constant
TAGS = (
    ("delisted_at", ' <span class="tag">delisted</span>'),
    ("is_free", ' <span class="tag free">free</span>'),
    ("featured", ' <span class="tag featured">featured</span>'),
    ("is_hand_added", ' <span class="tag hand">added by hand</span>'),
)


def model_rows(
    models: Iterable[LanguageModel], metric: str = "", costing: Any = None
) -> SafeString:
    """The catalogue's rows: `metric` adds the stats column a sort shows, a
    workload in `costing` (front.workload.WorkloadState) the cost column and the
    query each model's link keeps."""
    query = getattr(costing, "query", "")
    priced = bool(getattr(costing, "workload", None))
    return format_html_join(
        "", MODEL_ROW, (_model_cells(m, metric, query, priced) for m in models)
    )


def _model_cells(
    model: LanguageModel, metric: str, query: str, priced: bool
) -> dict[str, Any]:
    variable = model.is_variable_price
    url = model.get_absolute_url()
    return {
        "delisted": DELISTED if model.delisted_at else "",
        "url": format_html("{}?{}", url, query) if query else url,
        "name": model.name,
        "slug": model.slug,
        # Constant markup, each tag the model has.
        "tags": mark_safe("".join(t for name, t in TAGS if getattr(model, name))),  # noqa: S308
        "metric": _metric_cell(model, metric),
        "cost": _cost_cell(model) if priced else "",
        "context": count(model.context_length),
        "context_edited": edited(model, "context_length"),
        "prompt": per_million(model.price_prompt, variable),
        "prompt_edited": edited(model, "price_prompt"),
        "completion": per_million(model.price_completion, variable),
        "completion_edited": edited(model, "price_completion"),
        "inputs": join(model.input_modalities, ", "),
        "outputs": join(model.output_modalities, ", "),
        "created": _day(localtime(model.created).date()) if model.created else DASH,
    }


@lru_cache(maxsize=4096)
def _day(day: datetime.date) -> str:
    # The template's "M j, Y" of a day in the current time zone (as its date filter
    # read it); memoised: Django's date formatting is a fifth of a row's cost.
    return date(day, "M j, Y")


def _metric_cell(model: LanguageModel, metric: str) -> str:
    """The column a stats sort shows (the figure it sorts by), else nothing."""
    if metric == "tokens_week":
        tokens = model.tokens_week
        value = (
            format_html(
                '<span title="{} tokens">{}</span>', intcomma(tokens), intword(tokens)
            )
            if tokens is not None
            else DASH
        )
        label = "Tokens this week"
    elif metric == "throughput":
        throughput = model.throughput_p50
        value = DASH if throughput is None else f"{_fixed(throughput, 1)} tok/s"
        label = "Throughput"
    elif metric == "latency":
        latency = model.latency_p50
        value = DASH if latency is None else f"{_fixed(latency, 0, grouped=True)} ms"
        label = "Latency"
    else:
        return ""
    return format_html('<td class="num metric" data-label="{}">{}</td>', label, value)


def _cost_cell(model: LanguageModel) -> SafeString:
    # Set by the list view for a workload's page (never stored).
    workload_cost = model.workload_cost  # type: ignore[attr-defined]
    rounded = workload_cost.rounded if workload_cost is not None else None
    return format_html(
        '<td class="num cost" data-label="Cost / month" data-cost="{}">{}</td>',
        "" if rounded is None else localize(rounded),
        cost(workload_cost),
    )


# templates/front/provider_detail.html's row, indented as the template's was.
OFFER_ROW = (
    "\n      <tr"
    ' data-price="{price}" data-latency="{latency}" data-throughput="{throughput}"'
    ' data-uptime="{uptime}">'
    '\n        <td><a href="{url}">{name}</a><br><code class="id">{slug}</code></td>'
    '\n        <td class="num opt">{context}</td>'
    '\n        <td class="num">{prompt}</td>'
    '\n        <td class="num">{completion}</td>'
    '\n        <td class="num">{latency_text}</td>'
    '\n        <td class="num">{throughput_text}</td>'
    '\n        <td class="num">{uptime_text}</td>'
    '\n        <td class="opt">{quantization}</td>'
    "\n      </tr>\n      "
)


def offer_rows(offers: Iterable[ProviderOffer]) -> SafeString:
    """A provider's models: each endpoint with its prices and latest stats."""
    return format_html_join("", OFFER_ROW, (_offer_cells(o) for o in offers))


def _offer_cells(offer: ProviderOffer) -> dict[str, Any]:
    e = offer.endpoint
    latency, throughput, uptime = offer.latency, offer.throughput, offer.uptime
    price = offer.price_total
    return {
        "price": "" if price is None else str(price),
        "latency": _attribute(latency),
        "throughput": _attribute(throughput),
        "uptime": _attribute(uptime),
        "url": e.model.get_absolute_url(),
        "name": e.model.name,
        "slug": e.model.slug,
        "context": count(e.context_length),
        "prompt": per_million(e.price_prompt, e.is_variable_price),
        "completion": per_million(e.price_completion, e.is_variable_price),
        "latency_text": DASH
        if latency is None
        else f"{_fixed(latency, 0, grouped=True)} ms",
        "throughput_text": DASH
        if throughput is None
        else f"{_fixed(throughput, 1)} tok/s",
        "uptime_text": DASH if uptime is None else f"{_fixed(uptime, 2)}%",
        "quantization": quantization(e.quantization),
    }


def _attribute(value: float | None) -> str:
    # As the template wrote a number into an attribute (localized, "" for none).
    return "" if value is None else localize(value)


def _fixed(value: float, places: int, *, grouped: bool = False) -> str:
    """`value` with `places` decimals as the templates' `floatformat` writes it
    (rounded half up from the number as written: 55.55 is "55.6"), and with
    `intcomma`'s thousands when `grouped`. The filters look the locale's formats
    up for every number (~12 µs each): a provider's page writes 300 of them."""
    exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    # floatformat never writes "-0".
    exact = exact.copy_abs() if exact.is_zero() else exact
    return format(exact, ",f" if grouped else "f")
