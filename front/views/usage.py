"""/usage and /usage.csv: the account's own spend and tokens (from /activity).

Only with OPENROUTER_API_KEY (without it nothing is polled: a 404 that says so).
The spend is private: staff only, unless USAGE_PUBLIC opens it. Never marked
public, so no shared cache keeps it.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from functools import wraps

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

from catalog import prices
from catalog.models import SyncKind
from catalog.runs import LatestRuns, runs_latest
from catalog.spreadsheet import csv_row
from front import charts
from front.chartrules import ChartSection, Table
from front.forms import USAGE_PRESETS, UsageQuery
from front.plotfig import Figure
from front.templatetags.front import usd_spend
from stats import account
from stats.account import AccountUsage, Spend

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
        "spend_chart": _spend_section(found),
        "tokens_chart": _tokens_section(found),
        "models": [_model_row(m, found.total) for m in found.models],
        "other": found.other if found.model_count > len(found.models) else None,
        "other_count": found.model_count - len(found.models),
        "providers": [
            (p.name, p.spend, _share(p.spend.usd, found.total.usd))
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


def _csv_lines(rows: Iterator[dict]) -> Iterator[str]:
    writer = csv.DictWriter(_Line(), fieldnames=account.CSV_COLUMNS)
    yield writer.writeheader()
    for row in rows:
        row["spend_usd"] = prices.plain(row["spend_usd"])
        # Model ids and provider names come from upstream: never a formula.
        yield writer.writerow(dict(zip(row, csv_row(row.values()), strict=True)))


# ---------------------------------------------------------------- presentation


def _price(per_million: Decimal | None) -> str:
    """USD per million tokens to four decimals ("$3.00", "$3.1818")."""
    if per_million is None:
        return "—"
    return prices.money(per_million.quantize(Decimal("0.0001")))


def _share(part: Decimal, whole: Decimal) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def _model_row(m: account.ModelSpend, total: Spend) -> dict:
    effective, listed = m.effective_per_million, m.list_per_million
    versus = None
    if effective is not None and listed:
        versus = f"{(effective - listed) * 100 / listed:+.1f}%"
    link = m.model is not None and not m.model.hidden
    return {
        "slug": m.slug,
        "name": m.name,
        "url": m.model.get_absolute_url() if link and m.model else "",
        "spend": m.spend,
        "share": _share(m.spend.usd, total.usd),
        "effective": _price(effective),
        "listed": "variable"
        if m.model and m.model.is_variable_price
        else _price(listed),
        "versus": versus,
    }


def _stacks(found: AccountUsage, value: Callable[[Spend], float]) -> dict:
    names = {m.slug: m.name for m in found.models}
    return {
        names.get(series, series): {day: value(s) for day, s in days.items()}
        for series, days in found.daily.items()
    }


def _section(name: str, fig: Figure, table: Table) -> ChartSection:
    return ChartSection(
        name="tokens",
        label=table.caption,
        chart=charts.render_figure(fig) if fig.data else "",
        table=table,
        current=[],
        dom_name=name,
        empty_note="No usage of your account in this range.",
    )


def _table(found: AccountUsage, caption: str, fmt: Callable[[Spend], str]) -> Table:
    names = {m.slug: m.name for m in found.models}
    series = list(found.daily)
    rows = []
    for day in found.days:
        cells = [fmt(found.daily[s].get(day, Spend())) for s in series]
        total = Spend()
        for s in series:
            total = total.plus(found.daily[s].get(day, Spend()))
        if total.usd or total.tokens:
            rows.append([day.isoformat(), *cells, fmt(total)])
    columns = ["Date", *(names.get(s, s) for s in series), "Total"]
    return Table(caption, columns, rows)


def _spend_section(found: AccountUsage) -> ChartSection:
    fig = charts.stacked_days_figure(
        found.days, _stacks(found, lambda s: float(s.usd)), "USD", "$%{y:,.4g}"
    )
    table = _table(found, "Your account: spend per day", lambda s: usd_spend(s.usd))
    return _section("usage-spend", fig, table)


def _tokens_section(found: AccountUsage) -> ChartSection:
    fig = charts.stacked_days_figure(
        found.days, _stacks(found, lambda s: s.tokens), "tokens", "%{y:,} tokens"
    )
    table = _table(found, "Your account: tokens per day", lambda s: f"{s.tokens:,}")
    return _section("usage-tokens", fig, table)
