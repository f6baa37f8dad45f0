"""The OpenAPI 3.1 document of our API, reusing OpenRouter's copied schemas."""

from __future__ import annotations

import copy
import re
from typing import Any

from api.forms import MAX_LIMIT, output_modalities, upstream_schemas
from api.selectors import ORDERS

REF = "#/components/schemas/"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
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
    words = "|".join(re.escape(w) for w in ("all", *output_modalities()))
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


def _paths() -> dict[str, Any]:
    csv = {"type": "string"}
    return {
        "/models": _get(
            "listModels",
            "List models",
            [
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
                _query(
                    "q",
                    "Search in name, id and description.",
                    {"type": "string", "maxLength": 200},
                ),
                _query(
                    "order",
                    "Sort order (default newest).",
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
            ],
            _ok(_ref("BoardModelList")),
            CACHING,
        ),
        "/models/{author}/{slug}": _get(
            "getModel",
            "One model",
            [
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
            ],
            _ok(_ref("BoardModelResponse")),
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
