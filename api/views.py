"""Read-only JSON API in OpenRouter's shapes. Views validate, select, serialise."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import TypeVar

from django import forms
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.urls import reverse

from api import exports, selectors
from api.feeds import models_feed
from api.forms import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    ListParams,
    ModelListParams,
    ModelParams,
    SuggestParams,
    form_error_message,
)
from api.http import (
    ApiError,
    api_view,
    cached_response,
    json_response,
    json_text,
    streamed_response,
)
from api.offers import direct_offer, routed_offer
from api.openapi import openapi_document
from api.prices import pricing_of
from api.serializers import (
    ModelLinks,
    endpoint_data,
    model_data,
    model_endpoints_data,
    provider_data,
)
from api.shapes import (
    ApiRoot,
    BoardEndpointsResponse,
    BoardModelList,
    BoardModelResponse,
    BoardProviderList,
    BoardZdrEndpointList,
    Model,
    ModelCount,
    OfferList,
    SuggestionList,
)
from catalog import ids
from catalog.models import LanguageModel
from catalog.ranking import CountedModels
from catalog.reads.direct import direct_as_of, direct_offers_of, successors_of
from catalog.reads.history import price_events, price_history_points, prices_at
from catalog.reads.selectors import overrides_attach
from catalog.versions import data_version

# Models serialised per database round trip when the whole list is streamed.
STREAM_CHUNK = 500

F = TypeVar("F", bound=forms.Form)


def _valid(form_class: type[F], request: HttpRequest) -> F:
    form = form_class(request.GET)
    if not form.is_valid():
        raise ApiError(400, form_error_message(form))
    return form


def _model_or_404(
    author: str, slug: str, *, include_delisted: bool = False
) -> LanguageModel:
    model = selectors.model_api_get(
        f"{author}/{slug}", include_delisted=include_delisted
    )
    if model is None:
        raise ApiError(404, f"Model {author}/{slug} not found.")
    return model


@api_view
def model_list(request: HttpRequest) -> HttpResponseBase:
    return _model_list(request)


@api_view
def model_list_for_user(request: HttpRequest) -> HttpResponseBase:
    """OpenRouter's /models/user narrows the list by an account's provider and
    privacy preferences. There are no accounts here: a caller with any key gets
    the public list with the same filters; without one, upstream's 401."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise ApiError(
            401,
            "No API key: /models/user answers a caller with a key "
            "(Authorization: Bearer <key>); any key gets the public list here.",
        )
    return _model_list(request)


@api_view
def model_count(request: HttpRequest) -> HttpResponse:
    form = _valid(ModelListParams, request)
    body: ModelCount = {"data": {"count": selectors.model_api_count(form.query())}}
    return json_response(request, body, modified=data_version().changed_at)


def _model_list(request: HttpRequest) -> HttpResponseBase:
    form = _valid(ModelListParams, request)
    models = selectors.model_api_list(form.query())
    offset, limit = form.cleaned_data["offset"], form.cleaned_data["limit"]
    if form.cleaned_data["use_rss"]:
        return _feed(
            request, models, chat_links=form.cleaned_data["use_rss_chat_links"]
        )
    links = ModelLinks(request.build_absolute_uri)
    if offset is None and limit is None:
        # Upstream's default: the whole list, unpaged. Past a page's worth it is
        # streamed, so memory stays flat however large the catalogue.
        page = list(models[: MAX_LIMIT + 1])
        if len(page) > MAX_LIMIT:
            return _streamed_list(models, links, models.count())
        total, next_url = len(page), None
    else:
        offset, limit = offset or 0, limit or DEFAULT_LIMIT
        # Read in the database: an index scan of one page (api-* indexes).
        page = list(models[offset : offset + limit])
        total = models.count()
        next_url = _next_url(request, offset, limit, total)
    # Every override of the page in one query (not one queryset per model).
    overrides_attach(page)
    body: BoardModelList = {
        "data": [model_data(m, links) for m in page],
        "links": {"next": next_url},
        "total_count": total,
    }
    return json_response(request, body, modified=data_version().changed_at)


