"""Ingest throughput: models/s and SQL statements for a first and an unchanged sync.

Runs on a throw-away SQLite database (or DATABASE_URL when set) and prints numbers:

    .venv/bin/python bench/ingest.py
"""

from __future__ import annotations

import copy
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MODELBOARD_VAR_DIR", tempfile.mkdtemp(prefix="mb-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from catalog.ingest import model_upsert_many  # noqa: E402
from catalog.models import CatalogEvent, LanguageModel  # noqa: E402
from catalog.sources.base import parse_items  # noqa: E402
from catalog.sources.openrouter import ModelRecord  # noqa: E402
from demo.server import DemoUpstream  # noqa: E402


def largest_history_index() -> int:
    sizes = [
        len(DemoUpstream.history_snapshot(i))
        for i in range(DemoUpstream.history_length())
    ]
    return sizes.index(max(sizes))


def synthetic(count: int) -> list[dict[str, Any]]:
    """`count` distinct models cloned from the recorded catalogue."""
    base = DemoUpstream.history_snapshot(largest_history_index())
    items = []
    for i in range(count):
        item = copy.deepcopy(base[i % len(base)])
        item["id"] = f"{item['id'].split(':')[0]}-synthetic-{i}"
        item["canonical_slug"] = item["id"]
        items.append(item)
    return items


def measure(label: str, items: list[dict[str, Any]]) -> None:
    LanguageModel.objects.all().delete()
    for phase in ("first sync", "unchanged re-sync"):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            records = parse_items(items, ModelRecord, lambda item, i: str(i)).records
            result = model_upsert_many(records, now=timezone.now())
            elapsed = time.perf_counter() - start
        print(
            f"{label:<34} {phase:<18} {len(items) / elapsed:>9,.0f} models/s "
            f"{elapsed * 1000:>8.0f} ms {len(queries):>5} SQL  "
            f"created={result.created} updated={result.updated} "
            f"unchanged={result.unchanged}"
        )


def measure_http() -> None:
    """The whole path: HTTP through httpx to the demo upstream, parse, ingest."""
    from catalog.syncs import sync_catalog

    index = largest_history_index()
    LanguageModel.objects.all().delete()
    with DemoUpstream(port=0, snapshot=f"history:{index}") as demo:
        from django.conf import settings

        settings.OPENROUTER_BASE_URL = demo.base_url
        for phase in ("first sync", "unchanged re-sync"):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                run = sync_catalog()
                elapsed = time.perf_counter() - start
            total = (
                run.counts["created"] + run.counts["updated"] + run.counts["unchanged"]
            )
            print(
                f"{'HTTP sync, history:' + str(index) + f' ({total})':<34} {phase:<18} "
                f"{total / elapsed:>9,.0f} models/s {elapsed * 1000:>8.0f} ms "
                f"{len(queries):>5} SQL  created={run.counts['created']} "
                f"unchanged={run.counts['unchanged']}"
            )


def main() -> None:
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    measure_http()
    index = largest_history_index()
    recorded = DemoUpstream.history_snapshot(index)
    measure(f"recorded history:{index} ({len(recorded)})", recorded)
    measure("synthetic (5,000)", synthetic(5000))
    print(f"events recorded: {CatalogEvent.objects.count()}")


if __name__ == "__main__":
    main()
