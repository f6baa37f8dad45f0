"""Small things a newcomer notices, on the synced demo catalogue: redirects, names,
money, tables on every page, the providers index, the first-sync page."""

from __future__ import annotations

import re

import pytest

from catalog.models import Endpoint

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.slow
def test_trailing_slashes_redirect_to_the_page(client, demo_catalogue):
    for path, target in (
        ("/liquid/lfm-40b/", "/liquid/lfm-40b"),
        ("/changes/", "/changes"),
        ("/providers/", "/providers"),
        ("/rankings/?x=1", "/rankings?x=1"),
    ):
        response = client.get(path)
        assert response.status_code == 301, path
        assert response["Location"] == target
    assert client.get("/no-such-author/nothing/", follow=True).status_code == 404
    assert client.get("/static-nothing/a/b/").status_code == 404


def test_providers_index_lists_every_provider_and_is_in_the_nav(client, demo_catalogue):
    response = client.get("/providers")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<a href="/providers">Providers</a>' in body
    assert '<a href="/providers/lambda">Lambda</a>' in body
    assert "United States" in body


def test_author_page_uses_the_display_name(client, demo_catalogue):
    body = client.get("/openai").content.decode()
    assert "<h1>OpenAI</h1>" in body
    assert ">OpenAI</a></p>" in client.get("/openai/gpt-4o").content.decode()


def test_model_page_headings_prices_apps_and_sample_code(client, demo_catalogue):
    page = client.get("/liquid/lfm-40b")
    body, words = page.content.decode(), text(page)
    assert "Providers for LFM 40B MoE" in words
    assert "Apps using LFM 40B MoE" in words
    assert "$0.15/M input tokens" in words
    # An app's description does not repeat its name.
    assert not re.search(r">([^<]+)</a>\s*<br><small>\1", body)
    assert "HTTP-Referer" in body and "X-Title" in body
    assert "api-reference/parameters" in body
    # Every stats section has its numbers as a table too.
    assert body.count('<details class="chart-table">') >= 3


def test_money_has_two_decimals_at_least(client, demo_catalogue):
    words = text(client.get("/?q=gemini+2.0+flash"))
    assert "$0.10/M" in words and "$0.1/M" not in words


def test_auto_router_reads_variable(client, demo_catalogue):
    words = text(client.get("/openrouter/auto"))
    assert "Price: variable" in words
    assert "variable input tokens" not in words


def test_unknown_quantization_is_a_dash_with_a_reason(client, demo_catalogue):
    endpoint = Endpoint.objects.filter(quantization="unknown").first()
    assert endpoint is not None
    body = client.get(endpoint.model.get_absolute_url()).content.decode()
    assert '<span title="Quantization not disclosed by the provider">—</span>' in body
    assert ">unknown<" not in body


def test_provider_page_shows_country_names_and_the_status_host(client, demo_catalogue):
    body = client.get("/providers/mistral").content.decode()
    assert "France" in body and "Sweden" in body


def test_recorded_endpoints_keep_their_stats_columns_and_say_why(
    client, demo_catalogue
):
    body = client.get("/google/gemini-2.5-pro-preview").content.decode()
    table = body.split('id="providers-h"', 1)[1].split("</section>", 1)[0]
    assert 'data-sort-key="latency"' in table and 'data-sort-key="uptime"' in table
    assert 'id="providers-no-perf"' in table


def test_sorting_by_a_stats_figure_shows_it(client, demo_catalogue):
    body = client.get("/?sort=tokens_week").content.decode()
    assert "Tokens this week</th>" in body
    assert body.count('class="num metric"') == 50
    assert (
        "Latency (p50, best provider)</th>"
        in client.get("/?sort=latency").content.decode()
    )


def test_hashtag_in_a_description_stays_a_hashtag(client, demo_catalogue):
    body = client.get("/openai/gpt-4o").content.decode()
    assert '<p class="hashtags"><span class="tag">#multimodal</span></p>' in body


def test_prices_csv_carries_the_page_table(client, demo_catalogue):
    page = text(client.get("/liquid/lfm-40b"))
    rows = client.get("/api/v1/models/liquid/lfm-40b/prices.csv").content.decode()
    lines = rows.strip().splitlines()
    assert len(lines) == 4  # the model and its two providers
    assert "Price history as a table (3 rows)" in page
    for series in ("Model price", "Lambda", "Liquid"):
        assert any(f",liquid/lfm-40b,{series}," in line for line in lines)
