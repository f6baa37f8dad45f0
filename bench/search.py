"""Search relevance and latency: queries a person types, judged against the models
they mean in the recorded 2025-05-22 catalogue.

For each database (SQLite, and PostgreSQL when BENCH_DATABASE_URL is set, or
--postgres) and each size (the recorded 321 models; a synthetic 30,000: the
recording, then copies of it under new ids, as bench/scale.py builds), a fresh
database is filled through the real catalogue sync from the demo upstream, with
popularity: tokens per day from the demo's activity for the recorded models, and
for each copy a share (0-200 %) of its original's. Then every query is asked as
the suggestions and the list page ask it (one page of the ranking) and prints:

- top-1: the first result is one of the query's expected models;
- MRR: the mean of 1 / the rank of the first expected model (0 past 20);
- p50 / p95 latency of one ranked page, the vocabulary's typo look-up included;
  on PostgreSQL twice: as configured, and with random_page_cost = 1.1 (the usual
  setting for data on SSD or in memory).

At 30,000 models a copy of an expected model counts as that model (its data is the
same under a new id).

    .venv/bin/python bench/search.py [--sizes 321,30000] [--repeat 5]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/modelboard_search \\
        .venv/bin/python bench/search.py
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SNAPSHOT = ROOT / "demo" / "data" / "models-2025-05-22.json"
RECORDED: list[dict[str, Any]] = json.loads(SNAPSHOT.read_text())["data"]
DEPTH = 20
COPY = re.compile(r"-s\d+(?=$|:)")


def _price(model: dict[str, Any], key: str) -> Decimal | None:
    try:
        return Decimal(str(model["pricing"][key])) * 1_000_000
    except Exception:
        return None


def named(*words: str) -> Callable[[dict[str, Any]], bool]:
    """Models whose name holds every word (case aside)."""
    return lambda m: all(w in m["name"].lower() for w in words)


def reads_images(m: dict[str, Any]) -> bool:
    return "image" in m["architecture"]["input_modalities"]


def cheap(m: dict[str, Any]) -> bool:
    prompt, completion = _price(m, "prompt"), _price(m, "completion")
    return (
        prompt is not None
        and completion is not None
        and 0 <= prompt <= Decimal("0.5")
        and 0 <= completion <= 2
    )


def free(m: dict[str, Any]) -> bool:
    return _price(m, "prompt") == 0 and _price(m, "completion") == 0


def ids(*values: str) -> Callable[[dict[str, Any]], bool]:
    return lambda m: m["id"] in values


# (query, the models it means): ids, names, families, typos, capabilities.
QUERIES: list[tuple[str, Callable[[dict[str, Any]], bool]]] = [
    ("gpt-4o", ids("openai/gpt-4o")),
    ("GPT4o", ids("openai/gpt-4o")),
    ("gpt 4o mini", ids("openai/gpt-4o-mini")),
    ("openai/o3", ids("openai/o3")),
    ("o1", ids("openai/o1")),
    ("o4 mini", ids("openai/o4-mini")),
    ("claude 3.5 sonnet", ids("anthropic/claude-3.5-sonnet")),
    ("claude-3.7-sonnet", ids("anthropic/claude-3.7-sonnet")),
    ("claude sonnet 4", ids("anthropic/claude-sonnet-4")),
    ("Claude Opus 4", ids("anthropic/claude-opus-4")),
    ("claude sonnet", lambda m: m["id"].startswith("anthropic/") and named("sonnet")(m)),
    ("deepseek r1", ids("deepseek/deepseek-r1")),
    ("deepseek v3", ids("deepseek/deepseek-chat", "deepseek/deepseek-chat-v3-0324")),
    ("gemini 2.5 pro", ids("google/gemini-2.5-pro-preview", "google/gemini-2.5-pro-exp-03-25")),
    ("gemini flash", named("gemini", "flash")),
    ("llama 3.3 70b", ids("meta-llama/llama-3.3-70b-instruct")),
    ("llama 4 maverick", ids("meta-llama/llama-4-maverick")),
    ("mistral large", named("mistral large")),
    ("mistral small 3.1", ids("mistralai/mistral-small-3.1-24b-instruct")),
    ("qwen3 235b", ids("qwen/qwen3-235b-a22b")),
    ("qwq", named("qwq")),
    ("grok 3", ids("x-ai/grok-3-beta", "x-ai/grok-3-mini-beta")),
    ("command r plus", ids("cohere/command-r-plus-08-2024", "cohere/command-r-plus")),
    ("phi 4", ids("microsoft/phi-4")),
    ("lfm 40b", ids("liquid/lfm-40b")),
    ("nova pro", ids("amazon/nova-pro-v1")),
    ("gpt 4.1 nano", ids("openai/gpt-4.1-nano")),
    ("gpt-4.1", ids("openai/gpt-4.1")),
    ("auto router", ids("openrouter/auto")),
    ("sonar", named("sonar")),
    ("claude", named("claude")),
    ("llama", named("llama")),
    ("qwen", lambda m: m["id"].startswith("qwen/")),
    ("gemma", named("gemma")),
    ("mistral", lambda m: m["id"].startswith("mistralai/") and named("mistral")(m)),
    ("anthropic", lambda m: m["id"].startswith("anthropic/")),
    ("deepseek", lambda m: m["id"].startswith("deepseek/")),
    # One typo in a word of five letters or more.
    ("claude sonet", lambda m: named("claude", "sonnet")(m)),
    ("gemni flash", named("gemini", "flash")),
    ("mistrall large", named("mistral large")),
    ("deepsek r1", ids("deepseek/deepseek-r1", "deepseek/deepseek-r1:free")),
    ("llama mavrick", named("llama 4 maverick")),
    ("antropic claude", named("claude")),
    ("gpt-4o-mnii", ids("openai/gpt-4o-mini")),
    # What a model can do and what it costs.
    ("cheap vision model", lambda m: reads_images(m) and cheap(m)),
    ("free vision", lambda m: reads_images(m) and free(m)),
    (
        "free reasoning model",
        lambda m: free(m) and "reasoning" in (m.get("supported_parameters") or []),
    ),
    ("long context gemini", lambda m: named("gemini")(m) and m["context_length"] >= 200_000),
    ("coder", lambda m: "coder" in m["name"].lower() or "coder" in m["id"]),
    (
        "tool calling llama",
        lambda m: named("llama")(m) and "tools" in (m.get("supported_parameters") or []),
    ),
]  # fmt: skip


def expected(keep: Callable[[dict[str, Any]], bool]) -> set[str]:
    return {m["id"] for m in RECORDED if keep(m)}


# -- one leg: a database, a size (run in its own process: Django is set up once)


def leg(database_url: str, size: int, repeat: int) -> dict[str, Any]:
    from demo.server import DemoUpstream

    snapshot = "2025-05-22" if size == 321 else f"synthetic:{size}"
    with DemoUpstream(port=0, snapshot=snapshot) as demo:
        os.environ |= {
            "DATABASE_URL": database_url,
            "OPENROUTER_BASE_URL": demo.base_url,
            "OPENROUTER_SITE_URL": demo.url,
            "SYNC_REQUESTS_PER_SECOND": "1000",
            "MODELBOARD_LOCAL": "1",
            "LOG_LEVEL": "WARNING",
        }
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        started = time.monotonic()
        _fill(size)
        filled = time.monotonic() - started
    from django.db import connection

    result = {"fill_seconds": round(filled, 1), "default": _measure(repeat)}
    if connection.vendor == "postgresql":
        # The planner's cost of a random page read, for data on SSD or in memory
        # (the common tuning): PostgreSQL then reads the matches from the indexes.
        with connection.cursor() as cursor:
            cursor.execute("SET random_page_cost = 1.1")
        result["random_page_cost=1.1"] = _measure(repeat)
    return result


def _fill(size: int) -> None:
    from django.utils import timezone

    from catalog.models import LanguageModel
    from catalog.syncs import sync_catalog
    from stats.syncs import sync_activity

    assert sync_catalog().status == "succeeded"
    originals = LanguageModel.objects.filter(slug__in=[m["id"] for m in RECORDED])
    keep = list(originals.values_list("pk", flat=True))
    # Popularity of the recorded models from the demo's activity (the copies
    # delisted for the while, so the poll asks about the 321 only).
    copies = LanguageModel.objects.exclude(pk__in=keep)
    copies.update(delisted_at=timezone.now())
    assert sync_activity().status == "succeeded"
    copies.update(delisted_at=None)
    if size > len(RECORDED):
        _copies_popularity()
    from django.db import connection

    if connection.vendor == "postgresql":
        # As autovacuum would have by the time anyone searches.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _copies_popularity() -> None:
    from catalog.models import LanguageModel

    tokens = dict(
        LanguageModel.objects.filter(slug__in=[m["id"] for m in RECORDED]).values_list(
            "slug", "tokens_week"
        )
    )
    rows = []
    for pk, slug in LanguageModel.objects.values_list("pk", "slug").iterator():
        original, busy = COPY.sub("", slug), tokens.get(COPY.sub("", slug))
        if original != slug and busy:
            share = zlib.crc32(slug.encode()) % 201 / 100
            rows.append(LanguageModel(pk=pk, tokens_week=int(busy * share)))
    LanguageModel.objects.bulk_update(rows, ["tokens_week"], batch_size=1000)


def _measure(repeat: int) -> dict[str, Any]:
    from catalog.models import LanguageModel
    from catalog.ranking import ranks_listed
    from catalog.reads.selectors import LIST_COLUMNS, models_visible
    from catalog.search import search_ranked

    rows = models_visible().only(*LIST_COLUMNS)

    def ranked(q: str) -> list[str]:
        # As the list reads a page: the ranked ids, then their rows.
        return [m.slug for m in search_ranked(ranks_listed(), rows, q)[:DEPTH]]

    hits, reciprocal, timings, misses = 0, [], [], []
    for q, keep in QUERIES:
        wanted = expected(keep)
        assert wanted, f"{q!r} expects no model of the recording"
        ranked(q)  # warm: plans and pages cached as after any first visitor
        for _ in range(repeat):
            started = time.perf_counter()
            found = ranked(q)
            timings.append((time.perf_counter() - started) * 1000)
        ranks = [i for i, slug in enumerate(found, 1) if COPY.sub("", slug) in wanted]
        hits += bool(ranks and ranks[0] == 1)
        reciprocal.append(1 / ranks[0] if ranks else 0.0)
        if not ranks or ranks[0] != 1:
            misses.append(f"{q!r}: first {found[:1]}, expected at {ranks[:1] or '-'}")
    timings.sort()
    return {
        "models": LanguageModel.objects.count(),
        "queries": len(QUERIES),
        "top1": hits / len(QUERIES),
        "mrr": statistics.fmean(reciprocal),
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "misses": misses,
    }


# -- the whole benchmark


def _run_leg(url: str, size: int, repeat: int) -> dict[str, Any]:
    argv = [sys.executable, __file__, "--leg", url, str(size), str(repeat)]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{url} at {size} failed:\n{done.stderr[-3000:]}")
    leg: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return leg


def _recreate_postgres(url: str) -> None:
    from bench import common

    common.recreate_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="321,30000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--leg", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.leg:
        url, size, repeat = args.leg
        print(json.dumps(leg(url, int(size), int(repeat))))
        return
    pg = os.environ.get("BENCH_DATABASE_URL", "")
    print(f"{len(QUERIES)} queries, {args.repeat} timed runs each")
    for database in args.databases.split(","):
        if database == "postgres" and not pg:
            print("PostgreSQL: set BENCH_DATABASE_URL to measure it")
            continue
        for size in (int(s) for s in args.sizes.split(",")):
            if database == "postgres":
                _recreate_postgres(pg)
                url = pg
            else:
                url = f"sqlite:///{tempfile.mkdtemp(prefix='mb-search-')}/bench.sqlite3"
            ran = _run_leg(url, size, args.repeat)
            for setting, result in ran.items():
                if setting == "fill_seconds":
                    continue
                print(
                    f"{database:<9} {result['models']:>6,} models: "
                    f"top-1 {result['top1']:.1%}  MRR {result['mrr']:.3f}  "
                    f"p50 {result['p50_ms']:.1f} ms  p95 {result['p95_ms']:.1f} ms  "
                    f"[{setting}; filled in {ran['fill_seconds']} s]"
                )
                for miss in result["misses"]:
                    print(f"    {miss}")


if __name__ == "__main__":
    main()
