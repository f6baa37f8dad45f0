"""A sync that writes many rows refreshes PostgreSQL's statistics of the tables
it wrote before it reports done: right after a first sync the planner would
otherwise plan for empty tables until autovacuum gets to them (the model list
then took 304 ms instead of 22)."""

from __future__ import annotations

import pytest
from django.db import connection

from catalog.models import Endpoint, LanguageModel, ModelRank
from catalog.syncs import sync_catalog
from ops.jobs import sync_endpoints

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]


def estimated_rows(model) -> float:
    """What the planner believes the table holds (-1: never analysed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
            [model._meta.db_table],
        )
        return cursor.fetchone()[0]


def test_a_first_sync_leaves_the_planner_knowing_the_rows(mock_upstream):
    assert connection.vendor == "postgresql", "run on PostgreSQL (DATABASE_URL)"
    # The planner's belief of an empty catalogue, whatever an earlier test left
    # (ANALYZE writes its estimates in place: a rollback keeps them).
    for model in (LanguageModel, ModelRank, Endpoint):
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {model._meta.db_table}")
        assert estimated_rows(model) == 0
    assert sync_catalog().status == "succeeded"
    count = LanguageModel.objects.count()
    assert estimated_rows(LanguageModel) == count == ModelRank.objects.count()
    assert estimated_rows(ModelRank) == count
    assert sync_endpoints().status == "succeeded"
    assert estimated_rows(Endpoint) == Endpoint.objects.count() > 0
