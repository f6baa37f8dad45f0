"""Every page and API route runs the same SQL statements for the recorded
catalogue and for one three times its size: nothing per model, per row or per
endpoint (bench/scale.py measures their time at 321, 3,000 and 30,000 models)."""

from __future__ import annotations

from typing import Any, TypeVar

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import CatalogEvent, Endpoint, LanguageModel
from catalog.versions import data_version
from stats import figures

pytestmark = [pytest.mark.django_db, pytest.mark.backend]
Model = TypeVar("Model", bound=Any)

ROUTES = [
    "/",
    "/?sort=price_asc",
    "/?sort=price_desc",
    "/?sort=context",
    "/?sort=tokens_week",
    "/?sort=throughput",
    "/?sort=latency",
    "/?sort=cost&preset=agent",
    "/compare?models=openai/gpt-4o,liquid/lfm-40b&preset=rag",
    "/?q=llama",
    "/?provider=openai",
    "/?author=openai",
    "/?input_modality=image&free=1",
    "/?parameter=tools&min_context=100000&max_price=5",
    "/?page=3",
    "/liquid/lfm-40b",
    "/openai/gpt-4o",
    "/providers/openai",
    "/openai",
    "/rankings",
    "/changes",
    "/changes/feed.rss",
    "/api/v1/models?limit=100",
    "/api/v1/models?limit=100&offset=200&order=price",
    "/api/v1/models?limit=100&q=llama",
    "/api/v1/models/suggest?q=gemini",
    "/api/v1/models?limit=100&sort=pricing-low-to-high&providers=openai&region=eu",
    "/api/v1/models?limit=100&sort=top-weekly&context=100000&input_modalities=image",
    "/api/v1/models/count?model_authors=openai,anthropic&max_price=5",
    "/api/v1/model/openai/gpt-4o",
    "/api/v1/models/openai/gpt-4o/endpoints",
    "/api/v1/providers",
    "/api/v1/cost?limit=100&preset=rag",
    "/api/v1/cost?model=openai/gpt-4o",
]


def cold_counts(client) -> dict[str, int]:
    """Statements per route with empty caches (the data version read first)."""
    counts = {}
    for route in ROUTES:
        client.get(route)  # once, for the connection's own one-off feature checks
        cache.clear()
        data_version()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(route)
        assert response.status_code == 200, route
        counts[route] = len(ctx.captured_queries)
    return counts


def _copy(obj: Model, **changes: Any) -> Model:
    fields = type(obj)._meta.concrete_fields
    values = {f.attname: getattr(obj, f.attname) for f in fields if not f.primary_key}
    return type(obj)(**(values | changes))


def _renamed(slug: str, copy: int) -> str:
    base, _, variant = slug.partition(":")
    return f"{base}-c{copy}" + (f":{variant}" if variant else "")


def grow(times: int) -> None:
    """Copy every model `times` over, with its endpoints and events."""
    originals = list(LanguageModel.objects.order_by("pk"))
    endpoints = list(Endpoint.objects.order_by("pk"))
    events = list(CatalogEvent.objects.filter(model__isnull=False).order_by("pk"))
    for copy in range(1, times + 1):
        created = LanguageModel.objects.bulk_create(
            [_copy(m, slug=_renamed(m.slug, copy)) for m in originals], batch_size=500
        )
        new = {old.pk: clone.pk for old, clone in zip(originals, created, strict=True)}
        Endpoint.objects.bulk_create(
            [_copy(e, model_id=new[e.model_id]) for e in endpoints], batch_size=500
        )
        CatalogEvent.objects.bulk_create(
            [
                _copy(e, model_id=new[e.model_id], endpoint_id=None, sync_run_id=None)
                for e in events
            ],
            batch_size=500,
        )
    figures.tokens_week_refresh(data_version().changed_at.date())


@pytest.mark.slow
def test_statements_per_request_do_not_grow_with_the_catalogue(client, synced):
    small = cold_counts(client)
    models = LanguageModel.objects.count()
    grow(2)
    assert LanguageModel.objects.count() == 3 * models
    large = cold_counts(client)
    assert large == small
    # A handful each: nothing close to one per model.
    assert max(small.values()) <= 20, small
