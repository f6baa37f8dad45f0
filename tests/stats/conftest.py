from __future__ import annotations

import pytest
from django.utils import timezone

from catalog.models import LanguageModel
from ops.jobs import sync_endpoints as endpoints_job
from tests.support import snapshots

# A handful of models keeps per-model fan-outs quick; lfm-40b is the seed page.
FEW = [
    "liquid/lfm-40b",
    "mistralai/mistral-7b-instruct",
    "mistralai/mistral-7b-instruct:free",
    "openai/gpt-4o",
]


@snapshots.state("few-polled")
def _few_polled(demo) -> None:
    """`catalogued`, all but a few models delisted, their endpoints polled."""
    snapshots.derive("catalogued")
    LanguageModel.objects.exclude(slug__in=FEW).update(delisted_at=timezone.now())
    endpoints_job(slugs=FEW)


@pytest.fixture
def catalogue(mock_upstream, db) -> list[LanguageModel]:
    """The demo catalogue and endpoints polled, all but a few models delisted
    (restored from this run's snapshot of it)."""
    snapshots.load("few-polled")
    return list(LanguageModel.objects.filter(delisted_at__isnull=True))


@pytest.fixture(autouse=True)
def plain_static(settings) -> None:
    """Pages render without a collectstatic manifest (the project default needs one),
    and with the catalogue's URLs only (other apps' URLs come and go in this tree)."""
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        }
    }
