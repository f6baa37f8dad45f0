"""The OpenAPI 3.1 document of our API, reusing OpenRouter's copied schemas."""

from __future__ import annotations

import copy
import re
from typing import Any

from api.forms import (
    AGE_DAYS_MAX,
    CONTEXT_MAX,
    MAX_LIMIT,
    UNSUPPORTED_FILTERS,
    input_modalities,
    output_modalities,
    upstream_schemas,
)
from api.selectors import ORDERS, REGIONS, SORTS, UNSUPPORTED_SORTS

REF = "#/components/schemas/"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    if schema.get("type") == "string" and not {"pattern", "enum"} & set(schema):
        # Text in a query string may be anything but a NUL (a 400).
        schema = schema | {"pattern": "^[^\\x00]*$"}
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _path(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


SEARCH = (
    "Search: every word must match the id, name, author, aliases or description "
    "(case, punctuation and version dots ignored; one typo forgiven in words of "
    "five letters or more)."
)
AUTHOR = _path("author", "Author part of the model id (`openai`).") | {
    "example": "liquid"
}
SLUG = _path("slug", "Rest of the model id, variant included (`gpt-4o:free`).") | {
    "example": "lfm-40b"
}
INCLUDE_DELISTED = _query(
    "include_delisted",
    "Also return models (or providers) no longer listed upstream: `true` or "
    "`false` (`1`/`0`, `yes`/`no` are read the same). An empty value is a 400, "
    "as for any value that is not a boolean.",
    {"type": "boolean", "default": False},
)
# Vocabularies upstream extends faster than its published spec (new tokenizers,
# providers, quantizations arrive first in the data). We pass upstream's values
# through, and null when a value is unknown (a hand-added model has no tokenizer),
# so the document says "a string, or null", with the known values as examples,
# rather than an enum the data would break.
OPEN_VOCABULARIES = (
    "ModelGroup",
    "ProviderName",
    "Quantization",
    "InstructType",
    "InputModality",
    "OutputModality",
    "PublicServiceTier",
)


def _open_vocabularies(schemas: dict[str, Any]) -> dict[str, Any]:
    for name in OPEN_VOCABULARIES:
        known = [v for v in schemas[name].get("enum", []) if v]
        schemas[name] = {
            "type": ["string", "null"],
            "description": f"{schemas[name].get('description', name)}. Known values "
            f"include {', '.join(map(str, known))}; upstream adds new ones, passed "
            "through as they come; null when unknown.",
            "examples": known[:5],
        }
    # A price nobody published (a hand-added model, a provider without one) is
    # absent rather than "0", which would claim the model is free.
    endpoint = schemas["PublicEndpoint"]["properties"]
    for pricing in (schemas["PublicPricing"], endpoint["pricing"]):
        pricing.pop("required", None)
        pricing["description"] = (
            f"{pricing.get('description', 'Prices')}. Prices not known are absent."
        )
    # Upstream always gives an endpoint's context; a row whose context an editor
    # cleared serves its model's, and null when that is unknown too.
    _nullable(endpoint["context_length"])
    # Country codes as upstream sends them (its list grows; ours passes through).
    provider = schemas["Provider"]["properties"]
    provider["headquarters"] = {
        "type": ["string", "null"],
        "description": provider["headquarters"].get("description", ""),
    }
    provider["datacenters"]["items"] = {"type": "string"}
    schemas["EndpointStatus"] = {
        "type": ["integer", "null"],
        "description": "0 when healthy, negative when degraded (upstream's status), "
        "null when never sampled.",
    }
    return schemas


def _nullable(schema: dict[str, Any]) -> None:
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]


def output_modalities_pattern() -> str:
    """What `output_modalities` accepts: `all`, or a comma list of known output
    modalities (spaces around items and empty items ignored). Others are a 400."""
    return comma_list_pattern(["all", *output_modalities()])


def comma_list_pattern(known: list[str]) -> str:
    """A comma list of known words (spaces around items and empty items ignored)."""
    words = "|".join(re.escape(w) for w in known)
    item = rf"\s*(?:{words})?\s*"
    return rf"^{item}(?:,{item})*$"


