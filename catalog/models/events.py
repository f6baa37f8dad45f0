"""What changed upstream, as the catalogue's events."""

from __future__ import annotations

from django.db import models

from catalog.models.catalogue import Endpoint, LanguageModel, Provider
from catalog.models.direct import DirectOffer


class EventKind(models.TextChoices):
    ADDED = "added", "Added"
    DELISTED = "delisted", "Delisted"
    RELISTED = "relisted", "Relisted"
    PRICE = "price", "Price changed"
    CONTEXT = "context", "Context changed"
    RENAMED = "renamed", "Renamed"
    DEPRECATION = "deprecation", "Deprecation date changed"
    ENDPOINT_ADDED = "endpoint_added", "Provider added"
    ENDPOINT_REMOVED = "endpoint_removed", "Provider removed"
    ENDPOINT_PRICE = "endpoint_price", "Provider price changed"
    ENDPOINT_RELISTED = "endpoint_relisted", "Provider back"
    PROVIDER_ADDED = "provider_added", "Provider listed"
    PROVIDER_REMOVED = "provider_removed", "Provider delisted"
    PROVIDER_RELISTED = "provider_relisted", "Provider listed again"
    # A direct provider's list price (catalog.models.direct).
    DIRECT_ADDED = "direct_added", "Direct price listed"
    DIRECT_REMOVED = "direct_removed", "Direct price unlisted"
    DIRECT_PRICE = "direct_price", "Direct price changed"
    DIRECT_DEPRECATION = "direct_deprecation", "Direct retirement changed"
    # The first import of a table: one event for the lot, not one per row.
    BASELINE = "baseline", "First import"


class CatalogEvent(models.Model):
    """Something that changed upstream, written only when it changed."""

    kind = models.CharField(max_length=20, choices=EventKind.choices)
    model = models.ForeignKey(
        LanguageModel,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    endpoint = models.ForeignKey(
        Endpoint,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    provider = models.ForeignKey(
        Provider,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    direct_offer = models.ForeignKey(
        DirectOffer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    # Strings and dicts of strings (prices stay exact); null when not applicable.
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    observed_at = models.DateTimeField()
    sync_run = models.ForeignKey(
        "SyncRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    # A past price loaded from a dated timeline rather than observed by a poll:
    # the timeline's name and version ("model-prices 0.0.5"), else "".
    backfill = models.CharField(max_length=60, blank=True, default="")

    class Meta:
        ordering = ["-observed_at", "-id"]
        indexes = [
            # the changelog and a model page's own history, newest first.
            models.Index(fields=["model", "-observed_at"], name="event-model-time"),
            models.Index(fields=["kind", "-observed_at"], name="event-kind-time"),
            # change_list: every event, newest first (a page of it).
            models.Index(fields=["-observed_at", "-id"], name="event-time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.model or self.provider or ''}"
