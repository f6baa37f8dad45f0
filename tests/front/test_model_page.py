"""The model page: facts, providers, price history and sample code."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import CatalogEvent, Endpoint, EventKind, LanguageModel
from catalog.reads.history import price_history_points
from catalog.versions import data_version

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.slow
def test_seed_page_has_every_section(client, demo_catalogue):
    """liquid/lfm-40b: header facts, description, providers, stats, history, code."""
    page = client.get("/liquid/lfm-40b").content.decode()
    for needle in (
        "Liquid: LFM 40B MoE",
        'id="model-id">liquid/lfm-40b<',
        "Created Sep 30, 2024",
        "32,768 context",
        "$0.15/M input tokens",
        "$0.15/M output tokens",
        'id="providers"',
        'id="apps"',
        'id="activity"',
        'id="uptime"',
        'id="price-history"',
        'id="sample-code"',
        'aria-label="Copy model id"',
    ):
        assert needle in page, needle


def test_header_facts_show_every_price_and_limit(client, demo_catalogue):
    """Cache read, per image, max output, modalities, tokenizer, moderation, params."""
    text = text_of(client.get("/openai/gpt-4o").content.decode())
    for needle in (
        "Cache read $1.25/M",
        "Per image $0.003613",
        "Max output 16,384 tokens",
        "text, image, file → text",
        "Tokenizer GPT",
        "Moderated yes",
        "Supported parameters: tools tool_choice",
    ):
        assert needle in text, needle


def test_optional_facts_appear_when_set(client, demo_catalogue):
    """Hugging Face link, knowledge cutoff, reasoning/request/search prices."""
    LanguageModel.objects.filter(slug="liquid/lfm-40b").update(
        hugging_face_id="LiquidAI/LFM-40B",
        knowledge_cutoff=date(2024, 6, 1),
        price_internal_reasoning=Decimal("3"),
        price_request=Decimal("0.005"),
        price_web_search=Decimal("0.004"),
        price_input_cache_write=Decimal("0.3"),
    )
    page = client.get("/liquid/lfm-40b").content.decode()
    text = text_of(page)
    assert 'href="https://huggingface.co/LiquidAI/LFM-40B"' in page
    for needle in (
        "Knowledge cutoff Jun 1, 2024",
        "Reasoning $3.00/M",
        "Per request $0.005",
        "Web search $0.004 per search",
        "Cache write $0.30/M",
    ):
        assert needle in text, needle


def test_deprecation_date_counts_down_in_days(client, demo_catalogue):
    """An expiration date shows as a banner with the days left."""
    LanguageModel.objects.filter(slug="liquid/lfm-40b").update(
        expiration_date=date(2026, 3, 1)
    )
    with time_machine.travel(date(2026, 2, 19), tick=False):
        text = text_of(client.get("/liquid/lfm-40b").content.decode())
    assert "retires this model on Mar 1, 2026 — in 10 days" in text


def test_providers_table_marks_cheapest_and_fastest(client, demo_catalogue):
    """The cheapest endpoints and the fastest one carry badges; headers are buttons."""
    page = client.get("/liquid/lfm-40b").content.decode()
    table = page.split('class="providers sortable"')[1].split("</table>")[0]
    # Both lfm-40b providers charge $0.15/M: a tie marks both.
    assert table.count("tag badge cheapest") == 2
    assert table.count("tag badge fastest") == 1
    assert 'aria-sort="ascending"><button type="button" data-sort-key="price"' in table
    for key in ("latency", "throughput", "uptime"):
        assert f'data-sort-key="{key}"' in table
    assert "Lambda" in table and "Liquid" in table


def test_providers_table_reads_the_endpoints_current_figures(client, demo_catalogue):
    """Latency, throughput and uptime come with the endpoints (stats keeps each
    one's latest sample's figures on its row, cleared once a day old): the page
    reads no samples, and an endpoint without figures shows dashes."""
    listed = Endpoint.objects.filter(model__slug="liquid/lfm-40b", delisted_at=None)
    fast = listed.filter(throughput_p50__isnull=False).first()
    assert fast is not None and fast.stats_at is not None
    cache.clear()
    with CaptureQueriesContext(connection) as built:
        page = client.get("/liquid/lfm-40b").content.decode()
    assert built.captured_queries, "the page was built, not served from a cache"
    assert not [q for q in built if "stats_endpointsample" in q["sql"]]
    assert f'data-throughput="{fast.throughput_p50}"' in page
    with CaptureQueriesContext(connection) as built:
        page = client.get(f"/providers/{fast.provider.slug}").content.decode()
    assert not [q for q in built if "stats_endpointsample" in q["sql"]]
    assert f'data-throughput="{fast.throughput_p50}"' in page

    listed.update(latency_p50=None, throughput_p50=None, uptime=None, stats_at=None)
    cache.clear()
    table = client.get("/liquid/lfm-40b").content.decode()
    table = table.split('class="providers sortable"')[1].split("</section>")[0]
    assert 'data-latency="" data-throughput="" data-uptime=""' in table
    assert "tag badge fastest" not in table
    assert 'id="providers-no-perf"' in table


def test_price_history_lists_events_and_the_current_price(client, demo_catalogue):
    """Price events (raw per-token strings) become $/M steps per series."""
    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    endpoint = Endpoint.objects.filter(model=model).select_related("provider").first()
    now = timezone.now()
    CatalogEvent.objects.create(
        kind=EventKind.PRICE, model=model, observed_at=now - timedelta(days=3),
        before={"prompt": "0.0000002", "completion": "0.0000002"},
        after={"prompt": "0.00000015", "completion": "0.00000015"},
    )  # fmt: skip
    CatalogEvent.objects.create(
        kind=EventKind.ENDPOINT_PRICE, model=model, endpoint=endpoint,
        provider=endpoint.provider, observed_at=now - timedelta(days=2),
        before={"prompt": "0.0000003", "completion": "0.0000004"},
        after={"prompt": "-1", "completion": "0.0000001"},
    )  # fmt: skip
    page = client.get("/liquid/lfm-40b").content.decode()
    history = page.split('id="price-history"')[1].split("</section>")[0]
    text = text_of(history)
    assert "Model price $0.20/M $0.20/M" in text
    assert "Model price $0.15/M $0.15/M" in text
    assert f"{endpoint.provider.name} $0.30/M $0.40/M" in text
    # "-1" (variable) is not a price: a dash, never "-$1".
    assert f"{endpoint.provider.name} — $0.10/M" in text
    assert 'data-chart="price-history"' in history
    assert '"line":{"dash":"solid","shape":"hv"}' in history


def test_sample_code_fills_in_the_id_and_settings(client, demo_catalogue, settings):
    """Python, TypeScript and curl samples, highlighted, with base URL and key name."""
    settings.SAMPLE_CODE_BASE_URL = "https://llm.example.com/v1"
    settings.SAMPLE_CODE_KEY_ENV = "TEAM_LLM_KEY"
    page = client.get("/mistralai/mistral-7b-instruct:free").content.decode()
    code = page.split('id="sample-code"')[1].split("</section>")[0]
    assert code.count('role="tab"') == 3 and code.count('role="tabpanel"') == 3
    assert code.count('class="copy"') == 3
    assert code.count('<div class="highlight">') == 3
    text = text_of(code).replace("&quot;", '"')
    assert 'model="mistralai/mistral-7b-instruct:free"' in text.replace(" ", "")
    assert "https://llm.example.com/v1/chat/completions" in text
    assert "TEAM_LLM_KEY" in text and "OPENROUTER_API_KEY" not in text


def test_variants_link_to_each_other(client, demo_catalogue):
    """The base model and its :free variant each link to the other."""
    base = client.get("/mistralai/mistral-7b-instruct").content.decode()
    assert 'href="/mistralai/mistral-7b-instruct:free"' in base
    free = client.get("/mistralai/mistral-7b-instruct:free").content.decode()
    assert 'href="/mistralai/mistral-7b-instruct"' in free


def test_plotly_is_loaded_once(client, demo_catalogue):
    """Stats charts and the price chart share one plotly.js."""
    page = client.get("/openai/gpt-4o").content.decode()
    assert page.count("plotly-basic.min.js") == 1


def test_unknown_model_is_a_404(client, demo_catalogue):
    """A model we do not know gets our not-found page, naming it."""
    response = client.get("/nobody/no-such-model")
    assert response.status_code == 404
    assert "No model nobody/no-such-model" in response.content.decode()


def test_model_page_queries_do_not_grow_with_providers(client, demo_catalogue):
    """A model with one provider and one with the most cost the same queries."""
    data_version()  # read once, then cached: not a per-page query
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    busiest = (
        LanguageModel.objects.annotate(n=Count("endpoints"))
        .order_by("-n", "slug")
        .first()
    )
    fewest = (
        LanguageModel.objects.annotate(n=Count("endpoints"))
        .filter(n=1)
        .order_by("slug")
        .first()
    )
    assert busiest.endpoints.count() > 3
    # Links in a description cost a lookup of their own: measured without them.
    LanguageModel.objects.update(description="")
    counts = []
    for model in (fewest, busiest):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(model.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # One read of each owner's data: the model with its variants, endpoints (with
    # their current figures), overrides, six stats reads (rollups, uptime, tokens,
    # upstream's performance and price history, apps), runs (and the next poll
    # from them), price events, changes, the direct offers, the benchmark scores.
    statements = "\n".join(q["sql"][:120] for q in queries.captured_queries)
    assert counts[1] <= 14, statements


@pytest.mark.parametrize(
    "model_id",
    ["liquid/lfm-40b", "mistralai/mistral-7b-instruct:free", "a.b/c~d_e.f-1:beta"],
)
def test_samples_highlighted_once_are_those_highlighted_for_the_id(model_id):
    """The samples highlighted around a stand-in, then given the id, are byte for
    byte those highlighted with the id in them."""
    from django.conf import settings

    from front.samples import _samples, sample_code

    base_url = settings.SAMPLE_CODE_BASE_URL.rstrip("/")
    direct = _samples(model_id, base_url, settings.SAMPLE_CODE_KEY_ENV)
    assert sample_code(model_id) == direct
    assert all(model_id in sample.code for sample in direct)


def test_price_history_of_a_delisted_provider_reads_one_narrow_query(
    demo_catalogue, django_assert_num_queries
):
    """A provider no longer listed keeps its series from its events' endpoint, read
    in the same query as the events, without any raw upstream payload."""
    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    gone = Endpoint.objects.filter(model=model).select_related("provider").first()
    Endpoint.objects.filter(pk=gone.pk).update(delisted_at=timezone.now())
    CatalogEvent.objects.create(
        kind=EventKind.ENDPOINT_PRICE, model=model, endpoint=gone,
        provider=gone.provider, observed_at=timezone.now() - timedelta(days=2),
        before={"prompt": "0.0000003", "completion": "0.0000004"},
        after={"prompt": "0.0000002", "completion": "0.0000004"},
    )  # fmt: skip
    with django_assert_num_queries(1) as read:
        points = price_history_points(model, endpoints=[])
    assert '"raw"' not in read.captured_queries[0]["sql"]
    mine = [p for p in points if p.series.startswith(gone.provider.name)]
    assert [p.prompt for p in mine] == [
        Decimal("0.3"),
        Decimal("0.2"),
        gone.price_prompt,
    ]
    assert mine[-1].current
