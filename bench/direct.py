"""Direct prices: time and peak memory of syncing LiteLLM's whole price map.

Over HTTP from the demo upstream into a throw-away SQLite database (or
DATABASE_URL), after the demo catalogue it is matched to; then the large-input
case: a map of some 50 MB (the newest recording's entries repeated under new keys,
served from loopback) under a size cap raised above it. Prints numbers:

    .venv/bin/python bench/direct.py [--large-mb 50]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large-mb", type=int, default=50, help="0: no large case")
    large_mb = parser.parse_args().large_mb
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
            _report(label, elapsed, run.counts)
    matched = DirectOffer.objects.exclude(model=None).count()
    print(f"offers: {DirectOffer.objects.count()}, matched {matched}")
    print(f"peak RSS {peak_rss_of_self_mb():.0f} MB (budget {BUDGET_MB} MB)")
    if large_mb:
        _large_case(large_mb)


def _report(label: str, elapsed: float, counts: dict[str, int]) -> None:
    print(
        f"{label:<26} {elapsed:>6.1f} s (budget {BUDGET_SECONDS} s)  "
        f"created={counts['created']} updated={counts['updated']} "
        f"unchanged={counts['unchanged']} events={counts['events']} "
        f"skipped={counts['failed']}"
    )


def _large_case(megabytes: int) -> None:
    """A map of `megabytes` MB: the newest recording's entries, then copies of
    them under suffixed keys (none matches a catalogue model), synced over the
    stored offers with the size cap just above it and the shrink guard met."""
    body = large_map(megabytes)
    size_mb = len(body) / 1e6
    settings.LITELLM_MAX_MB = int(size_mb) + 5
    with serving(body) as url:
        settings.LITELLM_PRICES_URL = url
        start = time.perf_counter()
        run = sync_litellm()
        elapsed = time.perf_counter() - start
    label = f"large map, {size_mb:.0f} MB"
    _report(label, elapsed, run.counts)
    print(f"  status={run.status} offers now {DirectOffer.objects.count()}")
    print(f"peak RSS {peak_rss_of_self_mb():.0f} MB (budget {BUDGET_MB} MB)")


def large_map(megabytes: int) -> bytes:
    """The newest recording grown to about `megabytes` MB of JSON text."""
    entries = json.loads(litellm.prices_text(litellm.LATEST))
    grown = dict(entries)
    unit = len(litellm.prices_text(litellm.LATEST))
    copies = max(1, megabytes * 10**6 // unit)
    for n in range(1, copies):
        grown.update(
            {f"{key}-bench{n}": v for key, v in entries.items() if key != "sample_spec"}
        )
    return json.dumps(grown, indent=4).encode()


@contextmanager
def serving(body: bytes) -> Iterator[str]:
    """A loopback server answering every GET with `body` (JSON)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/map.json"
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
