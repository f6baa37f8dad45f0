from __future__ import annotations

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from catalog import status


@never_cache
def status_page(request: HttpRequest) -> HttpResponse:
    sources = status.source_status_list()
    worst = (
        "red"
        if any(s.colour == "red" for s in sources)
        else ("amber" if any(s.colour == "amber" for s in sources) else "green")
    )
    context = {
        "sources": sources,
        "overall": worst,
        "flagged": status.overrides_flagged_count(),
    }
    return render(request, "catalog/status.html", context)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Readiness (`?ready=1`): database and broker."""
    if "ready" not in request.GET:
        return JsonResponse({"status": "ok"})
    checks = status.health_check()
    ok = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", **checks}, status=200 if ok else 503
    )


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico on every page, the admin's included."""
    return HttpResponseRedirect(static("favicon.svg"))
