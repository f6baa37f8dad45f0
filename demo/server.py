"""The demo upstream: a stdlib HTTP server impersonating OpenRouter's API and website.

Django-free on purpose so tests, benchmarks and the management command can all
start it in-process or as a separate process.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from demo import litellm, snapshots
from demo.faults import (
    HUGE_DEFAULT,
    WRAPPING_KINDS,
    Fault,
    FaultBook,
    Response,
    error,
    replacement,
    wrap,
)
from demo.routes import Context, route

CONTROL_PREFIX = "/_demo"
CACHE_CONTROL = "s-maxage=300"
DEFAULT_SNAPSHOT = "2025-05-22"
POLL_INTERVAL = (
    0.05  # seconds; how quickly stop() is noticed (tests start many servers)
)


class DemoUpstream:
    """A threaded HTTP server serving recorded and synthesised OpenRouter data."""

    def __init__(
        self,
        port: int = 8001,
        host: str = "127.0.0.1",
        snapshot: str | None = None,
        replay: bool = False,
        now: datetime | None = None,
        verbose: bool = False,
        litellm_version: str = litellm.LATEST,
    ) -> None:
        default = "history:0" if replay else DEFAULT_SNAPSHOT
        self.host, self.port = host, port
        self.replay, self.now, self.verbose = replay, now, verbose
        self.faults = FaultBook()
        # Bodies served as given for a path (any query), before the routes.
        self.bodies: dict[str, Response] = {}
        self.requests: list[tuple[str, str, float]] = []
        self._lock = threading.Lock()
        self._snapshot = DEFAULT_SNAPSHOT
        self.set_snapshot(snapshot or default)
        self._litellm = litellm.LATEST
        self.set_litellm(litellm_version)
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle

    def bind(self) -> ThreadingHTTPServer:
        """Bind the listening socket now (resolves port 0) without serving yet."""
        if self._httpd is None:
            self._httpd = _Server((self.host, self.port), _Handler, self)
            self.port = self._httpd.server_address[1]  # resolves port 0
        return self._httpd

    def start(self) -> DemoUpstream:
        """Start serving in a daemon thread; return self."""
        httpd = self.bind()
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": POLL_INTERVAL},
            name="demo-upstream",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until stop() or KeyboardInterrupt."""
        try:
            self.bind().serve_forever(poll_interval=POLL_INTERVAL)
        finally:
            self._close()

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._httpd is not None and self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._close()

    def _close(self) -> None:
        if self._httpd is not None:
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> DemoUpstream:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The website root (OPENROUTER_SITE_URL)."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The API root (OPENROUTER_BASE_URL)."""
        return f"{self.url}/api/v1"

    # ------------------------------------------------------------ state

    @property
    def snapshot(self) -> str:
        """The name of the snapshot currently served."""
        return self._snapshot

    def set_snapshot(self, name: str) -> None:
        """Serve another snapshot ("2025-05-22", "history:N"); ValueError if unknown."""
        if not snapshots.is_valid_name(name):
            raise ValueError(f"unknown snapshot {name!r}")
        with self._lock:
            self._snapshot = name

    @property
    def litellm_version(self) -> str:
        """The recorded version of LiteLLM's price map currently served."""
        return self._litellm

    def set_litellm(self, version: str) -> None:
        """Serve another recorded version of LiteLLM's price map; ValueError if
        there is no recording of it."""
        if version not in litellm.VERSIONS:
            raise ValueError(f"unknown LiteLLM version {version!r}")
        with self._lock:
            self._litellm = version

    def advance(self) -> str:
        """Move to the next history snapshot and return its name."""
        with self._lock:
            self._snapshot = snapshots.next_name(self._snapshot)
            return self._snapshot

    def inject(
        self,
        kind: str,
        path: str = "/",
        times: int | None = None,
        retry_after: int = 1,
        delay: float = 10.0,
        size: int = HUGE_DEFAULT,
    ) -> None:
        """Make requests whose path starts with `path` fail with `kind`."""
        self.faults.add(Fault(kind, path, times, retry_after, delay, size))

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        self.faults.clear()

    def serve_catalogue(self, models: list[Any]) -> str:
        """Serve this model list (any JSON values) from now on; endpoints and stats
        are synthesised for its string ids as for the recordings."""
        name = snapshots.custom_snapshot(models)
        self.set_snapshot(name)
        return name

    def serve_body(
        self,
        path: str,
        body: str | bytes,
        status: int = 200,
        content_type: str = "application/json",
    ) -> None:
        """Answer GETs of `path` (whatever the query) with this body, byte for
        byte: hostile JSON (NaN, NUL, wrong types) included."""
        raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
        with self._lock:
            self.bodies[path] = Response(status, body=raw, content_type=content_type)

    def clear_bodies(self) -> None:
        """Serve the routes again everywhere."""
        with self._lock:
            self.bodies.clear()

    def state(self) -> dict[str, Any]:
        """Return the control-API view of the server state."""
        return {
            "snapshot": self.snapshot,
            "litellm_version": self.litellm_version,
            "faults": self.faults.describe(),
            "history_length": self.history_length(),
            "replay": self.replay,
            "bodies": sorted(self.bodies),
        }

    @staticmethod
    def history_length() -> int:
        """Number of 2026 daily recordings (63)."""
        return len(snapshots.history())

    @staticmethod
    def history_snapshot(index: int) -> list[dict[str, Any]]:
        """Return the models of history recording `index` (shared, do not mutate)."""
        return list(snapshots.history()[index])

    def clock(self) -> datetime:
        """Return `now` as an aware UTC datetime (real clock when now is None)."""
        if self.now is None:
            return datetime.now(UTC)
        if self.now.tzinfo is None:
            return self.now.replace(tzinfo=UTC)
        return self.now.astimezone(UTC)

    # ------------------------------------------------------------ requests

    def handle(
        self, method: str, raw_path: str, headers: Mapping[str, str], body: bytes
    ) -> Response:
        """Answer one request (socket-free, so it is easy to reason about).

        Header names are lower case.
        """
        self.requests.append(
            (method, raw_path, time.monotonic())
        )  # list.append is atomic
        parts = urlsplit(raw_path)
        if parts.path.startswith(CONTROL_PREFIX + "/"):
            return self._control(method, parts.path, body)
        fault = self.faults.take(parts.path)
        if fault is not None and fault.kind not in WRAPPING_KINDS:
            return replacement(fault)
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay)  # long enough to trip the client's timeout
        if method != "GET":
            return error(404, "Not Found")
        canned = self.bodies.get(parts.path)
        if canned is not None:
            return canned
        if parts.path == litellm.PATH:
            response = Response(200, body=litellm.prices_text(self.litellm_version))
            return wrap(fault, response) if fault is not None else response
        response = self._get(parts.path, dict(parse_qsl(parts.query)), headers)
        return wrap(fault, response) if fault is not None else response

    def _get(
        self, path: str, query: dict[str, str], headers: Mapping[str, str]
    ) -> Response:
        # Replay must hand each /models request its own snapshot, so read+advance atomically.
        with self._lock:
            name = self._snapshot
            if self.replay and path == "/api/v1/models":
                self._snapshot = snapshots.next_name(name)
        return route(Context(path, query, headers, name, self.clock()))

    def _control(self, method: str, path: str, body: bytes) -> Response:
        try:
            data = json.loads(body) if body.strip() else {}
        except ValueError:
            return error(400, "body must be JSON")
        try:
            return self._control_action(method, path.removeprefix(CONTROL_PREFIX), data)
        except (ValueError, TypeError) as exc:
            return error(400, str(exc))

    def _control_action(
        self, method: str, action: str, data: dict[str, Any]
    ) -> Response:
        if (method, action) == ("POST", "/snapshot"):
            self.set_snapshot(str(data.get("name")))
        elif (method, action) == ("POST", "/litellm"):
            self.set_litellm(str(data.get("version")))
        elif (method, action) == ("POST", "/advance"):
            self.advance()
        elif (method, action) == ("POST", "/faults"):
            self.inject(**fault_args(data))
        elif (method, action) == ("DELETE", "/faults"):
            self.clear_faults()
        elif (method, action) == ("POST", "/catalogue"):
            self.serve_catalogue(list(data["models"]))
        elif (method, action) == ("POST", "/bodies"):
            self.serve_body(
                str(data["path"]), str(data["body"]), int(data.get("status", 200))
            )
        elif (method, action) == ("DELETE", "/bodies"):
            self.clear_bodies()
        elif (method, action) != ("GET", "/state"):
            return error(404, "Not Found")
        return Response(200, self.state())


