"""Current figures kept on catalogue rows, and the rankings, built when stats are
written so that no page aggregates the stats tables per request.

- each endpoint's latest p50 latency and throughput (every samples snapshot), and
  its model's best of its listed endpoints';
- each model's public tokens over the last 7 complete days (activity, apps and
  rankings syncs, the hourly rollup): "this week" on every page (week_window);
- the rankings page's top models and apps, over the same days (the same moments).

Each is written in bounded batches; only rows whose figure moved are updated.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max, Min, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from catalog.ingest.rows import batches, rows_update
from catalog.models import Endpoint, LanguageModel
from catalog.reads.selectors import models_visible
from catalog.versions import data_version_bump
from stats.models import (
    AppRanking,
    AppUsage,
    EndpointSample,
    TokenUsageDaily,
    TopApp,
    TopModel,
    UsageSource,
)

# A figure older than this says little about now: it is cleared.
FIGURES_MAX_AGE = timedelta(days=1)
WEEK = timedelta(days=7)
TOP = 20
FIGURES = ["latency_p50", "throughput_p50", "uptime", "stats_at"]


def endpoint_figures_store(samples: Sequence[EndpointSample]) -> int:
    """Keep each sampled endpoint's latest figures, then its model's best."""
    rows_update(
        Endpoint,
        FIGURES,
        [
            (
                s.endpoint_id,
                s.latency_p50,
                s.throughput_p50,
                # The rule every table shows: the last day's, else 30 minutes'.
                s.uptime_1d if s.uptime_1d is not None else s.uptime_30m,
                s.polled_at,
            )
            for s in samples
        ],
    )
    ids = [s.endpoint_id for s in samples]
    model_ids: set[int] = set()
    for batch in batches(ids):
        model_ids.update(
            Endpoint.objects.filter(pk__in=batch).values_list("model_id", flat=True)
        )
    return model_figures_refresh(sorted(model_ids))


def model_figures_refresh(model_ids: Sequence[int]) -> int:
    """Recompute these models' best latency and throughput from their listed
    endpoints; return how many changed."""
    changed = 0
    for batch in batches(model_ids):
        best = {
            row["model_id"]: (row["latency"], row["throughput"])
            for row in Endpoint.objects.filter(
                model_id__in=batch, delisted_at__isnull=True
            )
            .values("model_id")
            .annotate(latency=Min("latency_p50"), throughput=Max("throughput_p50"))
        }
        moved = [
            (pk, lat, thr)
            for pk, *current in LanguageModel.objects.filter(pk__in=batch).values_list(
                "pk", "latency_p50", "throughput_p50"
            )
            for lat, thr in [best.get(pk, (None, None))]
            if (lat, thr) != tuple(current)
        ]
        rows_update(LanguageModel, ["latency_p50", "throughput_p50"], moved)
        changed += len(moved)
    return changed


def figures_expire(now: datetime) -> int:
    """Clear endpoint figures older than a day (and refresh their models')."""
    stale = Endpoint.objects.filter(stats_at__lt=now - FIGURES_MAX_AGE)
    model_ids = sorted(set(stale.values_list("model_id", flat=True)))
    stale.update(**dict.fromkeys(FIGURES))
    return model_figures_refresh(model_ids)


def week_window(today: date) -> tuple[date, date]:
    """What "this week" means on every page: the last 7 complete (UTC) days before
    `today` (today has no usage yet: upstream counts a day once it is over)."""
    end = today - timedelta(days=1)
    return end - WEEK + timedelta(days=1), end


def _totals(start: date, end: date) -> dict[int, dict[str, int]]:
    # Served by usage-date.
    rows = (
        TokenUsageDaily.objects.filter(date__gte=start, date__lte=end)
        .values("model_id", "source")
        .annotate(total=Sum("total"))
    )
    found: dict[int, dict[str, int]] = {}
    for row in rows.iterator(chunk_size=5000):
        found.setdefault(row["model_id"], {})[row["source"]] = row["total"] or 0
    return found


def _weekly(start: date, end: date) -> dict[int, int]:
    # Both sources count the same tokens: the per-model website series where
    # there is one, else the rankings dataset's (top models only).
    return {
        pk: by.get(UsageSource.WEBSITE, by.get(UsageSource.RANKINGS, 0))
        for pk, by in _totals(start, end).items()
    }


def tokens_week_refresh(today: date) -> int:
    """Keep each model's tokens this week (week_window); return how many moved."""
    week: dict[int, int | None] = dict(_weekly(*week_window(today)))
    current = dict(
        LanguageModel.objects.filter(
            Q(tokens_week__isnull=False) | Q(pk__in=list(week))
        ).values_list("pk", "tokens_week")
    )
    moved = [
        (pk, week.get(pk)) for pk, tokens in current.items() if week.get(pk) != tokens
    ]
    rows_update(LanguageModel, ["tokens_week"], moved)
    return len(moved)


def _top_models(today: date) -> list[TopModel]:
    start, end = week_window(today)
    week = _weekly(start, end)
    if not week:
        return []
    previous = _weekly(start - WEEK, end - WEEK)
    visible = set(
        models_visible().filter(pk__in=list(week)).values_list("pk", flat=True)
    )
    ranked = [(pk, tokens) for pk, tokens in week.items() if pk in visible]
    top = sorted(ranked, key=lambda kv: (-kv[1], kv[0]))[:TOP]
    return [
        TopModel(
            rank=rank,
            model_id=pk,
            tokens=tokens,
            previous=previous.get(pk),
            week_end=end,
        )
        for rank, (pk, tokens) in enumerate(top, start=1)
    ]


def _top_apps() -> list[TopApp]:
    """The Data API's leaderboard (as_of: the last of its 7 days), else each app's
    tokens over the models it uses as the model pages list them (as_of: the last
    of the 7 days before they were polled)."""
    latest = AppRanking.objects.aggregate(d=Max("date"))["d"]
    if latest is not None:
        ranked = AppRanking.objects.filter(date=latest).order_by("rank")[:TOP]
        rows = [(r.app_id, r.tokens) for r in ranked]
        as_of = latest
    else:
        week = AppUsage.objects.aggregate(d=Max("period_start"))["d"]
        if week is None:
            return []
        usage = AppUsage.objects.filter(period_start=week)
        grouped = (
            usage.values("app")
            .annotate(tokens=Coalesce(Sum("tokens"), Value(0)))
            .order_by("-tokens", "app")[:TOP]
        )
        rows = [(r["app"], r["tokens"]) for r in grouped]
        polled = usage.aggregate(at=Max("app__updated_at"))["at"]
        as_of = polled.date() - timedelta(days=1)
    return [
        TopApp(rank=rank, app_id=app, tokens=tokens, as_of=as_of)
        for rank, (app, tokens) in enumerate(rows, start=1)
    ]


def rankings_build(today: date | None = None) -> dict[str, int]:
    """Rebuild the rankings page's top models and apps (replaced whole)."""
    models, apps = _top_models(today or timezone.now().date()), _top_apps()
    with transaction.atomic():
        TopModel.objects.all().delete()
        TopModel.objects.bulk_create(models)
        TopApp.objects.all().delete()
        TopApp.objects.bulk_create(apps)
        data_version_bump()
    return {"top_models": len(models), "top_apps": len(apps)}


def usage_figures_refresh(today: date) -> dict[str, int]:
    """Tokens this week and the rankings, after usage was written."""
    moved = tokens_week_refresh(today)
    counts = rankings_build(today)
    if moved:
        data_version_bump()
    return {"tokens_week_moved": moved, **counts}
