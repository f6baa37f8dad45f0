"""Direct-provider list prices from LiteLLM's recorded price map: stored exactly as
the JSON text says, matched to the demo catalogue by the rules, and replayed
across two recorded versions into exactly the events a diff of the files shows."""

from __future__ import annotations

import importlib
import json
from collections import Counter
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from catalog.ingest import successors_resolve
from catalog.models import CatalogEvent, DirectOffer, EventKind, LanguageModel, SyncRun
from catalog.pricing import prices
from catalog.reads.direct import direct_match_report, successors_of
from catalog.sources.litellm import BASE_KEYS, parse_map
from catalog.syncs import sync_litellm
from demo import litellm
from tests.support import snapshots
from tests.support.direct import successor_add
from tests.support.factories import make_model

pytestmark = [pytest.mark.backend, pytest.mark.django_db]

MAKERS = ("openai", "anthropic", "google", "mistralai", "deepseek", "x-ai")


def _map(version: str) -> dict[str, dict]:
    """The recorded map, numbers as exact Decimals straight from the text."""
    return json.loads(litellm.prices_text(version), parse_float=Decimal)


@pytest.fixture
def direct(mock_upstream):
    snapshots.load("direct")
    return mock_upstream


@pytest.mark.slow
def test_every_matched_price_is_the_maps_text_exactly(direct):
    """Each price column of each matched offer, back in USD per token, equals the
    number the JSON text spells (never a float's neighbour)."""
    recorded = _map(litellm.LATEST)
    matched = DirectOffer.objects.exclude(model=None)
    assert matched.count() > 300
    checked = 0
    for offer in matched:
        entry = recorded[offer.key]
        for theirs, ours in BASE_KEYS.items():
            if not prices.KEY[ours].column or theirs not in entry:
                continue
            stored = getattr(offer, prices.KEY[ours].column_name)
            if prices.is_per_token(ours):
                stored = prices.per_token(stored)
            assert stored == entry[theirs], (offer.key, theirs)
            assert offer.pricing_raw[theirs] == prices.plain(entry[theirs])
            checked += 1
    assert checked == 718


def test_a_float_spelled_price_is_exact():
    """`1e-06` is 0.000001 exactly, and keeps 18 places per token."""
    text = (
        b'{"m": {"litellm_provider": "openai", "input_cost_per_token": 1e-06,'
        b' "output_cost_per_token": 3.3e-07, "input_cost_per_token_above_200k_tokens":'
        b' 2.5e-06, "output_cost_per_token_batches": 1.65e-07}}'
    )
    (entry,) = parse_map(text).entries
    assert entry.prices["prompt"] == Decimal("0.000001")
    assert str(entry.prices["completion"]) == "3.3E-7"
    assert entry.priced.overrides() == [
        {"min_prompt_tokens": 200_000, "prompt": "0.0000025"}
    ]
    assert entry.priced.modes == {"batch": {"pricing": {"completion": "0.000000165"}}}


def test_matching_report_is_pinned(direct):
    """Matched and unmatched offers by provider, for the makers and the big
    resellers: a rule that starts guessing shows up here."""
    report = {
        row.provider: (row.matched, row.unmatched) for row in direct_match_report()
    }
    assert {
        p: report[p]
        for p in (
            "openai",
            "anthropic",
            "gemini",
            "vertex_ai-language-models",
            "mistral",
            "deepseek",
            "xai",
            "azure",
            "bedrock",
            "bedrock_converse",
            "vertex_ai-anthropic_models",
        )
    } == PINNED_REPORT
    assert sum(m for m, _ in report.values()) == 314
    assert sum(u for _, u in report.values()) == 4464
    assert Counter(DirectOffer.objects.values_list("match", flat=True)) == {
        "": 4464,
        "exact": 262,
        "rule": 50,
        "alias": 2,
    }


PINNED_REPORT = {
    "openai": (23, 200),
    "anthropic": (0, 22),
    "gemini": (1, 84),
    "vertex_ai-language-models": (0, 45),
    "mistral": (6, 73),
    "deepseek": (3, 14),
    "xai": (0, 61),
    "azure": (19, 303),
    "bedrock": (12, 325),
    "bedrock_converse": (14, 226),
    "vertex_ai-anthropic_models": (4, 32),
}


