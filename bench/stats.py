"""Stats at scale: the model page with 20 providers, a year of daily tokens and 90 days
of hourly uptime (render time, SQL statements), and the sample ingest rate for 10,000
endpoints. Runs on a throw-away SQLite database (or DATABASE_URL when set):

    .venv/bin/python bench/stats.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MODELBOARD_VAR_DIR", tempfile.mkdtemp(prefix="mb-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.makedirs(Path(os.environ["MODELBOARD_VAR_DIR"]) / "staticfiles", exist_ok=True)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from catalog.models import Author, Endpoint, LanguageModel, Provider  # noqa: E402
from catalog.sources.openrouter import EndpointRecord  # noqa: E402
from stats.ingest import samples_upsert  # noqa: E402
from stats.models import (  # noqa: E402
    EndpointRollup,
    Period,
    TokenUsageDaily,
    UptimeHistory,
)

PROVIDERS = 20


def _model(slug: str, author: Author, now: datetime) -> LanguageModel:
    return LanguageModel.objects.create(
        slug=slug,
        author=author,
        name=slug,
        created=now,
        context_length=131072,
        price_prompt=Decimal("0.5"),
        price_completion=Decimal("1.5"),
        first_seen_at=now,
        updated_at=now,
    )


def _endpoints(
    model: LanguageModel, providers: list[Provider], now: datetime
) -> list[Endpoint]:
    return Endpoint.objects.bulk_create(
        Endpoint(
            model=model,
            provider=p,
            key=p.slug,
            name=f"{p.name} | {model.slug}",
            provider_name=p.name,
            tag=p.slug,
            context_length=131072,
            price_prompt=Decimal("0.5") + i,
            price_completion=Decimal("1.5") + i,
            first_seen_at=now,
            updated_at=now,
        )
        for i, p in enumerate(providers)
    )


def build_page_data(now: datetime) -> LanguageModel:
    author = Author.objects.create(slug="bench")
    providers = Provider.objects.bulk_create(
        Provider(slug=f"p{i}", name=f"Provider {i}", first_seen_at=now, updated_at=now)
        for i in range(PROVIDERS)
    )
    model = _model("bench/big-model", author, now)
    endpoints = _endpoints(model, providers, now)
    today = now.date()
    TokenUsageDaily.objects.bulk_create(
        TokenUsageDaily(
            model=model,
            date=today - timedelta(days=d),
            source="website",
            prompt=10**9 + d,
            completion=10**8,
            reasoning=10**7,
            total=1_110_000_000 + d,
            requests=10**5,
        )
        for d in range(365)
    )
    hour0 = now.replace(minute=0, second=0, microsecond=0)
    hours = [hour0 - timedelta(hours=h) for h in range(90 * 24)]
    UptimeHistory.objects.bulk_create(
        [
            UptimeHistory(model=model, series="", hour=h, uptime=99.5, source="bench")
            for h in hours
        ]
        + [
            UptimeHistory(
                model=model,
                endpoint=e,
                series=e.key,
                hour=h,
                uptime=99.0,
                source="bench",
            )
            for e in endpoints
            for h in hours
        ],
        batch_size=5000,
    )
    EndpointRollup.objects.bulk_create(
        (
            EndpointRollup(
                endpoint=e,
                period=Period.HOUR,
                start=h,
                samples=12,
                uptime_avg=99.0,
                latency_p50_avg=500.0,
                throughput_p50_avg=80.0,
            )
            for e in endpoints
            for h in hours
        ),
        batch_size=5000,
    )
    return model


def measure_page(model: LanguageModel) -> None:
    """The page built afresh (no cache at all) and with its charts cached (the
    data version unchanged): whole-page caching is off here."""
    client = Client(HTTP_HOST="127.0.0.1")
    url = model.get_absolute_url()
    with override_settings(PAGE_CACHE_SECONDS=0):
        assert client.get(url).status_code == 200  # warm templates
        for label, clear in (("built afresh", True), ("charts cached", False)):
            timings, statements = [], 0
            for _ in range(10):
                if clear:
                    cache.clear()
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    timings.append(time.perf_counter() - start)
                statements = len(queries)
                assert response.status_code == 200
            print(
                f"model page ({label}), {PROVIDERS} providers, 365 days of tokens, "
                f"90 days hourly uptime: median {statistics.median(timings) * 1000:.0f}"
                f" ms, min {min(timings) * 1000:.0f} ms, {statements} SQL statements, "
                f"{len(response.content) / 1024:.0f} KiB HTML"
            )


def measure_samples(now: datetime) -> None:
    author = Author.objects.get(slug="bench")
    providers = list(Provider.objects.all())
    fetched = {}
    for m in range(10_000 // PROVIDERS):
        model = _model(f"bench/m{m}", author, now)
        _endpoints(model, providers, now)
        fetched[model.slug] = [
            EndpointRecord.model_validate(
                {
                    "name": f"{p.name} | x",
                    "provider_name": p.name,
                    "tag": p.slug,
                    "pricing": {"prompt": "0.0000005", "completion": "0.0000015"},
                    "status": 0,
                    "uptime_last_30m": 99.5,
                    "uptime_last_5m": 100,
                    "latency_last_30m": {
                        "p50": 500,
                        "p75": 600,
                        "p90": 800,
                        "p99": 1500,
                    },
                    "throughput_last_30m": {"p50": 80, "p75": 70, "p90": 60, "p99": 40},
                }
            )
            for p in providers
        ]
    for label in ("first poll of a window", "same window again"):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            ids = samples_upsert(fetched, now)
            elapsed = time.perf_counter() - start
        print(
            f"sample ingest, {len(ids):,} endpoints, {label}: "
            f"{len(ids) / elapsed:,.0f} endpoints/s ({elapsed * 1000:.0f} ms, "
            f"{len(queries)} SQL statements)"
        )


def main() -> None:
    call_command("migrate", verbosity=0)
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        }
    }
    print(f"database: {connection.vendor}")
    now = timezone.now()
    model = build_page_data(now)
    measure_page(model)
    measure_samples(now)


if __name__ == "__main__":
    main()
