"""Public responses served from what they depend on: the data version.

A view opts in by marking its response `Cache-Control: public` (pages with
`front.views.public`, the API in api/http.py). For a request without a session
cookie (an anonymous visitor: editors always carry one), this middleware

- answers a matching `If-None-Match` with a 304 from one cache read (the data
  version), before any view runs;
- serves a stored copy of the page, already compressed for the client, from two
  cache reads; on a miss it runs the view and stores what it answered;
- gives public answers their validators (ETag, Last-Modified) and compresses them
  (brotli, else gzip) for clients that accept it.

Keys and validators hold the data version, the URL, the encoding and a time slot
of PAGE_CACHE_SECONDS (staggered per URL), so a change of data is never served
stale and relative times ("5 minutes ago") age by at most one slot.

Responses that are not public pass through untouched, and are never compressed:
they may carry a CSRF token or a secret (BREACH). Requests with a session cookie
skip the cache, and their answers are never left in shared caches.
"""

from __future__ import annotations

import gzip
import hashlib
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypedDict

import brotli
from django.conf import settings
from django.core.cache import cache
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotModified,
    StreamingHttpResponse,
)
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from catalog.versions import Version, data_version, version_pinned

COMPRESSIBLE = (
    "text/html",
    "text/csv",
    "text/plain",
    "text/xml",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
)
# Below this a compressed body is barely smaller and costs a header's worth.
MIN_COMPRESS_BYTES = 256
# Brotli's quality 5 is about gzip's speed at a smaller size; pages are compressed
# once per data version, not per request.
BROTLI_QUALITY = 5
GZIP_LEVEL = 6
# Headers that belong to one answer, not to the stored page.
NOT_STORED = {"set-cookie", "date", "content-length", "etag", "last-modified"}
SKIPPED_PREFIXES = ("/admin/", "/static/")


@dataclass(frozen=True)
class Slot:
    """Where one URL's answer lives for this data version and time slot."""

    key: str
    etag: str
    last_modified: float


class Entry(TypedDict):
    """One stored answer: the headers kept and the body, compressed or not."""

    headers: list[tuple[str, str]]
    body: bytes


def accepted_encoding(request: HttpRequest) -> str:
    """ "br", "gzip" or "" (identity): what the client accepts, best first."""
    offered = {}
    for part in request.headers.get("Accept-Encoding", "").split(","):
        name, _, params = part.strip().partition(";")
        quality = params.strip().removeprefix("q=")
        try:
            offered[name.strip().lower()] = float(quality) if quality else 1.0
        except ValueError:
            continue
    for name in ("br", "gzip"):
        if offered.get(name, offered.get("*", 0)) > 0:
            return name
    return ""


def compress(body: bytes, encoding: str) -> bytes:
    """`body` in `encoding` ("br" or "gzip")."""
    if encoding == "br":
        compressed: bytes = brotli.compress(body, quality=BROTLI_QUALITY)
        return compressed
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def compress_stream(chunks: Iterable[bytes], encoding: str) -> Iterator[bytes]:
    """A streamed body compressed as it goes (memory bounded by one chunk)."""
    if encoding == "br":
        compressor = brotli.Compressor(quality=BROTLI_QUALITY)
        for chunk in chunks:
            if out := compressor.process(chunk):
                yield out
        yield compressor.finish()
        return
    # wbits 16+: a gzip header and trailer around the deflate stream.
    deflate = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    for chunk in chunks:
        if out := deflate.compress(chunk):
            yield out
    yield deflate.flush()


def _slot(request: HttpRequest, version: Version, encoding: str) -> Slot:
    seconds = settings.PAGE_CACHE_SECONDS
    path = request.get_full_path()
    digest = hashlib.blake2b(path.encode(), digest_size=12).hexdigest()
    # Staggered per URL, so slots do not end for every page at the same moment.
    offset = int(digest[:8], 16) % seconds
    number = int(time.time() + offset) // seconds
    start = number * seconds - offset
    tag = f"{version.token}.{number}.{digest}.{encoding or 'id'}"
    return Slot(
        key=f"page:{tag}",
        etag=f'"mb.{tag}"',
        last_modified=max(version.changed_at.timestamp(), float(start)),
    )


def _eligible(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(SKIPPED_PREFIXES)
    )


def _is_public(response: HttpResponseBase) -> bool:
    control = response.get("Cache-Control", "")
    return "public" in {part.strip() for part in control.split(",")}


