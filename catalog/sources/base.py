"""What every upstream source shares: typed errors, one HTTP wrapper (timeouts, an
overall deadline, a size cap), a rate limit."""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ValidationError

from catalog.sources.deadline import DeadlineTransport
from catalog.sources.deadline import deadline as exchange_deadline
from catalog.sources.fields import clean_json, clean_text
from catalog.sources.items import JsonItems

T = TypeVar("T")
R = TypeVar("R", bound=BaseModel)


class SourceError(Exception):
    """An upstream call that failed. `transient` ones are worth retrying.

    The runs kernel (catalog.runs.run_guarded) closes a job's run with its message
    and `url`, and tells the job's task whether to try again (`transient`) and
    when (`retry_after`, seconds, as upstream asked).
    """

    transient = False

    def __init__(
        self, message: str, *, url: str = "", retry_after: float | None = None
    ):
        super().__init__(message)
        self.url = url
        self.retry_after = retry_after


class TransientError(SourceError):
    """Timeouts, connection errors, 429 and 5xx: try again later."""

    transient = True


class PermanentError(SourceError):
    """Other 4xx, unparseable or wrongly shaped bodies: retrying will not help."""


@dataclass(frozen=True)
class ItemError:
    """One upstream item that could not be used; the rest of the batch goes on.
    A job's result hands them to the runs kernel, which stores them on the run."""

    item: str
    error: str

    def as_dict(self) -> dict[str, str]:
        # Both may quote upstream text: cleaned so the run's JSON can be stored.
        return {
            "item": clean_text(self.item[:300]),
            "error": clean_text(self.error[:1000]),
        }


@dataclass
class Fetched(Generic[T]):
    """Parsed records of one fetch, and the items that were skipped."""

    records: list[T]
    errors: list[ItemError] = field(default_factory=list)
    url: str = ""


class RateLimiter:
    """Spaces request starts at least 1/rate seconds apart, per host, across threads."""

    def __init__(self, per_second: float):
        self.interval = 1.0 / per_second
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def wait(self, url: str) -> None:
        host = urlsplit(url).netloc
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self.interval
        if start > now:
            time.sleep(start - now)


