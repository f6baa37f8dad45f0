"""Direct list prices on the pages: the model page's Direct rows and the mark on a
routed price that differs, and the changelog's direct events, by source."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.ingest.direct import direct_flags_store
from catalog.models import (
    CatalogEvent,
    DirectOffer,
    Endpoint,
    EventKind,
    LanguageModel,
)
from catalog.syncs import sync_litellm
from tests.support import snapshots
from tests.support.direct import SUCCESSOR, successor_add

pytestmark = [pytest.mark.django_db, pytest.mark.state("direct")]


@pytest.fixture
def direct(mock_upstream):
    snapshots.load("direct")
    return mock_upstream


DIRECT_GPT_4O = [
    "OpenAI",
    "Azure OpenAI",
    "github copilot",
    "gmi",
    "replicate",
    "vercel ai gateway",
]


def _providers_section(html: str) -> str:
    return html.split('id="providers-h"', 1)[1].split("</section>", 1)[0]


@pytest.mark.slow
def test_the_model_page_shows_direct_rows_beside_routed_ones(direct, client):
    html = _providers_section(client.get("/openai/gpt-4o").content.decode())
    # One row per provider, the maker's first.
    names = re.findall(r'direct-badge"[^>]*>Direct</span> ([^<]+) <small>', html)
    assert names == DIRECT_GPT_4O
    assert "Direct</span> OpenAI <small>gpt-4o</small>" in html
    assert "LiteLLM price map, as of" in html
    assert 'href="https://developers.openai.com/api/docs/pricing"' in html
    assert "price-gap" not in html  # OpenAI's routed price is its list price


@pytest.mark.slow
def test_a_routed_price_off_the_list_price_is_marked(direct, client):
    """o3's routed OpenAI row ($10/$40, 2025) beside OpenAI's list price ($2/$8)."""
    html = _providers_section(client.get("/openai/o3").content.decode())
    assert html.count('class="tag badge price-gap"') == 1
    assert "list $2.00/M" in html and "list $8.00/M" in html
    routed = Endpoint.objects.get(model__slug="openai/o3", provider__slug="openai")
    assert routed.price_prompt == Decimal(10)


def test_a_retirement_shows_its_date_and_countdown(direct, client):
    html = _providers_section(client.get("/openai/o1").content.decode())
    assert 'class="deprecation">Retires 2026-10-23 (' in html
    assert "ago)" in html or "in " in html


@pytest.mark.slow
def test_a_replay_fills_the_changelog_and_its_source_filter(synced, client):
    synced.set_litellm("1.108.0")
    sync_litellm()
    synced.set_litellm("1.110.2")
    sync_litellm()
    direct_prices = CatalogEvent.objects.filter(kind=EventKind.DIRECT_PRICE)
    assert direct_prices.count() == 399
    body = client.get("/changes?source=litellm&kind=direct_price").content.decode()
    assert "Direct price changed" in body and "399 changes" in body
    routed = client.get("/changes?source=openrouter").content.decode()
    assert 'data-kind="direct_' not in routed
    feed = client.get("/changes/feed.rss?source=litellm&kind=direct_deprecation")
    assert feed.status_code == 200 and b"direct retirement" in feed.content
    assert client.get("/changes?source=elsewhere").status_code == 400


@pytest.mark.slow
def test_deprecations_lists_retirements_with_successor_links(direct, client):
    successor_add()
    body = client.get("/deprecations").content.decode()
    rows = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert rows.count("<tr>") == 26  # 25, and the added successor's own
    assert f'<a class="successor" href="/{SUCCESSOR}">{SUCCESSOR}</a>' in rows
    first_day = re.findall(r"<td>(\d{4}-\d{2}-\d{2}) <small>", rows)
    assert first_day == sorted(first_day)  # soonest first
    feed = client.get("/deprecations.rss")
    assert feed.status_code == 200
    assert f"successor: {SUCCESSOR}".encode() in feed.content


@pytest.mark.slow
def test_status_lists_the_routed_prices_off_the_list_price(direct, client):
    body = client.get("/status").content.decode()
    assert 'id="source-litellm" data-colour="green"' in body
    gaps = body.split('id="price-gaps-h"', 1)[1].split("</section>", 1)[0]
    assert '<a href="/openai/o3">openai/o3</a>' in gaps
    assert "$10.00/M / $40.00/M" in gaps and "$2.00/M / $8.00/M" in gaps
    # OpenAI's routed gpt-4o is its list price: not a gap.
    assert "openai/gpt-4o<" not in gaps


# A million input tokens a day for a month: $30 for each $1/M of input price.
MILLION_IN = {"input_tokens": 1000000, "output_tokens": 0, "requests_per_day": 1}


@pytest.mark.slow
def test_the_list_prices_a_workload_routed_and_direct(direct, client):
    """o3's routed price ($10/M, 2025) against its cheapest list price ($2/M)."""
    body = client.get("/", {"q": "openai/o3", **MILLION_IN}).content.decode()
    row = next(r for r in body.split("<tr") if 'href="/openai/o3?' in r)
    cost = row.split('class="num cost"', 1)[1].split("</td>", 1)[0]
    assert ">$300.00<br>" in cost
    assert "Direct $60.00 " in cost
    assert '<span class="gap">$240.00 less than routed</span>' in cost


