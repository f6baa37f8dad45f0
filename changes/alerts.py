"""Watch alerts: match new catalogue events to watches, deliver them, retry failures.

Delivery is at least once: a payload carries the event id so receivers can drop a
repeat. Every attempt is its own Delivery row, so the log shows each try.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from catalog.models import CatalogEvent, SyncRun
from catalog.reads.selectors import models_visible
from catalog.runs import runs_abandon_dead, runs_live
from catalog.sources.deadline import DeadlineTransport, deadline
from changes.models import Channel, Delivery, DeliveryStatus, DispatchCursor, Watch
from changes.summaries import event_summary, event_title
from changes.watches import (
    WebhookRefused,
    WebhookTarget,
    WebhookUnchecked,
    webhook_target,
)

CURSOR = "events"
BATCH = 500
SIGNATURE_HEADER = "X-Modelboard-Signature"
# A pending row this late was never picked up (broker lost it): queue it again.
OVERDUE = timedelta(minutes=5)
# A row still "sending" this long after it was due belongs to a worker that died.
STUCK = timedelta(minutes=15)
LOST = "worker lost mid-attempt (killed, or past its time limit)"


@dataclass
class Dispatched:
    """What one dispatch pass did; `queue` lists deliveries to hand to workers."""

    events: int = 0
    skipped: bool = False
    queue: list[Delivery] = field(default_factory=list)


def _syncs_running(now: datetime) -> bool:
    # Runs whose process died are closed first: they must not hold alerts back.
    runs_abandon_dead(now)
    return runs_live(now).exists()


def events_dispatch(now: datetime | None = None) -> Dispatched:
    """Match events after the cursor to watches, in one transaction with the cursor.

    Only while no sync runs: a running sync may commit events with ids below ones
    already visible, and moving the cursor past them would lose them.
    """
    now = now or timezone.now()
    if _syncs_running(now):
        return Dispatched(skipped=True)
    with transaction.atomic():
        cursor, _ = DispatchCursor.objects.select_for_update().get_or_create(
            name=CURSOR
        )
        events = list(
            CatalogEvent.objects.filter(pk__gt=cursor.last_event_id)
            .select_related("endpoint")
            .order_by("pk")[:BATCH]
        )
        if not events:
            return Dispatched()
        if _syncs_running(now) or SyncRun.objects.filter(started_at__gte=now).exists():
            return Dispatched(skipped=True)
        created = deliveries_create(events, now)
        cursor.last_event_id = events[-1].pk
        cursor.save(update_fields=["last_event_id", "updated_at"])
    return Dispatched(events=len(events), queue=created)


def watches_matching(events: list[CatalogEvent]) -> list[tuple[Watch, CatalogEvent]]:
    """Every (active watch, event) pair where the watch wants that event."""
    model_ids = {e.model_id for e in events if e.model_id}
    # Watches are anyone's: events of hidden models are not sent (the public
    # surfaces leave them out too).
    visible = set(
        models_visible().filter(pk__in=model_ids).values_list("pk", flat=True)
    )
    # A backfilled price is history loaded after the fact: no news to send.
    events = [
        e
        for e in events
        if (e.model_id is None or e.model_id in visible) and not e.backfill
    ]
    provider_ids = {e.provider_id for e in events if e.provider_id}
    provider_ids |= {e.endpoint.provider_id for e in events if e.endpoint is not None}
    watches = list(
        Watch.objects.filter(active=True).filter(
            Q(model_id__in=model_ids) | Q(provider_id__in=provider_ids)
        )
    )
    pairs = []
    for event in events:
        providers = {event.provider_id, event.endpoint and event.endpoint.provider_id}
        for watch in watches:
            hit = (watch.model_id and watch.model_id == event.model_id) or (
                watch.provider_id and watch.provider_id in providers
            )
            if hit and watch.wants(event.kind):
                pairs.append((watch, event))
    return pairs


def deliveries_create(events: list[CatalogEvent], now: datetime) -> list[Delivery]:
    """First attempts for every matched watch and channel; existing ones are kept."""
    rows = []
    for watch, event in watches_matching(events):
        # An unconfirmed address is sent nothing (double opt-in).
        confirmed = bool(watch.email and watch.email_confirmed_at)
        channels = [Channel.WEBHOOK] * bool(watch.webhook_url) + [
            Channel.EMAIL
        ] * confirmed
        rows += [
            Delivery(watch=watch, event=event, channel=c, scheduled_for=now)
            for c in channels
        ]
    # The unique (watch, event, channel, attempt) key makes a repeat a no-op.
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    return list(
        Delivery.objects.filter(
            event__in=events, attempt=1, status=DeliveryStatus.PENDING
        ).order_by("pk")
    )


def deliveries_overdue(now: datetime | None = None) -> list[Delivery]:
    """Pending rows nobody picked up; rows stuck sending failed, with their next
    attempt due."""
    now = now or timezone.now()
    stuck = Delivery.objects.filter(
        status=DeliveryStatus.SENDING, scheduled_for__lt=now - STUCK
    ).select_related("watch", "event")
    for delivery in stuck[:BATCH]:
        _lost(delivery)
    overdue = list(
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING, scheduled_for__lt=now - OVERDUE
        ).order_by("pk")[:BATCH]
    )
    # Due again from now: a worker that stays down is not sent a copy every minute.
    Delivery.objects.filter(pk__in=[d.pk for d in overdue]).update(scheduled_for=now)
    return overdue


def event_payload(event: CatalogEvent) -> dict[str, Any]:
    """The JSON a webhook receives: the event, with absolute links."""
    base = settings.MODELBOARD_SITE_URL
    model, provider = event.model, event.provider
    return {
        "id": event.pk,
        "kind": event.kind,
        "title": event_title(event),
        "summary": event_summary(event),
        "observed_at": event.observed_at.isoformat(),
        "model": model
        and {
            "id": model.slug,
            "name": model.name,
            "url": base + model.get_absolute_url(),
        },
        "provider": provider and {"slug": provider.slug, "name": provider.name},
        "endpoint": event.endpoint and {"name": event.endpoint.name},
        "before": event.before,
        "after": event.after,
    }


def signature(secret: str, body: bytes) -> str:
    """The X-Modelboard-Signature value: "sha256=" + HMAC-SHA256(secret, body)."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class DeliveryFailed(Exception):
    """An attempt that failed; `retry` is False when trying again cannot help."""

    def __init__(
        self, message: str, response_code: int | None = None, *, retry: bool = True
    ):
        super().__init__(message)
        self.response_code = response_code
        self.retry = retry


