"""The long tables' rows as the values their templates write: a page of the list
(front/_model_rows.html), a provider's models (front/provider_detail.html).

The markup is the templates'. A row here is a dict of plain values (strings already
formatted, flags), so that the template's one loop over the rows does little: a
dict is the template engine's quickest lookup, and a filter in the loop costs
microseconds a cell (a provider's page writes 800 cells). Every value is escaped by
the template. The figures are what the templates' filters write, but for
floatformat (see _fixed).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, TypedDict

from django.contrib.humanize.templatetags.humanize import intcomma, intword
from django.template.defaultfilters import date
from django.utils.formats import localize
from django.utils.timezone import localtime

from catalog.models import LanguageModel
from front.offers import ProviderOffer
from front.templatetags.front import cost, count, per_million

DASH = "—"


class ModelRow(TypedDict):
    """A model in the catalogue's table."""

    # The model itself, for the "edited" marks ({% edited %}).
    model: LanguageModel
    url: str
    name: str
    slug: str
    delisted: bool
    free: bool
    featured: bool
    hand_added: bool
    # The figure a stats sort shows; for tokens, also the exact count ("" if none).
    metric: str
    metric_exact: str
    # A workload's cost a month, and its amount for sorting ("" when none).
    cost: str
    cost_amount: str
    # The cheapest direct offer's cost, its provider and the gap to the routed
    # cost ("" when the page prices no workload or the model has none).
    direct_cost: str
    direct_provider: str
    direct_gap: str
    # The intelligence index, and its points per dollar of a request of the
    # workload (set by the list view, front.views.catalogue.scores_attach).
    intelligence: str
    per_dollar: str
    context: str
    prompt: str
    completion: str
    inputs: str
    outputs: str
    created: str


def model_rows(
    models: Iterable[LanguageModel], metric: str = "", costing: Any = None
) -> list[ModelRow]:
    """The catalogue's rows: `metric` the stats column a sort shows, a workload in
    `costing` (front.workload.WorkloadState) the cost column and the query each
    model's link keeps."""
    query = getattr(costing, "query", "")
    priced = bool(getattr(costing, "workload", None))
    return [_model_row(m, metric, query, priced) for m in models]


def _model_row(model: LanguageModel, metric: str, query: str, priced: bool) -> ModelRow:
    variable = model.is_variable_price
    url = model.get_absolute_url()
    figure, exact = _metric(model, metric)
    shown, amount = _cost(model) if priced else ("", "")
    direct = getattr(model, "direct_beside", None) if priced else None
    return {
        "model": model,
        "url": f"{url}?{query}" if query else url,
        "name": model.name,
        "slug": model.slug,
        "delisted": bool(model.delisted_at),
        "free": model.is_free,
        "featured": model.featured,
        "hand_added": model.is_hand_added,
        "metric": figure,
        "metric_exact": exact,
        "cost": shown,
        "cost_amount": amount,
        "direct_cost": cost(direct.cost) if direct else "",
        "direct_provider": direct.provider if direct else "",
        "direct_gap": direct.gap if direct else "",
        "intelligence": _score(getattr(model, "intelligence", None)),
        "per_dollar": _points(getattr(model, "per_dollar", None)) if priced else "",
        "context": count(model.context_length),
        "prompt": per_million(model.price_prompt, variable),
        "completion": per_million(model.price_completion, variable),
        "inputs": ", ".join(model.input_modalities),
        "outputs": ", ".join(model.output_modalities),
        "created": _day(localtime(model.created).date()) if model.created else DASH,
    }


@lru_cache(maxsize=4096)
def _day(day: datetime.date) -> str:
    # The template's "M j, Y" of a day in the current time zone (as its date filter
    # read it); memoised: Django's date formatting is a fifth of a row's cost.
    return date(day, "M j, Y")


def _metric(model: LanguageModel, metric: str) -> tuple[str, str]:
    """The figure a stats sort shows (and the exact count behind tokens')."""
    if metric == "tokens_week":
        tokens = model.tokens_week
        if tokens is None:
            return DASH, ""
        # intword leaves numbers under a million as they are (ints).
        return str(intword(tokens)), intcomma(tokens)
    if metric == "throughput":
        return _tok_s(model.throughput_p50), ""
    if metric == "latency":
        return _ms(model.latency_p50), ""
    return "", ""


def _score(value: float | None) -> str:
    return DASH if value is None else _fixed(value, 1)


def _points(value: float | None) -> str:
    return DASH if value is None else _fixed(value, 0, grouped=True)


def _cost(model: LanguageModel) -> tuple[str, str]:
    # Set by the list view for a workload's page (never stored).
    workload_cost = model.workload_cost  # type: ignore[attr-defined]
    rounded = workload_cost.rounded if workload_cost is not None else None
    if rounded == 0 and model.is_free:
        # Said in words: a column of "$0.00" reads as missing prices.
        return "free", localize(rounded)
    return cost(workload_cost), "" if rounded is None else localize(rounded)


class OfferRow(TypedDict):
    """An endpoint in a provider's table."""

    # What the table sorts by, as numbers ("" when unknown).
    price: str
    latency: str
    throughput: str
    uptime: str
    url: str
    name: str
    slug: str
    context: str
    prompt: str
    completion: str
    # The same figures as shown.
    latency_text: str
    throughput_text: str
    uptime_text: str
    # As upstream says it, for {% quantization %}.
    quantization: str


def offer_rows(offers: Iterable[ProviderOffer]) -> list[OfferRow]:
    """A provider's models: each endpoint with its prices and latest stats."""
    return [_offer_row(o) for o in offers]


def _offer_row(offer: ProviderOffer) -> OfferRow:
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
        "latency_text": _ms(latency),
        "throughput_text": _tok_s(throughput),
        "uptime_text": DASH if uptime is None else f"{_fixed(uptime, 2)}%",
        "quantization": e.quantization,
    }


def _attribute(value: float | None) -> str:
    # As the template wrote a number into an attribute (localized, "" for none).
    return "" if value is None else localize(value)


def _ms(latency: float | None) -> str:
    return DASH if latency is None else f"{_fixed(latency, 0, grouped=True)} ms"


def _tok_s(throughput: float | None) -> str:
    return DASH if throughput is None else f"{_fixed(throughput, 1)} tok/s"


def _fixed(value: float, places: int, *, grouped: bool = False) -> str:
    """`value` with `places` decimals as the templates' `floatformat` writes it
    (rounded half up from the number as written: 55.55 is "55.6"), and with
    `intcomma`'s thousands when `grouped`. The filters look the locale's formats
    up for every number (~12 µs each): a provider's page writes 300 of them."""
    exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    # floatformat never writes "-0".
    exact = exact.copy_abs() if exact.is_zero() else exact
    return format(exact, ",f" if grouped else "f")
