"""The operations: one GET per route of the API, by URL name (api/urls.py), with
its parameters (from the forms that validate them) and the shape it answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api import shapes
from api.benchmarks import BenchmarkParams
from api.costs import CostParams
from api.forms import (
    UNSUPPORTED_FILTERS,
    ListParams,
    ModelListParams,
    ModelParams,
    SuggestParams,
)
from api.kinds import PageParams
from api.openapi.parameters import AUTHOR, SLUG, query_parameters
from api.selectors import UNSUPPORTED_SORTS

CACHING = (
    "Responses carry an `ETag` (hash of the body; send `If-None-Match` for a 304), "
    "`Last-Modified` (end of the latest successful sync) and "
    "`Cache-Control: public, max-age=60`. CORS: `Access-Control-Allow-Origin: *`."
)
UNSUPPORTED = (
    " Asked for, these answer a 400 that says the catalogue does not keep the data: "
    + ", ".join(f"`{name}`" for name in UNSUPPORTED_FILTERS)
    + "".join(f"; and `sort` = `{sort}`" for sort in UNSUPPORTED_SORTS)
    + "."
)
PAGING = ("order", "sort", "offset", "limit", "use_rss", "use_rss_chat_links")
MOVED = {
    "301": {
        "description": "A renamed id, or a routing variant (`:nitro`, `:floor`): "
        "the model's current address, with the query kept."
    }
}


@dataclass(frozen=True)
class Operation:
    operation_id: str
    summary: str
    parameters: list[dict[str, Any]]
    # The shape of a 200's body (None: the operation only answers an error).
    body: Any
    description: str = ""
    media: str = "application/json"
    more_responses: dict[str, Any] = field(default_factory=dict)
    # Other media types a 200 may come in (asked for by a query parameter).
    more_media: dict[str, Any] = field(default_factory=dict)
    # Other error statuses, each with why: upstream's error shape.
    more_errors: dict[str, str] = field(default_factory=dict)


RSS = {
    "application/rss+xml": {
        "schema": {
            "type": "string",
            "description": "With `use_rss=true`: the same list as an RSS 2.0 feed.",
        }
    }
}


def model_get(operation_id: str, summary: str) -> Operation:
    return Operation(
        operation_id,
        summary,
        [AUTHOR, SLUG, *query_parameters(ModelParams)],
        shapes.BoardModelResponse,
        more_responses=MOVED,
    )


def model_csv(operation_id: str, summary: str) -> Operation:
    return Operation(operation_id, summary, [AUTHOR, SLUG], str, media="text/csv")


def operations() -> dict[str, Operation]:
    """Every route's operation, by its URL name."""
    return {
        "api-root": Operation("apiRoot", "The API's main routes", [], shapes.ApiRoot),
        "api-openapi": Operation(
            "openApiDocument", "This document (OpenAPI 3.1)", [], dict[str, Any]
        ),
        "api-models": Operation(
            "listModels",
            "List models",
            query_parameters(ModelListParams),
            shapes.BoardModelList,
            CACHING + UNSUPPORTED,
            more_media=RSS,
        ),
        "api-models-count": Operation(
            "countModels",
            "How many models the filters list",
            query_parameters(ModelListParams, leave_out=PAGING),
            shapes.ModelCount,
            "The number of models `/models` lists with the same filters." + UNSUPPORTED,
        ),
        "api-models-user": Operation(
            "listModelsForUser",
            "List models (for the caller's account)",
            query_parameters(ModelListParams),
            shapes.BoardModelList,
            "OpenRouter narrows this list by an account's provider and privacy "
            "preferences; there are no accounts here, so any key gets the public "
            "list (`/models`) with the same filters; no key is a 401, as upstream "
            "answers." + UNSUPPORTED,
            more_media=RSS,
            more_errors={"401": "No API key (an `Authorization: Bearer` header)"},
        ),
        "api-models-suggest": Operation(
            "suggestModels",
            "Search suggestions",
            query_parameters(SuggestParams),
            shapes.SuggestionList,
            "The best 8 listed models for `q`, best first (the header box's "
            "suggestions).",
        ),
        "api-model": model_get("getModel", "One model"),
        "api-model-get": model_get(
            "getModelOpenRouter",
            "One model (the path OpenRouter's SDK reads, `models.get`)",
        ),
        "api-model-endpoints": Operation(
            "listEndpoints",
            "A model's providers (endpoints)",
            [AUTHOR, SLUG, *query_parameters(ListParams)],
            shapes.BoardEndpointsResponse,
        ),
        "api-model-offers": Operation(
            "listOffers",
            "Every offer of a model: routed (OpenRouter) and direct (list prices)",
            [AUTHOR, SLUG, *query_parameters(ListParams)],
            shapes.OfferList,
            "The model's OpenRouter endpoints (`source` openrouter) and its "
            "providers' own list prices from LiteLLM's price map (`source` "
            "litellm), each with its prices in USD per token as exact decimal "
            "strings, tiers, modes, limits, retirement and how it was matched.",
        ),
        "api-model-prices-csv": model_csv(
            "modelPriceHistoryCsv", "Price history as CSV (one row per changed price)"
        ),
        "api-model-tokens-csv": model_csv(
            "modelTokensCsv", "Public tokens per day as CSV"
        ),
        "api-providers": Operation(
            "listProviders",
            "List providers",
            query_parameters(ListParams),
            shapes.BoardProviderList,
        ),
        "api-cost": Operation(
            "workloadCost",
            "What a workload costs a month, per model or per provider",
            query_parameters(CostParams),
            shapes.CostResponse,
            "Monthly cost (30 days) of a workload on every model at its default "
            "price, cheapest first, paginated; with `model`, on each of that "
            "model's providers. Variable (router) and unknown prices come last "
            "with status `variable` / `unknown` and a null cost, never zero. "
            "Workload parameters not given come from the preset (default chat).",
        ),
        "api-embeddings-models": Operation(
            "listEmbeddingsModels",
            "List all embeddings models",
            query_parameters(PageParams),
            shapes.BoardModelList,
            "Every embedding model upstream lists, in its order, each its Model "
            "object as polled with our additions in `modelboard`.",
        ),
        "api-images-models": Operation(
            "listImageModels",
            "List image generation models",
            [],
            shapes.ImageModelList,
            "Every image generation model upstream lists, in its order, as polled.",
        ),
        "api-image-model-endpoints": Operation(
            "listImageModelEndpoints",
            "List endpoints for an image model",
            [AUTHOR, SLUG],
            shapes.ImageModelEndpoints,
            "The model's endpoints as polled: each provider's supported "
            "parameters and billable pricing lines (`billable`, `unit`, "
            "`cost_usd`).",
        ),
        "api-videos-models": Operation(
            "listVideosModels",
            "List all video generation models",
            [],
            shapes.VideoModelList,
            "Every video generation model upstream lists, in its order, as polled "
            "(`pricing_skus`: USD per SKU).",
        ),
        "api-benchmarks": Operation(
            "getBenchmarks",
            "Benchmark scores (Artificial Analysis indices, Design Arena Elo)",
            query_parameters(BenchmarkParams),
            shapes.BenchmarkList,
            "Upstream's unified answer: one Artificial Analysis item per scored "
            "model (its three indices) and one Design Arena item per arena and "
            "category, with the model's prices; `meta` dates the data and, for "
            "one source, cites it. No key is needed here. OpenRouter's own evals "
            "are not kept: `source=openrouter` and `task_type=search` list none.",
        ),
        "api-endpoints-zdr": Operation(
            "listEndpointsZdr",
            "Zero-data-retention endpoints",
            [],
            shapes.BoardZdrEndpointList,
            "The listed endpoints that OpenRouter lists as retaining no data "
            "(its /endpoints/zdr, polled on its own schedule), each as in its "
            "model's endpoints list, in the models' upstream order. An endpoint "
            "is marked by its model's permaslug and tag, so every variant of a "
            "model that has that provider is.",
        ),
    }