def test_every_maker_listed_model_has_its_makers_offer(direct):
    """A demo model of OpenAI, Anthropic, Google, Mistral, DeepSeek or xAI that
    its maker's own entries name (by id, alias or rule) has a direct offer from
    that maker; the ones the map lists are pinned."""
    from catalog.matching import MAKERS as MAKER_OF

    makers = [p for p, author in MAKER_OF.items() if author in MAKERS]
    own = DirectOffer.objects.filter(provider__in=makers, delisted_at=None)
    offered = set(own.filter(maker=True).values_list("model__slug", flat=True))
    assert sorted(offered) == PINNED_MAKER_MODELS
    # No maker's entry matched a model of another author.
    assert not own.exclude(model=None).filter(maker=False).exists()


PINNED_MAKER_MODELS = [
    "deepseek/deepseek-chat",
    "deepseek/deepseek-coder",
    "deepseek/deepseek-r1",
    "google/gemma-3-27b-it",
    "mistralai/codestral-mamba",
    "mistralai/mistral-medium",
    "mistralai/mistral-medium-3",
    "mistralai/mistral-nemo",
    "mistralai/mistral-small",
    "mistralai/mistral-tiny",
    "openai/gpt-3.5-turbo",
    "openai/gpt-3.5-turbo-0125",
    "openai/gpt-3.5-turbo-1106",
    "openai/gpt-3.5-turbo-16k",
    "openai/gpt-3.5-turbo-instruct",
    "openai/gpt-4",
    "openai/gpt-4-1106-preview",
    "openai/gpt-4-turbo",
    "openai/gpt-4.1",
    "openai/gpt-4.1-mini",
    "openai/gpt-4.1-nano",
    "openai/gpt-4o",
    "openai/gpt-4o-2024-05-13",
    "openai/gpt-4o-2024-08-06",
    "openai/gpt-4o-2024-11-20",
    "openai/gpt-4o-mini",
    "openai/gpt-4o-mini-2024-07-18",
    "openai/gpt-4o-mini-search-preview",
    "openai/gpt-4o-search-preview",
    "openai/o1",
    "openai/o1-pro",
    "openai/o3",
    "openai/o3-mini",
    "openai/o4-mini",
]


def test_an_entry_naming_two_models_matches_neither():
    """One id is another model's canonical slug: the entry is left unmatched with
    both named, not matched to either."""
    from catalog.matching import catalogue_ids, match_entry

    ids = catalogue_ids([("openai/gpt-4o", ""), ("openai/gpt-4o-new", "openai/gpt-4o")])
    found = match_entry("gpt-4o", "openai", ids, {})
    assert found.model is None
    assert found.rule == "ambiguous: openai/gpt-4o, openai/gpt-4o-new"


@pytest.mark.parametrize(
    ("key", "provider", "model", "how"),
    [
        ("gpt-4o", "openai", "openai/gpt-4o", "exact"),
        (
            "claude-3-5-sonnet-20240620",
            "anthropic",
            "anthropic/claude-3.5-sonnet-20240620",
            "rule",
        ),
        (
            "anthropic.claude-3-5-haiku-20241022-v1:0",
            "bedrock",
            "anthropic/claude-3.5-haiku-20241022",
            "rule",
        ),
        (
            "us.anthropic.claude-3-opus-20240229-v1:0",
            "bedrock_converse",
            "anthropic/claude-3-opus",
            "rule",
        ),
        (
            "vertex_ai/claude-3-opus@20240229",
            "vertex_ai-anthropic_models",
            "anthropic/claude-3-opus",
            "rule",
        ),
        ("azure/eu/gpt-4o-mini", "azure", "openai/gpt-4o-mini", "exact"),
        ("azure/gpt-35-turbo", "azure", "openai/gpt-3.5-turbo", "rule"),
        ("mistral/mistral-large-latest", "mistral", "mistralai/mistral-large", "rule"),
        ("deepseek/deepseek-reasoner", "deepseek", "deepseek/deepseek-r1", "alias"),
        ("ft:gpt-4o-2024-08-06", "openai", None, ""),
        ("mistral/mistral-medium-2604", "mistral", None, ""),
    ],
)
def test_matching_rules(key, provider, model, how):
    from catalog.matching import ALIASES, catalogue_ids, match_entry

    catalogue = [
        "openai/gpt-4o",
        "openai/gpt-4o-mini",
        "openai/gpt-3.5-turbo",
        "anthropic/claude-3.5-sonnet-20240620",
        "anthropic/claude-3.5-haiku-20241022",
        "anthropic/claude-3-opus",
        "mistralai/mistral-large",
        "mistralai/mistral-medium",
        "deepseek/deepseek-r1",
    ]
    found = match_entry(
        key, provider, catalogue_ids([(s, "") for s in catalogue]), ALIASES
    )
    assert (found.model, found.how) == (model, how), found.rule


