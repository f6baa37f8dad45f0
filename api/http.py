"""The API's HTTP conventions in one place: JSON errors, ETag/304, caching and CORS."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import http_date

logger = logging.getLogger(__name__)

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    # The OpenAI SDK and browsers send these; we ignore the key but must allow it.
    "Access-Control-Allow-Headers": "Authorization, Content-Type, If-None-Match",
    "Access-Control-Expose-Headers": "ETag, Last-Modified",
    "Access-Control-Max-Age": "86400",
}
CACHE_CONTROL = "public, max-age=60"


class ApiError(Exception):
    """A client error with the status and message the caller should see."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _cors(response: HttpResponse) -> HttpResponse:
    for name, value in CORS_HEADERS.items():
        response[name] = value
    return response


def error_response(status: int, message: str) -> HttpResponse:
    """Upstream's error shape: {"error": {"code": 404, "message": "..."}}."""
    body = json.dumps({"error": {"code": status, "message": message}})
    return _cors(HttpResponse(body, status=status, content_type="application/json"))


def cached_response(
    request: HttpRequest,
    content: bytes | str,
    *,
    content_type: str = "application/json",
    modified: datetime | None = None,
) -> HttpResponse:
    """A 200 with an ETag of the body (or a 304 when the client already has it)."""
    body = content.encode() if isinstance(content, str) else content
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    candidates = request.headers.get("If-None-Match", "")
    if etag in {c.strip().removeprefix("W/") for c in candidates.split(",")} or (
        candidates.strip() == "*"
    ):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    response["Vary"] = "Accept-Encoding"
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    return _cors(response)


def json_response(
    request: HttpRequest, data: Any, *, modified: datetime | None = None
) -> HttpResponse:
    # allow_nan=False: a bare NaN or Infinity is not JSON; serializers send null.
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, allow_nan=False)
    return cached_response(request, body, modified=modified)


View = Callable[..., HttpResponse]


def api_view(view: View) -> View:
    """GET and OPTIONS only; client errors as JSON; never an HTML 500."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            return _cors(HttpResponse(status=204))
        if request.method not in ("GET", "HEAD"):
            response = error_response(405, "The API is read-only: use GET.")
            response["Allow"] = "GET, HEAD, OPTIONS"
            return response
        try:
            return view(request, *args, **kwargs)
        except ApiError as exc:
            return error_response(exc.status, exc.message)
        except Http404 as exc:
            return error_response(404, str(exc) or "Not found.")
        except Exception:
            # A bug must still answer in the API's shape; the log keeps the trace.
            logger.exception("API error on %s", request.get_full_path())
            return error_response(500, "Internal error; it has been logged.")

    # Read-only and cookie-free: other methods get the 405 above, not a CSRF 403.
    wrapper.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapper
