"""Celery tasks of watch alerts: thin interfaces over changes.alerts.

The periodic dispatch (`dispatch_pending`) is a job in ops/jobs.py; the deliveries
it queues run here, one task per attempt.
"""

from __future__ import annotations

from typing import TypedDict

from celery import shared_task

from changes import alerts
from changes.models import Channel, Delivery, Watch
from changes.watches import email_confirmation_send

# A huge backlog is worked off over several ticks, not in one long task.
MAX_PASSES = 20


class DispatchResult(TypedDict):
    events: int
    # A sync was running: its events wait for a later tick.
    skipped: bool


class DeliveryResult(TypedDict):
    delivery: int
    # None when this task did not claim it (another one did, or it is done).
    status: str | None


class ConfirmationResult(TypedDict):
    watch: int
    sent: bool


def queue_deliveries(deliveries: list[Delivery], countdown: float = 0) -> None:
    """Hand deliveries to the workers, each on its channel's task."""
    for delivery in deliveries:
        task = deliver_webhook if delivery.channel == Channel.WEBHOOK else deliver_email
        task.apply_async((delivery.pk,), countdown=countdown)


def dispatch_pending() -> DispatchResult:
    """Match new catalogue events to watches, queue their deliveries, and queue
    again the ones nobody picked up."""
    total, skipped = 0, False
    for _ in range(MAX_PASSES):
        done = alerts.events_dispatch()
        queue_deliveries(done.queue)
        total, skipped = total + done.events, done.skipped
        if done.skipped or not done.events:
            break
    queue_deliveries(alerts.deliveries_overdue())
    return {"events": total, "skipped": skipped}


def _deliver(delivery_id: int) -> DeliveryResult:
    outcome = alerts.delivery_attempt(delivery_id)
    if outcome.retry is not None:
        queue_deliveries([outcome.retry], countdown=outcome.countdown)
    delivery = outcome.delivery
    status = None if delivery is None else delivery.status
    return {"delivery": delivery_id, "status": status}


# Deliveries wait on other people's servers: bounded, so none holds a slot for long.
SOFT_LIMIT, HARD_LIMIT = 60, 90


@shared_task(
    acks_late=True,
    name="changes.deliver_webhook",
    soft_time_limit=SOFT_LIMIT,
    time_limit=HARD_LIMIT,
)
def deliver_webhook(delivery_id: int) -> DeliveryResult:
    """POST one event to a watch's webhook, signed; a failure queues the next try."""
    return _deliver(delivery_id)


@shared_task(
    acks_late=True,
    name="changes.deliver_email",
    soft_time_limit=SOFT_LIMIT,
    time_limit=HARD_LIMIT,
)
def deliver_email(delivery_id: int) -> DeliveryResult:
    """E-mail one event to a watch's address; a failure queues the next try."""
    return _deliver(delivery_id)


@shared_task(
    acks_late=True,
    name="changes.send_email_confirmation",
    soft_time_limit=SOFT_LIMIT,
    time_limit=HARD_LIMIT,
)
def send_email_confirmation(watch_id: int) -> ConfirmationResult:
    """E-mail a watch's address the signed link that turns its alerts on."""
    watch = Watch.objects.filter(pk=watch_id).first()
    if watch is None or not watch.email or watch.email_confirmed_at is not None:
        return {"watch": watch_id, "sent": False}
    # A mail server that refuses is logged in one line, not retried: the watch's
    # page offers to send it again.
    problem = email_confirmation_send(watch)
    return {"watch": watch_id, "sent": problem is None}
