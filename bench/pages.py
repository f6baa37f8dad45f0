"""Page throughput beside a trivial view, with wrk, on PostgreSQL, served the
production way: gunicorn (2 sync workers), DEBUG off, Redis as the shared cache,
whitenoise serving fingerprinted, compressed static files.

The data: the recorded 2025-05-22 catalogue synced from the demo upstream (its
endpoints, apps, tokens and uptime), with a quarter (90 days) of daily and 7 days of
hourly rollups for every endpoint. Each page is measured in interleaved rounds
beside `/__bench/trivial` (a 30 KB answer through the same middleware) and printed
as a ratio to it:

- warm: anonymous, the page cache filled (what visitors get almost always);
- 304: a revalidation with the page's ETag;
- cold: no cache at all (every request builds the page: the database's share).

Also the model page's weight on the wire, first and repeat visit.

    BENCH_DATABASE_URL=postgres://... CACHE_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/pages.py [--seconds 5] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urljoin

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

# Debian's wrk (`make bench-pg` installs it): a compiled load generator, so the
# figures are the server's, not a Python client's.
WRK = shutil.which("wrk") or "/usr/bin/wrk"
TRIVIAL = "/__bench/trivial"
MODEL = "/liquid/lfm-40b"
PAGES = {
    "model page": MODEL,
    "list /": "/",
    "rankings": "/rankings",
    "changes": "/changes",
    "provider page": "/providers/openai",
    "/api/v1/models": "/api/v1/models",
}
BROWSER = {"Accept-Encoding": "br, gzip", "Accept": "text/html,application/json"}


def prepare(env: dict[str, str]) -> None:
    """A fresh database with the recorded catalogue and a quarter of stats."""
    common.recreate_database(common.database_url())
    common.manage(env, "migrate", "--noinput")
    with common.demo_upstream("2025-05-22") as upstream:
        synced = env | upstream
        for target in ("providers", "catalog", "endpoints", "stats"):
            common.manage(synced, "sync", target, "--no-progress")
    common.fill_stats(env)


def wrk(url: str, seconds: float, headers: dict[str, str]) -> tuple[float, float]:
    """Requests per second and median latency (ms) of wrk -t2 -c16 on `url`."""
    argv = [WRK, "-t2", "-c16", f"-d{round(seconds)}s", "--latency"]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*argv, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    median = float(p50.group(1)) * scale[p50.group(2)] if p50 else float("nan")
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise SystemExit(f"errors from {url}:\n{out}")
    return rate, median


def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def measure(
    base: str, seconds: float, rounds: int, kind: str
) -> dict[str, list[tuple[float, float]]]:
    """Interleaved rounds: trivial, then each page, `rounds` times over."""
    results: dict[str, list[tuple[float, float]]] = {"trivial": []}
    for _ in range(rounds):
        results["trivial"].append(wrk(base + TRIVIAL, seconds, BROWSER))
        for label, path in PAGES.items():
            headers = dict(BROWSER)
            fetch(base + path, headers)  # fill the cache (warm) / warm the worker
            fetch(base + path, headers)
            if kind == "304":
                _, answer, _ = fetch(base + path, headers)
                headers["If-None-Match"] = answer["ETag"]
            results.setdefault(label, []).append(wrk(base + path, seconds, headers))
    return results


def report(kind: str, results: dict[str, list[tuple[float, float]]]) -> None:
    trivial = [rate for rate, _ in results["trivial"]]
    print(f"\n{kind}: trivial {min(trivial):,.0f}-{max(trivial):,.0f} req/s")
    print(f"{'page':<18}{'req/s':>18}{'x trivial':>16}{'p50 ms':>14}")
    for label in PAGES:
        rows = results[label]
        rates = [r for r, _ in rows]
        ratios = [r / t for (r, _), t in zip(rows, trivial, strict=True)]
        medians = [m for _, m in rows]
        print(
            f"{label:<18}{min(rates):>8,.0f}-{max(rates):<9,.0f}"
            f"{min(ratios):>7.2f}-{max(ratios):<8.2f}"
            f"{min(medians):>6.1f}-{max(medians):<6.1f}"
        )


def assets(html: str) -> list[str]:
    found = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    return found + re.findall(r'<script src="([^"]+)"', html)


def weight(base: str) -> None:
    """Bytes of the model page and what it loads, compressed, first and repeat
    visit (fingerprinted assets are cached for good; the page revalidates)."""
    first = repeat = 0
    status, headers, body = fetch(base + MODEL, BROWSER)
    html = _decoded(headers, body)
    first += len(body)
    for asset in assets(html):
        _, _, data = fetch(urljoin(base + MODEL, asset), BROWSER)
        first += len(data)
    _, _, again = fetch(base + MODEL, BROWSER | {"If-None-Match": headers["ETag"]})
    repeat += len(again)
    print(
        f"\nmodel page weight (body bytes, br): first visit {first / 1024:,.0f} KB, "
        f"repeat {repeat / 1024:,.1f} KB (a 304), page alone {len(body) / 1024:,.1f} KB "
        f"({len(html.encode()) / 1024:,.0f} KB uncompressed)"
    )


def _decoded(headers: dict[str, str], body: bytes) -> str:
    import brotli

    if headers.get("Content-Encoding") == "br":
        body = brotli.decompress(body)
    return body.decode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="keep the database")
    args = parser.parse_args()
    if not os.access(WRK, os.X_OK):
        raise SystemExit("wrk is missing: `make bench-pg` installs Debian's wrk")
    cache = os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/9")
    env = common.board_env(CACHE_URL=cache)
    if not args.reuse:
        prepare(env)
    common.manage(env, "collectstatic", "--noinput")
    print(common.machine())
    print(f"gunicorn 2 workers, wrk -t2 -c16 -d{args.seconds:g}s, {args.rounds} rounds")
    flush = common.board_env(CACHE_URL=cache)
    with ExitStack() as stack:
        base = stack.enter_context(common.gunicorn(env))
        common.manage(
            flush, "shell", "-c", "from django.core.cache import cache; cache.clear()"
        )
        report("warm (page cache)", measure(base, args.seconds, args.rounds, "warm"))
        report("304 (If-None-Match)", measure(base, args.seconds, args.rounds, "304"))
        weight(base)
    cold = common.board_env(CACHE_URL="", BENCH_NO_CACHE="1")
    with common.gunicorn(cold) as base:
        report("cold (no cache)", measure(base, args.seconds, args.rounds, "cold"))


if __name__ == "__main__":
    main()
