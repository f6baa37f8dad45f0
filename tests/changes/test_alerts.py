"""Watch alerts: matched events reach a signed webhook or an inbox; failed attempts
are logged and retried with backoff until delivered; nothing is sent twice."""

from __future__ import annotations

import json
import time

import pytest
from django.core import mail
from django.utils import timezone

from catalog.models import CatalogEvent, EventKind, LanguageModel, SyncRun
from changes import tasks
from changes.models import Delivery, DeliveryStatus, DispatchCursor, Watch
from tests.support import snapshots
from tests.support.history import replay_history
from tests.support.receiver import Receiver, free_port, signed_by

pytestmark = pytest.mark.django_db

# deepseek/deepseek-chat-v3-0324 changes its prompt price in recording 2.
WATCHED, CHANGE_AT = "deepseek/deepseek-chat-v3-0324", 2


@pytest.fixture(autouse=True)
def loopback_receivers(settings) -> None:
    """The test receivers listen on loopback, which deliveries otherwise refuse."""
    settings.CHANGES_WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def queued(monkeypatch) -> list[tuple[str, int, float]]:
    """Tasks queued instead of sent to a broker: (task name, delivery id, countdown)."""
    calls = []

    def recorder(task):
        def apply_async(args, countdown=0, **kwargs):
            calls.append((task.name, args[0], countdown))

        return apply_async

    for task in (tasks.deliver_webhook, tasks.deliver_email):
        monkeypatch.setattr(task, "apply_async", recorder(task))
    return calls


@snapshots.state("before-change")
def _before_change(demo) -> None:
    """The history up to the recording before the watched model's price change."""
    replay_history(demo, upto=CHANGE_AT - 1)
    tasks.dispatch_pending()  # the initial "added" events need no alerts


@pytest.fixture
def before_change(upstream):
    """The history up to the recording before the watched model's price change
    (restored from this run's snapshot of it); the upstream over HTTP."""
    snapshots.load("before-change")
    return upstream


def _watch(**kwargs) -> Watch:
    model = LanguageModel.objects.get(slug=WATCHED)
    if kwargs.get("email"):
        kwargs["email_confirmed_at"] = timezone.now()  # opted in
    return Watch.objects.create(model=model, events=[EventKind.PRICE], **kwargs)


def _sync_change(upstream) -> CatalogEvent:
    from catalog.syncs import sync_catalog

    upstream.set_snapshot(f"history:{CHANGE_AT}")
    assert sync_catalog().status == "succeeded"
    return CatalogEvent.objects.get(kind=EventKind.PRICE, model__slug=WATCHED)


def test_price_change_of_a_watched_model_reaches_the_webhook_signed(
    before_change, queued
):
    with Receiver() as receiver:
        watch = _watch(webhook_url=receiver.url)
        event = _sync_change(before_change)
        assert tasks.dispatch_pending()["events"] >= 1
        assert [(name, countdown) for name, _, countdown in queued] == [
            ("changes.deliver_webhook", 0)
        ]
        tasks.deliver_webhook(queued[0][1])
    [(headers, body)] = receiver.received
    assert signed_by(watch.secret, headers, body)
    assert not signed_by("another secret", headers, body)
    payload = json.loads(body)["event"]
    assert payload["id"] == event.pk and payload["kind"] == "price"
    assert payload["model"]["id"] == WATCHED
    assert payload["before"] == event.before and payload["after"] == event.after
    assert headers["X-Modelboard-Event"] == "price"
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.response_code == 204 and delivery.delivered_at is not None


