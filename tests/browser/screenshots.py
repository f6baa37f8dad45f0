"""The README's screenshots, taken from the demo catalogue by `make screenshots`.

Not part of the suite (the file name keeps pytest from collecting it): the tests
never write tracked files.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_model_page(site: str, page: Page) -> None:
    page.goto(f"{site}/openai/gpt-4o")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SCREENSHOTS / "model-page.png"), full_page=True)


def test_catalogue(site: str, page: Page) -> None:
    page.goto(f"{site}/?sort=context")
    page.screenshot(path=str(SCREENSHOTS / "catalogue.png"), full_page=True)
