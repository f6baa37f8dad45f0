"""A TCP proxy on loopback that a test can cut: the database or the broker seen by a
worker process goes away mid-task, then comes back, on the test's command."""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType

HOST = "127.0.0.1"


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target on loopback, in a background thread.

    `cut()` resets every open connection and refuses new ones (the listener is
    closed, so connecting fails at once) until `restore()`.
    """

    def __init__(self, target_port: int, target_host: str = HOST):
        self.target = (target_host, target_port)
        self.port = 0
        self.accepted = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="tcp-proxy", daemon=True
        )
        self._server: asyncio.Server | None = None
        self._pairs: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()

    def __enter__(self) -> TcpProxy:
        self._thread.start()
        self._call(self._listen())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._call(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    @property
    def open_connections(self) -> int:
        return len(self._pairs)

    def cut(self) -> None:
        """Reset every proxied connection and refuse new ones."""
        self._call(self._close())

    def restore(self) -> None:
        """Accept connections again, on the same port."""
        self._call(self._listen())

    def _call(self, coroutine) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(
            self._handle, HOST, self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for pair in list(self._pairs):
            for writer in pair:
                writer.transport.abort()  # a reset, as when a network path dies
        self._pairs.clear()
        if server is not None:
            await server.wait_closed()

    async def _handle(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        self.accepted += 1
        try:
            target_reader, target_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.transport.abort()
            return
        pair = (client_writer, target_writer)
        self._pairs.add(pair)
        try:
            await asyncio.gather(
                _pipe(client_reader, target_writer), _pipe(target_reader, client_writer)
            )
        finally:
            self._pairs.discard(pair)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        if not writer.transport.is_closing():
            writer.close()