def test_receiver_down_is_retried_with_backoff_then_delivered(
    before_change, queued, settings
):
    settings.CHANGES_RETRY_BASE_SECONDS = 10
    port = free_port()
    watch = _watch(webhook_url=f"http://127.0.0.1:{port}/hook")
    event = _sync_change(before_change)
    tasks.dispatch_pending()
    tasks.deliver_webhook(queued[-1][1])  # attempt 1: connection refused
    tasks.deliver_webhook(queued[-1][1])  # attempt 2: still down
    countdowns = [countdown for _, _, countdown in queued]
    assert countdowns[0] == 0
    assert 5 <= countdowns[1] <= 10 and 10 <= countdowns[2] <= 20  # doubling, jittered
    with Receiver(port=port) as receiver:
        tasks.deliver_webhook(queued[-1][1])  # attempt 3: up again
        tasks.dispatch_pending()  # nothing new: the cursor is past the event
        assert len(queued) == 3
    attempts = list(
        Delivery.objects.filter(watch=watch, event=event)
        .order_by("attempt")
        .values_list("attempt", "status")
    )
    assert attempts == [(1, "failed"), (2, "failed"), (3, "delivered")]
    assert "ConnectError" in Delivery.objects.get(attempt=1).error
    assert len(receiver.received) == 1
    assert signed_by(watch.secret, *receiver.received[0])


def test_retries_are_finite(before_change, queued, settings):
    settings.CHANGES_MAX_ATTEMPTS = 2
    _watch(webhook_url=f"http://127.0.0.1:{free_port()}/hook")
    _sync_change(before_change)
    tasks.dispatch_pending()
    tasks.deliver_webhook(queued[-1][1])
    tasks.deliver_webhook(queued[-1][1])
    assert len(queued) == 2
    assert list(Delivery.objects.values_list("status", flat=True)) == ["failed"] * 2


def test_a_receiver_error_status_is_retried(before_change, queued):
    with Receiver(status=500) as receiver:
        _watch(webhook_url=receiver.url)
        _sync_change(before_change)
        tasks.dispatch_pending()
        tasks.deliver_webhook(queued[-1][1])
    first = Delivery.objects.get(attempt=1)
    assert first.status == "failed" and first.response_code == 500
    assert Delivery.objects.get(attempt=2).status == "pending"


def test_a_delivery_runs_once_even_if_queued_twice(before_change, queued):
    with Receiver() as receiver:
        _watch(webhook_url=receiver.url)
        _sync_change(before_change)
        tasks.dispatch_pending()
        tasks.deliver_webhook(queued[0][1])
        tasks.deliver_webhook(queued[0][1])  # a redelivered message
    assert len(receiver.received) == 1


def test_email_is_a_second_channel(before_change, queued):
    _watch(email="ops@example.com")
    _sync_change(before_change)
    tasks.dispatch_pending()
    [(name, delivery_id, _)] = queued
    assert name == "changes.deliver_email"
    tasks.deliver_email(delivery_id)
    [message] = mail.outbox
    assert message.to == ["ops@example.com"]
    assert WATCHED in message.subject and "prompt" in message.body
    assert Delivery.objects.get().status == "delivered"


def test_events_of_a_running_sync_wait(before_change, queued):
    with Receiver() as receiver:
        _watch(webhook_url=receiver.url)
        _sync_change(before_change)
        running = SyncRun.objects.create(kind="endpoints", started_at=timezone.now())
        assert tasks.dispatch_pending() == {"events": 0, "skipped": True}
        assert queued == []
        running.status = "succeeded"
        running.save()
        assert tasks.dispatch_pending()["events"] >= 1
        assert len(queued) == 1
        cursor = DispatchCursor.objects.get(name="events")
        assert cursor.last_event_id == CatalogEvent.objects.latest("pk").pk


def test_unwatched_kinds_and_models_send_nothing(before_change, queued):
    model = LanguageModel.objects.exclude(slug=WATCHED).first()
    Watch.objects.create(model=model, webhook_url="http://127.0.0.1:9/hook")
    Watch.objects.create(
        model=LanguageModel.objects.get(slug=WATCHED),
        events=[EventKind.DELISTED],
        webhook_url="http://127.0.0.1:9/hook",
    )
    _sync_change(before_change)
    tasks.dispatch_pending()
    assert queued == [] and not Delivery.objects.exists()


