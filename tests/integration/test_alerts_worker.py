"""A real Celery worker dispatches events and delivers webhooks through the broker,
retrying while the receiver is down, until it is delivered."""

from __future__ import annotations

import json

import pytest

from catalog.models import EventKind, LanguageModel
from changes.models import Delivery, Watch
from tests.conftest import wait_for
from tests.support.history import replay_history
from tests.support.receiver import Receiver, free_port, signed_by
from tests.support.upstream import in_process

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

WATCHED, CHANGE_AT = "deepseek/deepseek-chat-v3-0324", 2


def _statuses() -> list[tuple[int, str]]:
    return list(Delivery.objects.order_by("attempt").values_list("attempt", "status"))


# Seconds, not minutes, between attempts; the receiver listens on loopback, which
# deliveries otherwise refuse.
@pytest.mark.worker_env(
    CHANGES_RETRY_BASE_SECONDS="1", CHANGES_WEBHOOK_ALLOW_PRIVATE="1"
)
def test_worker_retries_a_down_receiver_until_delivered(
    celery_worker, upstream, monkeypatch
):
    # This process syncs the history from the demo upstream in-process: serving
    # it and syncing from it over a socket in one busy process could time out.
    monkeypatch.setattr("catalog.sources.transport", lambda: in_process(upstream))
    replay_history(upstream, upto=CHANGE_AT - 1)
    celery_worker.send("changes.dispatch_events")  # the "added" events: no watch yet
    port = free_port()
    watch = Watch.objects.create(
        model=LanguageModel.objects.get(slug=WATCHED),
        events=[EventKind.PRICE],
        webhook_url=f"http://127.0.0.1:{port}/hook",
    )
    wait_for(lambda: not Delivery.objects.exists() and _cursor_moved(), timeout=60)
    replay_history_step(upstream, CHANGE_AT)

    celery_worker.send("changes.dispatch_events")
    wait_for(lambda: "failed" in dict(_statuses()).values(), timeout=60)
    with Receiver(port=port) as receiver:
        wait_for(lambda: "delivered" in dict(_statuses()).values(), timeout=90)
    statuses = _statuses()
    assert statuses[-1][1] == "delivered"
    assert all(status == "failed" for _, status in statuses[:-1]) and len(statuses) >= 2
    assert [attempt for attempt, _ in statuses] == list(range(1, len(statuses) + 1))
    [(headers, body)] = receiver.received
    assert signed_by(watch.secret, headers, body)
    assert json.loads(body)["event"]["model"]["id"] == WATCHED


def _cursor_moved() -> bool:
    from changes.models import DispatchCursor

    return DispatchCursor.objects.filter(name="events", last_event_id__gt=0).exists()


def replay_history_step(upstream, index: int) -> None:
    from catalog.syncs import sync_catalog

    upstream.set_snapshot(f"history:{index}")
    assert sync_catalog().status == "succeeded"
