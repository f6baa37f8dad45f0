"""Zero data retention in headless Chromium: a model page marks the endpoints
upstream lists as ZDR, with a name a screen reader reads, and axe finds nothing
wrong with the mark; the page says what its uptime figures mean."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from catalog.models import Endpoint
from tests.browser.conftest import goto_settled
from tests.browser.test_accessibility import axe_script, page, violations
from tests.front.conftest import PLAIN_STATIC, upstream_settings
from tests.support import snapshots

pytestmark = pytest.mark.browser
__all__ = ["axe_script", "page"]  # the accessibility module's fixtures, reused

MODEL = "qwen/qwen3-8b"  # three providers, two of them ZDR in the demo


@pytest.fixture
def zdr_site(live_server, demo) -> Iterator[str]:
    """The live server over the demo catalogue with its ZDR endpoints marked."""
    overrides = upstream_settings(demo) | {"STORAGES": PLAIN_STATIC}
    with override_settings(**overrides):
        snapshots.load("zdr")
        yield live_server.url


def test_the_model_page_marks_zdr_endpoints(
    zdr_site: str, page: Page, axe_script: Path
):
    listed = Endpoint.objects.filter(model__slug=MODEL, delisted_at__isnull=True)
    zdr = listed.filter(zdr=True).select_related("provider")
    assert 0 < zdr.count() < listed.count()  # some marked, some not
    goto_settled(page, f"{zdr_site}/{MODEL}")
    marks = page.locator("#providers tbody .badge.zdr")
    expect(marks).to_have_count(zdr.count())
    for endpoint in zdr:
        row = page.locator("#providers tbody tr").filter(
            has=page.locator(".badge.zdr"), has_text=endpoint.provider.name
        )
        expect(row.first).to_be_visible()
    expect(marks.first).to_contain_text("zero data retention")
    expect(marks.first.locator("abbr")).to_have_attribute(
        "title",
        "Zero data retention: OpenRouter lists this endpoint as keeping "
        "no prompts or completions",
    )
    expect(page.locator("#providers-uptime-definition")).to_contain_text(
        "share of minutes with at least 80% of attempts succeeding"
    )
    expect(page.locator("#uptime-definition")).to_contain_text("Sep 1, 2026")
    assert violations(page, axe_script) == []
