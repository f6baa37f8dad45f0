"""The public pages against the recorded 2025-05-22 catalogue, synced once per module
(endpoints, stats and all) over real HTTP from the demo upstream."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.test import override_settings

from demo.server import DemoUpstream
from tests.support import snapshots
from tests.support.upstream import in_process

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


@pytest.fixture(scope="module")
def demo_catalogue(django_db_setup, django_db_blocker) -> Iterator[DemoUpstream]:
    """The synced demo catalogue (providers, catalogue, endpoints, tokens per day
    and apps), committed for this module and emptied afterwards; the demo upstream
    answers in-process."""
    demo = DemoUpstream(port=0, snapshot=SNAPSHOT)
    with (
        mock.patch("catalog.sources.transport", lambda: in_process(demo)),
        override_settings(**upstream_settings(demo)),
        snapshots.committed("demo", django_db_blocker),
    ):
        yield demo


@pytest.fixture(autouse=True)
def plain_static(settings) -> None:
    """Static URLs without a collectstatic manifest."""
    settings.STORAGES = PLAIN_STATIC
