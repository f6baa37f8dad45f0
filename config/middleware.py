"""Requests no route can answer: a NUL in the path (or in the admin's query string).

No database column can hold NUL (PostgreSQL refuses it in text and jsonb), and no
id, slug or token of ours contains one, so a path holding one is answered here, the
same on every route: a 404, never a 500. The query strings of our pages and API are
validated by their forms (a NUL is a 400 naming the field); the admin's search and
filters are not, so there a NUL is a 400 from here.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.views.defaults import page_not_found

NUL = "\x00"


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path_info:
            return _answer(request, 404, "No page has a NUL in its address.")
        if request.path_info.startswith("/admin/") and any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
            return _answer(request, 400, "The query string holds a NUL character.")
        return self.get_response(request)


def _answer(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        body = json.dumps({"error": {"code": status, "message": message}})
        return HttpResponse(body, status=status, content_type="application/json")
    if status == 404:
        return page_not_found(request, Http404(message))
    return HttpResponse(message, status=status, content_type="text/plain")