def _post_webhook(delivery: Delivery) -> int:
    try:
        # Checked again now: DNS may answer differently than at creation.
        target = webhook_target(delivery.watch.webhook_url)
    except WebhookUnchecked as exc:
        raise DeliveryFailed(f"not sent: {exc}") from exc
    except WebhookRefused as exc:
        raise DeliveryFailed(f"refused: {exc}", retry=False) from exc
    body = json.dumps(
        {"event": event_payload(delivery.event), "delivery": delivery.pk},
        separators=(",", ":"),
        sort_keys=True,
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": settings.HTTP_USER_AGENT,
        SIGNATURE_HEADER: signature(delivery.watch.secret, body),
        "X-Modelboard-Event": delivery.event.kind,
        "X-Modelboard-Delivery": str(delivery.pk),
    }
    try:
        status = _post_pinned(target, body, headers)
    except httpx.HTTPError as exc:
        raise DeliveryFailed(f"{exc.__class__.__name__}: {exc}") from exc
    if not 200 <= status < 300:
        raise DeliveryFailed(f"HTTP {status}", status)
    return status


def _post_pinned(target: WebhookTarget, body: bytes, headers: dict[str, str]) -> int:
    """POST to the address that was checked, naming the host in Host and TLS SNI
    (so the certificate is still verified for it); the answer's body is not read."""
    parts = urlsplit(target.url)
    address = f"[{target.address}]" if ":" in target.address else target.address
    url = urlunsplit(
        (parts.scheme, f"{address}:{target.port}", parts.path or "/", parts.query, "")
    )
    headers = headers | {"Host": parts.netloc.rpartition("@")[2]}
    auth = (
        httpx.BasicAuth(parts.username, parts.password or "")
        if parts.username
        else None
    )
    # No redirects: a receiver must answer at the URL it registered. The timeout
    # bounds the whole exchange (a receiver dripping its answer a byte at a time
    # included), so an attempt always ends well within the task's time limit.
    seconds = settings.CHANGES_WEBHOOK_TIMEOUT_SECONDS
    transport = DeadlineTransport(limits=httpx.Limits(max_connections=1))
    with (
        httpx.Client(timeout=seconds, transport=transport) as client,
        deadline(seconds),
    ):
        request = client.build_request(
            "POST",
            url,
            content=body,
            headers=headers,
            extensions={"sni_hostname": target.host},
        )
        response = client.send(request, auth=auth, stream=True)
        response.close()
    return response.status_code


