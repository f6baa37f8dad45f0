"""A hostile upstream, served over real HTTP by the demo upstream: odd, reserved,
non-ASCII and path-like ids, NUL in every text field, NaN/Infinity/negative/huge
numbers, a 1 MB description, duplicates and wrong types in the catalogue, the
providers, the endpoints and the stats. Every sync succeeds, every good item is
stored, every bad one is reported by id on its run and on /status, and a crawl of
every internal link from every entry point finds no 5xx."""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterator
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client, override_settings

from catalog.models import Endpoint, LanguageModel, Provider, SyncRun
from catalog.sources.fields import clean_text
from demo.server import DemoUpstream
from stats.models import App, EndpointSample, TokenUsageDaily, UptimeHistory
from tests.front.conftest import upstream_settings
from tests.support import hostile

pytestmark = pytest.mark.django_db

FRONTEND = "/api/frontend/v1/stats"
ENTRY_POINTS = [
    "/",
    "/?delisted=on",
    "/api/v1/",
    "/api/v1/models?include_delisted=true",
    "/api/v1/providers?include_delisted=true",
    "/changes",
    "/changes/feed.rss",
    "/changes/feed.atom",
    "/changes/new.rss",
    "/changes/prices.rss",
    "/status",
    "/rankings",
    "/watch",
]
MAX_URLS = 2500


def _sync_everything() -> dict[str, SyncRun]:
    from catalog.syncs import sync_catalog, sync_providers
    from ops.jobs import sync_endpoints
    from stats import syncs as stats_syncs

    runs = {}
    for name, sync in (
        ("providers", sync_providers),
        ("catalog", sync_catalog),
        ("endpoints", sync_endpoints),
        ("activity", stats_syncs.sync_activity),
        ("apps", stats_syncs.sync_apps),
        ("uptime", stats_syncs.sync_uptime),
        ("history", stats_syncs.sync_history),
        ("datasets", stats_syncs.sync_datasets),
    ):
        runs[name] = sync()
    return runs


@pytest.fixture(scope="module")
def hostile_board(django_db_setup, django_db_blocker) -> Iterator[dict[str, SyncRun]]:
    """The hostile payloads synced once for this module (committed), then flushed."""
    with (
        DemoUpstream(port=0, snapshot="2025-05-22") as demo,
        override_settings(
            **upstream_settings(demo),
            OPENROUTER_API_KEY="test-key",
            STATS_DATASETS_ENABLED=True,
        ),
        django_db_blocker.unblock(),
    ):
        demo.serve_catalogue(hostile.hostile_catalogue())
        demo.serve_body("/api/v1/providers", hostile.hostile_providers())
        demo.serve_body(
            "/api/v1/models/hostile/nul/endpoints", hostile.hostile_endpoints()
        )
        demo.serve_body(f"{FRONTEND}/model-activity", hostile.hostile_activity())
        demo.serve_body(f"{FRONTEND}/top-apps-for-model", hostile.hostile_apps())
        demo.serve_body(f"{FRONTEND}/model-uptime-recent", hostile.hostile_uptime())
        demo.serve_body(f"{FRONTEND}/endpoint", hostile.hostile_website_endpoints())
        for chart in ("latency-comparison", "throughput-comparison"):
            demo.serve_body(f"{FRONTEND}/{chart}", hostile.hostile_performance())
        demo.serve_body(f"{FRONTEND}/listed-pricing", hostile.hostile_listed_prices())
        demo.serve_body("/api/v1/datasets/rankings-daily", hostile.hostile_rankings())
        demo.serve_body("/api/v1/activity", hostile.hostile_account_activity())
        try:
            yield _sync_everything()
        finally:
            call_command("flush", interactive=False, verbosity=0)


def _reported(run: SyncRun) -> set[str]:
    return {e["item"] for e in run.item_errors}


def test_every_sync_succeeds_with_the_bad_items_reported(hostile_board):
    for name, run in hostile_board.items():
        assert run.status == "succeeded", (name, run.error)
    assert hostile_board["catalog"].counts["failed"] >= len(hostile.refused_ids())


