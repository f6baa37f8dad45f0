"""A small cast of catalogue rows for stats tests (no HTTP)."""

from __future__ import annotations

from datetime import UTC, datetime

from catalog.models import Author, Endpoint, LanguageModel, Provider
from catalog.search.index import search_index_refresh

T0 = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


def make_model(slug: str = "liquid/lfm-40b", **extra) -> LanguageModel:
    author, _ = Author.objects.get_or_create(slug=slug.split("/")[0])
    values = {
        "canonical_slug": "",
        "name": slug,
        "first_seen_at": T0,
        "updated_at": T0,
        "variant": slug.partition(":")[2],
    } | extra
    model = LanguageModel.objects.create(slug=slug, author=author, **values)
    # As ingest and the admin do with every model they write.
    search_index_refresh([model])
    return model


def make_endpoint(model: LanguageModel, key: str, **extra) -> Endpoint:
    provider, _ = Provider.objects.get_or_create(
        slug=key.split("/")[0],
        defaults={"name": key.title(), "first_seen_at": T0, "updated_at": T0},
    )
    values = {
        "provider": provider,
        "name": f"{provider.name} | {model.slug}",
        "provider_name": provider.name,
        "tag": key,
        "first_seen_at": T0,
        "updated_at": T0,
    } | extra
    return Endpoint.objects.create(model=model, key=key, **values)
