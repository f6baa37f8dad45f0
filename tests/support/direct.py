"""A catalogue model the recorded map names as a successor: the 2025 demo
catalogue predates them, so tests add one by hand (as editors can)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from catalog.ingest import direct_rematch
from catalog.models import Author, LanguageModel, Origin

SUCCESSOR = "openai/gpt-6-luna"


def successor_add() -> LanguageModel:
    """Hand-add openai/gpt-6-luna (gpt-4o's successor in LiteLLM 1.110.2) and
    match the stored direct offers again."""
    now = timezone.now()
    model = LanguageModel.objects.create(
        slug=SUCCESSOR,
        author=Author.objects.get(slug="openai"),
        name="OpenAI: GPT-6 Luna",
        price_prompt=Decimal(1),
        price_completion=Decimal(4),
        origin=Origin.HAND,
        first_seen_at=now,
        updated_at=now,
        created=now,
    )
    direct_rematch()
    return model
