"""Injectable upstream failures (5xx, 429, slow or dripping answers, broken or huge
bodies)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

FAULT_KINDS = frozenset(
    {
        "500",
        "503",
        "429",
        "slow",
        "drip",
        "drip-headers",
        "truncated",
        "html",
        "empty",
        "garbage",
        "huge",
        "404",
    }
)
# Kinds that still route the request normally and then alter (or delay) the answer.
WRAPPING_KINDS = frozenset({"slow", "drip", "drip-headers", "truncated", "empty"})
# Bytes of a "huge" body when the fault names no size.
HUGE_DEFAULT = 400 * 1024 * 1024
_MB = 1024 * 1024

CLOUDFLARE_PAGE = """<!DOCTYPE html>
<html lang="en-US"><head><title>openrouter.ai | 502: Bad gateway</title></head>
<body><div id="cf-wrapper"><h1><span>Bad gateway</span> <span>Error code 502</span></h1>
<p>The web server reported a bad gateway error.</p>
<p>Cloudflare Ray ID: <strong>8f2c1d0e9a7b6c5d</strong></p></div></body></html>
"""


@dataclass
class Response:
    """A response before encoding: a JSON payload, or raw bytes."""

    status: int
    payload: Any = None
    body: bytes | None = None
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    # Over HTTP: seconds between single bytes of the body ("drip") or of the status
    # line and headers ("drip-headers"), or a body of `size` bytes produced chunk
    # by chunk, never held whole ("huge").
    drip: float = 0.0
    drip_headers: float = 0.0
    size: int = 0

    def encoded(self) -> bytes:
        """Return the body bytes (payload serialised when no raw body is set)."""
        if self.size:
            return b"".join(self.chunks())
        if self.body is not None:
            return self.body
        return json.dumps(self.payload, separators=(",", ":")).encode("utf-8")

    def chunks(self) -> Iterator[bytes]:
        """Return a huge body in chunks: valid JSON padded to `size` bytes."""
        head, tail = b'{"data":[],"padding":"', b'"}'
        yield head
        left = self.size - len(head) - len(tail)
        while left > 0:
            yield b"x" * min(left, _MB)
            left -= _MB
        yield tail

    def json_payload(self) -> Any:
        """Return the payload, decoding the raw body when needed."""
        return self.payload if self.body is None else json.loads(self.body)


def error(status: int, message: str, **extra: Any) -> Response:
    """Return an OpenRouter-style JSON error."""
    return Response(status, {"error": {"code": status, "message": message, **extra}})


@dataclass
class Fault:
    """One injected failure applying to paths that start with `path`."""

    kind: str
    path: str = "/"
    times: int | None = None  # None = until cleared
    retry_after: int = 1
    # Seconds: how long "slow" sleeps, or between the bytes of a "drip" (of the
    # body) or a "drip-headers" (of the status line and headers).
    delay: float = 10.0
    # Bytes of a "huge" body.
    size: int = HUGE_DEFAULT

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}")

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-able description."""
        return asdict(self)


class FaultBook:
    """A thread-safe list of active faults; the oldest matching one wins."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Register a fault."""
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._faults.clear()

    def describe(self) -> list[dict[str, Any]]:
        """Return the active faults as JSON-able dicts."""
        with self._lock:
            return [f.to_json() for f in self._faults]

    def take(self, path: str) -> Fault | None:
        """Return the fault for `path`, counting its `times` down (and dropping it at 0)."""
        with self._lock:
            for fault in self._faults:
                if path.startswith(fault.path):
                    return self._consume(fault)
        return None

    def _consume(self, fault: Fault) -> Fault:
        if fault.times is not None:
            fault.times -= 1
            if fault.times <= 0:
                self._faults.remove(fault)
        return fault


def replacement(fault: Fault) -> Response:
    """Return the response that replaces a normal answer for non-wrapping kinds."""
    if fault.kind in ("500", "503"):
        return error(
            int(fault.kind), "Internal Server Error (injected by demo upstream)"
        )
    if fault.kind == "429":
        response = error(
            429, "Rate limit exceeded", metadata={"error_type": "rate_limit_exceeded"}
        )
        response.headers["Retry-After"] = str(fault.retry_after)
        return response
    if fault.kind == "html":
        return Response(200, body=CLOUDFLARE_PAGE.encode(), content_type="text/html")
    if fault.kind == "garbage":
        return Response(200, {"data": "oops", "unexpected": 1})
    if fault.kind == "huge":
        return Response(200, size=fault.size)
    return error(404, "Not Found")


def emptied(payload: Any) -> Any:
    """Return the payload with its list(s) emptied: {"data": []} for list endpoints."""
    if not isinstance(payload, dict) or "data" not in payload:
        return {"data": []}
    data = payload["data"]
    if isinstance(data, dict):
        data = {k: [] if isinstance(v, list) else v for k, v in data.items()}
        return {**payload, "data": data}
    return {**payload, "data": []}


def wrap(fault: Fault, response: Response) -> Response:
    """Alter a normal response for the "drip", "drip-headers", "truncated" and
    "empty" kinds."""
    if fault.kind == "drip":
        response.drip = fault.delay
        return response
    if fault.kind == "drip-headers":
        response.drip_headers = fault.delay
        return response
    if response.status != 200 or response.content_type != "application/json":
        return response
    if fault.kind == "truncated":
        body = response.encoded()
        return Response(200, body=body[: len(body) // 2], headers=response.headers)
    if fault.kind == "empty":
        return Response(200, emptied(response.json_payload()), headers=response.headers)
    return response
