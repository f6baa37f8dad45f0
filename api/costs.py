"""GET /api/v1/cost: what a workload costs a month on each model (cheapest first)
or, with `model=`, on each of one model's providers. The numbers the pages show."""

from __future__ import annotations

from decimal import Decimal, localcontext

from django import forms
from django.http import HttpRequest, HttpResponse

from api import selectors, shapes
from api.forms import (
    INCLUDE_DELISTED,
    MAX_LIMIT,
    ApiParams,
    BooleanParam,
    TextParam,
    form_error_message,
)
from api.http import ApiError, api_view, json_response
from api.selectors import ModelQuery
from catalog.models import DirectOffer, Endpoint, LanguageModel
from catalog.pricing import prices
from catalog.pricing.costs import (
    COST_PLACES,
    COSTED_COLUMNS,
    EXACT,
    Cost,
    PricedBy,
    Workload,
    cost_of,
    service_offers,
    tiers_of,
)
from catalog.pricing.tiers import Tiers
from catalog.pricing.workloads import (
    DAYS_LIST,
    HHMM,
    PARAMS,
    WorkloadQuery,
    workload_query,
)
from catalog.ranking import RankedModels, ranks_by_cost
from catalog.reads.direct import (
    canonical_offers,
    direct_offers_of,
    provider_name,
)
from catalog.reads.direct import cheapest_direct as direct_cheapest
from catalog.versions import data_version

DEFAULT_LIMIT = 100
COST_COLUMNS = ("slug", "name", *COSTED_COLUMNS)


class CostParams(ApiParams, WorkloadQuery):
    # A page's form sends its blank fields; the API's numbers are given or left
    # out, so an empty one is a 400 as the document says (not silently a default).
    NOT_EMPTY = (*PARAMS, "offset", "limit")
    DESCRIPTIONS = {
        "preset": "Starting values: chat, rag, agent or batch (default chat).",
        "input_tokens": "Input tokens per request.",
        "output_tokens": "Output tokens per request.",
        "reasoning_tokens": "Reasoning tokens per request.",
        "requests_per_day": "Requests a day.",
        "tokens_per_month": "Input + output tokens a month; when given, "
        "requests_per_day is ignored.",
        "cache_percent": "Share of input tokens served from cache, in percent.",
        "images": "Input images per request.",
        "web_searches": "Web searches per request.",
        "cache_ttl": "How long cache writes last: 5m (default) or 1h (billed at "
        "the 1-hour cache-write price).",
        "utc_start": "Requests are spread evenly from this UTC time (HHMM) on, to "
        "utc_end (default the whole day; one end alone runs from or to midnight): "
        "time-window tiers weigh by it.",
        "utc_end": "The end (HHMM, exclusive) of the requests' UTC hours.",
        "utc_days": "The requests' UTC weekdays, comma-separated (mon,tue,…; "
        "default every day).",
        "service_tier": "standard (default): each provider at its standard tier; "
        "cheapest: at its cheapest service tier (flex, priority, …).",
        "source": "routed (default): OpenRouter's endpoints; direct: the providers' "
        "own list prices; all: both. Without `model`, direct and all add each "
        "model's cheapest direct offer (`direct`) to its row.",
    }
    # What the workload form checks in its clean methods, said in the document.
    utc_start = TextParam(
        required=False, max_length=4, accepts=lambda: {"pattern": HHMM}
    )
    utc_end = TextParam(required=False, max_length=4, accepts=lambda: {"pattern": HHMM})
    utc_days = TextParam(
        required=False, max_length=100, accepts=lambda: {"pattern": DAYS_LIST}
    )
    model = forms.CharField(
        required=False,
        max_length=300,
        help_text="A model id: cost per provider instead.",
    )
    q = forms.CharField(
        required=False,
        max_length=200,
        strip=True,
        help_text="Search in name, id and description.",
    )
    offset = forms.IntegerField(
        required=False, min_value=0, max_value=10**9, help_text="Skip this many."
    )
    limit = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        help_text=f"Page size, default {DEFAULT_LIMIT}, at most {MAX_LIMIT}.",
    )
    include_delisted = BooleanParam(required=False, help_text=INCLUDE_DELISTED)
    source = forms.ChoiceField(
        required=False,
        choices=[("routed", "routed"), ("direct", "direct"), ("all", "all")],
    )


def _amount(value: Decimal) -> str:
    # plain() normalises in the current context: Decimal's default 28 digits
    # would round the largest costs. (It answers None for None only.)
    with localcontext(EXACT):
        return prices.plain(value) or "0"


def cost_data(cost: Cost, found: Tiers) -> shapes.Cost:
    """A cost as JSON: status, the rounded monthly total and its parts (strings of
    USD, exact to 6 places; null unless the status is "priced"), each with what
    priced it (`found`: the row's tiers)."""
    parts: dict[str, shapes.CostPart] | None = None
    if cost.parts is not None and cost.priced_by is not None:
        with localcontext(EXACT):
            parts = {
                k: {
                    "usd_per_month": _amount(v.quantize(COST_PLACES)),
                    "priced_by": [_tier_price(p, found) for p in cost.priced_by[k]],
                }
                for k, v in cost.parts.items()
            }
    rounded = cost.rounded
    return {
        "status": cost.status,
        "usd_per_month": None if rounded is None else _amount(rounded),
        "parts": parts,
    }