ERRORS = {
    "400": {
        "description": "Bad query parameter",
        "content": {"application/json": {"schema": _ref("Error")}},
    },
    "404": {
        "description": "Unknown model or route",
        "content": {"application/json": {"schema": _ref("Error")}},
    },
}
CACHING = (
    "Responses carry an `ETag` (hash of the body; send `If-None-Match` for a 304), "
    "`Last-Modified` (end of the latest successful sync) and "
    "`Cache-Control: public, max-age=60`. CORS: `Access-Control-Allow-Origin: *`."
)


def _ok(
    schema: dict[str, Any], description: str = "OK", media: str = "application/json"
) -> dict[str, Any]:
    return {
        "200": {"description": description, "content": {media: {"schema": schema}}},
        "304": {"description": "Not modified (If-None-Match matched the ETag)"},
        **ERRORS,
    }


def _get(
    operation_id: str,
    summary: str,
    parameters: list,
    responses: dict,
    description: str = "",
) -> dict[str, Any]:
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "description": description or summary,
            "parameters": parameters,
            "responses": responses,
        }
    }


def _our_schemas() -> dict[str, Any]:
    extra = {
        "type": "object",
        "description": "modelboard's additions to the upstream "
        "object. `edited` lists fields an editor overrode.",
        "properties": {"edited": {"type": "object"}},
        "required": ["edited"],
    }
    model = {
        "allOf": [
            _ref("Model"),
            {
                "properties": {"modelboard": _ref("ModelboardModel")},
                "required": ["modelboard"],
            },
        ]
    }
    return {
        "ModelboardExtra": extra,
        "ModelboardModel": {
            "allOf": [
                _ref("ModelboardExtra"),
                {
                    "properties": {
                        "first_seen_at": {"type": "string", "format": "date-time"},
                        "updated_at": {"type": "string", "format": "date-time"},
                        "delisted_at": {
                            "type": ["string", "null"],
                            "format": "date-time",
                        },
                        "variable_price": {"type": "boolean"},
                        "page_url": {"type": "string"},
                        "price_history_url": {"type": "string"},
                        "changes_url": {"type": "string"},
                        "at": {
                            "type": "string",
                            "format": "date",
                            "description": "Present when ?at= was given.",
                        },
                    }
                },
            ]
        },
        "BoardModel": model,
        "BoardModelList": {
            "type": "object",
            "required": ["data", "links", "total_count"],
            "properties": {
                "data": {"type": "array", "items": _ref("BoardModel")},
                "links": {
                    "type": "object",
                    "properties": {"next": {"type": ["string", "null"]}},
                },
                "total_count": {"type": "integer"},
            },
        },
        "BoardModelResponse": {
            "type": "object",
            "description": "OpenRouter's {data: Model}, plus OpenAI's top-level "
            "model fields (id, object, created, owned_by) so OpenAI SDKs' "
            "models.retrieve() works too.",
            "required": ["data", "id", "object", "created", "owned_by"],
            "properties": {
                "data": _ref("BoardModel"),
                "id": {"type": "string"},
                "object": {"const": "model"},
                "created": {"type": "integer"},
                "owned_by": {"type": "string"},
            },
        },
        "BoardEndpointsResponse": {
            "type": "object",
            "required": ["data"],
            "properties": {"data": _ref("ListEndpointsResponse")},
        },
        "BoardProviderList": {
            "type": "object",
            "required": ["data"],
            "properties": {
                "data": {
                    "type": "array",
                    "items": {
                        "allOf": [
                            _ref("Provider"),
                            {"properties": {"modelboard": _ref("ModelboardExtra")}},
                        ]
                    },
                }
            },
        },
        "SuggestionList": {
            "type": "object",
            "required": ["data"],
            "properties": {
                "data": {
                    "type": "array",
                    "maxItems": 8,
                    "items": {
                        "type": "object",
                        "required": ["id", "name", "author", "url"],
                        "properties": {
                            "id": {"type": "string"},
                            "name": {"type": "string"},
                            "author": {"type": "string"},
                            "url": {"type": "string"},
                        },
                    },
                }
            },
        },
        "ModelCount": {
            "type": "object",
            "required": ["data"],
            "properties": {
                "data": {
                    "type": "object",
                    "required": ["count"],
                    "properties": {"count": {"type": "integer", "minimum": 0}},
                }
            },
        },
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": {"type": "integer"},
                        "message": {"type": "string"},
                    },
                }
            },
        },
    }


