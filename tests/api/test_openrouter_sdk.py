"""The official OpenRouter Python SDK reads our catalogue over HTTP: every models call,
every filter and sort value it offers, answered with OpenRouter's semantics."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from openrouter import OpenRouter, errors
from openrouter.components import Model
from openrouter.utils import BackoffStrategy, RetryConfig

from api.forms import UNSUPPORTED_FILTERS
from api.selectors import SORTS, UNSUPPORTED_SORTS
from catalog.models import LanguageModel

pytestmark = [pytest.mark.clients, pytest.mark.django_db(transaction=True)]

# The SDK's default retries a 5xx with backoff for up to an hour: a bug must fail fast.
NO_RETRIES = RetryConfig("none", BackoffStrategy(1, 1, 1, 1), False)
MILLION = Decimal(1_000_000)


def sdk_for(live_server) -> OpenRouter:
    return OpenRouter(
        api_key="unused",
        server_url=live_server.url + "/api/v1",
        retry_config=NO_RETRIES,
        timeout_ms=30_000,
    )


def every_page(first: Any) -> Iterator[Model]:
    """Each model of a paged listing, following the SDK's own `next()`."""
    page = first
    while page is not None:
        yield from page.result.data
        page = page.next()


def listed(sdk: OpenRouter, **params: Any) -> list[Model]:
    return list(every_page(sdk.models.list(limit=100, **params)))


def per_million(price: str) -> Decimal:
    return Decimal(price) * MILLION


def weighted(model: Model) -> Decimal | None:
    """OpenRouter's price sort key: the mean of prompt and completion, per million
    tokens; None for a variable ("-1") price."""
    prompt, completion = (
        Decimal(model.pricing.prompt),
        Decimal(model.pricing.completion),
    )
    if prompt < 0 or completion < 0:
        return None
    return (prompt + completion) * MILLION / 2


def ordered(values: list[Any], *, descending: bool = False) -> bool:
    """Known values in order, unknown ones (None) after every known one."""
    known = [v for v in values if v is not None]
    tail = values[len(known) :]
    expected = sorted(known, reverse=descending)
    return known == expected and all(v is None for v in tail)


def figures(attr: str) -> Callable[[Model], Any]:
    """A stats figure of a listed model, read from our rows (the SDK's Model has
    no field for it)."""
    by_id = dict(LanguageModel.objects.values_list("slug", attr))
    return lambda model: by_id[model.id]


def index(name: str) -> Callable[[Model], Any]:
    """An Artificial Analysis index of a model, as the SDK parsed its benchmarks."""

    def read(model: Model) -> Any:
        scores = model.benchmarks and model.benchmarks.artificial_analysis
        return getattr(scores, name) if scores else None

    return read


def best_elo(model: Model) -> float | None:
    """The best Design Arena Elo across arenas, as the SDK parsed it."""
    arena = model.benchmarks.design_arena if model.benchmarks else []
    return max((entry.elo for entry in arena), default=None)


# --- the checks, run on the demo catalogue and on the replayed history -------------


def check_every_sort(sdk: OpenRouter) -> None:
    everything = listed(sdk)
    assert everything, "the catalogue is empty"
    created = figures("created")
    keys: dict[str, tuple[Callable[[Model], Any], bool]] = {
        "newest": (lambda m: created(m), True),
        "pricing-low-to-high": (weighted, False),
        "pricing-high-to-low": (weighted, True),
        "context-high-to-low": (lambda m: m.context_length, True),
        "throughput-high-to-low": (figures("throughput_p50"), True),
        "latency-low-to-high": (figures("latency_p50"), False),
        "top-weekly": (figures("tokens_week"), True),
        "most-popular": (figures("tokens_week"), True),
        "intelligence-high-to-low": (index("intelligence_index"), True),
        "coding-high-to-low": (index("coding_index"), True),
        "agentic-high-to-low": (index("agentic_index"), True),
        "design-arena-elo-high-to-low": (best_elo, True),
    }
    assert set(keys) == set(SORTS)
    for sort, (key, descending) in keys.items():
        models = listed(sdk, sort=sort)
        assert len(models) == len(everything), sort
        assert len({m.id for m in models}) == len(models), f"{sort}: pages overlap"
        assert ordered([key(m) for m in models], descending=descending), sort


