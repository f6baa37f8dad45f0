"""The OpenAPI 3.1 document of our API, generated from declarations: the component
schemas from the shapes the views answer (api.shapes), the query parameters from
the forms that validate them (api.forms), the paths from the URL names (api.urls)
through `operations`."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from django.urls import reverse

from api import shapes
from api.openapi.paths import CACHING, Operation, operations
from api.openapi.schemas import generated_schemas

__all__ = ["openapi_document"]


def openapi_document(server: str) -> dict[str, Any]:
    """Our API as OpenAPI 3.1."""
    routes = operations()
    answering = [name for name, op in routes.items() if op.body is not None]
    schemas, components = generated_schemas(
        [shapes.Error, *(routes[name].body for name in answering)]
    )
    error, *bodies = schemas
    body_schemas = dict(zip(answering, bodies, strict=True))
    paths = {
        _path(name, op): {"get": _get(op, body_schemas.get(name), error)}
        for name, op in routes.items()
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "modelboard API",
            "version": "1.0.0",
            "description": "Read-only catalogue in OpenRouter-compatible shapes. "
            + CACHING,
        },
        "servers": [{"url": server.rstrip("/")}],
        "paths": paths,
        "components": {"schemas": components},
    }


def _path(name: str, op: Operation) -> str:
    """The route's path in the document: the URL reversed with `{name}` for each
    path parameter, below the API's root."""
    kwargs = {p["name"]: f"{{{p['name']}}}" for p in op.parameters if p["in"] == "path"}
    root = reverse("api-root").rstrip("/")
    return unquote(reverse(name, kwargs=kwargs)).removeprefix(root)


def _get(op: Operation, body: Any, error: dict[str, Any]) -> dict[str, Any]:
    errors = {
        "400": {
            "description": "Bad query parameter",
            "content": {"application/json": {"schema": error}},
        },
        "404": {
            "description": "Unknown model or route",
            "content": {"application/json": {"schema": error}},
        },
    }
    if body is None:
        responses = {"404": errors["404"]}
    else:
        responses = {
            "200": {
                "description": "OK",
                "content": {op.media: {"schema": body}, **op.more_media},
            },
            "304": {"description": "Not modified (If-None-Match matched the ETag)"},
            **errors,
            **{
                status: {
                    "description": why,
                    "content": {"application/json": {"schema": error}},
                }
                for status, why in op.more_errors.items()
            },
            **op.more_responses,
        }
    return {
        "operationId": op.operation_id,
        "summary": op.summary,
        "description": op.description or op.summary,
        "parameters": op.parameters,
        "responses": responses,
    }
