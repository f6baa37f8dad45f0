"""A webhook receiver on loopback that records what it is sent."""

from __future__ import annotations

import hashlib
import hmac
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


def free_port() -> int:
    """A loopback port nothing listens on (yet): a receiver that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Receiver:
    """Records (headers, body) of every POST; answers `status`, its status line
    and headers one byte every `drip` seconds when given."""

    def __init__(self, port: int = 0, status: int = 204, drip: float = 0):
        self.port, self.status, self.drip = port, status, drip
        self.received: list[tuple[dict[str, str], bytes]] = []
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                receiver.received.append((dict(self.headers), body))
                if receiver.drip:
                    self._drip(f"HTTP/1.0 {receiver.status} Done\r\n\r\n".encode())
                    return
                self.send_response(receiver.status)
                self.end_headers()

            def _drip(self, head: bytes) -> None:
                for index in range(len(head)):
                    try:
                        self.wfile.write(head[index : index + 1])
                        self.wfile.flush()
                    except OSError:  # the sender hung up
                        return
                    time.sleep(receiver.drip)

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> Receiver:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def signed_by(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Check X-Modelboard-Signature the way a receiver would."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers.get("X-Modelboard-Signature", ""))
