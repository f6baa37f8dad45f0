"""The syncs' bulk writes: each value stored as the ORM would store it, only the
named columns touched, and many rows a statement within the database's limit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.ingest import rows
from catalog.models import LanguageModel
from stats.models import UptimeHistory
from tests.support.factories import T0, make_model

pytestmark = [pytest.mark.django_db, pytest.mark.backend]


def test_rows_update_stores_each_value_as_the_orm_would():
    first, second, third = (make_model(f"a/m{i}") for i in range(3))
    at = datetime(2026, 11, 30, 23, 59, 58, 123456, tzinfo=UTC)
    rows.objects_update(
        [
            _set(first, price_prompt=Decimal("0.000123456789"), updated_at=at),
            _set(
                second,
                price_prompt=None,
                input_modalities=["text", "image", {"odd": "<b>"}],
                expiration_date=date(2027, 2, 1),
            ),
        ],
        ["price_prompt", "input_modalities", "expiration_date", "updated_at"],
    )
    got = {m.slug: m for m in LanguageModel.objects.all()}
    assert got["a/m0"].price_prompt == Decimal("0.000123456789")
    assert got["a/m0"].updated_at == at
    assert got["a/m1"].price_prompt is None
    assert got["a/m1"].input_modalities == ["text", "image", {"odd": "<b>"}]
    assert got["a/m1"].expiration_date == date(2027, 2, 1)
    # A row not given, and a column not named, are left as they were.
    assert got["a/m2"].updated_at == third.updated_at == T0
    assert got["a/m0"].name == first.name


def test_rows_update_writes_a_thousand_rows_a_statement():
    author = make_model("a/m").author
    made = LanguageModel.objects.bulk_create(
        LanguageModel(slug=f"a/m{i}", author=author, first_seen_at=T0, updated_at=T0)
        for i in range(1200)
    )
    with CaptureQueriesContext(connection) as ctx:
        rows.rows_update(
            LanguageModel,
            ["upstream_position", "updated_at"],
            [(m.pk, i, T0 + timedelta(minutes=i)) for i, m in enumerate(made)],
        )
    # 3,000 parameters in the first: past the 999 Django allows SQLite.
    assert len(ctx.captured_queries) == 2
    stored = dict(LanguageModel.objects.values_list("pk", "upstream_position"))
    assert [stored[m.pk] for m in made] == list(range(1200))
    assert LanguageModel.objects.get(pk=made[-1].pk).updated_at == T0 + timedelta(
        minutes=1199
    )


def test_rows_upsert_inserts_then_overwrites_by_the_natural_key():
    model = make_model()
    hours = [T0 + timedelta(hours=h) for h in range(3)]

    def uptime(hour: datetime, value: float | None, source: str) -> UptimeHistory:
        return UptimeHistory(
            model=model, series="", hour=hour, uptime=value, source=source
        )

    key, columns = ["model", "series", "hour"], ["uptime", "source"]
    rows.rows_upsert(
        UptimeHistory, [uptime(h, 99.5, "first") for h in hours], key, columns
    )
    first_ids = dict(UptimeHistory.objects.values_list("hour", "pk"))
    rows.rows_upsert(
        UptimeHistory,
        [
            uptime(hours[1], None, "again"),
            uptime(hours[2] + timedelta(hours=1), 1.0, "new"),
        ],
        key,
        columns,
    )
    stored = {
        hour: (pk, value, source)
        for pk, hour, value, source in UptimeHistory.objects.values_list(
            "pk", "hour", "uptime", "source"
        )
    }
    assert len(stored) == 4
    assert stored[hours[0]] == (first_ids[hours[0]], 99.5, "first")
    # Overwritten in place: the same row, the named columns only.
    assert stored[hours[1]] == (first_ids[hours[1]], None, "again")
    assert stored[hours[2] + timedelta(hours=1)][1:] == (1.0, "new")


def test_rows_upsert_without_columns_to_update_keeps_what_is_stored():
    model = make_model()
    row = UptimeHistory(model=model, series="", hour=T0, uptime=50.0, source="a")
    rows.rows_upsert(UptimeHistory, [row], ["model", "series", "hour"], [])
    again = UptimeHistory(model=model, series="", hour=T0, uptime=1.0, source="b")
    rows.rows_upsert(UptimeHistory, [again], ["model", "series", "hour"], [])
    assert list(UptimeHistory.objects.values_list("uptime", "source")) == [(50.0, "a")]


def _set(model: LanguageModel, **values: object) -> LanguageModel:
    for name, value in values.items():
        setattr(model, name, value)
    return model
