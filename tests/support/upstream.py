"""The demo upstream without a socket: an httpx transport that asks it directly,
and the settings that point the board at it."""

from __future__ import annotations

import httpx

from demo import litellm
from demo.server import DemoUpstream


def in_process(demo: DemoUpstream) -> httpx.MockTransport:
    """An httpx transport that asks `demo` directly, without a socket."""

    def answer(request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path.decode("ascii")
        headers = {k.lower(): v for k, v in request.headers.items()}
        reply = demo.handle(request.method, path, headers, request.content)
        answer_headers = {"content-type": reply.content_type, **reply.headers}
        return httpx.Response(
            reply.status, content=reply.encoded(), headers=answer_headers
        )

    return httpx.MockTransport(answer)


def mock_upstream_settings(demo: DemoUpstream) -> dict:
    return {
        "OPENROUTER_BASE_URL": demo.base_url,
        "OPENROUTER_SITE_URL": demo.url,
        "LITELLM_PRICES_URL": f"{demo.url}{litellm.PATH}",
        "HTTP_TIMEOUT_SECONDS": 2,
        "SYNC_REQUESTS_PER_SECOND": 1000,
        "SYNC_ENDPOINTS_CONCURRENCY": 8,
    }
