"""Page throughput and page weight of the public pages, served the production way.

gunicorn (2 sync workers) on a loopback port, a throw-away SQLite database holding
2,000 models (the recorded 321 cloned under new ids, with their endpoints and stats),
whitenoise serving fingerprinted, compressed static files. Prints numbers:

    .venv/bin/python bench/pages.py [--seconds 5] [--threads 4]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = tempfile.mkdtemp(prefix="mb-bench-pages-")
ENV = {
    "MODELBOARD_VAR_DIR": VAR,
    "DATABASE_URL": f"sqlite:///{VAR}/bench.sqlite3",
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import override_settings  # noqa: E402

from catalog.models import Endpoint, LanguageModel  # noqa: E402
from demo.server import DemoUpstream  # noqa: E402

TARGET_MODELS = 2000
MODEL_PAGE = "/openai/gpt-4o"
PAGES = {"trivial (/healthz)": "/healthz", "list (/)": "/", "model": MODEL_PAGE}


def fill_database() -> None:
    """Migrate, sync the demo catalogue over HTTP, then clone it up to 2,000 models."""
    from catalog.syncs import sync_catalog, sync_providers
    from ops.jobs import sync_endpoints
    from stats import syncs as stats_syncs

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    with (
        DemoUpstream(port=0, snapshot="2025-05-22") as demo,
        override_settings(
            OPENROUTER_BASE_URL=demo.base_url,
            OPENROUTER_SITE_URL=demo.url,
            SYNC_REQUESTS_PER_SECOND=1000,
            SYNC_ENDPOINTS_CONCURRENCY=8,
        ),
    ):
        for sync in (sync_providers, sync_catalog, sync_endpoints):
            sync()
        stats_syncs.sync_activity()
        stats_syncs.sync_apps()
    originals = list(LanguageModel.objects.all())
    endpoints = list(Endpoint.objects.all())
    by_model: dict[int, list[Endpoint]] = {}
    for e in endpoints:
        by_model.setdefault(e.model_id, []).append(e)
    copies: list[tuple[LanguageModel, list[Endpoint]]] = []
    n = 0
    while len(originals) + len(copies) < TARGET_MODELS:
        source = originals[n % len(originals)]
        base, _, variant = source.slug.partition(":")
        clone = LanguageModel.objects.get(pk=source.pk)
        clone.pk = None
        clone.slug = f"{base}-copy{n}" + (f":{variant}" if variant else "")
        clone.name = f"{source.name} (copy {n})"
        copies.append((clone, by_model.get(source.pk, [])))
        n += 1
    LanguageModel.objects.bulk_create([c for c, _ in copies], batch_size=500)
    new_endpoints = []
    for clone, its in copies:
        for e in its:
            e = Endpoint(
                **{f.attname: getattr(e, f.attname) for f in Endpoint._meta.fields}
            )
            e.pk, e.model_id = None, clone.pk
            new_endpoints.append(e)
    Endpoint.objects.bulk_create(new_endpoints, batch_size=500)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    argv = [
        str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application",
        "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(argv, cwd=ROOT, env=os.environ | ENV)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/robots.txt").status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def throughput(base: str, path: str, seconds: float, threads: int) -> float:
    """Requests per second over `seconds`, from `threads` keep-alive clients."""
    done = [0] * threads
    stop = time.monotonic() + seconds

    def run(i: int) -> None:
        with httpx.Client(base_url=base) as client:
            while time.monotonic() < stop:
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                done[i] += 1

    started = time.monotonic()
    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(done) / (time.monotonic() - started)


def assets(html: str) -> list[str]:
    found = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    return found + re.findall(r'<script src="([^"]+)"', html)


def cacheable(response: httpx.Response) -> bool:
    control = response.headers.get("cache-control", "")
    match = re.search(r"max-age=(\d+)", control)
    return bool(match and int(match.group(1)) > 0) and "no-cache" not in control


def page_weight(base: str, path: str) -> tuple[int, int, int]:
    """Bytes on the wire (compressed) for a first load and a repeat load, and the
    uncompressed total. Repeat: fresh cached assets cost nothing; the rest is
    revalidated with ETag/Last-Modified when offered, else fetched again."""
    headers = {"Accept-Encoding": "br, gzip"}
    first = repeat = raw = 0
    with httpx.Client(base_url=base, headers=headers) as client:
        page = client.get(path)
        urls = [path] + [urljoin(base + path, a) for a in assets(page.text)]
        for url in urls:
            with client.stream("GET", url) as r:
                body = r.read()
                first += r.num_bytes_downloaded
                raw += len(body)
                if cacheable(r) and url != path:
                    continue
                conditional = {}
                if "etag" in r.headers:
                    conditional["If-None-Match"] = r.headers["etag"]
                if "last-modified" in r.headers:
                    conditional["If-Modified-Since"] = r.headers["last-modified"]
            with client.stream("GET", url, headers=conditional) as again:
                again.read()
                repeat += again.num_bytes_downloaded
    return first, repeat, raw


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    fill_database()
    print(f"models\t{LanguageModel.objects.count()}")
    port = free_port()
    server = start_gunicorn(port)
    base = f"http://127.0.0.1:{port}"
    try:
        rates = {}
        for label, path in PAGES.items():
            throughput(base, path, 0.5, args.threads)  # warm up both workers
            rates[label] = throughput(base, path, args.seconds, args.threads)
            print(f"req/s\t{label}\t{rates[label]:.1f}")
        trivial = rates["trivial (/healthz)"]
        for label in ("list (/)", "model"):
            print(f"ratio\t{label} / trivial\t{rates[label] / trivial:.3f}")
        first, repeat, raw = page_weight(base, MODEL_PAGE)
        print(f"bytes\tmodel page first load (compressed)\t{first}")
        print(f"bytes\tmodel page first load (uncompressed)\t{raw}")
        print(f"bytes\tmodel page repeat load\t{repeat}")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
