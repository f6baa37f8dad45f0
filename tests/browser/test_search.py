"""The header box's instant suggestions in Chromium: typed, navigated by keyboard,
opened with Enter; and the plain search form without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser


def test_suggestions_open_a_model_by_keyboard(site: str, page: Page):
    """Type, arrow down to the first suggestion, Enter: its model page opens."""
    page.goto(f"{site}/providers")
    box = page.get_by_role("combobox", name="Search models")
    box.click()
    box.type("gpt 4o", delay=40)
    listbox = page.get_by_role("listbox", name="Suggested models")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("openai/gpt-4o")
    assert 1 < options.count() <= 8
    expect(box).to_have_attribute("aria-expanded", "true")

    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute(
        "aria-activedescendant", options.first.get_attribute("id")
    )
    box.press("ArrowDown")
    box.press("ArrowUp")
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page).to_have_url(f"{site}/openai/gpt-4o")
    expect(page.locator("h1")).to_have_text("OpenAI: GPT-4o")


def test_escape_closes_and_enter_searches(site: str, page: Page):
    """Escape closes the list; Enter with nothing highlighted searches the list page,
    ranked: a one-typo query finds Claude Sonnet models first."""
    page.goto(f"{site}/")
    box = page.get_by_role("combobox", name="Search models")
    box.click()
    box.type("claude sonet", delay=40)
    listbox = page.get_by_role("listbox", name="Suggested models")
    expect(listbox.get_by_role("option").first).to_contain_text("Sonnet")
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/\?q=claude\+sonet$"))
    first = page.locator("table tbody tr").first
    expect(first).to_contain_text("Sonnet")


def test_search_box_works_without_javascript(site: str, browser: Browser):
    """No script: a plain search box that submits to /?q=, ranked the same."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/")
    box = page.locator("#site-q")
    assert box.get_attribute("role") is None
    box.fill("GPT-4o")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/\?q=GPT-4o$"))
    expect(page.locator("table tbody tr").first).to_contain_text("openai/gpt-4o")
    context.close()
