"""The OpenAPI 3.1 document of our API, reusing OpenRouter's copied schemas.

blocks builds references, parameters, responses and operations; schemas holds the
component schemas, parameters the query and path parameters, paths the routes."""

from __future__ import annotations

from typing import Any

from api.openapi.blocks import CACHING, comma_list_pattern
from api.openapi.parameters import model_filters, output_modalities_pattern
from api.openapi.paths import paths
from api.openapi.schemas import component_schemas

__all__ = [
    "comma_list_pattern",
    "model_filters",
    "openapi_document",
    "output_modalities_pattern",
]


def openapi_document(server: str) -> dict[str, Any]:
    """Our API as OpenAPI 3.1; upstream's Model/PublicEndpoint schemas are reused."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "modelboard API",
            "version": "1.0.0",
            "description": "Read-only catalogue in OpenRouter-compatible shapes. "
            + CACHING,
        },
        "servers": [{"url": server.rstrip("/")}],
        "paths": paths(),
        "components": {"schemas": component_schemas()},
    }
