"""While the first sync runs, pages say so instead of answering 404."""

from __future__ import annotations

import pytest
from django.utils import timezone

from catalog.models import LanguageModel, SyncRun

pytestmark = pytest.mark.django_db


def test_an_empty_catalogue_says_the_first_sync_is_on_its_way(client):
    assert not LanguageModel.objects.exists()
    SyncRun.objects.create(kind="catalog", started_at=timezone.now())
    for path in ("/liquid/lfm-40b", "/openai", "/providers/lambda"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response["Retry-After"] == "15"
        body = response.content.decode()
        assert "First sync in progress" in body
        assert '<meta http-equiv="refresh" content="15">' in body
    assert "First sync in progress" in client.get("/").content.decode()