def fault_args(data: dict[str, Any]) -> dict[str, Any]:
    """Validate a POST /_demo/faults body into inject() keyword arguments."""
    args: dict[str, Any] = {"kind": str(data["kind"]) if "kind" in data else ""}
    if data.get("path") is not None:
        args["path"] = str(data["path"])
    if data.get("times") is not None:
        args["times"] = int(data["times"])
    if data.get("retry_after") is not None:
        args["retry_after"] = int(data["retry_after"])
    if data.get("delay") is not None:
        args["delay"] = float(data["delay"])
    if data.get("size") is not None:
        args["size"] = int(data["size"])
    return args


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, address: tuple[str, int], handler: type[_Handler], upstream: DemoUpstream
    ) -> None:
        self.upstream = upstream
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that time out (the "slow" fault) drop the socket; that is expected.
        if self.upstream.verbose:
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, like the real upstream
    # Headers and body go out in two writes; without this Nagle + delayed ACK add ~40 ms.
    disable_nagle_algorithm = True
    server_version = "modelboard-demo-upstream/1"

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_DELETE(self) -> None:  # noqa: N802
        self._dispatch("DELETE")

    def do_PUT(self) -> None:  # noqa: N802
        self._dispatch("PUT")

    def _dispatch(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {key.lower(): value for key, value in self.headers.items()}
        response = self.server.upstream.handle(method, self.path, headers, body)
        self._send(response)

    def _send(self, response: Response) -> None:
        content_type = response.content_type
        charset = "" if "charset" in content_type else "; charset=utf-8"
        headers = [("Content-Type", content_type + charset)]
        payload = b""
        if response.size:
            # A huge body announces no length (read until the server hangs up), so
            # only a client that counts what it reads can stop it.
            headers.append(("Connection", "close"))
            self.close_connection = True
        else:
            payload = response.encoded()
            headers.append(("Content-Length", str(len(payload))))
        headers.append(("Cache-Control", CACHE_CONTROL))
        headers += list(response.headers.items())
        if response.drip_headers:
            self._drip(self._head(response.status, headers), response.drip_headers)
        else:
            self.send_response(response.status)
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
        if self.command == "HEAD":
            return
        if response.drip:
            self._drip(payload, response.drip)
        elif response.size:
            for chunk in response.chunks():
                self.wfile.write(chunk)
        else:
            self.wfile.write(payload)

    def _head(self, status: int, headers: list[tuple[str, str]]) -> bytes:
        """The status line and headers as send_response and end_headers write them."""
        lines = [f"{self.protocol_version} {status} {HTTPStatus(status).phrase}"]
        lines += [f"{name}: {value}" for name, value in headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _drip(self, payload: bytes, every: float) -> None:
        # One byte at a time: every read succeeds, so only an overall deadline stops
        # the client. Ends when the client hangs up (the write then fails).
        for index in range(len(payload)):
            self.wfile.write(payload[index : index + 1])
            self.wfile.flush()
            time.sleep(every)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if self.server.upstream.verbose:
            super().log_message(format, *args)
