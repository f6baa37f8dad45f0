"""Provider, author, rankings and compare pages, and the URLs they must not shadow."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.urls import resolve

from catalog.models import Endpoint, Provider
from stats.models import AppUsage, TokenUsageDaily

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_provider_page_lists_its_models_with_its_prices(client, demo_catalogue):
    """/providers/<slug>: facts, policy links and each model it serves at its price."""
    provider = Provider.objects.get(slug="lambda")
    provider.headquarters, provider.datacenters = "US", ["US", "CA"]
    provider.status_page_url = "https://status.lambdalabs.com/"
    provider.save()
    response = client.get("/providers/lambda")
    assert response.status_code == 200
    page = response.content.decode()
    served = Endpoint.objects.filter(
        provider=provider, delisted_at__isnull=True, model__delisted_at__isnull=True
    ).select_related("model")
    assert served.count() > 1
    assert page.count('<code class="id">') == served.count()
    for endpoint in served:
        assert f'<code class="id">{endpoint.model.slug}</code>' in page
    assert "United States, Canada" in page
    assert 'href="https://status.lambdalabs.com/"' in page
    assert "Uptime (1 d, average)" in page


def test_unknown_provider_is_a_404(client, demo_catalogue):
    assert client.get("/providers/nobody").status_code == 404


def test_a_missing_model_page_suggests_the_nearest_models(client, demo_catalogue):
    """A variant that is not listed: the 404 names it and offers the model itself
    first, then others near it."""
    response = client.get("/meta-llama/llama-3-8b-instruct:nitro")
    assert response.status_code == 404
    page = response.content.decode()
    assert "No model meta-llama/llama-3-8b-instruct:nitro in the catalogue." in page
    nearest = page.split('id="nearest-models"', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'href="([^"]+)"', nearest)
    assert links[0] == "/meta-llama/llama-3-8b-instruct"
    assert 1 < len(links) <= 5


def test_a_404_drops_words_until_models_match(client, demo_catalogue):
    """A made-up size: the search tries the address's words, then fewer."""
    page = client.get("/anthropic/claude-3.7-sonnet-900b").content.decode()
    nearest = page.split('id="nearest-models"', 1)[1].split("</ul>", 1)[0]
    assert 'href="/anthropic/claude-3.7-sonnet"' in nearest


def test_a_404_without_a_near_model_suggests_nothing(client, demo_catalogue):
    response = client.get("/zzqx/qqzzx")
    assert response.status_code == 404
    assert "nearest-models" not in response.content.decode()


def test_author_page_lists_the_authors_models(client, demo_catalogue):
    """/<author> lists every model whose id starts with it."""
    page = client.get("/liquid").content.decode()
    assert page.count('<code class="id">') == 3
    assert "3 listed models" in page
    assert client.get("/nobody-at-all").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/api/v1/models", "/changes", "/status", "/healthz", "/static/x.css",
     "/changes/feed.xml", "/status/sync"],
)  # fmt: skip
def test_author_and_model_urls_do_not_swallow_the_sites_own_paths(path):
    """Reserved first segments never resolve to the author or model pages."""
    try:
        match = resolve(path)
    except Exception:  # noqa: BLE001 - not routed at all is fine too
        return
    assert match.url_name not in ("author-detail", "model-detail")


def test_rankings_rank_models_by_tokens_this_week(client, demo_catalogue):
    """Top models by the last 7 days of tokens, with the change against the week before."""
    end = TokenUsageDaily.objects.order_by("-date").first().date
    week = dict(
        TokenUsageDaily.objects.filter(date__gt=end - timedelta(days=7), date__lte=end)
        .values_list("model__slug")
        .annotate(t=Sum("total"))
    )
    top = sorted(week, key=lambda s: -week[s])[:20]
    response = client.get("/rankings")
    assert response.status_code == 200
    page = response.content.decode()
    ranked = page.split('id="top-models"')[1].split("</section>")[0]
    import re

    assert re.findall(r'<code class="id">([^<]+)</code>', ranked) == top
    assert "Week over week" in ranked
    if AppUsage.objects.exists():
        assert "No app rankings yet" not in page


def test_compare_shows_models_side_by_side(client, demo_catalogue):
    """?models=a,b: facts, prices, cheapest provider and the overlaid charts."""
    response = client.get("/compare", {"models": "liquid/lfm-40b,openai/gpt-4o"})
    assert response.status_code == 200
    page = response.content.decode()
    for needle in ("Liquid: LFM 40B MoE", "OpenAI: GPT-4o", "Cheapest provider",
                   'data-chart="compare-tokens"', 'compare-uptime"',
                   "$0.15/M", "$2.50/M"):  # fmt: skip
        assert needle in page, needle
    assert page.count("plotly-basic.min.js") == 1


@pytest.mark.parametrize(
    ("models", "message"),
    [
        ("liquid/lfm-40b", "this asked for 1"),
        (",".join(["liquid/lfm-40b"] * 2), "this asked for 1"),
        (",".join(f"a/m{i}" for i in range(7)), "this asked for 7"),
        ("liquid/lfm-40b,nobody/nothing", "No model <code>nobody/nothing</code>"),
        ("", "This field is required"),
        ("a/b," * 1000, "at most 1500 characters"),
    ],
)
def test_compare_refuses_bad_lists_with_400(client, demo_catalogue, models, message):
    response = client.get("/compare", {"models": models})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_compare_without_models_explains_itself(client, demo_catalogue):
    response = client.get("/compare")
    assert response.status_code == 200
    assert "Name two to six models" in response.content.decode()
