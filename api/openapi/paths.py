"""The paths: one GET operation per route of the API."""

from __future__ import annotations

from typing import Any

from api.openapi.blocks import CACHING, ERRORS, get, ok, ref
from api.openapi.parameters import (
    AUTHOR,
    COST_PARAMS,
    INCLUDE_DELISTED,
    MODEL_GET_PARAMS,
    SEARCH,
    SLUG,
    UNSUPPORTED,
    model_filters,
)

MODEL_GET_RESPONSES = {
    **ok(ref("BoardModelResponse")),
    "301": {
        "description": "A renamed id, or a routing variant (`:nitro`, `:floor`): "
        "the model's current address, with the query kept."
    },
}


def paths() -> dict[str, Any]:
    csv = {"type": "string"}
    return {
        "/models": get(
            "listModels",
            "List models",
            model_filters(),
            ok(ref("BoardModelList")),
            CACHING + UNSUPPORTED,
        ),
        "/models/count": get(
            "countModels",
            "How many models the filters list",
            model_filters(paged=False),
            ok(ref("ModelCount")),
            "The number of models `/models` lists with the same filters." + UNSUPPORTED,
        ),
        "/models/user": get(
            "listModelsForUser",
            "List models (for the caller's account)",
            model_filters(),
            ok(ref("BoardModelList")),
            "OpenRouter narrows this list by an account's provider and privacy "
            "preferences; there are no accounts here, so it is the public list "
            "(`/models`) with the same filters." + UNSUPPORTED,
        ),
        "/models/suggest": get(
            "suggestModels",
            "Search suggestions",
            [
                {
                    "name": "q",
                    "in": "query",
                    "required": True,
                    "description": SEARCH + " Spaces around it are ignored; a "
                    "query without a letter or a digit suggests nothing.",
                    # Something besides spaces; no control characters.
                    "schema": {
                        "type": "string",
                        "maxLength": 200,
                        "pattern": r"^[^\x00-\x1f\x7f]*[^\x00-\x20\x7f]"
                        r"[^\x00-\x1f\x7f]*$",
                    },
                }
            ],
            ok(ref("SuggestionList")),
            "The best 8 listed models for `q`, best first (the header box's "
            "suggestions).",
        ),
        "/models/{author}/{slug}": get(
            "getModel",
            "One model",
            MODEL_GET_PARAMS,
            MODEL_GET_RESPONSES,
        ),
        "/model/{author}/{slug}": get(
            "getModelOpenRouter",
            "One model (the path OpenRouter's SDK reads, `models.get`)",
            MODEL_GET_PARAMS,
            MODEL_GET_RESPONSES,
        ),
        "/models/{author}/{slug}/endpoints": get(
            "listEndpoints",
            "A model's providers (endpoints)",
            [AUTHOR, SLUG, INCLUDE_DELISTED],
            ok(ref("BoardEndpointsResponse")),
        ),
        "/models/{author}/{slug}/prices.csv": get(
            "modelPriceHistoryCsv",
            "Price history as CSV (one row per changed price)",
            [AUTHOR, SLUG],
            ok(csv, media="text/csv"),
        ),
        "/models/{author}/{slug}/tokens.csv": get(
            "modelTokensCsv",
            "Public tokens per day as CSV",
            [AUTHOR, SLUG],
            ok(csv, media="text/csv"),
        ),
        "/cost": get(
            "workloadCost",
            "What a workload costs a month, per model or per provider",
            COST_PARAMS,
            ok(ref("CostResponse")),
            "Monthly cost (30 days) of a workload on every model at its default "
            "price, cheapest first, paginated; with `model`, on each of that "
            "model's providers. Variable (router) and unknown prices come last "
            "with status `variable` / `unknown` and a null cost, never zero. "
            "Workload parameters not given come from the preset (default chat).",
        ),
        "/endpoints/zdr": get(
            "listEndpointsZdr",
            "Zero-data-retention endpoints (not kept here)",
            [],
            {"404": ERRORS["404"]},
            "OpenRouter lists the endpoints that retain no data. Data-retention "
            "policies are not part of this catalogue, so this answers a 404 that "
            "says so rather than a list that would claim no endpoint qualifies.",
        ),
        "/providers": get(
            "listProviders",
            "List providers",
            [INCLUDE_DELISTED],
            ok(ref("BoardProviderList")),
        ),
    }
