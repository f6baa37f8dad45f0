"""Every catalogue admin page renders, and the sync buttons queue their task."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from catalog import syncs
from catalog.editorial.overrides import override_set
from catalog.models import Endpoint, LanguageModel, Provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, upstream):
    syncs.sync_providers()
    syncs.sync_catalog()
    syncs.sync_endpoints(slugs=["liquid/lfm-40b"])
    client.force_login(User.objects.create_superuser("root", password="x"))
    return client


def test_changelists_and_change_pages_render(admin_client):
    """List, change and history pages of each catalogue model answer 200."""
    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    endpoint = Endpoint.objects.filter(model=model).first()
    override_set(model, "name", "Liquid 40B", reason="style")
    objects = {
        "languagemodel": model.pk,
        "endpoint": endpoint.pk,
        "provider": Provider.objects.first().pk,
        "fieldoverride": model.overrides.get().pk,
    }
    for name in (
        "languagemodel",
        "endpoint",
        "provider",
        "fieldoverride",
        "author",
        "tag",
        "catalogevent",
        "syncrun",
        "adminedit",
    ):
        url = reverse(f"admin:catalog_{name}_changelist")
        assert admin_client.get(url).status_code == 200, name
    for name, pk in objects.items():
        for view in ("change", "history"):
            url = reverse(f"admin:catalog_{name}_{view}", args=[pk])
            assert admin_client.get(url).status_code == 200, (name, view)
