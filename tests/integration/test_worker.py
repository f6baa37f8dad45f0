"""A real Celery worker process polls the demo upstream over HTTP into the database."""

from __future__ import annotations

import pytest

from catalog.models import Endpoint, KindModel, LanguageModel, SyncRun
from tests.conftest import wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.backend,
]


def _run(kind: str, status: str) -> SyncRun | None:
    return SyncRun.objects.filter(kind=kind, status=status).order_by("-id").first()


def test_worker_syncs_catalogue_providers_and_endpoints(celery_worker, upstream):
    """sync_all chains providers, catalogue, endpoints, then the stats in two
    lanes, through the broker: one full sync fills every section of a model page."""
    celery_worker.send("catalog.sync_all")
    wait_for(lambda: _run("endpoints", "succeeded"), timeout=120)
    for kind in ("stats-activity", "stats-apps", "stats-uptime", "stats-history"):
        wait_for(lambda kind=kind: _run(kind, "succeeded"), timeout=180)
    # The other catalogues: embedding, image and video models.
    for kind in ("embeddings", "images", "videos"):
        wait_for(lambda kind=kind: _run(kind, "succeeded"), timeout=60)
    assert (
        KindModel.objects.filter(kind="images", endpoints__isnull=False).count() == 10
    )
    # No API key: the datasets run says so instead of failing.
    skipped = wait_for(lambda: _run("stats-datasets", "skipped"), timeout=60)
    assert "OPENROUTER_API_KEY" in skipped.error or "disabled" in skipped.error
    assert LanguageModel.objects.count() == 321
    lfm = LanguageModel.objects.get(slug="liquid/lfm-40b")
    assert sorted(lfm.endpoints.values_list("provider_name", flat=True)) == [
        "Lambda",
        "Liquid",
    ]
    assert Endpoint.objects.filter(delisted_at__isnull=True).count() > 321
    assert _run("providers", "succeeded").counts["created"] > 0
    assert lfm.token_usage.count() >= 30
    assert lfm.app_usage.exists() and lfm.uptime_history.exists()
    for endpoint in lfm.endpoints.all():
        assert endpoint.performance_history.exists(), endpoint.key
        assert endpoint.listed_price_history.exists(), endpoint.key
    paths = [path for _, path, _ in upstream.requests]
    assert any(p.startswith("/api/v1/models/liquid/lfm-40b/endpoints") for p in paths)


def test_transient_failure_is_retried_by_the_worker(celery_worker, upstream):
    """A 503 fails one run; the task retries with backoff and the next run succeeds."""
    upstream.inject("503", path="/api/v1/models", times=1)
    celery_worker.send("catalog.sync_catalog")
    succeeded = wait_for(lambda: _run("catalog", "succeeded"), timeout=90)
    failed = _run("catalog", "failed")
    assert failed is not None and "HTTP 503" in failed.error
    assert failed.started_at < succeeded.started_at
    assert succeeded.counts["created"] == 321


def test_permanent_failure_is_not_retried(celery_worker, upstream):
    """A 404 fails the run once, with its reason, and the task gives up."""
    upstream.inject("404", path="/api/v1/providers")
    celery_worker.send("catalog.sync_providers")
    failed = wait_for(lambda: _run("providers", "failed"), timeout=60)
    assert "HTTP 404" in failed.error
    celery_worker.send(
        "catalog.sync_catalog"
    )  # a later task proves the worker moved on
    wait_for(lambda: _run("catalog", "succeeded"), timeout=60)
    assert SyncRun.objects.filter(kind="providers").count() == 1
