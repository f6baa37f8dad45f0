"""The board as the catalogue grows: 321, 3,000 and 30,000 models on PostgreSQL.

For each size, a fresh database is filled from the demo upstream serving that many
models (the 2025-05-22 recording, then copies of it: `synthetic:N`; with
`--catalogue synthetic-tiered`, the 2026 pricing recording and copies, about one
model in fifteen with price tiers), through the real syncs, each in its own
process (wall time and peak RSS):

- the catalogue sync (first, then again with nothing changed);
- the endpoints sync (every model: ~2.5 endpoints each, their samples and rollups);
- the direct prices sync (LiteLLM's recorded map, matched to the catalogue);

then a quarter (90 days) of tokens, daily rollups and uptime, 7 days of hourly
rollups, and apps are written in SQL and the rollup job derives the current figures
and the rankings. Every page and API route is then requested cold (no cache at all:
every request builds its answer) in one process: p50 and p95 of single requests,
and SQL statements per request.

    BENCH_DATABASE_URL=postgres://... .venv/bin/python bench/scale.py \\
        [--sizes 321,3000,30000] [--requests 15] [--catalogue synthetic-tiered]

`--explain` prints PostgreSQL's plan (EXPLAIN ANALYZE) of the list's ranking by
a workload of one's own with a 300,000-token prompt: the tiered models' regions
are read only for them (the rank's `tiered` flag), the others priced from the
rank-priced index alone.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

ROUTES = [
    # A 30 KB answer through the same middleware: this machine's floor, to read
    # the others against on another machine.
    "/__bench/trivial",
    "/",
    "/?sort=price_asc",
    "/?sort=price_desc",
    "/?sort=context",
    "/?sort=tokens_week",
    "/?sort=throughput",
    "/?sort=latency",
    "/?sort=cost&preset=rag",
    # A workload of its own: priced in the query, not read from a preset's column.
    "/?sort=cost&preset=rag&output_tokens=600",
    # A long prompt of one's own: tiers above 200,000 tokens priced in the query.
    "/?sort=cost&input_tokens=300000&output_tokens=1000",
    # Time windows too: requests only at night, UTC.
    "/?sort=cost&input_tokens=300000&output_tokens=1000&utc_start=1700&utc_end=2300",
    "/?q=llama",
    # Three long words: ~1,100 one-typo neighbours looked up in the vocabulary.
    "/?q=mistral+large+instruct",
    "/?q=zzzz-nothing",
    "/?provider=openai",
    "/?author=openai",
    "/?input_modality=image",
    "/?free=1",
    "/?parameter=tools&min_context=100000&max_price=5",
    "/?page=3",
    "/liquid/lfm-40b",
    "/openai/gpt-4o",
    "/providers/openai",
    "/openai",
    "/rankings",
    "/changes",
    "/changes/feed.rss",
    "/compare?models=openai/gpt-4o,liquid/lfm-40b",
    "/api/v1/models?limit=100",
    "/api/v1/cost?preset=rag&limit=100",
    "/api/v1/cost?input_tokens=300000&output_tokens=1000&limit=100",
    "/api/v1/models?offset=0&limit=500",
    "/api/v1/models?limit=100&offset=1000&order=price",
    "/api/v1/models?limit=100&q=llama",
    "/api/v1/models/openai/gpt-4o",
    "/api/v1/models/openai/gpt-4o/endpoints",
    "/api/v1/providers",
]


def build(size: int, catalogue: str = "synthetic") -> dict[str, common.Ran]:
    """A fresh database of `size` models through the real syncs; what each cost."""
    env = common.board_env()
    common.recreate_database(common.database_url())
    common.manage(env, "migrate", "--noinput")
    common.manage(env, "collectstatic", "--noinput")
    ran = {}
    with common.demo_upstream(f"{catalogue}:{size}") as upstream:
        synced = env | upstream
        common.manage(synced, "sync", "providers", "--no-progress")
        ran["catalogue sync"] = common.manage(
            synced, "sync", "catalog", "--no-progress"
        )
        ran["catalogue re-sync (unchanged)"] = common.manage(
            synced, "sync", "catalog", "--no-progress"
        )
        ran["endpoints sync"] = common.manage(
            synced, "sync", "endpoints", "--no-progress"
        )
        # The direct providers' prices (LiteLLM's recorded map), matched to the
        # catalogue: the model pages' Direct rows, the list's routed-vs-direct.
        ran["direct prices sync"] = common.manage(
            synced, "sync", "litellm", "--no-progress"
        )
    started = time.monotonic()
    common.fill_stats(env)
    ran["quarter of stats + rollup job"] = common.Ran(
        time.monotonic() - started, 0.0, ""
    )
    return ran


def routes(requests: int) -> None:
    """(In the board's process.) Each route cold, `requests` times: JSON out."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from config.collector import settle_collector

    # As gunicorn's workers run (config.wsgi): the collector settled once loaded.
    settle_collector()
    client = Client(HTTP_HOST="localhost")
    results = {}

    def get(route: str) -> Any:
        response: Any = client.get(route)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code == 200, (route, response.status_code)
        return response

    for route in ROUTES:
        get(route)  # the connection's one-off checks, imports
        # Statements counted apart: capturing them costs time of its own.
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            get(route)
        statements = len(ctx.captured_queries)
        times = []
        for _ in range(requests):
            cache.clear()
            started = time.perf_counter()
            get(route)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        results[route] = {
            "p50": statistics.median(times),
            "p95": times[max(0, round(0.95 * len(times)) - 1)],
            "sql": statements,
        }
    print(json.dumps(results))


def measure_routes(requests: int) -> dict[str, dict[str, float]]:
    env = common.board_env(BENCH_NO_CACHE="1")
    ran = common.manage(env, "shell", "-c", _ROUTES_CALL.format(requests=requests))
    timings: dict[str, dict[str, float]] = json.loads(
        ran.output.strip().splitlines()[-1]
    )
    return timings


_ROUTES_CALL = (
    "import sys; sys.path.insert(0, '.'); "
    "from bench.scale import routes; routes({requests})"
)


def explain() -> None:
    """(In the board's process.) The plan of the list ranked by a long prompt."""
    import django

    django.setup()
    from django.db import connection

    from catalog.pricing.costs import Workload
    from catalog.ranking import ranks_by_cost, ranks_listed
    from catalog.reads.selectors import featured_first

    workload = Workload(input_tokens=300_000, output_tokens=1000)
    ranks = featured_first(ranks_by_cost(ranks_listed(), workload, "slug"))
    sql, params = ranks.values_list("model_id", flat=True)[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        print("\n".join(row[0] for row in cursor.fetchall()))


_EXPLAIN_CALL = (
    "import sys; sys.path.insert(0, '.'); from bench.scale import explain; explain()"
)


def counts() -> dict[str, int]:
    import psycopg

    with psycopg.connect(common.database_url()) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            for table in (
                "catalog_languagemodel",
                "catalog_endpoint",
                "catalog_pricetier",
                "catalog_directoffer",
                "stats_endpointrollup",
                "stats_tokenusagedaily",
            )
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="321,3000,30000")
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--passes", type=int, default=2, help="route passes per size")
    parser.add_argument(
        "--measure-only", action="store_true", help="measure the database as it is"
    )
    parser.add_argument(
        "--catalogue",
        default="synthetic",
        choices=["synthetic", "synthetic-tiered"],
        help="the demo upstream's catalogue the sizes are made of",
    )
    parser.add_argument(
        "--explain", action="store_true", help="print the long-prompt sort's plan"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    by_size: dict[int, list[dict[str, dict[str, float]]]] = {}
    for size in sizes:
        if args.measure_only:
            common.manage(common.board_env(), "collectstatic", "--noinput")
            by_size[size] = [measure_routes(args.requests) for _ in range(args.passes)]
            continue
        ran = build(size, args.catalogue)
        rows = counts()
        print(f"\n== {size:,} models: {rows}", flush=True)
        for label, r in ran.items():
            rss = f", peak RSS {r.peak_rss_mb:,.0f} MB" if r.peak_rss_mb else ""
            print(f"{label:<34}{r.seconds:>8.1f} s{rss}", flush=True)
        by_size[size] = [measure_routes(args.requests) for _ in range(args.passes)]
        if args.explain:
            print(
                common.manage(common.board_env(), "shell", "-c", _EXPLAIN_CALL).output
            )
    print(f"\n{common.machine()}")
    print(
        f"cold single requests (no cache): p50 ms (range over {args.passes} passes of "
        f"{args.requests}), p95 ms (worst pass), SQL statements"
    )
    print(f"{'route':<50}" + "".join(f"{s:>24,}" for s in sizes))
    for route in ROUTES:
        cells = ""
        for size in sizes:
            passes = [p[route] for p in by_size[size]]
            low = min(p["p50"] for p in passes)
            high = max(p["p50"] for p in passes)
            worst = max(p["p95"] for p in passes)
            cells += f"{low:>7.1f}-{high:<6.1f}{worst:>6.1f}{passes[0]['sql']:>4}"
        print(f"{route:<50}{cells}")


if __name__ == "__main__":
    if os.environ.get("BENCH_ROUTES"):
        routes(int(os.environ["BENCH_ROUTES"]))
    else:
        main()