DECIMAL_2 = r"^[0-9]{1,%d}(\.[0-9]{1,2})?$"
COST_PARAMS = [
    _query(
        "preset",
        "Starting values: chat, rag, agent or batch (default chat).",
        {"type": "string", "enum": ["chat", "rag", "agent", "batch"]},
    ),
    *(
        _query(name, text, {"type": "integer", "minimum": 0, "maximum": 10_000_000})
        for name, text in (
            ("input_tokens", "Input tokens per request."),
            ("output_tokens", "Output tokens per request."),
            ("reasoning_tokens", "Reasoning tokens per request."),
        )
    ),
    _query(
        "requests_per_day",
        "Requests a day.",
        {"type": "string", "pattern": DECIMAL_2 % 9},
    ),
    _query(
        "tokens_per_month",
        "Input + output tokens a month; when given, requests_per_day is ignored.",
        {"type": "integer", "minimum": 0, "maximum": 10**15},
    ),
    _query(
        "cache_percent",
        "Share of input tokens served from cache, in percent.",
        {"type": "string", "pattern": r"^(100(\.0{1,2})?|[0-9]{1,2}(\.[0-9]{1,2})?)$"},
    ),
    _query(
        "images",
        "Input images per request.",
        {"type": "string", "pattern": DECIMAL_2 % 3},
    ),
    _query(
        "web_searches",
        "Web searches per request.",
        {"type": "string", "pattern": DECIMAL_2 % 3},
    ),
    _query("model", "A model id: cost per provider instead.", {"type": "string"}),
    _query("q", "Search in name, id and description.", {"type": "string"}),
    _query(
        "offset",
        "Skip this many.",
        {"type": "integer", "minimum": 0, "maximum": 10**9},
    ),
    _query(
        "limit",
        f"Page size, default 100, at most {MAX_LIMIT}.",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
    ),
    INCLUDE_DELISTED,
]


def _cost_schemas() -> dict[str, Any]:
    text = {"type": "string"}
    amount = {"type": ["string", "null"], "description": "USD, as a decimal string"}
    cost = {
        "type": "object",
        "required": ["status", "usd_per_month", "parts"],
        "properties": {
            "status": {"enum": ["priced", "variable", "unknown"]},
            "usd_per_month": amount,
            "parts": {
                "type": ["object", "null"],
                "description": "The monthly cost of each price component.",
                "additionalProperties": text,
            },
        },
    }
    model = {"allOf": [cost, {"properties": {"id": text, "name": text}}]}
    return {
        "Cost": cost,
        "CostResponse": {
            "type": "object",
            "required": ["workload", "data"],
            "properties": {
                "workload": {"type": "object", "additionalProperties": text},
                "model": model,
                "data": {
                    "type": "array",
                    "items": cost,
                },
                "links": {
                    "type": "object",
                    "properties": {"next": {"type": ["string", "null"]}},
                },
                "total_count": {"type": "integer"},
            },
        },
    }


UNSUPPORTED = (
    " Asked for, these answer a 400 that says the catalogue does not keep the data: "
    + ", ".join(f"`{name}`" for name in UNSUPPORTED_FILTERS)
    + "; and `sort` = "
    + ", ".join(f"`{sort}`" for sort in UNSUPPORTED_SORTS)
    + "."
)
USD_PER_M = {"type": "number", "minimum": 0}


