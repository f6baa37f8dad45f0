"""The catalogues beside the chat models: embedding, image generation and video
generation models, each as upstream lists it, with its unit prices.

They live beside LanguageModel, not in it: they have no token prices for a
workload, no endpoints stats, no ranks; the chat catalogue's counts, ranks,
search, API output and cost calculator read LanguageModel alone and never see
them (docs/architecture.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse


class ModelKind(models.TextChoices):
    """A catalogue of its own. The chat models (LanguageModel) are the default."""

    EMBEDDINGS = "embeddings", "Embeddings"
    IMAGES = "images", "Image generation"
    VIDEOS = "videos", "Video generation"


class KindModel(models.Model):
    """One model of a kind, as the kind's upstream list gives it."""

    kind = models.CharField(max_length=20, choices=ModelKind.choices)
    slug = models.CharField(max_length=200, help_text="Upstream's id")
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    created = models.DateTimeField(null=True, blank=True)
    # Upstream's order in its latest list: the lists and the API keep it.
    position = models.PositiveIntegerField(default=0)
    # [{billable, unit, cost_usd, provider?, variant?}]: USD as exact decimal text.
    unit_prices = models.JSONField(default=list, blank=True)
    # The item as upstream sent it (the API serves it back).
    payload = models.JSONField(default=dict)
    # Image models: their endpoints as sent (null for kinds without endpoints).
    endpoints = models.JSONField(null=True, blank=True)
    # Lower-case words a search matches: name, id, description and the kind.
    search_text = models.TextField(blank=True)
    first_seen_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    delisted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "position", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug"], name="kind-model-key")
        ]
        indexes = [
            # kind_models_listed: a kind's listed models in upstream's order.
            models.Index(
                fields=["kind", "position"],
                condition=Q(delisted_at__isnull=True),
                name="kind-model-listed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.slug}"

    def get_absolute_url(self) -> str:
        author, _, slug = self.slug.partition("/")
        return reverse(
            "kind-model-detail",
            kwargs={"kind": self.kind, "author": author, "slug": slug},
        )
