"""The demo's synthesised stats obey the invariants real ones do, for every model of
the demo catalogue, as the board stores them after a full sync (the keyed datasets
included) and as every page shows them: popularity follows the documented prior,
apps never carry more than their model, an app's total on /rankings is its tokens
over every model it uses, "this week" is the same 7 complete days on every page
and named there, the week-over-week change is never "+-0.0%", "all providers"
uptime is the request-weighted mix of the providers', and the endpoints API's
rolling day agrees with the hourly series."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from django.db.models import Sum
from django.test import override_settings

from catalog.models import Endpoint, LanguageModel
from demo.popularity import priors
from demo.server import DemoUpstream
from demo.snapshots import GEMINI_ID
from demo.synth import request_weight
from stats import syncs as stats_syncs
from stats.figures import week_window
from stats.ingest import stats_key
from stats.models import (
    AppUsage,
    EndpointSample,
    TokenUsageDaily,
    TopApp,
    TopModel,
    UptimeHistory,
    UsageSource,
)
from tests.support.upstream import in_process, mock_upstream_settings

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

NOW = datetime(2025, 5, 28, 14, 20, tzinfo=UTC)
TOLERANCE = 0.011  # upstream rounds percentages to two decimals
WEEK = week_window(NOW.date())  # May 21 to May 27
WINDOW = "May 21 – May 27, 2025"
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture(scope="module")
def demo_stats(django_db_setup, django_db_blocker):
    """The demo catalogue with every stats sync done, all at one frozen moment:
    once for the module, inside a transaction rolled back at the end (each test
    runs in a savepoint inside it, as pytest-django's `db` does)."""
    from catalog.syncs import sync_catalog, sync_providers
    from ops.jobs import sync_endpoints

    demo = DemoUpstream(port=0, snapshot="2025-05-22")
    keyed = {"OPENROUTER_API_KEY": "demo", "STATS_DATASETS_ENABLED": True}
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as patch,
        override_settings(**mock_upstream_settings(demo), **keyed),
        override_settings(STORAGES=PLAIN_STATIC, MODELBOARD_DEMO_UPSTREAM=True),
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
                stats_syncs.sync_datasets,
            ):
                assert sync().status == "succeeded", sync
        with time_machine.travel(NOW, tick=False):
            yield demo
        transaction.set_rollback(True)


def _week_tokens(week: tuple = WEEK) -> dict[int, int]:
    """Each model's tokens over `week` from the model pages' series."""
    rows = (
        TokenUsageDaily.objects.filter(
            source=UsageSource.WEBSITE, date__gte=week[0], date__lte=week[1]
        )
        .values("model_id")
        .annotate(total=Sum("total"))
    )
    return {r["model_id"]: r["total"] for r in rows}


def _ranks(values: dict[int, float]) -> dict[int, int]:
    ordered = sorted(values, key=lambda pk: (-values[pk], pk))
    return {pk: rank for rank, pk in enumerate(ordered, start=1)}


def test_popularity_follows_the_documented_prior(demo_stats):
    """This week's tokens rank the models as demo.popularity's prior does (author,
    age as of the snapshot's date, price, role, variant): the newest flagships on
    top, GPT-4 32k of 2023 near the bottom, Llama 3.3 70B well up."""
    tokens = _week_tokens()
    models = list(LanguageModel.objects.filter(delisted_at__isnull=True))
    assert {m.pk for m in models} <= tokens.keys()
    prior = priors("2025-05-22")
    by_prior = _ranks({m.pk: prior[stats_key(m)] for m in models})
    by_tokens = _ranks({m.pk: tokens[m.pk] for m in models})
    n = len(models)
    spearman = 1 - 6 * sum((by_prior[pk] - by_tokens[pk]) ** 2 for pk in by_prior) / (
        n * (n * n - 1)
    )
    assert spearman > 0.95
    rank = {m.slug: by_tokens[m.pk] for m in models}
    assert rank["openai/gpt-4-32k"] > 250
    assert rank["meta-llama/llama-3.3-70b-instruct"] <= 60
    top = {slug for slug, r in rank.items() if r <= 12}
    assert {
        "google/gemini-2.5-flash-preview-05-20",
        "deepseek/deepseek-chat-v3-0324",
        "anthropic/claude-sonnet-4",
    } <= top


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


# --- every page that shows a total ---------------------------------------------------

