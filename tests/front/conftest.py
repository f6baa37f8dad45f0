"""The public pages against the recorded 2025-05-22 catalogue, synced once per module
(endpoints, stats and all) over real HTTP from the demo upstream."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from demo.server import DemoUpstream

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = "2025-05-22"
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def recorded() -> list[dict[str, Any]]:
    """The models of the recorded catalogue, straight from the file."""
    path = ROOT / "demo" / "data" / f"models-{SNAPSHOT}.json"
    return json.loads(path.read_text())["data"]


def upstream_settings(demo: DemoUpstream) -> dict[str, Any]:
    return {
        "OPENROUTER_BASE_URL": demo.base_url,
        "OPENROUTER_SITE_URL": demo.url,
        "HTTP_TIMEOUT_SECONDS": 5,
        "SYNC_REQUESTS_PER_SECOND": 1000,
        "SYNC_ENDPOINTS_CONCURRENCY": 8,
    }


def sync_everything() -> None:
    """Providers, catalogue, endpoints (with their stats samples) and website stats."""
    from catalog.syncs import sync_catalog, sync_providers
    from ops.jobs import sync_endpoints
    from stats import syncs as stats_syncs

    for sync in (sync_providers, sync_catalog, sync_endpoints):
        assert sync().status == "succeeded", sync
    for sync in (stats_syncs.sync_activity, stats_syncs.sync_apps):
        assert sync().status == "succeeded", sync


@pytest.fixture(scope="module")
def demo_catalogue(django_db_setup, django_db_blocker) -> Iterator[DemoUpstream]:
    """The synced demo catalogue, committed for this module, flushed afterwards."""
    with (
        DemoUpstream(port=0, snapshot=SNAPSHOT) as demo,
        override_settings(**upstream_settings(demo)),
        django_db_blocker.unblock(),
    ):
        try:
            sync_everything()
            yield demo
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def plain_static(settings) -> None:
    """Static URLs without a collectstatic manifest."""
    settings.STORAGES = PLAIN_STATIC