def _costs(entry: dict) -> dict[str, Decimal]:
    """The entry's non-zero cost keys (zero and absent alike mean no price)."""
    flat: dict[str, Decimal] = {}
    for key, value in entry.items():
        if "cost" not in key:
            continue
        items = value.items() if isinstance(value, dict) else [("", value)]
        for inner, number in items:
            if Decimal(number) != 0:
                flat[f"{key}.{inner}" if inner else key] = Decimal(number)
    return flat


def _retirement(entry: dict) -> tuple[str, str]:
    return (
        str(entry.get("deprecation_date") or "")[:10],
        entry.get("successor_model") or "",
    )


@pytest.mark.slow
def test_replaying_two_versions_gives_exactly_the_diffs_events(synced):
    """1.108.0 then 1.110.2: one price event per entry whose prices differ, one
    retirement event per entry whose deprecation date or successor differs, and
    nothing else changes price."""
    synced.set_litellm("1.108.0")
    first = sync_litellm()
    synced.set_litellm("1.110.2")
    second = sync_litellm()
    assert (first.status, second.status) == ("succeeded", "succeeded")
    old, new = _map("1.108.0"), _map("1.110.2")
    stored = set(DirectOffer.objects.values_list("key", flat=True))
    both = [k for k in old.keys() & new.keys() if k in stored]
    priced = {k for k in both if _costs(old[k]) != _costs(new[k])}
    retired = {k for k in both if _retirement(old[k]) != _retirement(new[k])}
    events = CatalogEvent.objects.filter(sync_run=second)
    assert (
        set(
            events.filter(kind=EventKind.DIRECT_PRICE).values_list(
                "direct_offer__key", flat=True
            )
        )
        == priced
    )
    assert events.filter(kind=EventKind.DIRECT_PRICE).count() == len(priced) == 399
    assert (
        set(
            events.filter(kind=EventKind.DIRECT_DEPRECATION).values_list(
                "direct_offer__key", flat=True
            )
        )
        == retired
    )
    assert len(retired) == 489
    gone = {k for k in old.keys() - new.keys() if k in stored}
    assert events.filter(kind=EventKind.DIRECT_REMOVED).count() == len(gone)
    assert second.counts["delisted"] == len(gone)
    # The first run was the baseline: one event, not one per offer.
    assert list(
        CatalogEvent.objects.filter(sync_run=first).values_list("kind", flat=True)
    ) == [EventKind.BASELINE]


@pytest.mark.slow
def test_a_second_sync_of_the_same_map_writes_nothing(direct):
    run = sync_litellm()
    assert run.counts["created"] == run.counts["updated"] == run.counts["events"] == 0


@pytest.mark.parametrize(
    ("body", "item", "error"),
    [
        (
            b'{"sample_spec": {"litellm_provider": "openai"}, "ok": {"litellm_provider":'
            b' "openai", "input_cost_per_token": 1e-06}}',
            "sample_spec",
            "field documentation",
        ),
        (
            b'{"bad": {"litellm_provider": "openai", "input_cost_per_token": "cheap"},'
            b' "ok": {"litellm_provider": "openai", "input_cost_per_token": 1e-06}}',
            "bad",
            "input_cost_per_token is not a number",
        ),
        (
            b'{"twice": {"litellm_provider": "openai", "input_cost_per_token": 1e-06},'
            b' "twice": {"litellm_provider": "openai", "input_cost_per_token": 2e-06},'
            b' "ok": {"litellm_provider": "openai", "input_cost_per_token": 1e-06}}',
            "twice",
            "more than once",
        ),
        (
            b'{"odd\\u0000key": {"litellm_provider": "openai"},'
            b' "ok": {"litellm_provider": "openai", "input_cost_per_token": 1e-06}}',
            "oddkey",
            "control characters",
        ),
        (
            b'{"nowhere": {"litellm_provider": "Not A Provider!"},'
            b' "ok": {"litellm_provider": "openai", "input_cost_per_token": 1e-06}}',
            "nowhere",
            "no provider name",
        ),
    ],
)
def test_a_bad_entry_is_named_and_the_rest_stored(mock_upstream, body, item, error):
    mock_upstream.serve_body(litellm.PATH, body)
    run = sync_litellm()
    assert run.status == "succeeded"
    assert [e["item"] for e in run.item_errors] == [item]
    assert error in run.item_errors[0]["error"]
    assert DirectOffer.objects.get(key="ok").price_prompt == Decimal(1)


