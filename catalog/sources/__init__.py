"""The registry of upstream sources: one place that lists them and builds them."""

from __future__ import annotations

from django.conf import settings

from catalog.sources.base import HttpClient
from catalog.sources.openrouter import OpenRouterSource


def http_client() -> HttpClient:
    """The HTTP client every source uses, configured from settings at call time."""
    return HttpClient(
        timeout=settings.HTTP_TIMEOUT_SECONDS,
        user_agent=settings.HTTP_USER_AGENT,
        api_key=settings.OPENROUTER_API_KEY,
        requests_per_second=settings.SYNC_REQUESTS_PER_SECOND,
        max_connections=max(settings.SYNC_ENDPOINTS_CONCURRENCY, 2),
    )


def openrouter_source() -> OpenRouterSource:
    """OpenRouter's public API at the configured base URL."""
    return OpenRouterSource(
        http_client(),
        base_url=settings.OPENROUTER_BASE_URL,
        site_url=settings.OPENROUTER_SITE_URL,
    )


SOURCES = {"openrouter": openrouter_source}