def _tier_price(piece: PricedBy, found: Tiers) -> shapes.TierPrice:
    entries = [found.by_index(i) for i in piece.entries]
    conditions = " and ".join(e.condition() for e in entries if e is not None)
    return {
        "tier": conditions or None,
        "overrides": list(piece.entries),
        "price": piece.key,
        "share": _amount(piece.share.quantize(COST_PLACES)),
        "usd_per_month": _amount(piece.amount.quantize(COST_PLACES)),
    }


def workload_data(workload: Workload, preset: str) -> dict[str, str]:
    return {
        **workload_query(workload, preset),
        "requests_per_month": _amount(
            workload.requests_per_month.quantize(Decimal("0.01"))
        ),
    }


def _model_row(model: LanguageModel, workload: Workload) -> shapes.ModelCost:
    cost = cost_data(cost_of(model, workload), tiers_of(model))
    return {
        "id": model.slug,
        "name": model.name,
        "status": cost["status"],
        "usd_per_month": cost["usd_per_month"],
        "parts": cost["parts"],
    }


def _endpoint_row(endpoint: Endpoint, cost: Cost) -> shapes.EndpointCost:
    return {
        "source": "openrouter",
        "provider": endpoint.provider.slug,
        "provider_name": endpoint.provider.name,
        "tag": endpoint.tag,
        "quantization": endpoint.quantization or None,
        "service_tier": endpoint.service_tier or None,
        **cost_data(cost, tiers_of(endpoint)),
    }


@api_view
def cost(request: HttpRequest) -> HttpResponse:
    form = CostParams(request.GET)
    if not form.is_valid():
        raise ApiError(400, form_error_message(form))
    data = form.cleaned_data
    workload = form.workload()
    body: shapes.CostResponse
    if data["model"]:
        body = _per_endpoint(data["model"], workload, form)
    else:
        body = _per_model(request, form, workload)
    return json_response(request, body, modified=data_version().changed_at)


def _per_endpoint(
    slug: str, workload: Workload, form: CostParams
) -> shapes.EndpointCostList:
    include_delisted = form.cleaned_data["include_delisted"]
    model = selectors.model_api_get(slug, include_delisted=include_delisted)
    if model is None:
        raise ApiError(404, f"Model {slug} not found.")
    # One row per provider's offer, priced at its standard tier or, when asked,
    # its cheapest service tier; an offer of service tiers only is left out of a
    # standard-tier workload.
    source = form.cleaned_data["source"] or "routed"
    rows: list[tuple[Cost, shapes.EndpointCost]] = []
    if source in ("routed", "all"):
        offers = service_offers(selectors.model_with_endpoints(model))
        priced = [p for p in (o.priced(workload) for o in offers) if p is not None]
        rows += [(cost, _endpoint_row(e, cost)) for e, cost in priced]
    if source in ("direct", "all"):
        for offer in canonical_offers(direct_offers_of(model)):
            cost = cost_of(offer, workload)
            rows.append((cost, _direct_row(offer, cost)))
    # Variable and unknown prices last, as in the per-model list.
    rows.sort(key=lambda row: (row[0].total is None, row[0].total or 0))
    return {
        "workload": workload_data(workload, form.cleaned_data["preset"]),
        "model": _model_row(model, workload),
        "data": [row for _, row in rows],
    }


def _direct_row(offer: DirectOffer, cost: Cost) -> shapes.EndpointCost:
    return {
        "source": "litellm",
        "provider": offer.provider,
        "provider_name": provider_name(offer.provider),
        "tag": offer.key,
        "quantization": None,
        "service_tier": None,
        **cost_data(cost, tiers_of(offer)),
    }


def cheapest_direct(
    models: list[LanguageModel], workload: Workload
) -> dict[int, shapes.DirectCost]:
    """Each model's cheapest priced direct offer for the workload (by model pk)."""
    return {
        pk: {
            "provider": offer.provider,
            "provider_name": provider_name(offer.provider),
            "key": offer.key,
            **cost_data(cost, tiers_of(offer)),
        }
        for pk, (cost, offer) in direct_cheapest(models, workload).items()
    }


def _per_model(
    request: HttpRequest, form: CostParams, workload: Workload
) -> shapes.ModelCostList:
    data = form.cleaned_data
    query = ModelQuery(q=data["q"], include_delisted=data["include_delisted"])
    # Ordered from the narrow rows (catalog.ranking): sorting 30,000 models reads
    # no model row; the page's rows are read by id, their prices only.
    ranks = ranks_by_cost(selectors.model_api_ranks(query), workload, "slug")
    rows = LanguageModel.objects.only(*COST_COLUMNS)
    models = RankedModels(ranks, rows, count_with_page=bool(query.q))
    offset, limit = data["offset"] or 0, data["limit"] or DEFAULT_LIMIT
    page = list(models[offset : offset + limit])
    total = models.count()
    next_url = None
    if offset + limit < total:
        params = request.GET.copy()
        params["offset"], params["limit"] = str(offset + limit), str(limit)
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    lines = [_model_row(m, workload) for m in page]
    if (data["source"] or "routed") != "routed":
        direct = cheapest_direct(page, workload)
        for model, line in zip(page, lines, strict=True):
            line["direct"] = direct.get(model.pk)
    return {
        "workload": workload_data(workload, data["preset"]),
        "data": lines,
        "links": {"next": next_url},
        "total_count": total,
    }
