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

A second set, HELD_OUT, is what a newcomer types, each query with the top-1 it
means, written down before the ranking learnt intent: a family's newest member
("gemini flash"), a capability or an order in words ("long context", "cheap
vision", "fast llama"), and kinds of model the board holds none of ("embedding",
"image generation"), where the right answer is no model at all. Its expectations
are read from the filled database (the fastest model is the demo's), and its top-1
is printed on its own line.

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
from dataclasses import dataclass
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


# -- the held-out set: a newcomer's queries and the top-1 each means ----------------


@dataclass(frozen=True)
class Row:
    """A listed model as the held-out expectations read it from the database."""

    id: str
    name: str
    created: float
    context: int
    prompt: Decimal | None
    completion: Decimal | None
    reads_images: bool
    throughput: float | None

    @property
    def free(self) -> bool:
        return self.prompt == 0 and self.completion == 0


Expect = Callable[[list[Row]], set[str]]
# The query names a kind of model the board holds none of: the answer is nothing.
NOTHING: Expect = lambda rows: set()  # noqa: E731


def one_of(*values: str) -> Expect:
    return lambda rows: set(values)


def where(keep: Callable[[Row], bool]) -> Expect:
    return lambda rows: {r.id for r in rows if keep(r)}


def best(
    key: Callable[[Row], Any], keep: Callable[[Row], bool] = lambda r: True
) -> Expect:
    """The rows (ties included) with the least `key` among those kept."""

    def top(rows: list[Row]) -> set[str]:
        kept = [r for r in rows if keep(r) and key(r) is not None]
        least = min(key(r) for r in kept)
        return {r.id for r in kept if key(r) == least}

    return top


def name_has(*words: str) -> Callable[[Row], bool]:
    return lambda r: all(w in r.name.lower() for w in words)


def slowness(r: Row) -> float | None:
    return None if r.throughput is None else -r.throughput


def paid(r: Row) -> bool:
    return r.prompt is not None and r.prompt >= 0 and not r.free


HELD_OUT: list[tuple[str, Expect]] = [
    # A family by name: its newest member.
    ("gemini flash", one_of("google/gemini-2.5-flash-preview-05-20", "google/gemini-2.5-flash-preview")),
    ("gemini pro", one_of("google/gemini-2.5-pro-preview")),
    ("claude sonnet", one_of("anthropic/claude-sonnet-4")),
    ("claude opus", one_of("anthropic/claude-opus-4")),
    ("claude haiku", one_of("anthropic/claude-3.5-haiku", "anthropic/claude-3.5-haiku-20241022")),
    ("claude", one_of("anthropic/claude-sonnet-4", "anthropic/claude-opus-4")),
    ("gpt mini", one_of("openai/gpt-4.1-mini")),
    ("gpt", one_of("openai/gpt-4.1")),
    ("llama", one_of("meta-llama/llama-4-maverick", "meta-llama/llama-4-scout")),
    ("llama 70b", one_of("meta-llama/llama-3.3-70b-instruct")),
    ("qwen", where(lambda r: r.id.startswith("qwen/qwen3-") and ":" not in r.id)),
    ("deepseek", one_of("deepseek/deepseek-chat-v3-0324", "deepseek/deepseek-r1")),
    ("mistral", one_of("mistralai/mistral-medium-3", "mistralai/devstral-small", "mistralai/mistral-small-3.1-24b-instruct")),
    ("grok", one_of("x-ai/grok-3-beta", "x-ai/grok-3-mini-beta")),
    ("gemma", where(lambda r: r.id.startswith("google/gemma-3") and ":" not in r.id)),
    ("phi", one_of("microsoft/phi-4-reasoning-plus", "microsoft/phi-4-multimodal-instruct")),
    ("command", one_of("cohere/command-a")),
    ("sonar", one_of("perplexity/sonar-pro", "perplexity/sonar-reasoning-pro", "perplexity/sonar-deep-research")),
    # An order or a filter said in words.
    ("long context", best(lambda r: -r.context)),
    ("long context model", best(lambda r: -r.context)),
    ("long context gemini", best(lambda r: -r.context, name_has("gemini"))),
    ("cheap", best(lambda r: r.prompt, paid)),
    ("cheap vision", best(lambda r: r.prompt, lambda r: paid(r) and r.reads_images)),
    ("cheap claude", best(lambda r: r.prompt, lambda r: paid(r) and name_has("claude")(r))),
    ("free", where(lambda r: r.free)),
    ("free llama", where(lambda r: r.free and name_has("llama")(r))),
    ("free deepseek", one_of("deepseek/deepseek-chat-v3-0324:free", "deepseek/deepseek-r1:free")),
    ("free vision", where(lambda r: r.free and r.reads_images)),
    ("vision", where(lambda r: r.reads_images)),
    ("vision llama", one_of("meta-llama/llama-4-maverick", "meta-llama/llama-4-scout")),
    ("fast", best(slowness)),
    ("fast llama", best(slowness, name_has("llama"))),
    # Kinds of model the board holds none of.
    ("embedding", NOTHING),
    ("embeddings model", NOTHING),
    ("image generation", NOTHING),
    ("text to image", NOTHING),
    ("video generation", NOTHING),
    ("text to speech", NOTHING),
    ("transcription", NOTHING),
    # Names, short and misspelt.
    ("gpt-4o", one_of("openai/gpt-4o")),
    ("o3", one_of("openai/o3")),
    ("r1", one_of("deepseek/deepseek-r1")),
    ("4o mini", one_of("openai/gpt-4o-mini")),
    ("sonnet 3.7", one_of("anthropic/claude-3.7-sonnet")),
    ("gemni pro", one_of("google/gemini-2.5-pro-preview")),
    ("calude sonnet", one_of("anthropic/claude-sonnet-4")),
]  # fmt: skip


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
    from catalog.syncs import sync_catalog, sync_providers
    from ops.jobs import sync_endpoints
    from stats.syncs import sync_activity

    assert sync_catalog().status == "succeeded"
    originals = LanguageModel.objects.filter(slug__in=[m["id"] for m in RECORDED])
    keep = list(originals.values_list("pk", flat=True))
    # Popularity of the recorded models from the demo's activity (the copies
    # delisted for the while, so the poll asks about the 321 only).
    copies = LanguageModel.objects.exclude(pk__in=keep)
    copies.update(delisted_at=timezone.now())
    assert sync_activity().status == "succeeded"
    # The providers' throughput ("fast"), snapshotted as the endpoints job does.
    assert sync_providers().status == "succeeded"
    assert sync_endpoints().status == "succeeded"
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
    held_hits, held_misses = _held_out(ranked)
    return {
        "models": LanguageModel.objects.count(),
        "queries": len(QUERIES),
        "top1": hits / len(QUERIES),
        "mrr": statistics.fmean(reciprocal),
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "misses": misses,
        "held_out_top1": held_hits / len(HELD_OUT),
        "held_out_misses": held_misses,
    }


def _rows() -> list[Row]:
    from catalog.reads.selectors import models_visible

    listed = models_visible().filter(delisted_at__isnull=True)
    return [
        Row(
            id=m.slug,
            name=m.name,
            created=m.created.timestamp() if m.created else 0.0,
            context=m.context_length or 0,
            prompt=m.price_prompt,
            completion=m.price_completion,
            reads_images="image" in m.input_modalities,
            throughput=m.throughput_p50,
        )
        for m in listed
        if not COPY.search(m.slug)  # a copy is its original's data
    ]


def _held_out(ranked: Callable[[str], list[str]]) -> tuple[int, list[str]]:
    """Top-1 hits of the held-out set, and what each miss found instead."""
    rows, hits, misses = _rows(), 0, []
    for q, expect in HELD_OUT:
        wanted = expect(rows)
        assert wanted or expect is NOTHING, f"{q!r} expects no model of the database"
        found = [COPY.sub("", slug) for slug in ranked(q)]
        hit = found[:1] == [] if expect is NOTHING else found[:1] and found[0] in wanted
        hits += bool(hit)
        if not hit:
            means = "nothing" if expect is NOTHING else sorted(wanted)[:3]
            misses.append(f"{q!r}: first {found[:1]}, means {means}")
    return hits, misses


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
                print(
                    f"{'':<9} held-out: top-1 {result['held_out_top1']:.1%} "
                    f"of {len(HELD_OUT)} queries"
                )
                for miss in result["held_out_misses"]:
                    print(f"    {miss}")


if __name__ == "__main__":
    main()
