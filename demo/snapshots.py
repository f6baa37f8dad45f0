"""Recorded catalogue snapshots shipped in demo/data, loaded lazily and cached per process."""

from __future__ import annotations

import functools
import json
import lzma
from pathlib import Path
from typing import Any

from demo.benchmarks import with_benchmarks

DATA_DIR = Path(__file__).resolve().parent / "data"
RECORDED_DATES: tuple[str, ...] = ("2025-04-24", "2025-05-12", "2025-05-22")
# 2026-shaped pricing: price tiers (`overrides`), 1-hour cache writes, and the
# endpoints of the tiered models with their service tiers (flex, priority); the
# earlier recording is the same catalogue before three tiers moved.
PRICING: tuple[str, ...] = ("2026-pricing-before", "2026-pricing")
PRICING_ENDPOINTS = "endpoints-2026-pricing.json"
HISTORY_FILE = "models-daily-2026-02-27--2026-05-01.jsonl.xz"
# How many daily recordings HISTORY_FILE holds (snapshot names history:0 to
# history:62), known without parsing them.
HISTORY_DAYS = 63
HISTORY_PREFIX = "history:"
CUSTOM_PREFIX = "custom:"
# Catalogues handed over at run time (tests' hostile payloads), by name.
_CUSTOM: dict[str, tuple[dict[str, Any], ...]] = {}
GEMINI_ID = "google/gemini-2.5-pro-preview"
GEMINI_FILE = "endpoints-google-gemini-2.5-pro-preview-2025-05-22.json"

Model = dict[str, Any]


@functools.cache
def recorded_models(date: str) -> tuple[Model, ...]:
    """Return the models of one recorded `/api/v1/models` body (2025, or the
    2026 pricing recordings)."""
    with (DATA_DIR / f"models-{date}.json").open(encoding="utf-8") as fh:
        return tuple(json.load(fh)["data"])


@functools.cache
def scored_models(date: str) -> tuple[Model, ...]:
    """A recording's models, the demo's scored ones with their spec-shaped
    `benchmarks` (demo/benchmarks.py: no recording has any)."""
    return with_benchmarks(recorded_models(date))


@functools.cache
def history() -> tuple[tuple[Model, ...], ...]:
    """Return all 2026 daily recordings, oldest first (parsed once per process)."""
    with lzma.open(DATA_DIR / HISTORY_FILE, "rt", encoding="utf-8") as fh:
        return tuple(tuple(json.loads(line)["data"]) for line in fh if line.strip())


@functools.cache
def pricing_endpoints() -> dict[str, list[dict[str, Any]]]:
    """The endpoints of the 2026 pricing recordings' tiered models, by model id."""
    with (DATA_DIR / PRICING_ENDPOINTS).open(encoding="utf-8") as fh:
        data: dict[str, list[dict[str, Any]]] = json.load(fh)["data"]
        return data


@functools.cache
def gemini_endpoints() -> dict[str, Any]:
    """Return the recorded endpoints body of google/gemini-2.5-pro-preview."""
    with (DATA_DIR / GEMINI_FILE).open(encoding="utf-8") as fh:
        body: dict[str, Any] = json.load(fh)
    return body


def custom_snapshot(models: list[Any]) -> str:
    """Register a catalogue given as data (any JSON values, hostile ones included)
    and return its snapshot name ("custom:N")."""
    name = f"{CUSTOM_PREFIX}{len(_CUSTOM)}"
    _CUSTOM[name] = tuple(models)
    return name


SYNTHETIC_PREFIX = "synthetic:"
# The same from the 2026 pricing recording: about one model in fifteen tiered.
SYNTHETIC_TIERED_PREFIX = "synthetic-tiered:"
SYNTHETIC_MAX = 100_000


@functools.cache
def synthetic_models(
    count: int, base_name: str = RECORDED_DATES[-1]
) -> tuple[Model, ...]:
    """A catalogue of `count` models for scale tests: a recording (by default
    2025-05-22's), then copies of it under new ids (`author/slug-sN`, variants
    kept)."""
    base = recorded_models(base_name)
    models = list(base[:count])
    copy = 0
    while len(models) < count:
        copy += 1
        for model in base[: count - len(models)]:
            slug, _, variant_ = model["id"].partition(":")
            clone = dict(
                model, id=f"{slug}-s{copy}" + (f":{variant_}" if variant_ else "")
            )
            if model.get("canonical_slug"):
                clone["canonical_slug"] = f"{model['canonical_slug']}-s{copy}"
            clone["name"] = f"{model.get('name', slug)} (copy {copy})"
            models.append(clone)
    return tuple(models)


def is_valid_name(name: str) -> bool:
    """Tell whether `name` names a snapshot ("2025-05-22", "2026-pricing",
    "history:N", "custom:N" or "synthetic:COUNT")."""
    if name in RECORDED_DATES or name in PRICING or name in _CUSTOM:
        return True
    for prefix in (SYNTHETIC_PREFIX, SYNTHETIC_TIERED_PREFIX):
        if name.startswith(prefix):
            count = name.removeprefix(prefix)
            return count.isdigit() and 0 < int(count) <= SYNTHETIC_MAX
    if not name.startswith(HISTORY_PREFIX):
        return False
    index = name.removeprefix(HISTORY_PREFIX)
    return index.isdigit() and int(index) < HISTORY_DAYS


def models_for(name: str) -> tuple[Model, ...]:
    """Return the model list of a snapshot name; raise ValueError for unknown names."""
    if not is_valid_name(name):
        raise ValueError(f"unknown snapshot {name!r}")
    if name in RECORDED_DATES or name in PRICING:
        return scored_models(name)
    if name in _CUSTOM:
        return _CUSTOM[name]
    if name.startswith(SYNTHETIC_PREFIX):
        return synthetic_models(int(name.removeprefix(SYNTHETIC_PREFIX)))
    if name.startswith(SYNTHETIC_TIERED_PREFIX):
        count = int(name.removeprefix(SYNTHETIC_TIERED_PREFIX))
        return synthetic_models(count, PRICING[-1])
    return history()[int(name.removeprefix(HISTORY_PREFIX))]


def next_name(name: str) -> str:
    """Return the snapshot after `name`: history:N+1, capped at the last recording."""
    if not name.startswith(HISTORY_PREFIX):
        return f"{HISTORY_PREFIX}0"
    index = int(name.removeprefix(HISTORY_PREFIX))
    return f"{HISTORY_PREFIX}{min(index + 1, HISTORY_DAYS - 1)}"


@functools.cache
def model_index(name: str) -> dict[str, Model]:
    """Map both id and canonical_slug to the model (ids win on collisions)."""
    models = models_for(name)
    index: dict[str, Model] = {}
    # A custom catalogue may hold anything: only objects with a string id count.
    models = tuple(
        m for m in models if isinstance(m, dict) and isinstance(m.get("id"), str)
    )
    for model in models:
        slug = model.get("canonical_slug")
        if isinstance(slug, str) and slug:
            index.setdefault(slug, model)
    index.update({model["id"]: model for model in models})
    return index


def permaslug(model: Model) -> str:
    """Return the stats key of a model: canonical_slug, else the id without variant."""
    slug: str = model.get("canonical_slug") or model["id"].split(":", 1)[0]
    return slug


def variant(model_id: str) -> str:
    """Return the variant of an id (`x:free` -> "free", plain ids -> "standard")."""
    return model_id.split(":", 1)[1] if ":" in model_id else "standard"
