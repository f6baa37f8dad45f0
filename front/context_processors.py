from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def upstream(request: HttpRequest) -> dict:
    """Tell every page when it shows the bundled demo data instead of the live API."""
    return {
        "demo_upstream": settings.MODELBOARD_DEMO_UPSTREAM,
        "upstream_url": settings.OPENROUTER_BASE_URL,
    }
