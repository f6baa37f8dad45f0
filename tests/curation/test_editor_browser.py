"""An editor corrects a model in the admin, in a real browser, and the public page
shows the correction as such."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import User

from catalog import syncs
from catalog.models import FieldOverride
from catalog.permissions import editor_group_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture
def page():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test
    # makes between browser steps are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.errors = errors
        yield page
        browser.close()


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
        "context_length", 65536, 32768,
    )
    page.goto(f"{live_server.url}/liquid/lfm-40b")
    assert "65,536 context" in page.inner_text(".facts")
    mark = page.locator(".facts .edited").first
    assert mark.is_visible()
    assert "32,768" in (mark.get_attribute("title") or "")
    assert "Liquid's docs say 64K" in (mark.get_attribute("title") or "")

    response = page.goto(f"{live_server.url}/admin/auth/user/")
    assert response.status == 403
    assert page.errors == []
