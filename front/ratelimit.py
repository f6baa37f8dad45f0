"""Per-client request limits kept in Django's cache (fixed windows), a client
being its IPv4 address or its IPv6 /64 (config.clients.client_network).

A limit that cannot count (the cache is down) refuses: `Uncounted` says when to
try again, and the view answers 503 with a Retry-After. Letting everyone through
would make an outage of the cache the moment to flood the board.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.http import HttpRequest

from config.clients import client_network

logger = logging.getLogger(__name__)

# How long a client refused for want of a cache is asked to wait.
UNCOUNTED_RETRY_SECONDS = 60


class Uncounted(Exception):
    """The cache could not count this request: refuse it for now."""

    retry_after = UNCOUNTED_RETRY_SECONDS


def over_limit(request: HttpRequest, scope: str, *, limit: int, window: int) -> int:
    """Count this request of its client in `scope`: 0 while within `limit` per
    `window` seconds, else the seconds until the window ends. Raises Uncounted
    when the cache cannot count."""
    now = time.time()
    start = int(now // window) * window
    key = f"ratelimit:{scope}:{client_network(request)}:{start}"
    try:
        cache.add(key, 0, timeout=window + 5)
        count = cache.incr(key)
    except Exception as exc:  # any cache backend error
        logger.error("rate limit %s cannot count, refusing: %s", scope, exc)
        raise Uncounted from exc
    # django-redis told to ignore errors (CACHE_URL's settings) answers None.
    if not isinstance(count, int):
        logger.error("rate limit %s cannot count (cache unreachable), refusing", scope)
        raise Uncounted
    return 0 if count <= limit else max(int(start + window - now), 1)
