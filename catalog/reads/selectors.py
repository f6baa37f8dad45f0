"""Reads of the catalogue for pages, the API and exports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from catalog.models import (
    Author,
    Endpoint,
    FieldOverride,
    LanguageModel,
    ModelRank,
    Provider,
)
from catalog.ranking import ranks_listed
from catalog.search import models_matching

LIST_COLUMNS = (
    "slug",
    "featured",
    "origin",
    "name",
    "author_id",
    "context_length",
    "price_prompt",
    "price_completion",
    "is_variable_price",
    "input_modalities",
    "output_modalities",
    "created",
    "delisted_at",
    # Current figures (kept by stats): the list's stats sorts show them.
    "latency_p50",
    "throughput_p50",
    "tokens_week",
)
M = TypeVar("M", LanguageModel, ModelRank)
CATALOGUE_SORTS = ("newest", "price_asc", "price_desc", "context")


def models_visible(
    user: User | AnonymousUser | None = None,
) -> QuerySet[LanguageModel]:
    """The one "visible to this user" queryset: hidden models are for staff only.

    Every page, feed, API route and form reads models through it. Lists (the
    catalogue, author and provider pages, rankings, the changelog, feeds, the API,
    exports) pass no user: they show what the public sees, whoever asks. A hidden
    model's own page, its feed and compare pass the user, so staff reach them; to
    anyone else a hidden id answers exactly like an unknown one.
    """
    models = LanguageModel.objects.all()
    if user is None or not user.is_staff:
        models = models.filter(hidden=False)
    return models


def model_list(
    *, include_delisted: bool = False, **filters: Any
) -> QuerySet[LanguageModel]:
    """Listed, visible models narrowed by the catalogue list's filters (unordered)."""
    # Hidden models are off the list (their page is for staff only).
    models = models_visible()
    if not include_delisted:
        models = models.filter(delisted_at__isnull=True)
    return models_narrowed(models, **filters).only(*LIST_COLUMNS)


def ranks_list(
    *, include_delisted: bool = False, **filters: Any
) -> QuerySet[ModelRank]:
    """The ranks of model_list's models: what counts them (catalog.ranking)."""
    ranks = ranks_listed(include_delisted=include_delisted)
    return models_narrowed(ranks, **filters)


def models_narrowed(
    models: QuerySet[M],
    *,
    q: str = "",
    input_modality: str = "",
    output_modality: str = "",
    min_context: int | None = None,
    max_price: Decimal | None = None,
    max_output_price: Decimal | None = None,
    provider: str = "",
    author: str = "",
    parameter: str = "",
    free: bool = False,
    paid: bool = False,
) -> QuerySet[M]:
    """`models` narrowed by the catalogue list's filters: model rows or their
    ranks, which carry every column the filters test under the same names."""
    if q:
        models = models_matching(models, q)
    if input_modality:
        models = models.filter(input_modalities__has=input_modality)
    if output_modality:
        models = models.filter(output_modalities__has=output_modality)
    if parameter:
        models = models.filter(supported_parameters__has=parameter)
    if min_context is not None:
        models = models.filter(context_length__gte=min_context)
    if max_price is not None:
        models = models.filter(price_prompt__lte=max_price)
    if max_output_price is not None:
        models = models.filter(price_completion__lte=max_output_price)
    if free:
        models = models.filter(price_prompt=0, price_completion=0)
    if paid:
        # Variable prices (routers: no price) are not free: they stay.
        models = models.exclude(price_prompt=0, price_completion=0)
    if author:
        models = models.filter(author__slug=author)
    if provider:
        # A rank's primary key is its model's id.
        models = models.filter(pk__in=models_served_by(provider))
    return models


def models_served_by(provider_slug: str) -> QuerySet[Endpoint, int]:
    """The ids of the models a provider's listed endpoints serve (a subquery,
    answered by endpoint-provider-models alone)."""
    # The provider's id as a value of its own (not a join), so each probe of a
    # list walked in order is one look-up in the index.
    provider = Provider.objects.filter(slug=provider_slug).values("pk")[:1]
    return Endpoint.objects.filter(
        provider_id=Subquery(provider), delisted_at__isnull=True
    ).values_list("model_id", flat=True)


