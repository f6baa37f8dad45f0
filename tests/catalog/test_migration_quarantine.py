"""The data migration for rows stored before the id rule."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from tests.support.factories import T0, make_endpoint, make_model

pytestmark = [pytest.mark.django_db, pytest.mark.backend]

MIGRATION = importlib.import_module(
    "catalog.migrations.0006_quarantine_unroutable_ids_and_delist_orphan_endpoints"
)


def test_odd_rows_are_quarantined_and_orphan_endpoints_delisted():
    from catalog.models import Endpoint, LanguageModel, Provider

    odd = make_model("ëvil/x")
    good = make_model("acme/ok")
    gone = make_model("acme/gone", delisted_at=T0)
    make_endpoint(gone, "hostco")
    blank = Provider.objects.create(
        slug="", name="Blank Cloud", first_seen_at=T0, updated_at=T0
    )
    MIGRATION.forwards(apps, None)
    odd.refresh_from_db()
    assert odd.hidden and "cannot be routed" in odd.internal_notes
    assert not LanguageModel.objects.get(pk=good.pk).hidden
    assert Endpoint.objects.get(model=gone).delisted_at == T0
    blank.refresh_from_db()
    assert blank.slug == "blank-cloud"
