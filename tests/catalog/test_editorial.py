"""Editorial fields: hidden models leave the list and the API, featured ones lead."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from catalog import syncs
from catalog.editorial.permissions import editor_group_ensure
from catalog.models import LanguageModel

pytestmark = pytest.mark.django_db


@pytest.fixture
def synced(upstream) -> None:
    syncs.sync_catalog()


def _list_ids(client, **params) -> list[str]:
    return [
        m["id"]
        for m in json.loads(
            b"".join(client.get("/", params | {"format": "json"}).streaming_content)
        )["data"]
    ]


def test_hidden_model_leaves_list_and_api_but_staff_see_its_page(synced, client):
    """Hidden: off the list and the API, 404 for the public, visible to staff."""
    LanguageModel.objects.filter(slug="liquid/lfm-40b").update(hidden=True)
    assert "liquid/lfm-40b" not in _list_ids(client, q="lfm")
    api = client.get("/api/v1/models", {"q": "lfm"}).json()["data"]
    assert "liquid/lfm-40b" not in [m["id"] for m in api]
    assert client.get("/liquid/lfm-40b").status_code == 404
    staff = User.objects.create_user("sam", is_staff=True)
    client.force_login(staff)
    page = client.get("/liquid/lfm-40b")
    assert page.status_code == 200 and "Hidden from the list" in page.content.decode()


def test_featured_models_come_first_whatever_the_sort(synced, client):
    """A featured model leads the list in every sort order."""
    LanguageModel.objects.filter(slug="liquid/lfm-7b").update(featured=True)
    for sort in ("newest", "price_asc", "context"):
        assert _list_ids(client, sort=sort)[0] == "liquid/lfm-7b"


def test_admin_bulk_actions_hide_and_feature(synced, client):
    """The changelist actions set the editorial flags on the selected models."""
    editor = User.objects.create_user("edith", is_staff=True)
    editor.groups.add(editor_group_ensure())
    client.force_login(editor)
    url = reverse("admin:catalog_languagemodel_changelist")
    pks = list(
        LanguageModel.objects.filter(slug__startswith="liquid/").values_list(
            "pk", flat=True
        )
    )
    for action, field in (("hide", "hidden"), ("feature", "featured")):
        response = client.post(url, {"action": action, "_selected_action": pks})
        assert response.status_code == 302
        assert LanguageModel.objects.filter(pk__in=pks, **{field: True}).count() == 3


@pytest.mark.slow
def test_editor_cannot_edit_users_or_schedules(client):
    """The editor group edits the catalogue only."""
    editor = User.objects.create_user("edith", is_staff=True)
    editor.groups.add(editor_group_ensure())
    client.force_login(editor)
    assert client.get("/admin/catalog/languagemodel/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/django_celery_beat/periodictask/").status_code == 403
    assert client.get("/admin/catalog/syncrun/").status_code == 200


def test_admin_requires_login(client):
    """Everything in the admin is behind login."""
    response = client.get("/admin/catalog/languagemodel/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
