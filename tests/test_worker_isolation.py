"""Test workers run side by side on one Redis: each on databases of its own, and
so is every process it starts (a Celery worker, a `manage.py` command), which
reads them from the environment."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from tests.support import databases


def a_worker(number: int) -> pytest.Config:
    return SimpleNamespace(workerinput={"workerid": f"gw{number}"})  # type: ignore[return-value]


@pytest.fixture
def on_redis(settings, monkeypatch):
    """The CI leg's Redis settings, as settings and as environment."""
    settings.CACHE_URL = "redis://127.0.0.1:6379/14"
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": settings.CACHE_URL,
        }
    }
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    monkeypatch.setenv("CACHE_URL", settings.CACHE_URL)
    monkeypatch.setenv("CELERY_BROKER_URL", settings.CELERY_BROKER_URL)
    return settings


def test_a_second_worker_and_the_processes_it_starts_use_their_own_databases(
    on_redis,
):
    databases.isolate_redis(a_worker(1))
    assert on_redis.CACHES["default"]["LOCATION"] == "redis://127.0.0.1:6379/12"
    assert on_redis.CELERY_BROKER_URL == "redis://127.0.0.1:6379/13"
    assert os.environ["CACHE_URL"] == on_redis.CACHE_URL == "redis://127.0.0.1:6379/12"
    assert os.environ["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/13"


def test_the_first_worker_keeps_the_configured_databases(on_redis):
    databases.isolate_redis(a_worker(0))
    assert os.environ["CACHE_URL"] == "redis://127.0.0.1:6379/14"
    assert os.environ["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/15"


def test_too_many_workers_for_the_databases_below_is_a_usage_error(on_redis):
    with pytest.raises(pytest.UsageError, match="too many workers"):
        databases.isolate_redis(a_worker(8))
