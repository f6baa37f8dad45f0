"""/usage and /usage.csv: the account's own spend and tokens (from /activity).

Only with OPENROUTER_API_KEY (without it nothing is polled: a 404 that says so).
The spend is private: staff only, unless USAGE_PUBLIC opens it. Never marked
public, so no shared cache keeps it.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import date
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from catalog.models import SyncKind
from catalog.pricing import prices
from catalog.reads.spreadsheet import csv_row
from catalog.runs import LatestRuns, runs_latest
from front import account as page
from front.forms import USAGE_PRESETS, UsageQuery
from stats import account

View = Callable[[HttpRequest], HttpResponseBase]


def usage_enabled() -> bool:
    """/usage exists: the board polls the account's /activity with a key."""
    return bool(settings.OPENROUTER_API_KEY)


def usage_allowed(request: HttpRequest) -> bool:
    """Whether this visitor may read the account's spend."""
    if settings.USAGE_PUBLIC:
        return True
    return bool(request.user.is_active and request.user.is_staff)


def account_view(view: View) -> View:
    """The access rule of /usage and its export: a 404 page without a key, the
    admin login for whoever may not see the spend, never cached."""

    @never_cache
    @wraps(view)
    def guarded(request: HttpRequest) -> HttpResponseBase:
        if not usage_enabled():
            return render(request, "front/usage_off.html", status=404)
        if not usage_allowed(request):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request)

    return guarded


def _window(request: HttpRequest) -> tuple[date, date] | HttpResponse:
    form = UsageQuery(request.GET)
    if not form.is_valid():
        context = {"errors": form.errors}
        return render(request, "front/bad_query.html", context, status=400)
    span = account.account_usage_span()
    return form.window(span[1] if span else None)


@account_view
def usage(request: HttpRequest) -> HttpResponse:
    window = _window(request)
    if isinstance(window, HttpResponse):
        return window
    found = account.account_usage_get(*window)
    run = runs_latest([SyncKind.STATS_DATASETS])[SyncKind.STATS_DATASETS]
    context = {
        "run": run,
        "activity_error": _activity_error(run),
        "usage": found,
        "start": window[0],
        "end": window[1],
        "presets": [n for n, _ in USAGE_PRESETS],
        "spend_chart": page.spend_section(found),
        "tokens_chart": page.tokens_section(found),
        "models": [page.model_row(m, found.total) for m in found.models],
        "other": found.other if found.model_count > len(found.models) else None,
        "other_count": found.model_count - len(found.models),
        "providers": [
            (p.name, p.spend, page.share(p.spend.usd, found.total.usd))
            for p in found.providers
        ],
    }
    return render(request, "front/usage.html", context)


def _activity_error(run: LatestRuns) -> str:
    """Why the latest datasets poll could not read /activity (a key without the
    right to: upstream's 401/403), or ""."""
    errors = run.attempted.item_errors if run.attempted else []
    return next((e["error"] for e in errors if e.get("item") == "activity"), "")


@account_view
def usage_csv(request: HttpRequest) -> HttpResponseBase:
    window = _window(request)
    if isinstance(window, HttpResponse):
        return window
    start, end = window
    response = StreamingHttpResponse(
        _csv_lines(account.account_usage_rows(start, end)),
        content_type="text/csv; charset=utf-8",
    )
    name = f"your-account-usage-{start}-to-{end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class _Line:
    """A write target for csv.writer that hands back each line."""

    def write(self, line: str) -> str:
        return line


def _csv_lines(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    writer = csv.DictWriter(_Line(), fieldnames=account.CSV_COLUMNS)
    yield writer.writeheader()
    for row in rows:
        row["spend_usd"] = prices.plain(row["spend_usd"])
        # Model ids and provider names come from upstream: never a formula.
        yield writer.writerow(dict(zip(row, csv_row(row.values()), strict=True)))
