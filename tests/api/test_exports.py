"""Per-model CSV exports."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.utils import timezone

from catalog.models import Author, CatalogEvent, EventKind, LanguageModel

pytestmark = pytest.mark.django_db


@pytest.fixture
def model() -> LanguageModel:
    now = timezone.now()
    return LanguageModel.objects.create(
        slug="acme/one",
        author=Author.objects.create(slug="acme"),
        name="One",
        first_seen_at=now,
        updated_at=now,
    )


def test_price_history_csv_holds_the_page_price_table(client, model):
    """The first price and each change of every series, as on the model page."""
    CatalogEvent.objects.create(
        kind=EventKind.PRICE,
        model=model,
        observed_at=timezone.now(),
        before={"prompt": "0.000001", "completion": "0.000002"},
        after={"prompt": "0.0000005", "completion": "0.000002"},
    )
    response = client.get("/api/v1/models/acme/one/prices.csv")
    assert response.status_code == 200
    assert 'filename="acme_one-prices.csv"' in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0] == "from,model,series,input_usd_per_m,output_usd_per_m"
    assert lines[1].endswith(",acme/one,Model price,1,2")
    assert lines[2].endswith(",acme/one,Model price,0.5,2")
    assert len(lines) == 3


def test_price_history_csv_is_not_header_only_without_changes(client, model):
    """A model whose price never moved still has its first price in the CSV."""
    LanguageModel.objects.filter(pk=model.pk).update(
        price_prompt="0.15", price_completion="0.6"
    )
    lines = client.get("/api/v1/models/acme/one/prices.csv").content.decode()
    assert lines.splitlines()[1].endswith(",acme/one,Model price,0.15,0.6")


def test_tokens_per_day_csv(client, model):
    usage = apps.get_model("stats", "TokenUsageDaily")
    usage.objects.create(
        model=model,
        date=date(2026, 4, 2),
        source="website",
        prompt=10,
        completion=5,
        total=15,
    )
    response = client.get("/api/v1/models/acme/one/tokens.csv")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0] == "date,source,prompt,completion,reasoning,total,requests"
    assert lines[1] == "2026-04-02,website,10,5,,15,"
