from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

SCHEMAS = Path(__file__).resolve().parents[2] / "api" / "openrouter-schemas.json"


@pytest.fixture
def catalogued(mock_upstream):
    """The 2025-05-22 providers and catalogue (no endpoints: those take longer)."""
    from catalog.syncs import sync_catalog, sync_providers

    for sync in (sync_providers, sync_catalog):
        assert sync().status == "succeeded"
    return mock_upstream


def spec_validator(name: str, components: dict | None = None) -> Draft202012Validator:
    """A validator for one schema of the copied spec, $refs resolved inside the file."""
    components = components or json.loads(SCHEMAS.read_text())["components"]
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": f"#/components/schemas/{name}",
        "components": components,
    }
    return Draft202012Validator(schema)
