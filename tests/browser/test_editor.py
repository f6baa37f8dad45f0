"""An editor corrects a model in the admin, in a real browser, and the public page
shows the correction as such."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from catalog import syncs
from catalog.editorial.permissions import editor_group_ensure
from catalog.models import FieldOverride

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_edits_a_model_and_the_public_page_marks_it(live_server, upstream, page):
    """Log in as an editor, override the context length, see "edited" publicly."""
    syncs.sync_catalog()
    editor = User.objects.create_user("edith", password="s3cret-pass", is_staff=True)
    editor.groups.add(editor_group_ensure())

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", "s3cret-pass")
    with page.expect_navigation():
        page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/catalog/languagemodel/?q=lfm-40b")
    page.click("text=liquid/lfm-40b")
    page.fill("#id_context_length", "65536")
    page.fill("#id_override_reason", "Liquid's docs say 64K")
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert "was changed successfully" in page.inner_text(".messagelist")

    override = FieldOverride.objects.get(model__slug="liquid/lfm-40b")
    assert (override.field, override.value, override.upstream_value) == (
        "context_length",
        65536,
        32768,
    )
    page.goto(f"{live_server.url}/liquid/lfm-40b")
    assert "65,536 context" in page.inner_text(".facts")
    mark = page.locator(".facts .edited").first
    assert mark.is_visible()
    assert "32,768" in (mark.get_attribute("title") or "")
    assert "Liquid's docs say 64K" in (mark.get_attribute("title") or "")

    # The object's history shows who changed what, before and after.
    page.goto(
        f"{live_server.url}/admin/catalog/languagemodel/{override.model_id}/history/"
    )
    history = page.inner_text("#edit-history")
    assert "edith" in history and "context_length" in history
    assert "32768" in history and "65536" in history
    assert list(page.errors) == []

    # Forbidden: the browser logs the 403 as a console error, which is the point here.
    response = page.goto(f"{live_server.url}/admin/auth/user/")
    assert response.status == 403
    page.errors.clear()
