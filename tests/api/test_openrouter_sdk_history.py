"""OpenRouter's SDK over HTTP against the replayed 2026 catalogue history (every
recorded day synced in order, then the last day's providers and endpoints)."""

from __future__ import annotations

from collections.abc import Iterator

import openrouter
import pytest
from openrouter import errors

from catalog.models import Endpoint, LanguageModel
from tests.api.conftest import (
    live_api,
    openrouter_sdk,
    reads_outside_a_test_transaction,
)
from tests.support import snapshots

pytestmark = [
    pytest.mark.http,
    pytest.mark.clients,
    pytest.mark.django_db,
    pytest.mark.slow,
]
_django_db_marker = pytest.fixture(autouse=True, name="_django_db_marker")(
    reads_outside_a_test_transaction
)


@pytest.fixture(scope="module")
def sdk(django_db_setup, django_db_blocker) -> Iterator[openrouter.OpenRouter]:
    """The replayed history and the last day's providers and endpoints, served."""
    with (
        snapshots.committed("replayed-served", django_db_blocker),
        live_api() as url,
        openrouter_sdk(url) as client,
    ):
        yield client


def test_endpoints_list_parses_for_every_replayed_model(sdk):
    listed = LanguageModel.objects.filter(delisted_at__isnull=True).order_by("slug")
    assert listed.count() > 300
    served = 0
    for model in listed:
        author, slug = model.slug.split("/", 1)
        data = sdk.endpoints.list(author=author, slug=slug).data
        assert data.id == model.slug and data.name == model.name
        served += len(data.endpoints)
    assert (
        served
        == Endpoint.objects.filter(
            delisted_at__isnull=True, model__delisted_at__isnull=True
        ).count()
    )
    assert served > listed.count()


def test_a_model_delisted_during_the_history_is_not_found(sdk):
    gone = LanguageModel.objects.filter(delisted_at__isnull=False).order_by("slug")
    assert gone.exists()
    for model in gone[:5]:
        author, slug = model.slug.split("/", 1)
        with pytest.raises(errors.NotFoundResponseError):
            sdk.endpoints.list(author=author, slug=slug)
