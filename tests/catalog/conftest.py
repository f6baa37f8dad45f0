"""Helpers shared by the catalogue tests: recorded payloads and small read-outs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from catalog.models import LanguageModel
from catalog.sources.openrouter import ModelRecord, parse_items

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


@pytest.fixture(autouse=True)
def catalog_alone(monkeypatch):
    """Other apps' endpoint observers (stats snapshots) stay out of these tests."""
    from catalog import syncs

    monkeypatch.setattr(syncs, "ENDPOINT_OBSERVERS", [])


@pytest.fixture
def synced(upstream):
    """The demo upstream, with providers, catalogue (2025-05-22) and endpoints synced."""
    from catalog.syncs import sync_catalog, sync_endpoints, sync_providers

    for sync in (sync_providers, sync_catalog, sync_endpoints):
        assert sync().status == "succeeded"
    return upstream
