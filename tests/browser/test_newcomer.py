"""What a newcomer sees on a fresh demo install, page by page, at desktop and phone
widths, in light and dark: no console error, no sideways scroll, chart text that
never overlaps the legend and keeps WCAG AA contrast, and no dead internal link."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import goto_settled, read_only_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
# Its tests only read: the site served once for the module.
_django_db_marker, site = read_only_site()


PAGES = (
    "/openai/gpt-4o",
    "/liquid/lfm-40b",
    "/google/gemini-2.5-pro-preview",
    "/",
    "/?sort=tokens_week",
    "/compare?models=openai/gpt-4o,liquid/lfm-40b,mistralai/mistral-7b-instruct",
    "/providers/openai",
    "/providers",
    "/openai",
    "/rankings",
    "/changes",
    "/status",
    "/watch",
    "/admin/login/",
)
MIN_CONTRAST = 4.5

# Contrast of every chart text against the page, and tick labels meeting legend
# entries, measured in the drawn SVG.
CHART_CHECKS = """() => {
  const rgb = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(",").map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const over = (fg, bg) => ({
    r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a),
    b: fg.b * fg.a + bg.b * (1 - fg.a),
  });
  const bg = rgb(getComputedStyle(document.body).backgroundColor);
  const low = [], overlaps = [];
  for (const plot of document.querySelectorAll(".js-plotly-plot")) {
    for (const t of plot.querySelectorAll("text")) {
      if (!t.textContent.trim() || !t.getBoundingClientRect().width) continue;
      const fill = rgb(getComputedStyle(t).fill);
      if (!fill) continue;
      const a = lum(over(fill, bg)), b = lum(bg);
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < MIN_CONTRAST) low.push([t.textContent, getComputedStyle(t).fill, ratio.toFixed(2)]);
    }
    const ticks = [...plot.querySelectorAll(".xtick text, .ytick text")].map((t) => [t.textContent, t.getBoundingClientRect()]);
    const legend = [...plot.querySelectorAll(".legend .traces")].map((t) => [t.textContent, t.getBoundingClientRect()]);
    for (const [tick, r] of ticks) for (const [entry, l] of legend) {
      if (r.left < l.right && l.left < r.right && r.top < l.bottom && l.top < r.bottom) overlaps.push([tick, entry]);
    }
  }
  return { low, overlaps, plots: document.querySelectorAll(".js-plotly-plot").length };
}""".replace("MIN_CONTRAST", str(MIN_CONTRAST))


def visit(page: Page, url: str) -> dict:
    response = goto_settled(page, url)
    assert response is not None and response.status == 200, url
    expected = page.locator("[data-plot]").count()
    page.wait_for_function(
        "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n",
        arg=expected,
    )
    sideways = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert sideways <= 0, (url, sideways)
    checks = page.evaluate(CHART_CHECKS)
    assert checks["plots"] == expected, url
    assert checks["low"] == [], (url, checks["low"])
    assert checks["overlaps"] == [], (url, checks["overlaps"])
    return checks


def internal_links(page: Page, site: str) -> set[str]:
    hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
    host = urlsplit(site).netloc
    return {h.split("#", 1)[0] for h in hrefs if urlsplit(h).netloc == host}


@pytest.mark.parametrize(
    ("width", "scheme"),
    [(1280, "light"), (1280, "dark"), (390, "light"), (390, "dark")],
)
def test_a_newcomer_walk(site: str, browser: Browser, width: int, scheme: str):
    """Every page of the walk, at this width and colour scheme."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    links: set[str] = set()
    drawn = 0
    try:
        for path in PAGES:
            drawn += visit(page, f"{site}{path}")["plots"]
            links |= internal_links(page, site)
        assert drawn >= 6  # the charts were really there to check
        assert errors == [], errors
        if (width, scheme) == (1280, "light"):
            # Links do not change with the viewport: followed once, through the
            # browser's request API (redirects followed).
            dead = {}
            for url in sorted(links):
                status = page.request.get(url).status
                if status != 200:
                    dead[url] = status
            assert len(links) > 100
            assert dead == {}
    finally:
        context.close()