def _safe_to_share(request: HttpRequest, response: HttpResponseBase) -> bool:
    """A public answer that carries nothing of this visitor's own."""
    return (
        _is_public(response)
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _compressible(response: HttpResponseBase) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return content_type in COMPRESSIBLE and not response.has_header("Content-Encoding")


class PublicPageMiddleware:
    """Serve, store, compress and validate public answers (see the module doc)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _eligible(request):
            return self._uncached(request)
        encoding = accepted_encoding(request)
        version = data_version()
        slot = _slot(request, version, encoding)
        if _etag_matches(request, slot.etag):
            return self._not_modified(slot)
        stored: Entry | None = cache.get(slot.key)
        if isinstance(stored, dict):
            return self._replay(request, stored, slot)
        with version_pinned(version):
            response = self.get_response(request)
        if response.status_code != 200 or not _safe_to_share(request, response):
            return self._private(request, response)
        if isinstance(response, StreamingHttpResponse):
            return self._stream(response, encoding)
        assert isinstance(response, HttpResponse)
        entry = self._entry(response, encoding, slot)
        cache.set(slot.key, entry, settings.PAGE_CACHE_SECONDS)
        return self._replay(request, entry, slot)

    def _uncached(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and _is_public(response):
            # An editor's view may show what visitors cannot: keep it out of
            # shared caches.
            response["Cache-Control"] = response["Cache-Control"].replace(
                "public", "private"
            )
        elif _safe_to_share(request, response) and response.status_code == 200:
            encoding = accepted_encoding(request)
            if isinstance(response, StreamingHttpResponse):
                return self._stream(response, encoding)
            assert isinstance(response, HttpResponse)
            self._compress_in_place(response, encoding)
        return response

    def _private(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if _is_public(response) and not _safe_to_share(request, response):
            response["Cache-Control"] = "private, no-cache"
        return response

    def _entry(self, response: HttpResponse, encoding: str, slot: Slot) -> Entry:
        body = response.content
        if encoding and _compressible(response) and len(body) >= MIN_COMPRESS_BYTES:
            body = compress(body, encoding)
            response["Content-Encoding"] = encoding
        patch_vary_headers(response, ["Accept-Encoding"])
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in NOT_STORED
        ]
        return {"headers": headers, "body": body}

    def _replay(self, request: HttpRequest, entry: Entry, slot: Slot) -> HttpResponse:
        modified_since = parse_http_date_safe(
            request.headers.get("If-Modified-Since", "")
        )
        if (
            "If-None-Match" not in request.headers
            and modified_since is not None
            and modified_since >= int(slot.last_modified)
        ):
            return self._not_modified(slot, entry["headers"])
        response = HttpResponse(entry["body"])
        for name, value in entry["headers"]:
            response[name] = value
        response["Content-Length"] = str(len(entry["body"]))
        response["ETag"] = slot.etag
        response["Last-Modified"] = http_date(slot.last_modified)
        return response

    def _not_modified(
        self, slot: Slot, headers: list[tuple[str, str]] | None = None
    ) -> HttpResponse:
        response = HttpResponseNotModified()
        response["ETag"] = slot.etag
        response["Last-Modified"] = http_date(slot.last_modified)
        response["Vary"] = "Accept-Encoding"
        for name, value in headers or []:
            # The headers RFC 9110 asks a 304 to repeat.
            if name.lower() in ("cache-control", "vary", "expires"):
                response[name] = value
        return response

    def _compress_in_place(self, response: HttpResponse, encoding: str) -> None:
        patch_vary_headers(response, ["Accept-Encoding"])
        body = response.content
        if encoding and _compressible(response) and len(body) >= MIN_COMPRESS_BYTES:
            response.content = compress(body, encoding)
            response["Content-Encoding"] = encoding
            response["Content-Length"] = str(len(response.content))
            if response.has_header("ETag"):
                del response["ETag"]

    def _stream(
        self, response: StreamingHttpResponse, encoding: str
    ) -> StreamingHttpResponse:
        patch_vary_headers(response, ["Accept-Encoding"])
        if encoding and _compressible(response):
            response.streaming_content = compress_stream(
                response.streaming_content,  # type: ignore[arg-type]  # sync only
                encoding,
            )
            response["Content-Encoding"] = encoding
            if response.has_header("Content-Length"):
                del response["Content-Length"]
        return response


def _etag_matches(request: HttpRequest, etag: str) -> bool:
    candidates = request.headers.get("If-None-Match", "")
    if not candidates:
        return False
    return etag in {c.strip().removeprefix("W/") for c in candidates.split(",")}
