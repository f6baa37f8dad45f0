"""A NaN or infinite price that reached the database by a raw path (an import, a
migration, a hand edit) is shown as missing, never a 500; a constraint keeps new
ones out on every backend."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from catalog.models import Endpoint, LanguageModel
from catalog.pricing import prices
from front.templatetags.front import per_million, usd, usd_spend

NON_FINITE = [
    Decimal("NaN"),
    Decimal("Infinity"),
    Decimal("-Infinity"),
    Decimal("sNaN"),
]


@pytest.mark.parametrize("value", NON_FINITE, ids=str)
def test_formatting_treats_a_non_finite_decimal_as_missing(value):
    assert prices.plain(value) is None
    assert usd(value) == usd(None) == "—"
    assert per_million(value) == "—"
    assert usd_spend(value) == "—"


@pytest.mark.django_db
@pytest.mark.backend
@pytest.mark.parametrize("model", [LanguageModel, Endpoint], ids=lambda m: m.__name__)
def test_the_database_refuses_a_non_finite_price(synced, model):
    """Written past the ORM, as an import or a hand edit would: refused (on
    PostgreSQL a bounded numeric refuses infinities by itself)."""
    table = model._meta.db_table
    pk = model.objects.order_by("pk").values_list("pk", flat=True).first()
    for raw in ("NaN", "Infinity", "-Infinity"):
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f"UPDATE {table} SET price_prompt = %s WHERE id = %s", [raw, pk]
            )


PAGES = ["/", "/?sort=price_asc", "/?sort=cost", "/{slug}", "/compare?models={slug},openai/gpt-4o", "/api/v1/models",
         "/api/v1/models/{slug}/endpoints", "/?format=csv", "/rankings"]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.postgresql
def test_pages_show_a_stored_nan_price_as_missing(client, synced):
    """PostgreSQL's numeric holds NaN: one stored before the constraint (it is
    dropped here, in the test's transaction) reads as a missing price."""
    assert connection.vendor == "postgresql", "run on PostgreSQL (DATABASE_URL)"
    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    with connection.cursor() as cursor:
        # The synced rows' deferred checks first: a table with pending ones
        # cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in ("catalog_languagemodel", "catalog_endpoint"):
            cursor.execute(
                "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass "
                "AND contype = 'c' AND conname LIKE %s",
                [table, "%finite%"],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        cursor.execute(
            "UPDATE catalog_languagemodel SET price_prompt = 'NaN' WHERE id = %s",
            [model.pk],
        )
        cursor.execute(
            "UPDATE catalog_endpoint SET price_completion = 'NaN' WHERE model_id = %s",
            [model.pk],
        )
    assert LanguageModel.objects.get(pk=model.pk).price_prompt is None
    for page in PAGES:
        path = page.format(slug=model.slug)
        response = client.get(path)
        assert response.status_code == 200, path
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        assert b"NaN" not in body, path
