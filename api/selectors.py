"""Reads for the JSON API: filters and orders answered by the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import F, Q, QuerySet
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import JSONObject, Lower, Round
from django.utils import timezone

from catalog.categories import category_tags
from catalog.models import (
    Endpoint,
    LanguageModel,
    ModelRank,
    ModelScores,
    Provider,
    TaskClassification,
)
from catalog.ranking import CountedModels, RankedModels, ranks_listed
from catalog.reads.selectors import models_visible
from catalog.search import Suggestion, by_relevance, model_suggestions, models_matching
from catalog.tokenizers import tokenizers_of
from stats.selectors import endpoint_latest_samples

M = TypeVar("M", LanguageModel, ModelRank)
ORDERS = ("relevance", "upstream", "newest", "name", "context", "price")

# OpenRouter's `sort` values we answer, and those we cannot (none now).
SORTS = (
    "newest",
    "pricing-low-to-high",
    "pricing-high-to-low",
    "context-high-to-low",
    "throughput-high-to-low",
    "latency-low-to-high",
    "most-popular",
    "top-weekly",
    "intelligence-high-to-low",
    "coding-high-to-low",
    "agentic-high-to-low",
    "design-arena-elo-high-to-low",
)
UNSUPPORTED_SORTS: tuple[str, ...] = ()

# Data regions by the countries of a provider's datacenters (ISO 3166 alpha-2).
REGIONS: dict[str, frozenset[str]] = {
    "us": frozenset({"US"}),
    "eu": frozenset(
        {
            "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR",
            "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK",
            "SI", "ES", "SE",
        }
    ),
}  # fmt: skip


@dataclass(frozen=True)
class ModelQuery:
    """The validated filters of GET /api/v1/models (OpenRouter's names)."""

    output_modalities: frozenset[str] | None = None  # None means all
    input_modalities: frozenset[str] = frozenset()
    supported_parameters: frozenset[str] = frozenset()
    q: str = ""
    order: str = "upstream"  # "relevance" when a search gives no order
    include_delisted: bool = False
    context: int | None = None
    model_authors: frozenset[str] = frozenset()
    providers: frozenset[str] = frozenset()
    arch: str = ""
    region: str = ""
    # Only models with a listed zero-data-retention endpoint.
    zdr: bool = False
    category: str = ""
    # USD per million tokens, as our price columns.
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    min_output_price: Decimal | None = None
    max_output_price: Decimal | None = None
    min_age_days: int | None = None
    max_age_days: int | None = None
    # Bounds on the benchmark figures, as ModelScores lookups.
    score_bounds: tuple[tuple[str, float], ...] = ()


# The upstream fields we keep no column for: read from the raw payload alone.
RAW_EXTRAS = (
    "per_request_limits",
    "supported_voices",
    "hugging_face_id",
    "reasoning",
    "benchmarks",
    "alias_target",
)


def model_api_list(query: ModelQuery) -> CountedModels:
    """Models matching the API filters, in the requested order: one index scan
    (api-* indexes) for a page, the raw payload's few used keys only, counted from
    the narrow rows; a search by relevance is ranked from the narrow rows, then its
    page read by id."""
    if query.order == "relevance" and query.q:
        ranks = by_relevance(model_api_ranks(query))
        # Editors can hide a model "off the list and the API" (catalog curation).
        rows = _api_rows(models_visible())
        return RankedModels(ranks, rows, count_with_page=True)
    models = _api_rows(models_filtered(query))
    # Without a search there is nothing to rank: upstream's order, as by default.
    order = UPSTREAM if query.order == "relevance" else ORDERINGS[query.order]
    return CountedModels(
        models.order_by(*order), model_api_ranks(query), ids_first=True
    )


def _api_rows(models: QuerySet[LanguageModel]) -> QuerySet[LanguageModel]:
    # The raw payload's few keys the API sends, not the payload. (The views
    # attach a page's overrides in one query: catalog.reads.selectors.overrides_attach.)
    extras = JSONObject(**{k: KeyTransform(k, "raw") for k in RAW_EXTRAS})
    return models.defer("raw").annotate(raw_extras=extras)


def model_api_ranks(query: ModelQuery) -> QuerySet[ModelRank]:
    """The ranks of the models the API's filters list (the same filters over the
    narrow rows: catalog.ranking), a search's matches with what relevance orders
    by."""
    return _narrowed(ranks_listed(include_delisted=query.include_delisted), query)


def model_api_count(query: ModelQuery) -> int:
    """How many models the same filters list (GET /api/v1/models/count)."""
    return model_api_ranks(query).count()


def models_filtered(query: ModelQuery) -> QuerySet[LanguageModel]:
    """Visible models narrowed by every filter of `query`, unordered."""
    models = models_visible()
    if not query.include_delisted:
        models = models.filter(delisted_at__isnull=True)
    return _narrowed(models, query)


def _narrowed(models: QuerySet[M], query: ModelQuery) -> QuerySet[M]:
    # Model rows or their ranks: the ranks carry every column tested here under
    # the same names (a rank's primary key is its model's id).
    if query.q:
        # "Free-text search by model name or slug", as the SDKs document `q`: the
        # site's search also reads descriptions, the API's does not.
        models = models_matching(models, query.q, names_only=True)
    if query.output_modalities is not None:
        wanted = _any_of("output_modalities", query.output_modalities)
        if "text" in query.output_modalities:
            # A model that declares no output (one added by hand) is a text model:
            # the default list (`text`) never hides it.
            wanted |= Q(output_modalities=[])
        models = models.filter(wanted)
    for modality in sorted(query.input_modalities):
        models = models.filter(input_modalities__has=modality)
    for parameter in sorted(query.supported_parameters):
        models = models.filter(supported_parameters__has=parameter)
    if query.context is not None:
        models = models.filter(context_length__gte=query.context)
    if query.model_authors:
        models = models.filter(author__slug__in=sorted(query.model_authors))
    if query.arch:
        # A family or a tokenizer (catalog.tokenizers), against the few names held.
        known = LanguageModel.objects.order_by().values_list("tokenizer", flat=True)
        models = models.filter(
            tokenizer__in=tokenizers_of(query.arch, list(known.distinct()))
        )
    if query.category:
        # The models upstream ranks for the category's tasks (catalog.categories).
        ranked = TaskClassification.objects.filter(category_tags(query.category))
        models = models.filter(pk__in=ranked.values("model_id"))
    if query.score_bounds:
        # A model without the index is within no bound (scores-* indexes).
        scored = ModelScores.objects.filter(**dict(query.score_bounds))
        models = models.filter(pk__in=scored.values("model_id"))
    models = _priced(models, query)
    models = _aged(models, query)
    return _served(models, query)


def _any_of(field: str, values: frozenset[str]) -> Q:
    any_of = Q()
    for value in sorted(values):
        any_of |= Q(**{f"{field}__has": value})
    return any_of


def _priced(models: QuerySet[M], query: ModelQuery) -> QuerySet[M]:
    """Price bounds in USD per million tokens: a variable (router) or unknown price
    is within no bound, as upstream's "-1" is no price."""
    bounds = {
        "price_prompt__gte": query.min_price,
        "price_prompt__lte": query.max_price,
        "price_completion__gte": query.min_output_price,
        "price_completion__lte": query.max_output_price,
    }
    bounded = {k: v for k, v in bounds.items() if v is not None}
    if bounded:
        models = models.filter(is_variable_price=False, **bounded)
    return models


def _aged(models: QuerySet[M], query: ModelQuery) -> QuerySet[M]:
    """Age in days since the model's creation date, whole days as upstream counts."""
    now = timezone.now()
    if query.min_age_days is not None:
        models = models.filter(created__lte=_days_ago(now, query.min_age_days))
    if query.max_age_days is not None:
        models = models.filter(created__gte=_days_ago(now, query.max_age_days + 1))
    return models


def _days_ago(now: datetime, days: int) -> datetime:
    # A bound past the calendar's range keeps every (or no) model, never a 500.
    try:
        return now - timedelta(days=days)
    except OverflowError:
        return datetime.min.replace(tzinfo=now.tzinfo)


def _served(models: QuerySet[M], query: ModelQuery) -> QuerySet[M]:
    """Models with a listed endpoint of one of these providers, in this region,
    retaining no data (each asked for)."""
    if not query.providers and not query.region and not query.zdr:
        return models
    # The served models' ids, from endpoint-provider-models (not one probe per model).
    endpoints = Endpoint.objects.filter(delisted_at__isnull=True)
    if query.providers:
        wanted = sorted(query.providers)
        endpoints = endpoints.annotate(provider_lower=Lower("provider__name")).filter(
            Q(provider__slug__in=wanted) | Q(provider_lower__in=wanted)
        )
    if query.region:
        endpoints = endpoints.filter(
            _any_of("provider__datacenters", REGIONS[query.region])
        )
    if query.zdr:
        # One endpoint both ZDR and of those providers (endpoint-zdr-models).
        endpoints = endpoints.filter(zdr=True)
    return models.filter(pk__in=endpoints.values("model_id"))


def model_suggest(q: str) -> list[Suggestion]:
    """The header's suggestions: the best listed, visible models for `q`."""
    return model_suggestions(ranks_listed(), q)


# Upstream's own order, kept from the poll; models it never listed (hand-added)
# after, newest first, then by id so pages never overlap.
UPSTREAM = (
    F("upstream_position").asc(nulls_last=True),
    F("created").desc(nulls_last=True),
    "slug",
)
# Every sort breaks its ties by upstream's order, never by id: clients that take
# the first match by id prefix (aider) then find upstream's first, so a `:free`
# variant listed before its base model keeps its own price.
NEWEST = (F("created").desc(nulls_last=True), *UPSTREAM)
# OpenRouter's price sort: the mean of the prompt and completion prices (USD per
# million tokens), ordered by their sum, the same order without a division (SQLite
# divides integers as integers). A variable (router) or unknown price sorts last.
# Rounded to the columns' 12 places: SQLite adds them as floats, and 0.07 + 0.14
# must tie with 0.06 + 0.15 for upstream's order to break the tie.
WEIGHTED_PRICE = Round(F("price_prompt") + F("price_completion"), 12)
ORDERINGS: dict[str, tuple[Any, ...]] = {
    "upstream": UPSTREAM,
    "newest": NEWEST,
    "name": (Lower("name"), *UPSTREAM),
    "context": (F("context_length").desc(nulls_last=True), *UPSTREAM),
    # Variable (router) and unknown prices last.
    "price": (
        F("price_prompt").asc(nulls_last=True),
        F("price_completion").asc(nulls_last=True),
        *UPSTREAM,
    ),
    "pricing-low-to-high": (WEIGHTED_PRICE.asc(nulls_last=True), *UPSTREAM),
    "pricing-high-to-low": (WEIGHTED_PRICE.desc(nulls_last=True), *UPSTREAM),
    "context-high-to-low": (F("context_length").desc(nulls_last=True), *UPSTREAM),
    # The stats' current figures (kept on each model, indexed).
    "throughput-high-to-low": (F("throughput_p50").desc(nulls_last=True), *UPSTREAM),
    "latency-low-to-high": (F("latency_p50").asc(nulls_last=True), *UPSTREAM),
    # The usage we keep is tokens over the last 7 days: both popularity sorts read it.
    "top-weekly": (F("tokens_week").desc(nulls_last=True), *UPSTREAM),
    "most-popular": (F("tokens_week").desc(nulls_last=True), *UPSTREAM),
    # The benchmark figures (catalog.models.ModelScores); no score sorts last.
    **{
        sort: (F(f"scores__{column}").desc(nulls_last=True), *UPSTREAM)
        for sort, column in (
            ("intelligence-high-to-low", "intelligence_index"),
            ("coding-high-to-low", "coding_index"),
            ("agentic-high-to-low", "agentic_index"),
            ("design-arena-elo-high-to-low", "design_arena_elo"),
        )
    },
}


def model_api_get(slug: str, *, include_delisted: bool = False) -> LanguageModel | None:
    """One model by id, else by canonical slug (upstream's links use it)."""
    models = models_visible().select_related("author").prefetch_related("overrides")
    if not include_delisted:
        models = models.filter(delisted_at__isnull=True)
    return (
        models.filter(slug=slug).first()
        or models.filter(canonical_slug=slug).order_by("slug").first()
    )


def model_with_endpoints(model: LanguageModel) -> list[Endpoint]:
    """A model's listed endpoints with their providers, cheapest first."""
    return list(
        Endpoint.objects.filter(model=model, delisted_at__isnull=True)
        .select_related("provider")
        .prefetch_related("overrides")
        .order_by("price_prompt", "provider_name", "key")
    )


def zdr_endpoint_list() -> list[Endpoint]:
    """The listed ZDR endpoints of listed, visible models, in the models'
    upstream order (as UPSTREAM orders the models), then by key."""
    return list(
        Endpoint.objects.filter(
            zdr=True,
            delisted_at__isnull=True,
            model__in=models_visible().filter(delisted_at__isnull=True),
        )
        .select_related("provider", "model")
        .prefetch_related("overrides")
        .order_by(
            F("model__upstream_position").asc(nulls_last=True),
            F("model__created").desc(nulls_last=True),
            "model__slug",
            "key",
        )
    )


def provider_api_list(*, include_delisted: bool = False) -> QuerySet[Provider]:
    """Providers from the upstream list (not those only seen in endpoints)."""
    providers = Provider.objects.filter(listed=True)
    if not include_delisted:
        providers = providers.filter(delisted_at__isnull=True)
    return providers.order_by("name", "slug")


def endpoint_samples(endpoint_ids: list[int]) -> dict[int, Any]:
    """The latest stats sample of each endpoint."""
    return endpoint_latest_samples(endpoint_ids)


def model_renamed_to(slug: str) -> str | None:
    """The current id of a model upstream renamed: `slug` is a delisted row whose
    canonical slug (which never changes) a listed row of the same variant carries
    now. None when the id was never renamed."""
    visible = models_visible()
    old = (
        visible.filter(slug=slug, delisted_at__isnull=False)
        .exclude(canonical_slug="")
        .only("canonical_slug", "variant")
        .first()
    )
    if old is None:
        return None
    successor = (
        visible.filter(
            canonical_slug=old.canonical_slug,
            variant=old.variant,
            delisted_at__isnull=True,
        )
        .exclude(slug=slug)
        .order_by("slug")
        .values_list("slug", flat=True)
        .first()
    )
    return successor


# OpenRouter's routing shortcuts: the same model with its providers ordered by
# throughput (`:nitro`) or by price (`:floor`), valid on any model.
ROUTING_VARIANTS = ("nitro", "floor")


def model_shortcut_base(slug: str) -> str | None:
    """The listed model a routing shortcut (`author/slug:nitro`) names, when the
    shortcut is no model of its own."""
    base, _, variant = slug.partition(":")
    if variant not in ROUTING_VARIANTS:
        return None
    listed = models_visible().filter(slug=base, delisted_at__isnull=True)
    return listed.values_list("slug", flat=True).first()
