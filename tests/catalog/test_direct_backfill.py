"""The optional history backfill: model-prices 0.0.5's dated timeline (recorded in
demo/data) loaded as past direct prices, each marked, once however often it runs."""

from __future__ import annotations

import gzip
import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from catalog.ingest.backfill import timeline_points
from catalog.models import CatalogEvent, EventKind
from changes import tasks
from changes.models import Delivery, Watch
from tests.support import snapshots

pytestmark = pytest.mark.django_db

LABEL = "model-prices 0.0.5"


@pytest.fixture
def direct(mock_upstream):
    snapshots.load("direct")
    return mock_upstream


def _backfill(*args: str) -> str:
    out = io.StringIO()
    call_command("backfill_direct", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _backfilled():
    return CatalogEvent.objects.filter(backfill=LABEL)


@pytest.mark.slow
def test_the_timeline_loads_once_each_point_marked(direct):
    said = _backfill()
    events = list(_backfilled().select_related("direct_offer"))
    assert f"{LABEL}: {len(events)} past direct prices written, 0 already" in said
    assert len(events) > 50
    assert {e.kind for e in events} == {EventKind.DIRECT_PRICE}
    assert all(e.observed_at < e.direct_offer.first_seen_at for e in events)
    # Nothing changes a second time: no new event, none rewritten.
    ids = sorted(e.pk for e in events)
    again = _backfill()
    assert "0 past direct prices written" in again
    assert f"{len(events)} already there" in again
    assert sorted(_backfilled().values_list("pk", flat=True)) == ids


@pytest.mark.slow
def test_a_past_price_is_the_timeline_exactly(direct):
    """gpt-4o's batch-free standard price: cache reads priced from 2025-06-05 on
    ($1.25/M; the timeline's correction from OpenAI's prompt-caching page)."""
    _backfill()
    event = _backfilled().get(
        direct_offer__provider="openai",
        direct_offer__key="gpt-4o",
        observed_at=datetime(2025, 6, 5, 20, 31, 32, tzinfo=UTC),
    )
    assert event.before == {"cache_read_input_token_cost": "0"}
    assert event.after == {"cache_read_input_token_cost": "0.00000125"}
    assert event.model.slug == "openai/gpt-4o"


@pytest.mark.slow
def test_backfilled_prices_are_marked_on_pages_and_send_no_alert(direct, client):
    tasks.dispatch_pending()
    Watch.objects.create(
        model=_any_offer_model(),
        email="a@example.com",
        email_confirmed_at=timezone.now(),
    )
    _backfill()
    assert tasks.dispatch_pending()["events"] > 0
    assert not Delivery.objects.exists()
    body = client.get("/changes", {"source": "litellm"}).content.decode()
    assert 'class="tag backfilled" title="Loaded from model-prices 0.0.5' in body
    feed = client.get("/changes/feed.rss", {"source": "litellm"}).content.decode()
    assert "backfilled from model-prices 0.0.5, not seen by a poll" in feed


def _any_offer_model():
    from catalog.models import LanguageModel

    return LanguageModel.objects.get(slug="openai/gpt-4o")


def test_a_malformed_model_is_skipped_by_name(direct, tmp_path):
    timeline = {
        "package": "test-timeline",
        "version": "1",
        "prices": {
            "openai": {
                "gpt-4o": [
                    {"start": "2025-01-01T00:00:00Z", "rates": {"input": "cheap"}}
                ],
                "no-such-model": [],
            }
        },
    }
    path = tmp_path / "t.json.gz"
    path.write_bytes(gzip.compress(json.dumps(timeline).encode()))
    err = io.StringIO()
    out = io.StringIO()
    call_command("backfill_direct", "--file", str(path), stdout=out, stderr=err)
    assert "skipped openai/gpt-4o: input is not a price: 'cheap'" in err.getvalue()
    assert "0 past direct prices written" in out.getvalue()
    assert "1 models with no stored offer, 1 skipped" in out.getvalue()


def test_an_unreadable_timeline_is_a_command_error(db, tmp_path):
    path = tmp_path / "t.json.gz"
    path.write_bytes(gzip.compress(b'{"prices": '))
    with pytest.raises(CommandError, match="could not be read"):
        call_command("backfill_direct", "--file", str(path))


def test_a_timeline_reads_its_periods_oldest_first_without_withdrawn_ones():
    points = timeline_points(
        [
            {"start": "2025-02-01T00:00:00Z", "rates": {"input": "2", "output": "8"}},
            {"start": None, "valid_from": "2025-01-01T00:00:00Z", "rates": None},
            {"start": None, "valid_from": "2024-01-01T00:00:00Z", "rates": {}},
        ]
    )
    assert [p.at.year for p in points] == [2024, 2025]
    assert points[1].pricing == {
        "input_cost_per_token": "0.000002",
        "output_cost_per_token": "0.000008",
    }
    with pytest.raises(ValueError, match="no date"):
        timeline_points([{"start": None, "rates": {"input": 1}}])
