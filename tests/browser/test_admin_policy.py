"""The admin works under the Content-Security-Policy: its pages, widgets and the
schedules' forms run without a single blocked script or style (the `page` fixture
fails on any console error, CSP violations included)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from catalog import syncs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_PAGES = [
    "/admin/",
    "/admin/catalog/languagemodel/",
    "/admin/catalog/languagemodel/?q=lfm-40b",
    "/admin/catalog/syncrun/",
    "/admin/changes/watch/add/",
    "/admin/django_celery_beat/periodictask/add/",
    "/admin/auth/user/add/",
]


def test_admin_pages_run_under_the_policy(live_server, upstream, page):
    syncs.sync_catalog()
    User.objects.create_superuser("root", "root@example.com", "s3cret-pass")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "s3cret-pass")
    with page.expect_navigation():
        page.click("input[type=submit]")
    for path in ADMIN_PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    # A model's change form, with its inlines and widgets.
    page.goto(f"{live_server.url}/admin/catalog/languagemodel/?q=lfm-40b")
    page.click("text=liquid/lfm-40b")
    page.click("summary:has-text('Upstream only')")
    assert page.is_visible("text=Editorial (never touched by polls)")
    assert list(page.errors) == []