def model_filters(*, paged: bool = True) -> list[dict[str, Any]]:
    """The query parameters of /models, /models/count and /models/user:
    OpenRouter's names and meanings."""
    filters = [
        _query(
            "output_modalities",
            "Comma list of output modalities, or `all` "
            "(the default here; upstream defaults to `text`). An unknown "
            "modality is a 400 naming the known ones.",
            {
                "type": "string",
                "maxLength": 200,
                "pattern": output_modalities_pattern(),
            },
        ),
        _query(
            "supported_parameters",
            "Comma list; a model must support all.",
            {"type": "string", "maxLength": 500},
        ),
        _query("q", SEARCH, {"type": "string", "maxLength": 200}),
        _query(
            "order",
            "Sort order: `relevance` when `q` is given, else `newest` "
            "(relevance without `q` is newest).",
            {"type": "string", "enum": list(ORDERS)},
        ),
        _query(
            "offset",
            "Skip this many (opt-in pagination).",
            {"type": "integer", "minimum": 0, "maximum": 10**9},
        ),
        _query(
            "limit",
            f"Page size, default 500, at most {MAX_LIMIT}. Without "
            "offset and limit the full list is returned.",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
        ),
        INCLUDE_DELISTED,
        _query(
            "sort",
            "OpenRouter's sort: " + ", ".join(f"`{s}`" for s in SORTS) + ". "
            "`pricing-*` orders by the mean of the prompt and completion prices; "
            "`most-popular` and `top-weekly` both by tokens in the last 7 days. "
            "Not together with `order`.",
            {"type": "string", "enum": list(SORTS)},
        ),
        _query(
            "input_modalities",
            "Comma list; a model must accept all of them. An unknown modality "
            "is a 400 naming the known ones.",
            {
                "type": "string",
                "maxLength": 200,
                "pattern": comma_list_pattern(input_modalities()),
            },
        ),
        _query(
            "context",
            "Minimum context length in tokens.",
            {"type": "integer", "minimum": 0, "maximum": CONTEXT_MAX},
        ),
        _query(
            "model_authors",
            "Comma list of author slugs (`openai,anthropic`).",
            {"type": "string", "maxLength": 1000},
        ),
        _query(
            "providers",
            "Comma list of providers (slug or name, any case): models with a "
            "listed endpoint of one of them.",
            {"type": "string", "maxLength": 1000},
        ),
        _query(
            "arch",
            "Tokenizer group (`GPT`, `Llama3`, …), any case.",
            {"type": "string", "maxLength": 60},
        ),
        _query(
            "region",
            "Models with a listed endpoint whose provider has a datacenter there.",
            {"type": "string", "enum": sorted(REGIONS)},
        ),
        _query(
            "category",
            "An editors' tag (slug); one no editor made is a 400.",
            {"type": "string", "maxLength": 60},
        ),
        *(
            _query(name, text + " USD per million tokens (`1e-06` form too); "
                   "variable and unknown prices are within no bound.", USD_PER_M)
            for name, text in (
                ("min_price", "Lowest prompt price."),
                ("max_price", "Highest prompt price."),
                ("min_output_price", "Lowest completion price."),
                ("max_output_price", "Highest completion price."),
            )
        ),
        *(
            _query(name, text, {"type": "integer", "minimum": 0,
                                "maximum": AGE_DAYS_MAX})
            for name, text in (
                ("min_age_days", "Models at least this many days old."),
                ("max_age_days", "Models at most this many days old."),
            )
        ),
    ]  # fmt: skip
    if paged:
        return filters
    return [p for p in filters if p["name"] not in ("order", "sort", "offset", "limit")]


MODEL_GET_PARAMS = [
    AUTHOR,
    SLUG,
    _query(
        "at",
        "A date (YYYY-MM-DD): return the prices in force at the end "
        "of that day, rebuilt from recorded price changes (the price after "
        "the last change on or before the date, else the price before the "
        "first change after it, else today's). 404 when the model was first "
        "seen after that date. Other fields are today's.",
        {"type": "string", "format": "date"},
    ),
    INCLUDE_DELISTED,
]
MODEL_GET_RESPONSES = {
    **_ok(_ref("BoardModelResponse")),
    "301": {
        "description": "A renamed id, or a routing variant (`:nitro`, `:floor`): "
        "the model's current address, with the query kept."
    },
}


