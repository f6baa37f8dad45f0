"""Per-client request limits kept in Django's cache (fixed windows).

A cache that is down lets requests through, logged: a limiter must never be what
takes a page down.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.http import HttpRequest

from config.clients import client_ip

logger = logging.getLogger(__name__)


def over_limit(request: HttpRequest, scope: str, *, limit: int, window: int) -> int:
    """Count this request of its client in `scope`: 0 while within `limit` per
    `window` seconds, else the seconds until the window ends."""
    now = time.time()
    start = int(now // window) * window
    key = f"ratelimit:{scope}:{client_ip(request)}:{start}"
    try:
        cache.add(key, 0, timeout=window + 5)
        count = cache.incr(key)
    except Exception as exc:  # any cache backend error: fail open, but say so
        logger.warning("rate limit %s not counted: %s", scope, exc)
        return 0
    return 0 if count <= limit else max(int(start + window - now), 1)
