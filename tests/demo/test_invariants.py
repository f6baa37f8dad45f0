"""The demo's synthesised stats obey the invariants real ones do, for every model of
the demo catalogue, as the board stores them after a full sync: popular models
carry more tokens, apps never more than their model, "all providers" uptime is the
request-weighted mix of the providers', and the endpoints API's rolling day agrees
with the hourly series."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from django.db.models import Sum
from django.test import override_settings

from catalog.models import Endpoint, LanguageModel
from demo.server import DemoUpstream
from demo.snapshots import GEMINI_ID
from demo.stats import AUTHOR_POPULARITY, DEFAULT_POPULARITY, completed_days
from demo.synth import request_weight
from stats import syncs as stats_syncs
from stats.models import AppUsage, EndpointSample, TokenUsageDaily, UptimeHistory
from tests.support.upstream import in_process, mock_upstream_settings

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

NOW = datetime(2025, 5, 28, 14, 20, tzinfo=UTC)
TOLERANCE = 0.011  # upstream rounds percentages to two decimals


@pytest.fixture(scope="module")
def demo_stats(django_db_setup, django_db_blocker):
    """The demo catalogue with every stats sync done, all at one frozen moment:
    once for the module, inside a transaction rolled back at the end (each test
    runs in a savepoint inside it, as pytest-django's `db` does)."""
    from catalog.syncs import sync_catalog, sync_providers
    from ops.jobs import sync_endpoints

    demo = DemoUpstream(port=0, snapshot="2025-05-22")
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as patch,
        override_settings(**mock_upstream_settings(demo)),
        transaction.atomic(),
    ):
        patch.setattr("catalog.sources.transport", lambda: in_process(demo))
        with time_machine.travel(NOW, tick=False):
            for sync in (
                sync_providers,
                sync_catalog,
                sync_endpoints,
                stats_syncs.sync_activity,
                stats_syncs.sync_apps,
                stats_syncs.sync_uptime,
            ):
                assert sync().status == "succeeded", sync
        yield demo
        transaction.set_rollback(True)


def _week_tokens() -> dict[int, int]:
    week = completed_days(NOW, 7)
    rows = (
        TokenUsageDaily.objects.filter(date__in=week)
        .values("model_id")
        .annotate(total=Sum("total"))
    )
    return {r["model_id"]: r["total"] for r in rows}


def test_popular_models_carry_more_tokens(demo_stats):
    """The big labs' models draw more than the rest; the seed's niche model less
    than a flagship."""
    tokens = _week_tokens()
    models = LanguageModel.objects.filter(delisted_at__isnull=True)
    assert {m.pk for m in models} <= tokens.keys()
    top, rest = [], []
    for m in models:
        weight = AUTHOR_POPULARITY.get(m.author.slug, DEFAULT_POPULARITY)
        (top if weight >= 0.95 else rest).append(tokens[m.pk])
    assert statistics.median(top) > 10 * statistics.median(rest)
    slugs = dict(models.values_list("slug", "pk"))
    assert tokens[slugs["openai/gpt-4o"]] > 10 * tokens[slugs["liquid/lfm-40b"]]


def test_apps_never_use_more_tokens_than_their_model(demo_stats):
    """Every model's apps add up to at most the model's tokens of the same week."""
    tokens = _week_tokens()
    apps = AppUsage.objects.values("model_id").annotate(total=Sum("tokens"))
    checked = 0
    for row in apps:
        assert row["total"] <= tokens[row["model_id"]], row
        checked += 1
    assert checked >= 300  # every listed model has apps in the demo


def test_all_providers_uptime_is_the_request_weighted_mix(demo_stats):
    """Hour by hour, a model's overall uptime is its providers' weighted mean."""
    lines: dict[tuple[int, str], dict[datetime, float | None]] = defaultdict(dict)
    for model_id, series, hour, value in UptimeHistory.objects.values_list(
        "model_id", "series", "hour", "uptime"
    ).iterator():
        lines[model_id, series][hour] = value
    endpoints = defaultdict(list)
    for e in Endpoint.objects.filter(delisted_at__isnull=True).select_related("model"):
        endpoints[e.model_id].append(e)
    checked = 0
    for model in LanguageModel.objects.filter(delisted_at__isnull=True):
        mine = endpoints.get(model.pk)
        overall = lines.get((model.pk, ""))
        assert overall, model.slug
        if not mine:
            continue  # routers: no providers to mix
        for hour, value in overall.items():
            parts = [
                (request_weight(model.slug, e.tag), lines[model.pk, e.key].get(hour))
                for e in mine
            ]
            present = [(w, v) for w, v in parts if v is not None]
            if not present:
                assert value is None, (model.slug, hour)
                continue
            mix = sum(w * v for w, v in present) / sum(w for w, _ in present)
            assert value is not None and abs(value - mix) <= TOLERANCE, (
                model.slug,
                hour,
                value,
                mix,
            )
            assert min(v for _, v in present) - TOLERANCE <= value
            assert value <= max(v for _, v in present) + TOLERANCE
            checked += 1
    assert checked > 10_000


def test_rolling_day_uptime_matches_the_hourly_series(demo_stats):
    """Each endpoint's uptime_last_1d (sampled from the endpoints API) is the mean
    of its hourly series over the last 24 hours (from the website)."""
    since = NOW.replace(minute=0) - timedelta(hours=23)
    hourly: dict[int, list[float]] = defaultdict(list)
    rows = UptimeHistory.objects.filter(endpoint__isnull=False, hour__gte=since)
    for endpoint_id, value in rows.values_list("endpoint_id", "uptime"):
        if value is not None:
            hourly[endpoint_id].append(value)
    # The recorded (real) endpoints response of GEMINI_ID has no rolling fields.
    samples = EndpointSample.objects.exclude(endpoint__model__slug=GEMINI_ID)
    assert samples.count() >= 700
    for sample in samples:
        values = hourly[sample.endpoint_id]
        if not values:
            assert sample.uptime_1d is None
            continue
        assert sample.uptime_1d is not None
        assert abs(sample.uptime_1d - sum(values) / len(values)) <= TOLERANCE, sample
