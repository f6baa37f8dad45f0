from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from catalog.sources.redact import redact_url


def upstream(request: HttpRequest) -> dict[str, object]:
    """Tell every page when it shows the bundled demo data instead of the live API."""
    return {
        "demo_upstream": settings.MODELBOARD_DEMO_UPSTREAM,
        # Credentials inside the base URL (a private gateway's) never reach a page.
        "upstream_url": redact_url(settings.OPENROUTER_BASE_URL),
    }


def usage_link(request: HttpRequest) -> dict[str, bool]:
    """Whether the nav links to /usage: only for those it would show the spend to."""
    if not settings.OPENROUTER_API_KEY:
        return {"usage_link": False}
    if settings.USAGE_PUBLIC:
        return {"usage_link": True}
    # Without a session cookie the visitor is anonymous: reading request.user would
    # mark every public page "Vary: Cookie" for nothing.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return {"usage_link": False}
    user = getattr(request, "user", None)
    return {"usage_link": bool(user and user.is_active and user.is_staff)}
