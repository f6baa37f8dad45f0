from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.urls import reverse

from catalog.models import CatalogEvent, EventKind, LanguageModel, Provider


def _token() -> str:
    return secrets.token_urlsafe(32)


class WatchSource(models.TextChoices):
    """Which prices a watch hears of: OpenRouter's routed catalogue, the
    providers' direct list prices (catalog.models.direct), or both."""

    ROUTED = "routed", "Routed (OpenRouter)"
    DIRECT = "direct", "Direct (providers' list prices)"
    BOTH = "both", "Both"


def is_direct_kind(kind: str) -> bool:
    # The direct offers' events are the direct_* kinds (as the changelog's
    # source filter reads them, changes.selectors.source_filter).
    return kind.startswith("direct_")


def source_kinds(source: str) -> list[str]:
    """Every event kind a watch of that source hears (a first import never)."""
    kinds = [k for k in EventKind.values if k != EventKind.BASELINE]
    if source == WatchSource.BOTH:
        return kinds
    return [k for k in kinds if is_direct_kind(k) == (source == WatchSource.DIRECT)]


class Watch(models.Model):
    """Someone wants to hear about changes to one model or one provider."""

    model = models.ForeignKey(
        LanguageModel,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="watches",
    )
    provider = models.ForeignKey(
        Provider,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="watches",
    )
    # Event kinds (catalog.EventKind values); empty means every kind.
    events = models.JSONField(default=list, blank=True)
    webhook_url = models.URLField(max_length=500, blank=True)
    # Signs webhook bodies (HMAC-SHA256); shown once, when the watch is created.
    secret = models.CharField(max_length=64, default=_token)
    email = models.EmailField(blank=True)
    # Double opt-in: nothing is e-mailed until the address opens the signed link
    # sent to it (changes.watches.email_confirm).
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The unguessable part of the manage link: whoever holds it may delete the watch.
    manage_token = models.CharField(max_length=64, unique=True, default=_token)
    created_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "watches"
        constraints = [
            models.CheckConstraint(
                condition=Q(model__isnull=False, provider__isnull=True)
                | Q(model__isnull=True, provider__isnull=False),
                name="watch-one-target",
            )
        ]
        indexes = [
            # watches_matching: active watches of the models/providers of a batch.
            models.Index(fields=["model", "active"], name="watch-model"),
            models.Index(fields=["provider", "active"], name="watch-provider"),
        ]

    def __str__(self) -> str:
        return f"watch {self.pk} on {self.target}"

    def get_absolute_url(self) -> str:
        return reverse("watch-manage", kwargs={"token": self.manage_token})

    @property
    def target(self) -> LanguageModel | Provider | None:
        return self.model or self.provider

    @property
    def source(self) -> WatchSource:
        """Routed or direct when its kinds are all of one source, else both: a
        watch keeps its source as the kinds it hears (watch_kinds)."""
        direct = {is_direct_kind(k) for k in self.events}
        if direct == {True}:
            return WatchSource.DIRECT
        if direct == {False}:
            return WatchSource.ROUTED
        return WatchSource.BOTH

    def wants(self, kind: str) -> bool:
        return not self.events or kind in self.events


class Channel(models.TextChoices):
    WEBHOOK = "webhook", "Webhook"
    EMAIL = "email", "E-mail"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One attempt to tell a watch about one event; a retry is a new row."""

    watch = models.ForeignKey(
        Watch, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        CatalogEvent, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    attempt = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the attempt is due; the dispatcher re-queues pending rows long overdue.
    scheduled_for = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            # Dispatching the same event twice cannot create a second first attempt.
            models.UniqueConstraint(
                fields=["watch", "event", "channel", "attempt"],
                name="delivery-natural-key",
            )
        ]
        indexes = [
            # deliveries_requeue_overdue: pending/sending rows by due time.
            models.Index(fields=["status", "scheduled_for"], name="delivery-due"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} #{self.attempt} of event {self.event_id}: {self.status}"


class DispatchCursor(models.Model):
    """How far events have been matched against watches (one row, name="events")."""

    name = models.CharField(max_length=40, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} at event {self.last_event_id}"