def test_a_truncated_map_fails_the_run_and_keeps_what_is_stored(direct):
    before = DirectOffer.objects.filter(delisted_at=None).count()
    direct.serve_body(litellm.PATH, litellm.prices_text(litellm.LATEST)[:100_000])
    with pytest.raises(Exception, match="unparseable JSON"):
        sync_litellm()
    run = SyncRun.objects.filter(kind="litellm").latest("started_at")
    assert run.status == "failed" and "unparseable JSON" in run.error
    assert DirectOffer.objects.filter(delisted_at=None).count() == before


@pytest.mark.slow
def test_a_shrunken_map_is_refused(direct):
    before = DirectOffer.objects.filter(delisted_at=None).count()
    direct.serve_body(
        litellm.PATH,
        b'{"gpt-4o": {"litellm_provider": "openai", "input_cost_per_token": 2.5e-06}}',
    )
    with pytest.raises(Exception, match="refused"):
        sync_litellm()
    assert DirectOffer.objects.filter(delisted_at=None).count() == before


def test_a_map_over_the_size_cap_fails_the_run(mock_upstream, settings):
    settings.LITELLM_MAX_MB = 1
    mock_upstream.serve_body(litellm.PATH, b"{" + b" " * (2 * 1024 * 1024) + b"}")
    with pytest.raises(Exception, match="too large"):
        sync_litellm()
    assert not DirectOffer.objects.exists()


def _offer(provider: str, key: str, model=None, successor: str = "") -> DirectOffer:
    now = timezone.now()
    return DirectOffer.objects.create(
        provider=provider,
        key=key,
        model=model,
        successor_model=successor,
        first_seen_at=now,
        updated_at=now,
    )


def test_a_successor_is_the_same_providers_matched_entry_of_that_name():
    old, new, other = (make_model(s) for s in ("o/old", "o/new", "x/other"))
    exact = _offer("openai", "gpt-old", old, successor="gpt-new")
    by_suffix = _offer("azure", "azure/gpt-old", old, successor="gpt-new")
    unknown = _offer("openai", "gpt-older", old, successor="gpt-unknown")
    _offer("openai", "gpt-new", new)
    _offer("azure", "azure/eu/gpt-new", new)  # ends in "/gpt-new"
    _offer("vertex_ai", "gpt-old", other, successor="gpt-new")  # no such entry
    _offer("vertex_ai", "vertex_ai/gpt-new")  # the catalogue has no such model

    assert successors_resolve() == 2
    for offer in (exact, by_suffix, unknown):
        offer.refresh_from_db()
    assert successors_of([exact, by_suffix, unknown]) == {
        exact.pk: new,
        by_suffix.pk: new,
    }
    assert successors_resolve() == 0  # nothing moved: nothing written

    # The successor's entry loses its match: the link goes with it.
    DirectOffer.objects.filter(provider="openai", key="gpt-new").update(model=None)
    assert successors_resolve() == 1
    exact.refresh_from_db()
    assert exact.successor_id is None


def test_the_migration_resolves_stored_offers_as_the_sync_does(direct):
    successor_add()
    resolved = dict(
        DirectOffer.objects.filter(successor__isnull=False).values_list(
            "pk", "successor"
        )
    )
    assert resolved  # gpt-4o's and others' successors in the recorded map
    DirectOffer.objects.update(successor=None)
    migration = importlib.import_module("catalog.migrations.0036_direct_successor")
    migration.resolve(django_apps, None)
    assert (
        dict(
            DirectOffer.objects.filter(successor__isnull=False).values_list(
                "pk", "successor"
            )
        )
        == resolved
    )


def test_the_migration_flags_stored_offers_models_as_the_sync_does(direct):
    flagged = set(LanguageModel.objects.filter(has_direct_offers=True))
    assert len(flagged) > 100
    LanguageModel.objects.update(has_direct_offers=None)
    migration = importlib.import_module("catalog.migrations.0037_direct_flag")
    migration.flag(django_apps, None)
    assert set(LanguageModel.objects.filter(has_direct_offers=True)) == flagged
