"""Upstream sources: each module fetches and parses one upstream (httpx + pydantic,
no ORM); what they share is beside them (base: the HTTP client, typed errors and
item errors; fields; fanout: one request per item; redact: secrets out of URLs).
Built here from settings, read at call time."""

from __future__ import annotations

import httpx
from django.conf import settings

from catalog.sources.base import HttpClient
from catalog.sources.benchmarks import BenchmarksSource
from catalog.sources.kinds import KindsSource
from catalog.sources.litellm import LiteLLMSource
from catalog.sources.openrouter import OpenRouterSource
from catalog.sources.zdr import ZdrSource


def transport() -> httpx.BaseTransport | None:
    """The transport under every client: None is real HTTP. The fast test tier
    swaps in an httpx.MockTransport that answers from the demo upstream in-process."""
    return None


def http_client(max_mb: int | None = None) -> HttpClient:
    """The HTTP client every source uses, configured from settings at call time
    (`max_mb`: a size cap of the source's own)."""
    mb = max_mb or settings.HTTP_MAX_RESPONSE_MB
    return HttpClient(
        timeout=settings.HTTP_TIMEOUT_SECONDS,
        user_agent=settings.HTTP_USER_AGENT,
        api_key=settings.OPENROUTER_API_KEY,
        requests_per_second=settings.SYNC_REQUESTS_PER_SECOND,
        max_connections=max(settings.SYNC_ENDPOINTS_CONCURRENCY, 2),
        deadline=settings.HTTP_DEADLINE_SECONDS,
        max_bytes=mb * 1024 * 1024,
        max_items=settings.SYNC_MAX_ITEMS,
        transport=transport(),
    )


def openrouter_source() -> OpenRouterSource:
    """OpenRouter's public API at the configured base URL."""
    return OpenRouterSource(
        http_client(),
        base_url=settings.OPENROUTER_BASE_URL,
        site_url=settings.OPENROUTER_SITE_URL,
    )


def litellm_source() -> LiteLLMSource:
    """LiteLLM's price map at the configured URL (LITELLM_PRICES_URL)."""
    return LiteLLMSource(
        http_client(settings.LITELLM_MAX_MB), url=settings.LITELLM_PRICES_URL
    )


def zdr_source() -> ZdrSource:
    """OpenRouter's zero-data-retention endpoint list at the configured base URL."""
    return ZdrSource(http_client(), base_url=settings.OPENROUTER_BASE_URL)


def kinds_source() -> KindsSource:
    """OpenRouter's embedding, image and video catalogues at the configured base URL."""
    return KindsSource(http_client(), base_url=settings.OPENROUTER_BASE_URL)


def benchmarks_source() -> BenchmarksSource:
    """OpenRouter's /benchmarks at the configured base URL."""
    return BenchmarksSource(http_client(), base_url=settings.OPENROUTER_BASE_URL)