def test_the_list_prices_no_direct_offer_without_a_workload(direct, client):
    body = client.get("/", {"q": "openai/o3"}).content.decode()
    assert "direct-cost" not in body


@pytest.mark.slow
def test_compare_shows_the_cheapest_direct_offer_and_the_gap(direct, client):
    models = "openai/o3,openai/gpt-4o,liquid/lfm-40b"
    body = client.get("/compare", {"models": models, **MILLION_IN}).content.decode()
    row = body.split('<tr class="direct-cost">', 1)[1].split("</tr>", 1)[0]
    cells = row.split("<td>")[1:]
    assert cells[0].startswith("$60.00 ")
    assert "$240.00 less than routed" in cells[0]
    # gpt-4o's routed price is OpenAI's list price: the same.
    assert "same as routed" in cells[1]
    assert cells[2].startswith("—")  # no provider lists LFM 40B direct


def test_every_page_links_to_the_retirements_and_their_feed_is_announced(
    direct, client
):
    menu = client.get("/providers").content.decode().split('class="site-nav"')[1]
    assert '<a href="/deprecations">Retirements</a>' in menu.split("</nav>")[0]
    body = client.get("/deprecations").content.decode()
    assert 'rel="alternate" type="application/rss+xml"' in body
    assert 'href="/deprecations.rss"' in body.split("</head>")[0]


def test_a_model_no_source_lists_reads_no_direct_offers(direct, client):
    """The flag the ingest keeps spares most model pages the offers' statement."""
    listed = set(
        DirectOffer.objects.filter(
            delisted_at__isnull=True, model__isnull=False
        ).values_list("model__slug", flat=True)
    )
    flagged = set(
        LanguageModel.objects.filter(has_direct_offers=True).values_list(
            "slug", flat=True
        )
    )
    assert flagged == listed and "openai/gpt-4o" in listed
    assert "liquid/lfm-40b" not in listed

    def offers_read(path: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        reads = 'FROM "catalog_directoffer"'
        return sum(reads in q["sql"] for q in ctx.captured_queries)

    assert offers_read("/liquid/lfm-40b") == 0
    assert offers_read("/openai/gpt-4o") == 1

    # An entry that loses its match takes the flag with it at the next match.
    DirectOffer.objects.filter(model__slug="openai/gpt-4o").update(model=None)
    assert direct_flags_store() == 1
    assert not LanguageModel.objects.get(slug="openai/gpt-4o").has_direct_offers
