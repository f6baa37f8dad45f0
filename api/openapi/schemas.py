"""The component schemas: OpenRouter's copied schemas (api/openrouter-schemas.json),
loosened where our data is wider than upstream's published spec, plus our own
envelopes, additions and errors, and the workload cost's."""

from __future__ import annotations

import copy
from typing import Any

from api.openapi.blocks import ref
from api.upstream import upstream_schemas


def component_schemas() -> dict[str, Any]:
    """Upstream's schemas (Model, PublicEndpoint, …), adjusted, then ours."""
    schemas = _open_vocabularies(copy.deepcopy(upstream_schemas())) | _our_schemas()
    schemas |= _cost_schemas()
    return schemas


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
            ref("Model"),
            {
                "properties": {"modelboard": ref("ModelboardModel")},
                "required": ["modelboard"],
            },
        ]
    }
    return {
        "ModelboardExtra": extra,
        "ModelboardModel": {
            "allOf": [
                ref("ModelboardExtra"),
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
                "data": {"type": "array", "items": ref("BoardModel")},
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
                "data": ref("BoardModel"),
                "id": {"type": "string"},
                "object": {"const": "model"},
                "created": {"type": "integer"},
                "owned_by": {"type": "string"},
            },
        },
        "BoardEndpointsResponse": {
            "type": "object",
            "required": ["data"],
            "properties": {"data": ref("ListEndpointsResponse")},
        },
        "BoardProviderList": {
            "type": "object",
            "required": ["data"],
            "properties": {
                "data": {
                    "type": "array",
                    "items": {
                        "allOf": [
                            ref("Provider"),
                            {"properties": {"modelboard": ref("ModelboardExtra")}},
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
