"""The search index's first fill (migration 0017), from its own copy of the keys."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from catalog.models import ModelSearch, SearchTerm
from tests.support.factories import make_model

pytestmark = [pytest.mark.django_db, pytest.mark.backend]

MIGRATION = importlib.import_module("catalog.migrations.0017_search_index")


def test_backfill_writes_the_keys_of_models_stored_before_search():
    model = make_model(
        "openai/gpt-4o",
        name="OpenAI: GPT-4o",
        description="Fast vision model",
        input_modalities=["text", "image"],
        supported_parameters=["tools"],
        price_prompt=Decimal("0.1"),
        price_completion=Decimal("0.4"),
    )
    ModelSearch.objects.all().delete()
    SearchTerm.objects.all().delete()
    MIGRATION.backfill(apps, None)
    row = ModelSearch.objects.get(model=model)
    assert set(row.aliases.split()) == {"gpt4o", "openaigpt4o"}
    assert {"gpt4o", "4o", "openaigpt4o"} <= set(row.names.split())
    assert {"fast", "vision", "multimodal", "tools", "cheap"} <= set(row.text.split())
    assert SearchTerm.objects.filter(term="vision").exists()