def _feed(
    request: HttpRequest, models: CountedModels, *, chat_links: bool
) -> HttpResponse:
    """The list as upstream's RSS feed (every model the filters list)."""
    content = models_feed(
        models.iterator(chunk_size=STREAM_CHUNK),
        request.build_absolute_uri,
        chat_links=chat_links,
    )
    return cached_response(
        request,
        content,
        content_type="application/rss+xml; charset=utf-8",
        modified=data_version().changed_at,
    )


def _next_url(request: HttpRequest, offset: int, limit: int, total: int) -> str | None:
    if offset + limit >= total:
        return None
    params = request.GET.copy()
    params["offset"], params["limit"] = str(offset + limit), str(limit)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def _streamed_list(
    models: CountedModels, links: ModelLinks, total: int
) -> StreamingHttpResponse:
    def body() -> Iterator[str]:
        # A BoardModelList, written as it is read.
        yield '{"data": ['
        first = True
        rows = models.iterator(chunk_size=STREAM_CHUNK)
        while chunk := list(islice(rows, STREAM_CHUNK)):
            overrides_attach(chunk)
            for model in chunk:
                yield ("" if first else ",") + json_text(model_data(model, links))
                first = False
        yield f'], "links": {{"next": null}}, "total_count": {total}}}'

    return streamed_response(body(), modified=data_version().changed_at)


@api_view
def model_suggest(request: HttpRequest) -> HttpResponse:
    """The header box's suggestions: the top models for `q`, best first."""
    form = _valid(SuggestParams, request)
    found = selectors.model_suggest(form.cleaned_data["q"])
    body: SuggestionList = {
        "data": [
            {
                "id": s.id,
                "name": s.name,
                "author": s.author,
                "url": request.build_absolute_uri(s.url),
            }
            for s in found
        ]
    }
    return json_response(request, body, modified=data_version().changed_at)


@api_view
def model_detail(request: HttpRequest, author: str, slug: str) -> HttpResponseBase:
    form = _valid(ModelParams, request)
    day = form.cleaned_data["at"]
    # ?at= asks about the past: a model delisted since then is still answered.
    model = selectors.model_api_get(
        f"{author}/{slug}",
        include_delisted=form.cleaned_data["include_delisted"] or day is not None,
    )
    if model is None:
        return _moved(request, author, slug)
    pricing = None
    if day is not None:
        if model.first_seen_at.date() > day:
            raise ApiError(
                404,
                f"Model {model.slug} was first seen on "
                f"{model.first_seen_at.date().isoformat()}, after {day.isoformat()}.",
            )
        events = price_events(model)
        pricing = prices_at(pricing_of(model), events, day)
    data = model_data(model, request.build_absolute_uri, pricing)
    if day is not None:
        data["modelboard"]["at"] = day.isoformat()
    return json_response(
        request, openai_compatible(data), modified=data_version().changed_at
    )


def _moved(
    request: HttpRequest, author: str, slug: str
) -> HttpResponsePermanentRedirect:
    """A permanent redirect (same route, same query) from an id upstream renamed to
    its current id, or from a routing shortcut (`:nitro`, `:floor`) to its model;
    else the 404 of an unknown model."""
    asked = f"{author}/{slug}"
    current = selectors.model_renamed_to(asked) or selectors.model_shortcut_base(asked)
    parts = ids.model_id_parts(current) if current else None
    if parts is None:
        raise ApiError(404, f"Model {author}/{slug} not found.")
    match = request.resolver_match
    url = reverse(match.view_name if match else "api-model", kwargs=parts)
    query = request.GET.urlencode()
    return HttpResponsePermanentRedirect(url + (f"?{query}" if query else ""))


