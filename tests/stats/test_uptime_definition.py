"""Uptime with its definition: each stored figure records whether it is upstream's
request ratio or its share of good minutes, by when it was measured; the chart
marks the change where its lines cross it; the page words which one it shows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from catalog.sources.openrouter import EndpointRecord
from front import charts
from front.uptime import uptime_wording
from stats.definitions import MINUTES_SINCE, UptimeDefinition, uptime_definition_at
from stats.ingest import rollup_build, sample_for, uptime_upsert
from stats.models import EndpointRollup, EndpointSample, Period, UptimeHistory
from stats.selectors import Series
from tests.support.factories import make_endpoint, make_model

BEFORE = MINUTES_SINCE - timedelta(minutes=10)
AFTER = MINUTES_SINCE + timedelta(minutes=10)
REQUESTS, MINUTES = UptimeDefinition.REQUESTS, UptimeDefinition.MINUTES


def record(uptime: float) -> EndpointRecord:
    return EndpointRecord.model_validate(
        {
            "provider_name": "Liquid",
            "tag": "liquid",
            "pricing": {"prompt": "0", "completion": "0"},
            "uptime_last_30m": uptime,
        }
    )


def test_the_cut_over_is_midnight_utc_and_the_definitions_split_there():
    assert (MINUTES_SINCE.hour, MINUTES_SINCE.minute) == (0, 0)
    assert MINUTES_SINCE.utcoffset() == timedelta(0)
    assert uptime_definition_at(BEFORE) == REQUESTS
    assert uptime_definition_at(MINUTES_SINCE) == MINUTES


@pytest.mark.django_db
def test_samples_and_their_rollups_record_the_definition_of_their_time():
    endpoint = make_endpoint(make_model(), "liquid")
    for at, uptime in ((BEFORE, 90.0), (AFTER, 99.0)):
        sample_for(endpoint.pk, record(uptime), at).save()
    stored = dict(EndpointSample.objects.values_list("uptime_30m", "uptime_definition"))
    assert stored == {90.0: REQUESTS, 99.0: MINUTES}

    for period in (Period.HOUR, Period.DAY):
        rollup_build(period, BEFORE - timedelta(days=1))
    rollups = EndpointRollup.objects.values_list(
        "period", "uptime_avg", "uptime_definition"
    )
    # The two figures are never averaged together: each side of the change
    # has its own hour and day.
    assert sorted(rollups) == sorted(
        [
            ("hour", 90.0, REQUESTS),
            ("hour", 99.0, MINUTES),
            ("day", 90.0, REQUESTS),
            ("day", 99.0, MINUTES),
        ]
    )


@pytest.mark.django_db
def test_backfilled_hours_record_the_definition_of_their_hour():
    model = make_model()
    hours = [MINUTES_SINCE - timedelta(hours=1), MINUTES_SINCE]
    rows = [UptimeHistory(model=model, hour=h, uptime=99.0, source="t") for h in hours]
    assert uptime_upsert(rows) == 2
    stored = UptimeHistory.objects.order_by("hour")
    assert [r.uptime_definition for r in stored] == [REQUESTS, MINUTES]


def _line(start, hours: int) -> Series:
    return Series("Liquid", [(start + timedelta(hours=h), 99.0) for h in range(hours)])


def test_the_chart_marks_the_change_only_where_it_spans_it():
    spanning = charts.uptime_figure([_line(MINUTES_SINCE - timedelta(hours=5), 10)])
    (shape,) = spanning.layout["shapes"]
    assert shape["x0"] == shape["x1"] == MINUTES_SINCE.isoformat()
    assert shape["line"]["dash"] == "dash"
    assert "redefined" in spanning.layout["annotations"][0]["text"]
    after = charts.uptime_figure([_line(MINUTES_SINCE, 10)])
    assert "shapes" not in after.layout
    # Daily points are dates: compared as midnight UTC.
    days = Series("Liquid", [(BEFORE.date(), 99.0), (AFTER.date(), 99.5)])
    assert "shapes" in charts.uptime_figure([days]).layout


def test_the_page_words_the_definition_it_shows():
    now = MINUTES_SINCE + timedelta(days=90)
    spanning = uptime_wording(MINUTES_SINCE - timedelta(days=3), now)
    assert spanning.spans and spanning.minutes
    assert "requests" in spanning.before and "minutes" in spanning.after
    recent = uptime_wording(now - timedelta(hours=72), now)
    assert not recent.spans and "80%" in recent.current
    old = uptime_wording(None, BEFORE)
    assert not old.minutes and old.current == REQUESTS.label
