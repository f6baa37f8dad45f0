"""The catalogues beside the chat models (embeddings, image and video generation),
served from spec-shaped demo data: not recordings, but bodies built from the
schemas and examples of OpenRouter's OpenAPI spec (demo/data/README.md)."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from demo.faults import Response, error

DATA = Path(__file__).resolve().parent / "data"
FILES = {
    "embeddings": "spec-shaped-embeddings-models.json",
    "images": "spec-shaped-images-models.json",
    "videos": "spec-shaped-videos-models.json",
}
PATHS = {f"/api/v1/{kind}/models": kind for kind in FILES}
IMAGE_ENDPOINTS = re.compile(r"^/api/v1/images/models/(?P<model>.+)/endpoints/?$")
# /embeddings/models pages only when asked (offset or limit); at most this many.
MAX_LIMIT = 1000


@functools.cache
def body_of(kind: str) -> dict[str, Any]:
    """The demo data of one kind (read once per process; do not mutate)."""
    body: dict[str, Any] = json.loads((DATA / FILES[kind]).read_text())
    return body


def models(kind: str, query: dict[str, str]) -> Response:
    """GET /api/v1/{embeddings,images,videos}/models."""
    data = list(body_of(kind)["data"])
    if kind != "embeddings":
        return Response(200, {"data": data})
    # ModelsListResponse: paged with offset/limit, with links and a total.
    try:
        offset = max(int(query.get("offset") or 0), 0)
        limit = min(max(int(query.get("limit") or MAX_LIMIT), 1), MAX_LIMIT)
    except ValueError:
        return error(400, "offset and limit must be integers")
    page = data[offset : offset + limit]
    more = offset + limit < len(data)
    following = f"/api/v1/embeddings/models?offset={offset + limit}&limit={limit}"
    return Response(
        200,
        {
            "data": page,
            "links": {"next": following if more else None},
            "total_count": len(data),
        },
    )


def image_endpoints(key: str) -> Response:
    """GET /api/v1/images/models/{author}/{slug}/endpoints."""
    model_id = unquote(key)
    endpoints = body_of("images")["endpoints"].get(model_id)
    if endpoints is None:
        return error(404, "Model not found")
    return Response(200, {"id": model_id, "endpoints": endpoints})


def route(path: str, query: dict[str, str]) -> Response | None:
    """The answer for one of these paths, or None for any other path."""
    if path in PATHS:
        return models(PATHS[path], query)
    match = IMAGE_ENDPOINTS.match(path)
    if match:
        return image_endpoints(match.group("model"))
    return None
