"""Recorded upstream payloads and small read-outs of what was stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from catalog.models import LanguageModel
from catalog.sources.base import parse_items
from catalog.sources.openrouter import ModelRecord

DATA = Path(__file__).resolve().parents[2] / "demo" / "data"


def recorded(date: str) -> list[dict[str, Any]]:
    """The model list of one recorded 2025 `/models` body."""
    return json.loads((DATA / f"models-{date}.json").read_text())["data"]


def records(items: list[dict[str, Any]]) -> list[ModelRecord]:
    """Parse model dicts, failing the test if any of them is rejected."""
    fetched = parse_items(items, ModelRecord, lambda item, i: str(i))
    assert fetched.errors == []
    return fetched.records


def stored_models() -> list[dict[str, Any]]:
    """Every stored model row, every column, in a stable order."""
    return list(LanguageModel.objects.order_by("slug").values())


def body_text(response) -> str:
    """A response's body as text, streamed (exports) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()