class HttpClient:
    """The one configured httpx client: timeouts, an overall deadline and a size cap
    per request, User-Agent, optional key, errors typed."""

    def __init__(
        self,
        *,
        timeout: float,
        user_agent: str,
        api_key: str = "",
        requests_per_second: float = 10,
        max_connections: int = 8,
        deadline: float = 60,
        max_bytes: int = 64 * 1024 * 1024,
        max_items: int = 200_000,
        transport: httpx.BaseTransport | None = None,
    ):
        headers = {"User-Agent": user_agent, "Accept": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self.deadline, self.max_bytes, self.max_items = deadline, max_bytes, max_items
        limits = httpx.Limits(max_connections=max_connections)
        self._client = httpx.Client(
            # No single wait may outlast the whole request's deadline.
            timeout=httpx.Timeout(min(timeout, deadline)),
            headers=headers,
            limits=limits,
            follow_redirects=True,
            # Every wait on the socket ends by the request's deadline.
            transport=transport or DeadlineTransport(limits=limits),
        )
        self._limiter = RateLimiter(requests_per_second)

    def close(self) -> None:
        self._client.close()

    def get_json(self, url: str, params: dict[str, Any] | None = None) -> Any:
        """GET a JSON document, turning every failure into a typed SourceError."""
        response, body = self._get(url, params)
        return _decode_json(response, body)

    def get_body(self, url: str) -> bytes:
        """GET a document's bytes whatever its content type (raw files are served
        as text/plain), within the same deadline, size cap and rate limit."""
        return self._get(url, None)[1]

    def get_items(
        self, url: str, params: dict[str, Any] | None = None, *path: str
    ) -> ListItems:
        """GET a JSON document and return the list at `path` ("data" by default),
        decoded an item at a time when iterated (see ListItems)."""
        response, body = self._get(url, params)
        _expect_json(response, body)
        try:
            text = body.decode(json.detect_encoding(body), "surrogatepass")
        except UnicodeDecodeError as exc:
            raise PermanentError(f"unparseable JSON: {exc}", url=url) from exc
        del body
        return ListItems(text, path or ("data",), url=url, max_items=self.max_items)

    def _get(
        self, url: str, params: dict[str, Any] | None
    ) -> tuple[httpx.Response, bytes]:
        self._limiter.wait(url)
        deadline = Deadline(self.deadline)
        try:
            # Connect, headers and body: the whole exchange within the deadline.
            with (
                exchange_deadline(self.deadline),
                self._client.stream("GET", url, params=params) as response,
            ):
                body = self._read(response, deadline)
        except httpx.TransportError as exc:
            if deadline.passed():
                raise deadline.error(url) from exc
            if isinstance(exc, httpx.TimeoutException):
                raise TransientError(
                    f"timed out: {exc.__class__.__name__}", url=url
                ) from exc
            raise TransientError(f"connection failed: {exc}", url=url) from exc
        _raise_for_status(response, body)
        return response, body

    def _read(self, response: httpx.Response, deadline: Deadline) -> bytes:
        """The body, streamed: stopped at the size cap or the deadline, so neither a
        huge body nor one that trickles in can hold the sync."""
        url = str(response.url)
        announced = response.headers.get("content-length", "")
        if announced.isdigit() and int(announced) > self.max_bytes:
            raise self._too_large(url, int(announced))
        body = bytearray()
        try:
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.max_bytes:
                    raise self._too_large(url, len(body))
                if deadline.passed():
                    raise deadline.error(url, len(body))
        except httpx.TimeoutException as exc:
            if deadline.passed():
                raise deadline.error(url, len(body)) from exc
            raise
        return bytes(body)

    def _too_large(self, url: str, size: int) -> PermanentError:
        cap = self.max_bytes / 1024 / 1024
        return PermanentError(
            f"response too large: over the {cap:g} MB cap (HTTP_MAX_RESPONSE_MB)"
            f" at {size / 1024 / 1024:.1f} MB",
            url=url,
        )


class Deadline:
    """One request's overall deadline, for its error. The transport's sockets
    (catalog.sources.deadline) end every wait by it: an answer that trickles in a
    byte at a time, headers or body, ends there."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def passed(self) -> bool:
        return time.monotonic() >= self.at

    def error(self, url: str, received: int | None = None) -> TransientError:
        got = "" if received is None else f" ({received} bytes received)"
        return TransientError(
            f"too slow: no complete answer within the {self.seconds:g} s deadline"
            f" (HTTP_DEADLINE_SECONDS){got}",
            url=url,
        )


def _raise_for_status(response: httpx.Response, body: bytes) -> None:
    status, url = response.status_code, str(response.url)
    if status < 400:
        return
    detail = _error_detail(body)
    if status == 429:
        raise TransientError(
            f"HTTP 429 rate limited{detail}",
            url=url,
            retry_after=_retry_after(response),
        )
    if status >= 500:
        raise TransientError(f"HTTP {status}{detail}", url=url)
    raise PermanentError(f"HTTP {status}{detail}", url=url)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        # Only the delta-seconds form; an HTTP date falls back to our own backoff.
        seconds = float(value)
    except ValueError:
        return None
    return min(max(seconds, 0.0), 3600.0) if math.isfinite(seconds) else None


def _error_detail(body: bytes) -> str:
    try:
        message = json.loads(body)["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return ""
    return f": {str(message)[:200]}"


def _expect_json(response: httpx.Response, body: bytes) -> None:
    content_type = response.headers.get("content-type", "")
    if "json" not in content_type:
        raise PermanentError(
            f"expected JSON, got {content_type or 'no content type'!s}"
            f" ({len(body)} bytes)",
            url=str(response.url),
        )


def _decode_json(response: httpx.Response, body: bytes) -> Any:
    _expect_json(response, body)
    try:
        return json.loads(body)
    except RecursionError:
        raise PermanentError("JSON nested too deep", url=str(response.url)) from None
    except ValueError as exc:
        raise PermanentError(f"unparseable JSON: {exc}", url=str(response.url)) from exc


class ListItems:
    """The list at `path` of an answer's JSON text, decoded an item at a time
    each time it is iterated (catalog.sources.items): many tiny items never
    become one huge list. A text that is not JSON, or has no list there, or
    lists more than `max_items` (SYNC_MAX_ITEMS), raises a PermanentError."""

    def __init__(self, text: str, path: tuple[str, ...], *, url: str, max_items: int):
        self.text, self.path, self.url, self.max_items = text, path, url, max_items

    def __iter__(self) -> Iterator[Any]:
        count = 0
        try:
            for item in JsonItems(self.text, *self.path):
                count += 1
                if count > self.max_items:
                    raise PermanentError(
                        f"too many items: over the limit of {self.max_items} items"
                        " (SYNC_MAX_ITEMS) in one list",
                        url=self.url,
                    )
                yield item
        except LookupError as exc:
            raise PermanentError(str(exc), url=self.url) from None
        except RecursionError:
            raise PermanentError("JSON nested too deep", url=self.url) from None
        except ValueError as exc:
            raise PermanentError(f"unparseable JSON: {exc}", url=self.url) from exc


def data_list(body: Any, url: str, *path: str) -> list[Any]:
    """The list at `path` ("data" by default) of a JSON body, or a PermanentError
    that names the expected shape: data_list(body, url, "data", "endpoints")."""
    path = path or ("data",)
    value = body
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, list):
        shape = "[...]"
        for key in reversed(path):
            shape = f"{{{key}: {shape}}}"
        raise PermanentError(f"expected {shape}", url=url)
    return value


def parse_items(
    items: list[Any],
    record: type[R],
    label: Callable[[Any, int], str],
    *,
    url: str = "",
) -> Fetched[R]:
    """Validate every item; keep the good ones and report the others."""
    fetched: Fetched[R] = Fetched(records=[], url=url)
    for index, item in enumerate(items):
        try:
            parsed = record.model_validate(item)
        except ValidationError as exc:
            fetched.errors.append(ItemError(label(item, index), _short(exc)))
            continue
        if isinstance(item, dict) and hasattr(parsed, "_raw"):
            parsed._raw = clean_json(item)
        fetched.records.append(parsed)
    return fetched


def _short(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error["loc"]) or "item"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)
