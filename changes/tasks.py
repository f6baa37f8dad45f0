"""Celery tasks of watch alerts: thin interfaces over changes.alerts."""

from __future__ import annotations

from celery import shared_task

from changes import alerts
from changes.models import Channel, Delivery


def _queue(deliveries: list[Delivery], countdown: float = 0) -> None:
    for delivery in deliveries:
        task = deliver_webhook if delivery.channel == Channel.WEBHOOK else deliver_email
        task.apply_async((delivery.pk,), countdown=countdown)


@shared_task(acks_late=True, name="changes.dispatch_events")
def dispatch_events() -> dict:
    """Match new catalogue events to watches and queue their deliveries."""
    total, skipped = 0, False
    # Bounded: a huge backlog is worked off over several ticks, not one long task.
    for _ in range(20):
        done = alerts.events_dispatch()
        _queue(done.queue)
        total, skipped = total + done.events, done.skipped
        if done.skipped or not done.events:
            break
    _queue(alerts.deliveries_overdue())
    return {"events": total, "skipped": skipped}


def _deliver(delivery_id: int) -> dict:
    outcome = alerts.delivery_attempt(delivery_id)
    if outcome.retry is not None:
        _queue([outcome.retry], countdown=outcome.countdown)
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