def _send_email(delivery: Delivery) -> None:
    event = delivery.event
    payload = event_payload(event)
    link = (payload["model"] or {}).get(
        "url"
    ) or settings.MODELBOARD_SITE_URL + "/changes"
    text = (
        f"{event_summary(event)}\n\nObserved {event.observed_at:%Y-%m-%d %H:%M} UTC."
        f"\n{link}\n\nStop these alerts: {settings.MODELBOARD_SITE_URL}{delivery.watch.get_absolute_url()}"
    )
    try:
        send_mail(
            f"[modelboard] {event_title(event)}", text, None, [delivery.watch.email]
        )
    except Exception as exc:  # any backend error (SMTP, DNS, …) is retried
        raise DeliveryFailed(f"{exc.__class__.__name__}: {exc}") from exc


@dataclass
class Attempt:
    """One attempt's outcome: the row, and the next attempt if one is due."""

    delivery: Delivery | None
    retry: Delivery | None = None
    countdown: float = 0


def retry_countdown(attempt: int) -> float:
    """Seconds before attempt `attempt + 1`: exponential, capped, full jitter above half."""
    base = settings.CHANGES_RETRY_BASE_SECONDS
    ceiling = min(base * 2 ** (attempt - 1), settings.CHANGES_RETRY_MAX_SECONDS)
    return random.uniform(ceiling / 2, ceiling)


def delivery_attempt(delivery_id: int) -> Attempt:
    """Send one pending delivery; on failure log it and create the next attempt."""
    # Compare-and-set: a duplicate task for the same row finds it claimed and stops.
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING
    ).update(status=DeliveryStatus.SENDING)
    if not claimed:
        return Attempt(None)
    delivery = Delivery.objects.select_related(
        "watch", "event__model", "event__provider", "event__endpoint"
    ).get(pk=delivery_id)
    if not delivery.watch.active:
        delivery.status, delivery.error = DeliveryStatus.FAILED, "watch is inactive"
        delivery.save(update_fields=["status", "error"])
        return Attempt(delivery)
    try:
        if delivery.channel == Channel.WEBHOOK:
            delivery.response_code = _post_webhook(delivery)
        else:
            _send_email(delivery)
    except DeliveryFailed as exc:
        return _failed(delivery, exc)
    delivery.status = DeliveryStatus.DELIVERED
    delivery.delivered_at = timezone.now()
    delivery.error = ""
    delivery.save(update_fields=["status", "delivered_at", "response_code", "error"])
    return Attempt(delivery)


def _failed(delivery: Delivery, exc: DeliveryFailed) -> Attempt:
    delivery.status = DeliveryStatus.FAILED
    delivery.response_code = exc.response_code
    delivery.error = str(exc)[:2000]
    with transaction.atomic():
        delivery.save(update_fields=["status", "response_code", "error"])
        if not exc.retry or delivery.attempt >= settings.CHANGES_MAX_ATTEMPTS:
            return Attempt(delivery)
        retry, countdown = _next_attempt(delivery)
    return Attempt(
        delivery, retry if retry.status == DeliveryStatus.PENDING else None, countdown
    )


def _lost(delivery: Delivery) -> None:
    """An attempt whose worker never finished it (killed, or past its time limit)
    is a failed attempt: the next one is due, so attempts count up and end at
    CHANGES_MAX_ATTEMPTS instead of the same one being sent again forever."""
    with transaction.atomic():
        # Compare-and-set: an attempt that finished meanwhile keeps its outcome.
        lost = Delivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.SENDING
        ).update(status=DeliveryStatus.FAILED, error=LOST)
        if lost and delivery.attempt < settings.CHANGES_MAX_ATTEMPTS:
            _next_attempt(delivery)


def _next_attempt(delivery: Delivery) -> tuple[Delivery, float]:
    countdown = retry_countdown(delivery.attempt)
    retry, _ = Delivery.objects.get_or_create(
        watch=delivery.watch,
        event=delivery.event,
        channel=delivery.channel,
        attempt=delivery.attempt + 1,
        defaults={"scheduled_for": timezone.now() + timedelta(seconds=countdown)},
    )
    return retry, countdown
