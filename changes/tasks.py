"""Celery tasks of watch alerts: thin interfaces over changes.alerts.

The periodic dispatch (`dispatch_pending`) is a job in ops/jobs.py; the deliveries
it queues run here, one task per attempt.
"""

from __future__ import annotations

from celery import shared_task

from changes import alerts
from changes.models import Channel, Delivery

# A huge backlog is worked off over several ticks, not in one long task.
MAX_PASSES = 20


def queue_deliveries(deliveries: list[Delivery], countdown: float = 0) -> None:
    """Hand deliveries to the workers, each on its channel's task."""
    for delivery in deliveries:
        task = deliver_webhook if delivery.channel == Channel.WEBHOOK else deliver_email
        task.apply_async((delivery.pk,), countdown=countdown)


def dispatch_pending() -> dict:
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


def _deliver(delivery_id: int) -> dict:
    outcome = alerts.delivery_attempt(delivery_id)
    if outcome.retry is not None:
        queue_deliveries([outcome.retry], countdown=outcome.countdown)
    delivery = outcome.delivery
    return {"delivery": delivery_id, "status": delivery and delivery.status}


@shared_task(acks_late=True, name="changes.deliver_webhook")
def deliver_webhook(delivery_id: int) -> dict:
    """POST one event to a watch's webhook, signed; a failure queues the next try."""
    return _deliver(delivery_id)


@shared_task(acks_late=True, name="changes.deliver_email")
def deliver_email(delivery_id: int) -> dict:
    """E-mail one event to a watch's address; a failure queues the next try."""
    return _deliver(delivery_id)