EXACT = re.compile(r'title="([\d,]+) tokens"')
ROW_ID = re.compile(r'<code class="id">([^<]+)</code>')


def _exact(text: str) -> list[int]:
    return [int(v.replace(",", "")) for v in EXACT.findall(text)]


def _section(page: str, marker: str, end: str = "</section>") -> str:
    return page.split(marker, 1)[1].split(end, 1)[0]


def test_this_week_is_the_last_7_complete_days_on_every_page(demo_stats, client):
    """The list's tokens column, the rankings and each model's apps count the same
    7 complete days (today has no usage yet) and name them."""
    tokens = _week_tokens()
    assert TopModel.objects.values_list("week_end", flat=True).first() == WEEK[1]
    rankings = client.get("/rankings").content.decode()
    assert f"the 7 complete days {WINDOW} (UTC)" in _section(
        rankings, 'id="models-window"'
    )
    assert WINDOW in _section(rankings, 'id="apps-window"')
    listed = client.get("/", {"sort": "tokens_week"}).content.decode()
    assert f"Tokens this week: the 7 complete days {WINDOW} (UTC)." in listed
    slugs = dict(LanguageModel.objects.values_list("slug", "pk"))
    rows = _section(listed, "<tbody>", "</tbody>").split("<tr")[1:]
    assert len(rows) == 50
    for row in rows:
        [slug] = ROW_ID.findall(row)
        [shown] = _exact(row)
        assert shown == tokens[slugs[slug]], slug
    model = client.get("/openai/gpt-4o").content.decode()
    assert f"over the 7 complete days {WINDOW} (UTC)" in model


def test_rankings_totals_and_changes_agree_with_the_days_they_count(demo_stats, client):
    """Each ranked model's tokens are its 7 days' (the list's figure too), its
    week-over-week change is against the 7 days before, and reads "+x%", "-x%" or
    "0.0%", never "+-0.0%"."""
    tokens = _week_tokens()
    previous = _week_tokens((WEEK[0] - timedelta(days=7), WEEK[1] - timedelta(days=7)))
    page = client.get("/rankings").content.decode()
    models = _section(page, 'id="top-models"')
    slugs = dict(LanguageModel.objects.values_list("slug", "pk"))
    rows = _section(models, "<tbody>", "</tbody>").split("<tr>")[1:]
    assert len(rows) == 20
    for row in rows:
        [slug] = ROW_ID.findall(row)
        pk = slugs[slug]
        [shown] = _exact(row)
        assert shown == tokens[pk] == LanguageModel.objects.get(pk=pk).tokens_week
        change = round((tokens[pk] - previous[pk]) * 100 / previous[pk], 1) + 0.0
        cell = row.rsplit('<td class="num">', 1)[1]
        expected = f"+{change}%" if change > 0 else f"{change}%"
        assert expected in cell, (slug, cell)
        assert "+-" not in cell and "-0.0%" not in cell


def test_an_apps_total_on_rankings_is_its_tokens_over_the_models_it_uses(
    demo_stats, client
):
    """/rankings' app totals (the Data API's leaderboard) are the sums of what the
    model pages list for each app over the same days; no model's page shows an
    app with more tokens than the model had, nor its apps more together."""
    tokens = _week_tokens()
    per_app: dict[str, int] = defaultdict(int)
    shown_on_models = 0
    for model in LanguageModel.objects.filter(delisted_at__isnull=True):
        page = client.get(model.get_absolute_url()).content.decode()
        apps = _section(page, 'id="apps"')
        usage = AppUsage.objects.filter(model=model).select_related("app")
        figures = _exact(apps)
        assert sorted(figures) == sorted(u.tokens for u in usage), model.slug
        assert sum(figures) <= tokens[model.pk], model.slug
        for u in usage:
            per_app[u.app.title] += u.tokens
        shown_on_models += len(figures)
    assert shown_on_models >= 900
    page = client.get("/rankings").content.decode()
    apps = _section(page, 'id="top-apps"')
    rows = _section(apps, "<tbody>", "</tbody>").split("<tr>")[1:]
    assert len(rows) == TopApp.objects.count() == len(per_app)
    for row in rows:
        title = re.search(r">([^<>]+)</a></td>|<td>([^<>]+)</td>", row)
        assert title is not None
        name = title.group(1) or title.group(2)
        [shown] = _exact(row)
        assert shown == per_app[name], name
        assert shown >= max(u.tokens for u in AppUsage.objects.filter(app__title=name))
