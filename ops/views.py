from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from catalog.reads.direct import price_gaps
from ops import status

COLOURS = ("red", "amber", "green")


@never_cache
def status_page(request: HttpRequest) -> HttpResponse:
    sources = status.source_status_list()
    colours = {s.colour for s in sources}
    overall = next((c for c in COLOURS if c in colours), "green")
    context = {
        "sources": sources,
        "overall": overall,
        "flagged": status.overrides_flagged_count(),
        "gaps": price_gaps(),
    }
    return render(request, "ops/status.html", context)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Readiness (`?ready=1`): database and broker;
    the cache is reported too, but pages work without it."""
    if "ready" not in request.GET:
        return JsonResponse({"status": "ok"})
    checks = status.health_check()
    ok = all(
        value == "ok"
        for name, value in checks.items()
        if name not in status.OPTIONAL_CHECKS
    )
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", **checks}, status=200 if ok else 503
    )
