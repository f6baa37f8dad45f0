"""Which models the endpoints poll asks for, so that it fits its schedule.

Upstream allows about SYNC_REQUESTS_PER_SECOND requests a second, and one endpoints
request is one model: a catalogue of 30,000 models needs 3,000 s at 10 a second,
longer than the 30-minute schedule. So each run asks for a budget of models, what
fits its window (SYNC_WINDOW_SECONDS) at that rate, in this order:

1. the most used models (tokens this week, SYNC_ENDPOINTS_POPULAR of them), every
   run;
2. models whose catalogue entry changed since their last poll (or never polled);
3. the rest, longest unpolled first, so that rotating through them refreshes
   every model within SYNC_ENDPOINTS_REFRESH_SECONDS.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q, QuerySet

from catalog.models import LanguageModel, Origin

# Leave a tenth of the window for slow answers, retries and the writes.
BUDGET_SHARE = 0.9


@dataclass(frozen=True)
class EndpointsPlan:
    """The models one endpoints run asks for, and why."""

    slugs: list[str]
    budget: int
    listed: int
    changed: int = 0
    popular: int = 0
    # Models past their refresh period (or never polled) when the plan was made.
    due: int = 0

    def as_counts(self) -> dict[str, int]:
        """What a run records about its plan."""
        return {
            "planned": len(self.slugs),
            "budget": self.budget,
            "due": self.due,
            "listed": self.listed,
        }


def endpoints_budget() -> int:
    """How many models one run can ask for inside its window at the request rate."""
    requests = settings.SYNC_REQUESTS_PER_SECOND * settings.SYNC_WINDOW_SECONDS
    return max(1, math.floor(requests * BUDGET_SHARE))


def cycle_seconds(listed: int, every: timedelta) -> float:
    """How long a full cycle of `listed` models takes with a run every `every`,
    each asking for its budget (less the popular ones it polls every time)."""
    per_run = endpoints_budget() - min(settings.SYNC_ENDPOINTS_POPULAR, listed)
    if per_run <= 0:
        return math.inf
    return math.ceil(listed / per_run) * every.total_seconds()


def _polled_models() -> QuerySet[LanguageModel]:
    # Upstream knows the listed, upstream-fed models only (hand-added ones never).
    return LanguageModel.objects.filter(
        delisted_at__isnull=True, origin=Origin.UPSTREAM
    )


def endpoints_plan(now: datetime, budget: int | None = None) -> EndpointsPlan:
    """The models this run should ask for, most needed first (4 queries)."""
    budget = budget if budget is not None else endpoints_budget()
    models = _polled_models()
    picked: dict[str, None] = {}

    def take(queryset: QuerySet[LanguageModel], limit: int) -> int:
        before = len(picked)
        wanted = min(limit, budget - len(picked))
        if wanted <= 0:
            return 0
        for slug in queryset.values_list("slug", flat=True)[: wanted + len(picked)]:
            if len(picked) - before >= wanted:
                break
            picked.setdefault(slug, None)
        return len(picked) - before

    popular = take(
        models.filter(tokens_week__isnull=False).order_by("-tokens_week", "slug"),
        settings.SYNC_ENDPOINTS_POPULAR,
    )
    changed = take(
        models.filter(
            Q(endpoints_polled_at__isnull=True)
            | Q(updated_at__gt=F("endpoints_polled_at"))
        ).order_by(F("updated_at").desc(), "slug"),
        budget,
    )
    # Served by model-endpoints-polled.
    take(
        models.order_by(F("endpoints_polled_at").asc(nulls_first=True), "slug"), budget
    )
    refresh = timedelta(seconds=settings.SYNC_ENDPOINTS_REFRESH_SECONDS)
    due = models.filter(
        Q(endpoints_polled_at__isnull=True) | Q(endpoints_polled_at__lt=now - refresh)
    ).count()
    return EndpointsPlan(
        slugs=list(picked),
        budget=budget,
        listed=models.count(),
        changed=changed,
        popular=popular,
        due=due,
    )


def endpoints_polled(slugs: list[str], now: datetime) -> int:
    """Record that these models' endpoints were just fetched."""
    return LanguageModel.objects.filter(slug__in=slugs).update(endpoints_polled_at=now)
