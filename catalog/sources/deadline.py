"""One deadline for a whole HTTP exchange: connect, TLS, the request, the status
line and headers, and the body.

httpx's timeouts apply to each wait on the socket, so an answer that trickles in
a byte at a time (its headers as well as its body) resets them at every byte and
never ends. Here every wait on the socket is cut to what is left of the
exchange's deadline, and a wait that would start after it fails at once: the
exchange ends at the deadline, whatever the other end does.

    transport = DeadlineTransport(limits=httpx.Limits(max_connections=1))
    with httpx.Client(transport=transport) as client, deadline(15):
        client.get(url)   # raises httpx.TimeoutException at 15 s at the latest
"""

from __future__ import annotations

import ssl
import time
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import httpcore
import httpx

# When the exchange under way in this thread (or task) must end: a monotonic time.
_ENDS_AT: ContextVar[float | None] = ContextVar("exchange_ends_at", default=None)


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Exchanges through a DeadlineTransport inside this block end within
    `seconds` of its start."""
    token = _ENDS_AT.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _ENDS_AT.reset(token)


def deadline_passed() -> bool:
    ends_at = _ENDS_AT.get()
    return ends_at is not None and time.monotonic() >= ends_at


def _left(timeout: float | None, error: type[Exception]) -> float | None:
    """The wait allowed now: the timeout, cut to what is left of the deadline."""
    ends_at = _ENDS_AT.get()
    if ends_at is None:
        return timeout
    left = ends_at - time.monotonic()
    if left <= 0:
        raise error("the exchange's deadline passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream):
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        wait = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(self._stream.start_tls(ssl_context, server_hostname, wait))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        wait = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(
            self._backend.connect_tcp(host, port, wait, local_address, socket_options)
        )

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        wait = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(self._backend.connect_unix_socket(path, wait, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's transport over sockets whose every wait ends by the deadline of
    the exchange under way (`deadline(...)`); without one, httpx's own."""

    def __init__(self, *, limits: httpx.Limits) -> None:
        super().__init__(limits=limits)
        # httpx builds its connection pool with no way to name a network backend:
        # the same pool again, on ours.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_Backend(),
        )
