"""The board's settings plus a trivial view for benchmarks (bench/urls.py)."""

from __future__ import annotations

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

if os.environ.get("BENCH_NO_CACHE"):
    # Cold measurements: every request builds everything (pages, charts, choices).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    PAGE_CACHE_SECONDS = 0