def models_sorted(
    models: QuerySet[LanguageModel], sort: str
) -> QuerySet[LanguageModel]:
    """`models` in one of the catalogue's own orders (CATALOGUE_SORTS; relevance is
    ranked apart: front.listing)."""
    if sort == "price_asc":
        return models.order_by(
            F("price_prompt").asc(nulls_last=True),
            F("price_completion").asc(nulls_last=True),
            "slug",
        )
    if sort == "price_desc":
        return models.order_by(
            F("price_prompt").desc(nulls_last=True),
            F("price_completion").desc(nulls_last=True),
            "slug",
        )
    if sort == "context":
        return models.order_by(F("context_length").desc(nulls_last=True), "slug")
    return models.order_by(F("created").desc(nulls_last=True), "slug")


def featured_first(models: QuerySet[M]) -> QuerySet[M]:
    """Editors' featured models (or their ranks) pinned first, whatever the order."""
    return models.order_by(F("featured").desc(), *models.query.order_by)


def list_choices() -> dict[str, list[tuple[str, str]]]:
    """Providers and authors for the filter form's selects (two queries)."""
    providers = Provider.objects.filter(delisted_at__isnull=True).values_list(
        "slug", "name"
    )
    # A probe of each author's visible models (their foreign-key index), not a
    # count of the whole catalogue.
    listed = models_visible().filter(author=OuterRef("pk"), delisted_at__isnull=True)
    authors = Author.objects.filter(Exists(listed)).values_list("slug", "name")
    return {
        "providers": sorted(providers, key=lambda p: p[1].lower()),
        "authors": [(slug, name or slug) for slug, name in authors.order_by("slug")],
    }


@dataclass(frozen=True)
class ModelFound:
    """A model page's model, its listed endpoints and its other variants."""

    model: LanguageModel
    endpoints: list[Endpoint]
    variants: list[LanguageModel]


def model_get(slug: str, user: User | AnonymousUser | None = None) -> ModelFound | None:
    """One model this user may see (without its raw payload); its listed endpoints
    with their providers, cheapest first; every override of them attached; and
    the other variants of it this user may see (`x`, `x:free`, `x:thinking`), by
    id (3 queries)."""
    base = slug.split(":", 1)[0]
    # The model and its variants in one read: the ids are unique, variants few.
    rows = list(
        models_visible(user)
        .select_related("author")
        .defer("raw")
        .filter(Q(slug=slug) | Q(slug=base) | Q(slug__startswith=f"{base}:"))
        .order_by("slug")
    )
    model = next((m for m in rows if m.slug == slug), None)
    if model is None:
        return None
    endpoints = list(
        Endpoint.objects.filter(model=model, delisted_at__isnull=True)
        .select_related("provider")
        .defer("provider__raw")
        .order_by("price_prompt", "provider_name")
    )
    overrides_attach([model], endpoints)
    variants = [m for m in rows if m is not model]
    return ModelFound(model, endpoints, variants)


def catalogue_empty() -> bool:
    """No model at all yet: the first sync has not brought the catalogue in."""
    return not LanguageModel.objects.exists()


def models_known(slugs: Iterable[str]) -> set[str]:
    """Which of these ids have a public page here (one query; hidden ones do not)."""
    wanted = list(set(slugs))
    if not wanted:
        return set()
    found = models_visible().filter(slug__in=wanted)
    return set(found.values_list("slug", flat=True))


def provider_list() -> QuerySet[Provider]:
    """Every provider with the number of listed, visible models it serves (one
    query), the ones serving most first."""
    serving = Q(
        endpoints__delisted_at__isnull=True,
        endpoints__model__delisted_at__isnull=True,
        endpoints__model__hidden=False,
    )
    return Provider.objects.annotate(
        models_served=Count("endpoints__model", filter=serving, distinct=True)
    ).order_by(F("delisted_at").desc(nulls_first=True), "-models_served", "name")


def provider_get(slug: str) -> tuple[Provider, QuerySet[Endpoint]] | None:
    """One provider and the active endpoints of visible models it serves (a query
    to page through; endpoint-provider-listed serves it)."""
    provider = Provider.objects.filter(slug=slug).first()
    if provider is None:
        return None
    serving = (
        Endpoint.objects.filter(
            provider=provider,
            delisted_at__isnull=True,
            # Listed, visible models, from their narrow ranks (catalog.ranking).
            model_id__in=ranks_listed().values("model_id"),
        )
        .select_related("model")
        .only(*ENDPOINT_ROW_COLUMNS, *(f"model__{c}" for c in MODEL_LINK_COLUMNS))
        # Upstream names an endpoint "Provider | model id": a provider's endpoints
        # by model id, read in order from endpoint-provider-listed.
        .order_by("name", "pk")
    )
    return provider, serving


