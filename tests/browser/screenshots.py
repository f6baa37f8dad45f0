"""The README's screenshots, taken from the demo catalogue by `make screenshots`.

Not part of the suite (the file name keeps pytest from collecting it): the tests
never write tracked files.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def as_in_demo_mode(settings) -> None:
    """The pictures show what `make run` shows offline: the demo, labelled so,
    with its schedules (the next poll)."""
    from ops.schedules import schedules_ensure

    settings.MODELBOARD_DEMO_UPSTREAM = True
    schedules_ensure()


def _drawn(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n",
        arg=page.locator("[data-plot]").count(),
    )


def test_model_page(site: str, page: Page) -> None:
    page.goto(f"{site}/openai/gpt-4o")
    _drawn(page)
    page.screenshot(path=str(SCREENSHOTS / "model-page.png"), full_page=True)


def test_catalogue(site: str, browser: Browser) -> None:
    """The list's first screen on a 1366×900 desktop: the filters in the sidebar,
    one as a chip, the workload line, the dense rows."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{site}/?input_modality=image&sort=context")
    page.screenshot(path=str(SCREENSHOTS / "catalogue.png"))
    context.close()


def test_catalogue_phone(site: str, browser: Browser) -> None:
    """The list's first screen on a 390 px phone: the filters in their drawer,
    the models as compact cards."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2
    )
    page = context.new_page()
    page.goto(f"{site}/?sort=tokens_week")
    page.screenshot(path=str(SCREENSHOTS / "list-phone.png"))
    context.close()


def test_phone(site: str, browser: Browser) -> None:
    """The seed model's page on a 390 px phone, in dark mode: its providers, apps
    and tokens per day."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        color_scheme="dark",
    )
    page = context.new_page()
    page.goto(f"{site}/liquid/lfm-40b")
    _drawn(page)
    box = page.locator("#providers").bounding_box()
    assert box is not None
    clip = {"x": 0, "y": box["y"] - 8, "width": 390, "height": 1500}
    page.screenshot(path=str(SCREENSHOTS / "phone.png"), full_page=True, clip=clip)
    context.close()


def test_usage(site: str, page: Page, settings) -> None:
    """Your account's usage on the demo with its demo key (opened to the visitor
    for the picture)."""
    from stats.syncs import sync_datasets

    settings.OPENROUTER_API_KEY = "demo"
    settings.STATS_DATASETS_ENABLED = True
    settings.USAGE_PUBLIC = True
    assert sync_datasets().status == "succeeded"
    page.goto(f"{site}/usage")
    _drawn(page)
    box = page.locator("#usage-models").bounding_box()
    assert box is not None
    clip = {"x": 0, "y": 0, "width": 1280, "height": box["y"] + box["height"] + 16}
    page.screenshot(path=str(SCREENSHOTS / "usage.png"), full_page=True, clip=clip)


def test_calculator(site: str, browser: Browser) -> None:
    """The list priced for the RAG preset, sorted by cost, three models in the
    compare tray."""
    context = browser.new_context(viewport={"width": 1280, "height": 1500})
    page = context.new_page()
    page.goto(f"{site}/?author=openai&preset=rag&sort=cost")
    adds = page.locator("table.models [data-compare-add]")
    for index in range(3):
        adds.nth(index).click()
    page.locator("#compare-tray").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "calculator.png"))
    context.close()
