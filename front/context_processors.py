from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from catalog.redact import redact_url


def upstream(request: HttpRequest) -> dict:
    """Tell every page when it shows the bundled demo data instead of the live API."""
    return {
        "demo_upstream": settings.MODELBOARD_DEMO_UPSTREAM,
        # Credentials inside the base URL (a private gateway's) never reach a page.
        "upstream_url": redact_url(settings.OPENROUTER_BASE_URL),
    }
