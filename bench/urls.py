"""Every URL of the board, plus `/__bench/trivial`: the ceiling a page is measured
against (a 30 KB answer through the same middleware, doing nothing)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

TRIVIAL_BODY = b"x" * 30_000


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(TRIVIAL_BODY, content_type="application/octet-stream")


urlpatterns = [
    path("__bench/trivial", trivial),
    path("", include("config.urls")),
]