def openai_compatible(data: Model) -> BoardModelResponse:
    """{"data": Model} plus OpenAI's top-level model fields.

    OpenAI SDKs' `models.retrieve()` read id/created/owned_by from the top level
    (OpenAI's own shape), OpenRouter clients read "data": both work unchanged.
    """
    return {
        "data": data,
        "id": data["id"],
        "object": "model",
        "created": data["created"],
        "owned_by": data["id"].split("/", 1)[0],
    }


@api_view
def model_endpoints(request: HttpRequest, author: str, slug: str) -> HttpResponse:
    form = _valid(ListParams, request)
    model = _model_or_404(
        author, slug, include_delisted=form.cleaned_data["include_delisted"]
    )
    endpoints = selectors.model_with_endpoints(model)
    samples = selectors.endpoint_samples([e.pk for e in endpoints])
    body: BoardEndpointsResponse = {
        "data": model_endpoints_data(model, endpoints, samples)
    }
    return json_response(request, body, modified=data_version().changed_at)


@api_view
def model_offers(request: HttpRequest, author: str, slug: str) -> HttpResponse:
    form = _valid(ListParams, request)
    model = _model_or_404(
        author, slug, include_delisted=form.cleaned_data["include_delisted"]
    )
    endpoints = selectors.model_with_endpoints(model)
    direct = direct_offers_of(model)
    successors = successors_of(direct)
    as_of = direct_as_of()
    body: OfferList = {
        "data": [
            *(routed_offer(e) for e in endpoints),
            *(direct_offer(o, successors.get(o.pk), as_of) for o in direct),
        ]
    }
    return json_response(request, body, modified=data_version().changed_at)


@api_view
def provider_list(request: HttpRequest) -> HttpResponse:
    form = _valid(ListParams, request)
    providers = selectors.provider_api_list(
        include_delisted=form.cleaned_data["include_delisted"]
    )
    body: BoardProviderList = {"data": [provider_data(p) for p in providers]}
    return json_response(request, body, modified=data_version().changed_at)


@api_view
def endpoints_zdr(request: HttpRequest) -> HttpResponse:
    endpoints = selectors.zdr_endpoint_list()
    samples = selectors.endpoint_samples([e.pk for e in endpoints])
    body: BoardZdrEndpointList = {
        "data": [endpoint_data(e, e.model, samples.get(e.pk)) for e in endpoints]
    }
    return json_response(request, body, modified=data_version().changed_at)


@api_view
def model_prices_csv(request: HttpRequest, author: str, slug: str) -> HttpResponse:
    model = _model_or_404(author, slug, include_delisted=True)
    endpoints = list(
        model.endpoints.filter(delisted_at__isnull=True).select_related("provider")
    )
    points = price_history_points(model, endpoints)
    content = exports.price_history_csv(model, points)
    return _csv(request, content, f"{model.slug}-prices.csv")


@api_view
def model_tokens_csv(request: HttpRequest, author: str, slug: str) -> HttpResponse:
    model = _model_or_404(author, slug, include_delisted=True)
    content = exports.tokens_per_day_csv(model)
    return _csv(request, content, f"{model.slug}-tokens.csv")


def _csv(request: HttpRequest, content: str, filename: str) -> HttpResponse:
    response = cached_response(
        request,
        content,
        content_type="text/csv; charset=utf-8",
        modified=data_version().changed_at,
    )
    safe = filename.replace("/", "_").replace(":", "_").replace('"', "")
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


@api_view
def openapi(request: HttpRequest) -> HttpResponse:
    document = openapi_document(server=request.build_absolute_uri(reverse("api-root")))
    return json_response(request, document)


@api_view
def root(request: HttpRequest) -> HttpResponse:
    links = {
        name: request.build_absolute_uri(reverse(name))
        for name in ("api-models", "api-providers", "api-openapi")
    }
    body: ApiRoot = {"data": {"links": links}}
    return json_response(request, body)


@api_view
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    raise ApiError(404, f"No API route {request.path}; see {reverse('api-openapi')}.")
