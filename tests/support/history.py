"""Replaying the recorded 2026 catalogue history, each sync at its recorded time,
and an independent diff of the raw recordings to check the changelog against."""

from __future__ import annotations

import functools
import json
import lzma
from collections import Counter
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import time_machine

from demo.server import DemoUpstream

HISTORY = (
    Path(__file__).resolve().parents[2]
    / "demo"
    / "data"
    / "models-daily-2026-02-27--2026-05-01.jsonl.xz"
)
KINDS = ("added", "delisted", "relisted", "price")


@functools.cache
def fetched_at() -> tuple[datetime, ...]:
    """When each recording was fetched (its `fetched_at`), oldest first."""
    with lzma.open(HISTORY, "rt", encoding="utf-8") as fh:
        return tuple(
            datetime.fromisoformat(json.loads(line)["fetched_at"])
            for line in fh
            if line.strip()
        )


def replay_history(upstream: DemoUpstream, upto: int | None = None) -> dict[int, int]:
    """Sync every recording in order at its recorded time; run id -> index."""
    from catalog.syncs import sync_catalog

    runs = {}
    for index in range(DemoUpstream.history_length() if upto is None else upto + 1):
        upstream.set_snapshot(f"history:{index}")
        with time_machine.travel(fetched_at()[index], tick=True):
            run = sync_catalog()
        assert run.status == "succeeded", run.error
        runs[run.pk] = index
    return runs


def prices(pricing: dict[str, Any] | None) -> dict[str, Decimal]:
    """Every key whose value parses as a Decimal, "discount" excluded, zeros dropped."""
    found = {}
    for key, value in (pricing or {}).items():
        if key == "discount" or isinstance(value, bool):
            continue
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            continue
        if number.is_finite() and number != 0:
            found[key] = number
    return found


@functools.cache
def expected_changes() -> Counter:
    """(kind, model id, recording index) of every change the raw files show."""
    snapshots = [
        {m["id"]: m for m in DemoUpstream.history_snapshot(i)}
        for i in range(DemoUpstream.history_length())
    ]
    # The first recording is the first import: one baseline event, no "added".
    found: Counter = Counter()
    seen = set(snapshots[0])
    for index in range(1, len(snapshots)):
        old, new = snapshots[index - 1], snapshots[index]
        for model_id in new.keys() - old.keys():
            found["relisted" if model_id in seen else "added", model_id, index] += 1
        for model_id in old.keys() - new.keys():
            found["delisted", model_id, index] += 1
        for model_id in old.keys() & new.keys():
            if prices(old[model_id].get("pricing")) != prices(
                new[model_id].get("pricing")
            ):
                found["price", model_id, index] += 1
        seen |= new.keys()
    return found


def price_change_examples() -> list[tuple[str, int]]:
    """(model id, index) of prompt-price changes between consecutive recordings,
    where the model exists in both and prompt is a plain positive number."""
    examples = []
    for kind, model_id, index in sorted(expected_changes()):
        if kind != "price":
            continue
        old = {m["id"]: m for m in DemoUpstream.history_snapshot(index - 1)}[model_id]
        new = {m["id"]: m for m in DemoUpstream.history_snapshot(index)}[model_id]
        a, b = (
            prices(old["pricing"]).get("prompt"),
            prices(new["pricing"]).get("prompt"),
        )
        if a and b and a > 0 and b > 0 and a != b:
            examples.append((model_id, index))
    return examples


def raw_price(model_id: str, index: int, key: str = "prompt") -> Decimal:
    model = {m["id"]: m for m in DemoUpstream.history_snapshot(index)}[model_id]
    return Decimal(str(model["pricing"][key]))
