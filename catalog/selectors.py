"""Reads for pages and the API."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from catalog.models import Endpoint, LanguageModel, SyncRun, SyncStatus


def model_list(
    *, q: str = "", include_delisted: bool = False
) -> QuerySet[LanguageModel]:
    """Models for the catalogue list, newest first, optionally searched."""
    models = LanguageModel.objects.all()
    if not include_delisted:
        models = models.filter(delisted_at__isnull=True)
    if q:
        models = models.filter(
            Q(name__icontains=q) | Q(slug__icontains=q) | Q(description__icontains=q)
        )
    return models.only(
        "slug",
        "name",
        "context_length",
        "price_prompt",
        "price_completion",
        "is_variable_price",
        "created",
        "delisted_at",
    ).order_by("-created", "slug")


def model_get(slug: str) -> LanguageModel | None:
    """One model with its listed endpoints and their providers, or None."""
    endpoints = (
        Endpoint.objects.filter(delisted_at__isnull=True)
        .select_related("provider")
        .order_by("price_prompt", "provider_name")
    )
    return (
        LanguageModel.objects.select_related("author")
        .prefetch_related(Prefetch("endpoints", queryset=endpoints, to_attr="listed"))
        .filter(slug=slug)
        .first()
    )


def model_variants(model: LanguageModel) -> QuerySet[LanguageModel]:
    """Other variants of the same model (`x`, `x:free`, `x:thinking`)."""
    base = model.slug.split(":", 1)[0]
    return (
        LanguageModel.objects.filter(Q(slug=base) | Q(slug__startswith=f"{base}:"))
        .exclude(pk=model.pk)
        .only("slug", "name")
        .order_by("slug")
    )


def last_success(kind: str) -> SyncRun | None:
    """The latest successful run of a sync kind (for "data as of" notes)."""
    return (
        SyncRun.objects.filter(kind=kind, status=SyncStatus.SUCCEEDED)
        .order_by("-started_at")
        .first()
    )


def catalog_counts() -> dict[str, int]:
    """Listed and delisted model counts for the list page header."""
    return LanguageModel.objects.aggregate(
        listed=Count("pk", filter=Q(delisted_at__isnull=True)),
        delisted=Count("pk", filter=Q(delisted_at__isnull=False)),
    )
