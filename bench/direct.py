"""Direct prices: time and peak memory of syncing LiteLLM's whole price map.

Over HTTP from the demo upstream into a throw-away SQLite database (or
DATABASE_URL), after the demo catalogue it is matched to; prints numbers:

    .venv/bin/python bench/direct.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MODELBOARD_VAR_DIR", tempfile.mkdtemp(prefix="mb-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.common import peak_rss_of_self_mb  # noqa: E402
from catalog.models import DirectOffer  # noqa: E402
from catalog.syncs import sync_catalog, sync_litellm  # noqa: E402
from demo import litellm  # noqa: E402
from demo.server import DemoUpstream  # noqa: E402

# The budget for a sync of the whole map.
BUDGET_SECONDS = 30
BUDGET_MB = 300


def main() -> None:
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    with DemoUpstream(port=0, litellm_version=litellm.VERSIONS[0]) as demo:
        settings.OPENROUTER_BASE_URL = demo.base_url
        settings.LITELLM_PRICES_URL = f"{demo.url}{litellm.PATH}"
        settings.SYNC_REQUESTS_PER_SECOND = 1000
        sync_catalog()
        phases = [
            (f"first sync, {litellm.VERSIONS[0]}", litellm.VERSIONS[0]),
            (f"changes, {litellm.VERSIONS[-1]}", litellm.VERSIONS[-1]),
            (f"unchanged, {litellm.VERSIONS[-1]}", litellm.VERSIONS[-1]),
        ]
        for label, version in phases:
            demo.set_litellm(version)
            start = time.perf_counter()
            run = sync_litellm()
            elapsed = time.perf_counter() - start
            counts = run.counts
            print(
                f"{label:<26} {elapsed:>6.1f} s (budget {BUDGET_SECONDS} s)  "
                f"created={counts['created']} updated={counts['updated']} "
                f"unchanged={counts['unchanged']} events={counts['events']} "
                f"skipped={counts['failed']}"
            )
    matched = DirectOffer.objects.exclude(model=None).count()
    print(f"offers: {DirectOffer.objects.count()}, matched {matched}")
    print(f"peak RSS {peak_rss_of_self_mb():.0f} MB (budget {BUDGET_MB} MB)")


if __name__ == "__main__":
    main()
