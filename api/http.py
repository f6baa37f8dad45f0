"""The API's HTTP conventions in one place: JSON errors, public caching and CORS."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import http_date

from api.shapes import Error

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


R = TypeVar("R", bound=HttpResponseBase)


def _cors(response: R) -> R:
    for name, value in CORS_HEADERS.items():
        response[name] = value
    return response


def error_response(status: int, message: str) -> HttpResponse:
    """Upstream's error shape: {"error": {"code": 404, "message": "..."}}."""
    error: Error = {"error": {"code": status, "message": message}}
    body = json.dumps(error)
    return _cors(HttpResponse(body, status=status, content_type="application/json"))


def cached_response(
    request: HttpRequest,
    content: bytes | str,
    *,
    content_type: str = "application/json",
    modified: datetime | None = None,
) -> HttpResponse:
    """A public 200: config.pagecache gives it its ETag and answers 304s from the
    data version, before this view would run again."""
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = CACHE_CONTROL
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    return _cors(response)


def json_text(data: Any) -> str:
    """The API's JSON encoding (dates, decimals; UTF-8 kept as is). allow_nan=False:
    a bare NaN or Infinity is not JSON; serializers send null. Serializers build
    trees, never cycles: check_circular=False spares the C encoder an id() lookup
    per container (a tenth of a 500-model page)."""
    return json.dumps(
        data,
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        allow_nan=False,
        check_circular=False,
    )


def json_response(
    request: HttpRequest, data: Any, *, modified: datetime | None = None
) -> HttpResponse:
    return cached_response(request, json_text(data), modified=modified)


def streamed_response(
    chunks: Iterator[str], *, modified: datetime | None = None
) -> StreamingHttpResponse:
    """A public JSON answer written as it is read (large lists)."""
    response = StreamingHttpResponse(chunks, content_type="application/json")
    response["Cache-Control"] = CACHE_CONTROL
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    return _cors(response)


View = Callable[..., HttpResponseBase]


def api_view(view: View) -> View:
    """GET and OPTIONS only; client errors as JSON; never an HTML 500."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
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