def test_every_good_model_is_stored_and_every_bad_one_reported_by_id(hostile_board):
    stored = set(LanguageModel.objects.values_list("slug", flat=True))
    assert set(hostile.stored_ids()) <= stored
    assert stored <= set(hostile.stored_ids()), stored - set(hostile.stored_ids())
    reported = _reported(hostile_board["catalog"])
    for model_id in hostile.refused_ids():
        assert clean_text(model_id) in reported, model_id
    assert "item #" + str(len(hostile.hostile_catalogue()) - 4) in reported
    duplicate = hostile.good_models()[0]["id"]
    assert duplicate in reported
    # The first of two items with one id wins.
    assert (
        LanguageModel.objects.get(slug=duplicate).name
        != "A second item with the same id"
    )


def test_unstorable_text_is_stored_cleaned_and_big_text_clipped(hostile_board):
    nul = LanguageModel.objects.get(slug="hostile/nul")
    assert nul.name == "Nul name"
    assert nul.tokenizer == "GPT" and nul.supported_parameters == ["tools", "seed"]
    assert "\x00" not in json.dumps(nul.raw) and "NaN" not in json.dumps(nul.raw)
    assert nul.raw["extra"]["score"] is None
    huge = LanguageModel.objects.get(slug="hostile/huge-description")
    assert len(huge.description) == 100_000
    assert LanguageModel.objects.get(slug="hostile/controls").name == "Bell and escape"


def test_providers_and_endpoints_keep_the_good_and_report_the_bad(hostile_board):
    providers = set(Provider.objects.values_list("slug", flat=True))
    assert {"openai", "nulname", "deepinfra"} <= providers
    assert not {"ëvil", "..", "nul"} & providers
    assert Provider.objects.get(slug="nulname").headquarters == "US"
    reported = _reported(hostile_board["providers"])
    assert {"ëvil", "..", "nul", "42"} <= reported

    endpoints = Endpoint.objects.filter(model__slug="hostile/nul")
    tags = set(endpoints.values_list("tag", flat=True))
    assert {"deepinfra/fp8", "together", "nul/fp8", "ëvil/fp8", "../x"} <= tags
    assert not set(hostile.BAD_ENDPOINT_TAGS) & tags
    # Provider slugs from tags no URL could route fall back to the name.
    assert Endpoint.objects.get(tag="ëvil/fp8").provider.slug == "evil-cloud"
    assert Endpoint.objects.get(tag="../x").provider.slug == "dots"
    errors = " ".join(
        f"{e['item']} {e['error']}" for e in hostile_board["endpoints"].item_errors
    )
    for tag in hostile.BAD_ENDPOINT_TAGS:
        assert f"Host | {tag}" in errors, tag
    samples = EndpointSample.objects.filter(endpoint__model__slug="hostile/nul")
    # Two endpoints share a tag (upstream repeats them): both kept, keyed apart.
    assert endpoints.count() == len(tags) + 1
    assert samples.count() == endpoints.count()


def test_stats_keep_the_good_rows_and_report_the_bad(hostile_board):
    usage = TokenUsageDaily.objects.filter(model__slug="hostile/nul")
    assert list(usage.values_list("date", flat=True).distinct().order_by("date")) == [
        __import__("datetime").date(2026, 6, 1)
    ]
    assert hostile_board["activity"].counts["failed"] > 0
    titles = set(App.objects.values_list("title", flat=True))
    assert {"App 1", "Nul app"} <= titles
    assert not App.objects.filter(main_url__startswith="javascript").exists()
    uptime = UptimeHistory.objects.filter(model__slug="hostile/nul", series="")
    assert sorted(uptime.values_list("uptime", flat=True)) == [99.0]


def test_upstreams_history_keeps_the_good_points_and_reports_the_bad(hostile_board):
    """Only the good hour of the good endpoint and its one price change are kept;
    the bad points are reported; an id with a NUL is cleaned and found."""
    from stats.models import ListedPriceHistory, PerformanceHistory

    run = hostile_board["history"]
    assert run.counts["failed"] > 0
    fp8 = PerformanceHistory.objects.filter(
        endpoint__model__slug="hostile/nul", endpoint__tag="deepinfra/fp8"
    )
    assert list(fp8.values_list("latency_p50", "throughput_p50")) == [(300.0, 300.0)]
    together = PerformanceHistory.objects.filter(
        endpoint__model__slug="hostile/nul", endpoint__tag="together"
    )
    assert list(together.values_list("latency_p50", flat=True)) == [250.0]
    prices = ListedPriceHistory.objects.filter(endpoint__model__slug="hostile/nul")
    assert [(str(p.prompt), str(p.completion)) for p in prices] == [
        (str(prices[0].prompt), str(prices[0].completion))
    ]
    assert prices[0].prompt == 1 and prices[0].completion == 2


