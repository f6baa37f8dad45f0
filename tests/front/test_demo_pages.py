"""The model pages of the demo catalogue after a first sync: every internal link
answers 200 (after redirects), description links that name a model we list go to
our page, and no chart is drawn with less data than it needs."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from django.test import Client

from catalog.models import LanguageModel
from front.chartrules import RULES

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HREF = re.compile(r'href="([^"#]*)')


def internal(href: str) -> str | None:
    """The path (and query) of a link to this site, else None."""
    href = href.replace("&amp;", "&")
    parts = urlsplit(href)
    if parts.scheme in ("http", "https") and parts.netloc != "testserver":
        return None
    if parts.scheme not in ("", "http", "https") or href.startswith("//"):
        return None
    if not parts.path.startswith("/") or parts.path.startswith("/static/"):
        # Static files are served by whitenoise, not the test client (the browser
        # tests load them).
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def model_pages(demo_catalogue, django_db_blocker) -> dict[str, str]:
    """Every listed model's page, rendered once for the module: URL -> HTML."""
    client = Client()
    pages = {}
    with django_db_blocker.unblock():
        for model in LanguageModel.objects.filter(hidden=False).order_by("slug"):
            response = client.get(model.get_absolute_url())
            assert response.status_code == 200, model.slug
            pages[model.get_absolute_url()] = response.content.decode()
    return pages


def test_no_internal_link_on_a_model_page_is_dead(client, model_pages):
    """Crawl every listed model page, then follow each internal link once."""
    assert len(model_pages) >= 321
    links: dict[str, str] = {}
    for page, body in model_pages.items():
        for href in HREF.findall(body):
            path = internal(href)
            if path is not None:
                links.setdefault(path, page)
    dead = {}
    for path, found_on in sorted(links.items()):
        if path in model_pages:
            continue  # rendered with a 200 for the crawl (model_pages says so)
        response = client.get(path, follow=True)
        if response.status_code != 200:
            dead[path] = (response.status_code, found_on)
    assert len(links) > 500
    assert dead == {}


def test_description_links_to_a_listed_model_stay_here(demo_catalogue, model_pages):
    """OpenRouter's "/models/<id>" and "/<id>" links go to our page when we list
    the model; other site-relative links go to the upstream site."""
    linking = [
        m
        for m in LanguageModel.objects.filter(hidden=False).exclude(description="")
        if re.search(r"\]\(/", m.description)
    ]
    assert linking, "the demo catalogue has descriptions with site-relative links"
    rewritten = upstream = 0
    for model in linking:
        body = model_pages[model.get_absolute_url()]
        description = body.split('class="description"', 1)[1].split("</section>")[0]
        for href in HREF.findall(description):
            assert (
                not href.startswith("/")
                or LanguageModel.objects.filter(slug=href.strip("/")).exists()
            ), (model.slug, href)
            rewritten += href.startswith("/")
            upstream += href.startswith(demo_catalogue.url)
    assert rewritten and upstream


CHART = re.compile(
    r'data-chart="([a-z-]+)"[^>]*>\s*<div class="plot[^>]*></div>'
    r'<script type="application/json" class="plot-data">(.*?)</script>',
    re.S,
)
RULE_OF = {"price-history": "price"}


def test_no_chart_on_a_fresh_install_has_fewer_points_than_its_minimum(model_pages):
    """After the first sync, each chart drawn has its minimum points over its
    minimum span; latency and throughput (one sample so far) wait with their
    current values and the next poll instead."""
    drawn, waiting = Counter(), Counter()
    for model in LanguageModel.objects.filter(hidden=False, delisted_at=None):
        body = model_pages[model.get_absolute_url()]
        for name, data in CHART.findall(body):
            rule = RULES[RULE_OF.get(name, name)]
            traces = json.loads(data)["data"]
            best = max(
                (
                    [
                        datetime.fromisoformat(str(x))
                        for x, y in zip(t["x"], t["y"], strict=True)
                        if y is not None
                    ]
                    for t in traces
                ),
                key=len,
            )
            assert rule.met(best), (model.slug, name, len(best))
            drawn[name] += 1
        for name in re.findall(r'data-building="([a-z-]+)"', body):
            waiting[name] += 1
        assert "history builds up as the board polls" in body or not waiting
    assert drawn["tokens"] >= 300
    assert waiting["latency"] >= 300 and waiting["throughput"] >= 300
    assert not drawn["latency"] and not drawn["throughput"]
    assert not drawn["price-history"]  # a day of prices is needed first