# What a provider page's row shows of an endpoint and of its model.
ENDPOINT_ROW_COLUMNS = (
    "model",
    "key",
    "name",
    "context_length",
    "price_prompt",
    "price_completion",
    "is_variable_price",
    "quantization",
    "latency_p50",
    "throughput_p50",
    "uptime",
)
MODEL_LINK_COLUMNS = ("slug", "name")


@dataclass(frozen=True)
class UptimeSummary:
    """The uptime of a provider's endpoints: average, lowest, how many known."""

    average: float | None
    lowest: float | None
    sampled: int
    endpoints: int = 0


def provider_uptime(endpoints: QuerySet[Endpoint]) -> UptimeSummary:
    """Average and lowest current uptime over these endpoints, and how many they
    are (one query: the page's count comes with it)."""
    found = endpoints.order_by().aggregate(
        average=Avg("uptime"),
        lowest=Min("uptime"),
        sampled=Count("uptime"),
        endpoints=Count("pk"),
    )
    average = found["average"]
    return UptimeSummary(
        round(average, 2) if average is not None else None,
        found["lowest"],
        found["sampled"],
        found["endpoints"],
    )


def author_get(slug: str) -> tuple[Author, QuerySet[LanguageModel]] | None:
    """An author and its visible models, listed first, newest first (a query to
    page through); None when it has none to show, as for an unknown author."""
    author = Author.objects.filter(slug=slug).first()
    if author is None:
        return None
    models = (
        models_visible()
        .filter(author=author)
        .only(*LIST_COLUMNS)
        .order_by(
            F("delisted_at").desc(nulls_first=True),
            F("created").desc(nulls_last=True),
            "slug",
        )
    )
    return (author, models) if models.exists() else None


@dataclass
class Compared:
    """One model of a comparison with its cheapest active endpoint."""

    model: LanguageModel
    cheapest: Endpoint | None = None
    providers: int = 0


def models_compare(
    slugs: list[str], user: User | AnonymousUser | None = None
) -> tuple[list[Compared], list[str]]:
    """The models asked for that this user may see, in the order asked, and the ids
    not found."""
    endpoints = Endpoint.objects.filter(delisted_at__isnull=True).select_related(
        "provider"
    )
    found = {
        m.slug: m
        for m in models_visible(user)
        .select_related("author")
        .prefetch_related(
            Prefetch("endpoints", queryset=endpoints, to_attr="endpoints_listed")
        )
        .filter(slug__in=slugs)
    }
    compared = []
    for slug in slugs:
        if slug not in found:
            continue
        m = found[slug]
        priced = [
            e
            for e in m.endpoints_listed
            if e.price_prompt is not None and not e.is_variable_price
        ]
        cheapest = min(
            priced,
            key=lambda e: (
                (e.price_prompt or 0) + (e.price_completion or 0),
                e.provider.name,
            ),
            default=None,
        )
        compared.append(Compared(m, cheapest, len(m.endpoints_listed)))
    return compared, [s for s in slugs if s not in found]


def overrides_attach(
    models: list[LanguageModel], endpoints: list[Endpoint] | None = None
) -> None:
    """Give each model and endpoint an `edited` dict {field: FieldOverride} (one
    query for all of them)."""
    endpoints = endpoints or []
    by_model = {m.pk: m for m in models}
    by_endpoint = {e.pk: e for e in endpoints}
    for model in models:
        model.edited = {}
    for endpoint in endpoints:
        endpoint.edited = {}
    if not by_model and not by_endpoint:
        return
    overrides = FieldOverride.objects.filter(
        Q(model__in=list(by_model)) | Q(endpoint__in=list(by_endpoint))
    ).select_related("author")
    for override in overrides:
        target: LanguageModel | Endpoint | None = (
            by_model.get(override.model_id)
            if override.model_id
            else by_endpoint.get(override.endpoint_id or 0)
        )
        if target is not None:
            target.edited[override.field] = override