def check_every_filter(sdk: OpenRouter) -> None:
    everything = listed(sdk)

    openai = listed(sdk, model_authors="openai")
    assert openai and all(m.id.startswith("openai/") for m in openai)
    assert {m.id for m in openai} == {
        m.id for m in everything if m.id.startswith("openai/")
    }
    two = listed(sdk, model_authors="openai,anthropic")
    assert {m.id.split("/")[0] for m in two} == {"openai", "anthropic"}

    contexts = sorted({m.context_length for m in everything if m.context_length})
    threshold = contexts[len(contexts) // 2]
    wide = listed(sdk, context=threshold)
    assert wide and all(m.context_length >= threshold for m in wide)
    assert len(wide) == sum(
        1 for m in everything if (m.context_length or 0) >= threshold
    )

    images = listed(sdk, input_modalities="image")
    assert images and all("image" in m.architecture.input_modalities for m in images)
    both = listed(sdk, input_modalities="image,file")
    assert all({"image", "file"} <= set(m.architecture.input_modalities) for m in both)
    assert len(both) <= len(images)

    outputs = {o for m in everything for o in m.architecture.output_modalities}
    for modality in outputs | {"image"}:
        made = listed(sdk, output_modalities=modality)
        assert {m.id for m in made} == {
            m.id for m in everything if modality in m.architecture.output_modalities
        }, modality
    assert len(listed(sdk, output_modalities="all")) == len(everything)

    tools = listed(sdk, supported_parameters="tools,tool_choice")
    assert tools and all(
        {"tools", "tool_choice"} <= set(m.supported_parameters) for m in tools
    )

    check_price_filters(sdk, everything)
    check_age_filters(sdk, everything)

    group = next(
        m.architecture.tokenizer for m in everything if m.architecture.tokenizer
    )
    family = listed(sdk, arch=str(group).lower())
    assert family and all(m.architecture.tokenizer == group for m in family)


def check_price_filters(sdk: OpenRouter, everything: list[Model]) -> None:
    prompts = sorted(
        per_million(m.pricing.prompt)
        for m in everything
        if Decimal(m.pricing.prompt) > 0
    )
    low, high = prompts[len(prompts) // 4], prompts[3 * len(prompts) // 4]
    # The SDK sends floats as Python writes them ("1e-06" included).
    band = listed(sdk, min_price=float(low), max_price=float(high))
    sent_low, sent_high = Decimal(str(float(low))), Decimal(str(float(high)))
    assert band and {m.id for m in band} == {
        m.id
        for m in everything
        if Decimal(m.pricing.prompt) >= 0
        and sent_low <= per_million(m.pricing.prompt) <= sent_high
    }
    free = listed(sdk, max_price=0, max_output_price=0)
    assert free and all(
        Decimal(m.pricing.prompt) == 0 == Decimal(m.pricing.completion) for m in free
    )
    outputs = sorted(
        per_million(m.pricing.completion)
        for m in everything
        if Decimal(m.pricing.completion) > 0
    )
    floor = outputs[len(outputs) // 2]
    dear = listed(sdk, min_output_price=float(floor))
    assert dear and all(per_million(m.pricing.completion) >= floor for m in dear)
    tiny = listed(sdk, min_price=1e-06)
    assert tiny and all(
        per_million(m.pricing.prompt) >= Decimal("0.000001") for m in tiny
    )


def check_age_filters(sdk: OpenRouter, everything: list[Model]) -> None:
    now = datetime.now(UTC)
    ages = sorted(
        (now - datetime.fromtimestamp(m.created, UTC)).days for m in everything
    )
    middle = ages[len(ages) // 2]
    old = listed(sdk, min_age_days=middle)
    young = listed(sdk, max_age_days=middle)
    assert old and young
    assert all(
        now - datetime.fromtimestamp(m.created, UTC) >= timedelta(days=middle)
        for m in old
    )
    assert all(
        now - datetime.fromtimestamp(m.created, UTC) < timedelta(days=middle + 1)
        for m in young
    )
    # Every model is at least `middle` days old, or less than `middle + 1`: both.
    assert {m.id for m in old} | {m.id for m in young} == {m.id for m in everything}


def check_q(sdk: OpenRouter, word: str, known: str) -> None:
    """Whatever the ranking, every result mentions the word and a model named for it
    is found."""
    found = listed(sdk, q=word)
    assert known in {m.id for m in found}
    for model in found:
        text = f"{model.id} {model.name} {model.description or ''}".lower()
        assert word.lower() in text, model.id


def check_count(sdk: OpenRouter) -> None:
    assert sdk.models.count().data.count == len(listed(sdk))
    text = sdk.models.count(output_modalities="text").data.count
    assert text == len(listed(sdk, output_modalities="text"))


def check_user_list(sdk: OpenRouter) -> None:
    """No accounts here: /models/user is the public list, filters and sort kept."""
    mine = list(
        every_page(
            sdk.models.list_for_user(
                security={"bearer": "anything"}, limit=100, sort="context-high-to-low"
            )
        )
    )
    public = listed(sdk, sort="context-high-to-low")
    assert [m.id for m in mine] == [m.id for m in public]


def check_get(sdk: OpenRouter, model_id: str) -> Model:
    author, slug = model_id.split("/", 1)
    got = sdk.models.get(author=author, slug=slug).data
    assert got.id == model_id
    # Upstream's link: by the canonical slug (a variant's leads to its model's).
    assert got.links.details.endswith(f"/models/{got.canonical_slug}/endpoints")
    return got


def check_all(sdk: OpenRouter, *, q: tuple[str, str]) -> None:
    check_every_sort(sdk)
    check_every_filter(sdk)
    check_q(sdk, *q)
    check_count(sdk)
    check_user_list(sdk)


# --- the demo catalogue -------------------------------------------------------------


@pytest.fixture
def sdk(live_server, synced) -> OpenRouter:
    """The 2025-05-22 catalogue with providers, endpoints (latency, throughput) and
    tokens per day (tokens this week), read by the SDK over HTTP."""
    from catalog.syncs import sync_benchmarks
    from stats.syncs import sync_activity

    assert sync_activity().status == "succeeded"
    assert sync_benchmarks().status == "succeeded"
    return sdk_for(live_server)


@pytest.fixture
def served_sdk(live_server, synced) -> OpenRouter:
    """The 2025-05-22 catalogue with providers and endpoints."""
    return sdk_for(live_server)


@pytest.fixture
def catalogue_sdk(live_server, catalogued) -> OpenRouter:
    """The 2025-05-22 catalogue alone (the quickest to sync)."""
    return sdk_for(live_server)


def test_every_models_call_filter_and_sort_on_the_demo(sdk):
    assert LanguageModel.objects.filter(tokens_week__isnull=False).exists()
    assert LanguageModel.objects.filter(latency_p50__isnull=False).exists()
    check_all(sdk, q=("claude", "anthropic/claude-3.7-sonnet"))
    check_get(sdk, "liquid/lfm-40b")
    # OpenRouter's routing shortcuts name the model itself (redirected to it).
    for shortcut in ("nitro", "floor"):
        got = sdk.models.get(author="liquid", slug=f"lfm-40b:{shortcut}").data
        assert got.id == "liquid/lfm-40b"
    with pytest.raises(errors.NotFoundResponseError):
        sdk.models.get(author="liquid", slug="lfm-40b:thinking")


def test_providers_and_region_filter_by_listed_endpoints(served_sdk):
    sdk = served_sdk
    from catalog.models import Endpoint

    served = set(
        Endpoint.objects.filter(
            provider__slug="groq", delisted_at__isnull=True
        ).values_list("model__slug", flat=True)
    )
    assert served
    by_slug = listed(sdk, providers="groq")
    by_name = listed(sdk, providers="Groq")
    assert {m.id for m in by_slug} == {m.id for m in by_name} == served

    # A model is in a region when one of its listed endpoints' providers has a
    # datacenter there (the demo's providers: Ireland, Sweden, Germany, Belgium,
    # France, Finland, the Netherlands are the EU countries they name).
    eu_countries = {"IE", "SE", "DE", "BE", "FR", "FI", "NL"}
    eu = {m.id for m in listed(sdk, region="eu")}
    listed_endpoints = Endpoint.objects.filter(delisted_at__isnull=True)
    in_eu = {
        slug
        for slug, datacenters in listed_endpoints.values_list(
            "model__slug", "provider__datacenters"
        )
        if set(datacenters or []) & eu_countries
    }
    assert eu and eu == in_eu
    only_china = set(
        Endpoint.objects.filter(provider__slug="deepseek").values_list(
            "model__slug", flat=True
        )
    ) - set(
        Endpoint.objects.exclude(provider__slug="deepseek").values_list(
            "model__slug", flat=True
        )
    )
    us = {m.id for m in listed(sdk, region="us")}
    assert only_china and not (only_china & (us | eu))


def test_category_lists_the_models_upstream_ranks_for_it(catalogue_sdk, settings):
    """models.list(category=...) after a poll of the task classifications: each
    category's models are those the demo data ranks for its tasks, in the list's
    order; a category nobody ranks is an empty list; an unknown one a 400."""
    from catalog.categories import categories_of
    from catalog.syncs import sync_categories
    from demo.classifications import classifications_payload

    sdk = catalogue_sdk
    assert listed(sdk, category="programming") == []  # nothing polled yet
    settings.OPENROUTER_API_KEY = "demo"
    assert sync_categories().status == "succeeded"
    served = classifications_payload()["data"]["classifications"]
    everything = [m.id for m in listed(sdk, output_modalities="all")]
    for category in ("programming", "roleplay", "translation", "legal"):
        ranked = {
            m["id"]
            for c in served
            if category in categories_of(c["tag"], c["macro_category"])
            for m in c["models"]
        }
        got = [m.id for m in listed(sdk, category=category, output_modalities="all")]
        assert got == [i for i in everything if i in ranked], category
    assert listed(sdk, category="legal") == []
    with pytest.raises(errors.BadRequestResponseError):
        sdk.models.list(category="cooking")


def test_an_override_is_what_filters_and_sorts_see(catalogue_sdk):
    sdk = catalogue_sdk
    from catalog.editorial.overrides import override_set

    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    override_set(model, "context_length", 9_000_000, reason="measured")
    override_set(model, "price_prompt", Decimal("123"), reason="contract")
    widest = listed(sdk, sort="context-high-to-low")[0]
    assert widest.id == "liquid/lfm-40b" and widest.context_length == 9_000_000
    assert [m.id for m in listed(sdk, context=9_000_000)] == ["liquid/lfm-40b"]
    assert "liquid/lfm-40b" in {m.id for m in listed(sdk, min_price=123)}
    assert "liquid/lfm-40b" not in {m.id for m in listed(sdk, max_price=122)}
    check_every_sort(sdk)
    assert check_get(sdk, "liquid/lfm-40b").pricing.prompt == "0.000123"


def test_a_hand_added_model_without_prices_parses_and_sorts_last(catalogue_sdk):
    from catalog.models import Origin
    from tests.support.factories import make_model

    make_model("house/own-model", origin=Origin.HAND, context_length=4096)
    sdk = catalogue_sdk
    own = check_get(sdk, "house/own-model")
    # Clients require both prices: unknown is upstream's "no fixed price", not 0.
    assert (own.pricing.prompt, own.pricing.completion) == ("-1", "-1")
    assert own.canonical_slug == "house/own-model"
    assert listed(sdk, sort="pricing-low-to-high")[-1].id == "house/own-model"
    assert "house/own-model" not in {m.id for m in listed(sdk, max_price=1000)}
    assert "house/own-model" in {m.id for m in listed(sdk, model_authors="house")}


def test_unsupported_and_invalid_filters_answer_400(catalogue_sdk):
    sdk = catalogue_sdk
    for sort in UNSUPPORTED_SORTS:
        with pytest.raises(errors.BadRequestResponseError, match="not supported"):
            sdk.models.list(sort=sort)
    for name in UNSUPPORTED_FILTERS:
        value = "true" if name == "distillable" else 0.5
        with pytest.raises(errors.BadRequestResponseError, match=name):
            sdk.models.list(**{name: value})
    invalid = {
        "context": -1,
        "region": "mars",
        "input_modalities": "smell",
        "output_modalities": "smell",
        "min_age_days": -3,
    }
    for name, value in invalid.items():
        with pytest.raises(errors.BadRequestResponseError, match=name):
            sdk.models.list(**{name: value})
    with pytest.raises(errors.BadRequestResponseError, match="sort"):
        sdk.models.list(sort="cheapest-first")
    # A minimum above its maximum is an empty band, not an error.
    assert listed(sdk, min_price=5, max_price=1) == []
    with pytest.raises(errors.NotFoundResponseError):
        sdk.models.get(author="nobody", slug="nothing")


# --- the replayed 2026 history ------------------------------------------------------


def test_every_models_call_after_replaying_2026(live_server):
    """Variants, tilde aliases, canonical slugs and a renamed id, as OpenRouter
    served them in 2026, with an editor's override on top."""
    from django.db import transaction

    from catalog.editorial.overrides import override_set
    from tests.support import snapshots

    with transaction.atomic():
        snapshots.load("replayed")
    sdk = sdk_for(live_server)
    check_all(sdk, q=("gemma", "google/gemma-3-27b-it"))

    free = check_get(sdk, "google/gemma-3-27b-it:free")
    assert Decimal(free.pricing.prompt) == 0 == Decimal(free.pricing.completion)
    assert free.canonical_slug == "google/gemma-3-27b-it"
    thinking = check_get(sdk, "anthropic/claude-3.7-sonnet:thinking")
    assert thinking.canonical_slug == "anthropic/claude-3-7-sonnet-20250219"
    # The canonical slug (OpenRouter's permaslug) finds the model it names.
    by_canonical = sdk.models.get(author="rekaai", slug="reka-edge-2603").data
    assert by_canonical.id == "rekaai/reka-edge"
    # reka/reka-edge became rekaai/reka-edge: the old id redirects to the new one.
    renamed = sdk.models.get(author="reka", slug="reka-edge").data
    assert renamed.id == "rekaai/reka-edge"
    for route in ("model", "models"):
        moved = httpx.get(
            f"{live_server.url}/api/v1/{route}/reka/reka-edge?include_delisted=false"
        )
        assert moved.status_code == 301
        assert (
            moved.headers["location"]
            == f"/api/v1/{route}/rekaai/reka-edge?include_delisted=false"
        )
    alias = check_get(sdk, "~openai/gpt-latest")
    assert alias.name

    model = LanguageModel.objects.get(slug="google/gemma-3-27b-it")
    override_set(model, "price_completion", Decimal("77"), reason="contract")
    dearest = listed(sdk, sort="pricing-high-to-low", model_authors="google")
    assert ordered([weighted(m) for m in dearest], descending=True)
    assert check_get(sdk, "google/gemma-3-27b-it").pricing.completion == "0.000077"


def test_fields_upstream_starts_sending_are_stored_and_served(live_server):
    """Newer Model fields, in the stored payload from the sync that brought them,
    reach the SDK as upstream sent them."""
    from catalog.ingest import model_upsert_many
    from tests.support.recordings import recorded, records

    newer = {
        "supported_voices": ["alloy", "verse"],
        "per_request_limits": {"prompt_tokens": 1000, "completion_tokens": 500},
        "reasoning": {"mandatory": False, "supported_efforts": ["high", "low"]},
        "benchmarks": {"design_arena": []},
        "alias_target": {"name": "Liquid: LFM 40B MoE", "slug": "liquid/lfm-40b"},
    }
    items = [
        {**item, **newer} if item["id"] == "liquid/lfm-40b" else item
        for item in recorded("2025-05-22")
    ]
    model_upsert_many(records(items), now=datetime.now(UTC))
    sdk = sdk_for(live_server)
    got = check_get(sdk, "liquid/lfm-40b")
    assert got.supported_voices == ["alloy", "verse"]
    assert got.per_request_limits is not None
    assert got.per_request_limits.prompt_tokens == 1000
    assert got.reasoning is not None and got.reasoning.mandatory is False
    assert got.benchmarks is not None and got.benchmarks.design_arena == []
    assert got.alias_target is not None and got.alias_target.slug == "liquid/lfm-40b"
    listed_one = next(m for m in listed(sdk, q="lfm-40b") if m.id == "liquid/lfm-40b")
    assert listed_one.supported_voices == ["alloy", "verse"]
    other = check_get(sdk, "openai/gpt-4o")
    assert other.supported_voices is None and other.per_request_limits is None
    assert other.reasoning is None and other.alias_target is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("min_price=abc", "min_price"),
        ("max_price=nan", "max_price"),
        ("max_output_price=inf", "max_output_price"),
        ("min_output_price=-1", "min_output_price"),
        ("context=lots", "context"),
        ("max_age_days=1e9", "max_age_days"),
        ("sort=coding-low-to-high", "sort"),
        ("distillable=false", "distillable"),
        ("zdr=false", "zdr"),
        ("max_intelligence_index=-1", "max_intelligence_index"),
        ("min_coding_index=nan", "min_coding_index"),
        ("min_intelligence_index=", "min_intelligence_index"),
        ("max_price=", "max_price"),
        ("region=", "region"),
        ("input_modalities=text,smell", "smell"),
    ],
)
def test_bad_model_parameters_are_a_400_naming_them(client, query, named):
    for route in ("/api/v1/models", "/api/v1/models/count", "/api/v1/models/user"):
        response = client.get(f"{route}?{query}", HTTP_AUTHORIZATION="Bearer k")
        assert response.status_code == 400, (route, query)
        assert named in response.json()["error"]["message"], route


@pytest.mark.django_db
def test_sort_wins_over_the_older_order(client):
    from tests.support.factories import make_model

    make_model("a/small", name="A small", context_length=1000)
    make_model("z/large", name="Z large", context_length=200_000)
    both = client.get("/api/v1/models?sort=context-high-to-low&order=name")
    assert both.status_code == 200
    assert [m["id"] for m in both.json()["data"]] == ["z/large", "a/small"]