def _paths() -> dict[str, Any]:
    csv = {"type": "string"}
    return {
        "/models": _get(
            "listModels",
            "List models",
            model_filters(),
            _ok(_ref("BoardModelList")),
            CACHING + UNSUPPORTED,
        ),
        "/models/count": _get(
            "countModels",
            "How many models the filters list",
            model_filters(paged=False),
            _ok(_ref("ModelCount")),
            "The number of models `/models` lists with the same filters." + UNSUPPORTED,
        ),
        "/models/user": _get(
            "listModelsForUser",
            "List models (for the caller's account)",
            model_filters(),
            _ok(_ref("BoardModelList")),
            "OpenRouter narrows this list by an account's provider and privacy "
            "preferences; there are no accounts here, so it is the public list "
            "(`/models`) with the same filters." + UNSUPPORTED,
        ),
        "/models/suggest": _get(
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
            _ok(_ref("SuggestionList")),
            "The best 8 listed models for `q`, best first (the header box's "
            "suggestions).",
        ),
        "/models/{author}/{slug}": _get(
            "getModel",
            "One model",
            MODEL_GET_PARAMS,
            MODEL_GET_RESPONSES,
        ),
        "/model/{author}/{slug}": _get(
            "getModelOpenRouter",
            "One model (the path OpenRouter's SDK reads, `models.get`)",
            MODEL_GET_PARAMS,
            MODEL_GET_RESPONSES,
        ),
        "/models/{author}/{slug}/endpoints": _get(
            "listEndpoints",
            "A model's providers (endpoints)",
            [AUTHOR, SLUG, INCLUDE_DELISTED],
            _ok(_ref("BoardEndpointsResponse")),
        ),
        "/models/{author}/{slug}/prices.csv": _get(
            "modelPriceHistoryCsv",
            "Price history as CSV (one row per changed price)",
            [AUTHOR, SLUG],
            _ok(csv, media="text/csv"),
        ),
        "/models/{author}/{slug}/tokens.csv": _get(
            "modelTokensCsv",
            "Public tokens per day as CSV",
            [AUTHOR, SLUG],
            _ok(csv, media="text/csv"),
        ),
        "/cost": _get(
            "workloadCost",
            "What a workload costs a month, per model or per provider",
            COST_PARAMS,
            _ok(_ref("CostResponse")),
            "Monthly cost (30 days) of a workload on every model at its default "
            "price, cheapest first, paginated; with `model`, on each of that "
            "model's providers. Variable (router) and unknown prices come last "
            "with status `variable` / `unknown` and a null cost, never zero. "
            "Workload parameters not given come from the preset (default chat).",
        ),
        "/endpoints/zdr": _get(
            "listEndpointsZdr",
            "Zero-data-retention endpoints (not kept here)",
            [],
            {"404": ERRORS["404"]},
            "OpenRouter lists the endpoints that retain no data. Data-retention "
            "policies are not part of this catalogue, so this answers a 404 that "
            "says so rather than a list that would claim no endpoint qualifies.",
        ),
        "/providers": _get(
            "listProviders",
            "List providers",
            [INCLUDE_DELISTED],
            _ok(_ref("BoardProviderList")),
        ),
    }


def openapi_document(server: str) -> dict[str, Any]:
    """Our API as OpenAPI 3.1; upstream's Model/PublicEndpoint schemas are reused."""
    schemas = _open_vocabularies(copy.deepcopy(upstream_schemas())) | _our_schemas()
    schemas |= _cost_schemas()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "modelboard API",
            "version": "1.0.0",
            "description": "Read-only catalogue in OpenRouter-compatible shapes. "
            + CACHING,
        },
        "servers": [{"url": server.rstrip("/")}],
        "paths": _paths(),
        "components": {"schemas": schemas},
    }
