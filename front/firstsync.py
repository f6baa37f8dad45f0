"""What a page shows while the catalogue is still empty: not a 404, but word that
the first sync is on its way."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from catalog.reads.selectors import catalogue_empty
from catalog.runs import runs_live

__all__ = ["catalogue_empty", "first_sync_page"]

RETRY_SECONDS = 15


def first_sync_page(request: HttpRequest) -> HttpResponse:
    """503 with a refresh hint while the first sync runs (the page exists soon)."""
    running = sorted(set(runs_live().values_list("kind", flat=True)))
    context = {"syncing": bool(running), "running": running}
    response = render(request, "front/first_sync.html", context, status=503)
    response["Retry-After"] = str(RETRY_SECONDS)
    return response
