"""The document's building blocks: schema references, parameters, responses and
GET operations, with the error and caching wording every operation shares."""

from __future__ import annotations

import re
from typing import Any

REF = "#/components/schemas/"


def ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


def query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
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


def path(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


def comma_list_pattern(known: list[str]) -> str:
    """A comma list of known words (spaces around items and empty items ignored)."""
    words = "|".join(re.escape(w) for w in known)
    item = rf"\s*(?:{words})?\s*"
    return rf"^{item}(?:,{item})*$"


ERRORS = {
    "400": {
        "description": "Bad query parameter",
        "content": {"application/json": {"schema": ref("Error")}},
    },
    "404": {
        "description": "Unknown model or route",
        "content": {"application/json": {"schema": ref("Error")}},
    },
}
CACHING = (
    "Responses carry an `ETag` (hash of the body; send `If-None-Match` for a 304), "
    "`Last-Modified` (end of the latest successful sync) and "
    "`Cache-Control: public, max-age=60`. CORS: `Access-Control-Allow-Origin: *`."
)


def ok(
    schema: dict[str, Any], description: str = "OK", media: str = "application/json"
) -> dict[str, Any]:
    return {
        "200": {"description": description, "content": {media: {"schema": schema}}},
        "304": {"description": "Not modified (If-None-Match matched the ETag)"},
        **ERRORS,
    }


def get(
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