def test_a_provider_watch_hears_of_its_endpoints(db, queued):
    from catalog.models import Author, Endpoint, Provider

    now = timezone.now()
    provider = Provider.objects.create(
        slug="acme", name="Acme", first_seen_at=now, updated_at=now
    )
    model = LanguageModel.objects.create(
        slug="acme/one",
        author=Author.objects.create(slug="acme"),
        name="One",
        first_seen_at=now,
        updated_at=now,
    )
    endpoint = Endpoint.objects.create(
        model=model,
        provider=provider,
        key="acme",
        name="Acme | acme/one",
        provider_name="Acme",
        first_seen_at=now,
        updated_at=now,
    )
    Watch.objects.create(
        provider=provider, email="x@example.com", email_confirmed_at=timezone.now()
    )
    CatalogEvent.objects.create(
        kind=EventKind.ENDPOINT_ADDED,
        model=model,
        endpoint=endpoint,
        provider=provider,
        observed_at=now,
    )
    tasks.dispatch_pending()
    assert [name for name, _, _ in queued] == ["changes.deliver_email"]


def test_dispatch_is_scheduled_every_minute():
    from datetime import timedelta

    from ops.jobs import BY_NAME

    job = BY_NAME["changes-dispatch-events"]
    assert (job.task, job.every) == ("changes.dispatch_events", timedelta(minutes=1))


def test_overdue_deliveries_are_queued_again_once(before_change, queued):
    from datetime import timedelta

    from changes.alerts import deliveries_overdue

    _watch(webhook_url="http://127.0.0.1:9/hook")
    _sync_change(before_change)
    tasks.dispatch_pending()
    # The broker lost the message: the row stays pending past its due time.
    Delivery.objects.update(scheduled_for=timezone.now() - timedelta(minutes=10))
    assert [d.attempt for d in deliveries_overdue()] == [1]
    assert deliveries_overdue() == []  # due again from now, not every minute


def test_an_inactive_watch_is_not_delivered(before_change, queued):
    watch = _watch(webhook_url="http://127.0.0.1:9/hook")
    _sync_change(before_change)
    tasks.dispatch_pending()
    Watch.objects.filter(pk=watch.pk).update(active=False)
    tasks.deliver_webhook(queued[0][1])
    assert Delivery.objects.get().status == "failed" and len(queued) == 1


@pytest.mark.slow
def test_a_receiver_that_drips_its_answer_fails_at_the_deadline(
    before_change, queued, settings
):
    """Its status line one byte every 0.2 s (4 s in all) never trips a read
    timeout: the whole exchange ends at CHANGES_WEBHOOK_TIMEOUT_SECONDS, as a
    failed attempt with the next one queued."""
    settings.CHANGES_WEBHOOK_TIMEOUT_SECONDS = 1
    with Receiver(drip=0.2) as receiver:
        _watch(webhook_url=receiver.url)
        _sync_change(before_change)
        tasks.dispatch_pending()
        started = time.monotonic()
        tasks.deliver_webhook(queued[-1][1])
        elapsed = time.monotonic() - started
    assert elapsed < 1 + 1
    attempts = list(
        Delivery.objects.order_by("attempt").values_list("attempt", "status")
    )
    assert attempts == [(1, "failed"), (2, "pending")]
    assert "Timeout" in Delivery.objects.get(attempt=1).error
    assert len(queued) == 2


def test_a_delivery_stuck_sending_counts_as_an_attempt(before_change, queued, settings):
    """A worker lost mid-attempt (killed at its time limit, say): the attempt is
    failed and the next one queued, so attempts keep counting up and end at
    CHANGES_MAX_ATTEMPTS instead of sending the same attempt again forever."""
    from datetime import timedelta

    from changes.alerts import deliveries_overdue

    settings.CHANGES_MAX_ATTEMPTS = 3
    _watch(webhook_url="http://127.0.0.1:9/hook")
    _sync_change(before_change)
    tasks.dispatch_pending()
    for attempt in (1, 2, 3):
        stuck = Delivery.objects.get(status="pending")
        assert stuck.attempt == attempt
        Delivery.objects.filter(pk=stuck.pk).update(
            status="sending", scheduled_for=timezone.now() - timedelta(hours=1)
        )
        later = timezone.now() + timedelta(hours=attempt)
        assert all(d.attempt == attempt + 1 for d in deliveries_overdue(later))
    attempts = list(
        Delivery.objects.order_by("attempt").values_list("attempt", "status")
    )
    assert attempts == [(1, "failed"), (2, "failed"), (3, "failed")]
    assert "worker lost" in Delivery.objects.get(attempt=3).error