def test_the_datasets_keep_the_good_rows_and_report_the_bad(hostile_board):
    from stats.models import AccountUsageDaily

    run = hostile_board["datasets"]
    assert run.counts["failed"] >= 6
    ranked = TokenUsageDaily.objects.filter(source="rankings").order_by("date")
    # NaN, negative and absurd totals refused; a NUL in the id is stripped.
    assert list(ranked.values_list("total", flat=True)) == [1000, 1]
    usage = AccountUsageDaily.objects.order_by("date")
    assert [str(u.usage_usd.normalize()) for u in usage] == ["0.5", "1"]
    for slug, provider in usage.values_list("model_slug", "provider_name"):
        assert "\x00" not in slug + provider


def test_status_lists_the_item_errors_of_the_latest_runs(hostile_board):
    page = Client().get("/status").content.decode()
    assert "items refused or not stored" in page
    assert "changes/x" in page and "hostile/nan-context" in page


def _links(path: str, response) -> list[str]:
    """Every link of a page, feed or JSON answer, made absolute-path."""
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    text = body.decode(errors="replace")
    kind = response.get("Content-Type", "")
    found: list[str] = []
    if "json" in kind and not path.startswith("/api/v1/openapi.json"):
        # Our links: absolute URLs, and the upstream-shaped `links.details` paths.
        found = re.findall(r'"(https?://testserver[^"]*|/api/v1/models/[^"\s]*)"', text)
        found = [json.loads(f'"{f}"') for f in found]
    elif "xml" in kind:
        found = re.findall(r"<link>([^<]+)</link>", text)
        found += re.findall(r'<link[^>]*href="([^"]+)"', text)
    elif "html" in kind:
        found = re.findall(r'(?:href|src|action)="([^"]*)"', text)
    urls = []
    for link in found:
        link = unescape(link)
        absolute = urljoin(f"http://testserver{path}", link)
        parts = urlsplit(absolute)
        if parts.netloc != "testserver" or parts.scheme not in ("http", "https"):
            continue
        urls.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return urls


def _crawl(client: Client, starts: list[str]) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque(starts)
    while queue and len(seen) < MAX_URLS:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code == 200 and not path.startswith(("/static/", "/admin/")):
            queue.extend(u for u in _links(path, response) if u not in seen)
    assert len(seen) < MAX_URLS, "the crawl never ended"
    return seen


def _entry_points() -> list[str]:
    models = LanguageModel.objects.all()
    starts = list(ENTRY_POINTS)
    starts += [m.get_absolute_url() for m in models]
    starts += [f"/providers/{p.slug}" for p in Provider.objects.all()]
    return starts


def test_a_crawl_of_every_internal_link_finds_no_server_error(hostile_board):
    """Anonymous: every link from every entry point answers, and pages of ours 200."""
    seen = _crawl(Client(), _entry_points())
    failed = {u: s for u, s in seen.items() if s >= 500}
    assert not failed, failed
    ours = {
        u: s
        for u, s in seen.items()
        if not u.startswith(("/static/", "/admin/")) and s != 200
    }
    assert not ours, ours
    assert len(seen) > 100
    assert "/hostile/nul" in seen and "/api/v1/models/hostile/nul/endpoints" in seen


def test_the_admin_pages_of_hostile_rows_answer(hostile_board):
    """Staff: every catalogue row's change page and history, and the lists."""
    client = Client()
    client.force_login(User.objects.create_superuser("root", password="x"))
    paths = ["/admin/catalog/languagemodel/", "/admin/catalog/endpoint/",
             "/admin/catalog/provider/", "/admin/catalog/syncrun/"]  # fmt: skip
    for model in LanguageModel.objects.all():
        paths += [f"/admin/catalog/languagemodel/{model.pk}/change/"]
    for endpoint in Endpoint.objects.filter(model__slug="hostile/nul"):
        paths += [f"/admin/catalog/endpoint/{endpoint.pk}/change/"]
    for run in SyncRun.objects.all():
        paths += [f"/admin/catalog/syncrun/{run.pk}/change/"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert len(response.content) < 400_000, path
