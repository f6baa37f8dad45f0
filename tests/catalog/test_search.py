"""Search with relevance on the recorded 2025-05-22 catalogue: queries a person
types, the ranking they expect, on SQLite and PostgreSQL alike (the suite runs on
both). Bad input never fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from catalog.editorial.overrides import override_set
from catalog.models import LanguageModel, SearchTerm
from catalog.ranking import ranks_listed
from catalog.search import by_relevance, model_suggestions, models_matching
from catalog.search.keys import one_edit
from catalog.search.selectors import terms_known
from tests.support import snapshots

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.backend,
    pytest.mark.state("catalogued"),
]

SNAPSHOT = Path(__file__).resolve().parents[2] / "demo/data/models-2025-05-22.json"
RECORDED = json.loads(SNAPSHOT.read_text())["data"]


@pytest.fixture
def catalogue(mock_upstream):
    """The 2025-05-22 catalogue (restored from this run's snapshot of it)."""
    snapshots.load("catalogued")


def ranked(q: str, *, include_delisted: bool = False) -> list[str]:
    ranks = ranks_listed(include_delisted=include_delisted)
    return list(by_relevance(models_matching(ranks, q)).values_list("slug", flat=True))


def recorded(keep) -> set[str]:
    return {m["id"] for m in RECORDED if keep(m)}


def test_an_exact_id_or_name_comes_first(catalogue):
    """gpt-4o is GPT-4o, not one of the 17 other models that mention it."""
    assert ranked("gpt-4o")[0] == "openai/gpt-4o"
    assert ranked("openai/gpt-4o-mini")[0] == "openai/gpt-4o-mini"
    assert ranked("deepseek r1")[0] == "deepseek/deepseek-r1"
    assert ranked("o3")[0] == "openai/o3"
    assert ranked("Claude 3.5 Sonnet")[0] == "anthropic/claude-3.5-sonnet"
    assert ranked("gpt-4o:extended")[0] == "openai/gpt-4o:extended"


def test_case_punctuation_and_spacing_do_not_matter(catalogue):
    """gpt4o, gpt 4o, GPT-4o and gpt_4o find the same models in the same order."""
    first = ranked("gpt4o")
    assert first[0] == "openai/gpt-4o"
    for same in ("gpt 4o", "GPT-4o", "gpt_4o", " GPT‐4O "):
        assert ranked(same)[:10] == first[:10], same
    assert ranked("claude-3.5-sonnet")[0] == ranked("claude 3 5 sonnet")[0]


def test_every_claude_sonnet_model_is_found_first(catalogue):
    """Claude 3, 3.5, 3.7 and 4 Sonnet (and their variants), before anything else."""
    sonnets = recorded(
        lambda m: m["id"].startswith("anthropic/") and "sonnet" in m["name"].lower()
    )
    assert len(sonnets) >= 6
    found = ranked("claude sonnet")
    assert set(found[: len(sonnets)]) == sonnets


def test_a_family_name_finds_that_family_first(catalogue):
    """llama: a Llama model first; mistral: a Mistral model; lfm: the three LFMs."""
    llama = ranked("llama")
    assert "llama" in LanguageModel.objects.get(slug=llama[0]).name.lower()
    assert ranked("mistral")[0].startswith("mistralai/mistral")
    assert set(ranked("lfm")) == {"liquid/lfm-3b", "liquid/lfm-7b", "liquid/lfm-40b"}
    # A word starts a word of the name: "mini" is not in Gemini.
    assert not [s for s in ranked("mini") if s.startswith("google/gemini")]


def test_one_typo_in_a_long_word_is_forgiven(catalogue):
    """claude sonet, gemni flash, mistrall: one edit away from the catalogue's words."""
    assert ranked("claude sonet")[0] in recorded(lambda m: "Sonnet" in m["name"])
    assert ranked("gemni flash")[0].startswith("google/gemini")
    assert ranked("mistrall")[0].startswith("mistralai/")
    # Short words are not corrected (too many neighbours), two typos are too many.
    assert ranked("lfn") == []
    assert ranked("gmenii flash") == []


def test_many_long_words_look_their_typos_up_in_one_small_statement(catalogue):
    """Three long words have ~1,100 one-edit neighbours: one statement with one
    parameter, each neighbour probed in the vocabulary's index (a list of them in
    `IN (…)` scanned the whole vocabulary), finding the same words."""
    words = ("mistral", "large", "instruct", "sonet", "gemni")
    candidates = set().union(*(one_edit(w) for w in words), words)
    assert len(candidates) > 1000
    statements: list[tuple[str, object]] = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        known = terms_known(candidates)
    assert len(statements) == 1 and len(statements[0][1]) == 1  # type: ignore[arg-type]
    vocabulary = set(SearchTerm.objects.values_list("term", flat=True))
    assert known == candidates & vocabulary
    assert {"mistral", "large", "instruct", "sonnet", "gemini"} <= known
    assert terms_known(set()) == set()


def test_typo_matches_come_after_exact_ones(catalogue):
    """llama is one edit from llava: every Llama before the LLaVA model."""
    found = ranked("llama")
    llava = [i for i, s in enumerate(found) if "llava" in s]
    llamas = [i for i, s in enumerate(found) if "llama" in s]
    assert llamas and (not llava or max(llamas) < min(llava))


def test_capability_words_filter_and_sort(catalogue):
    """cheap vision model: the paid models that read images, cheapest first; free
    llama: free Llamas only."""
    found = ranked("cheap vision model")
    models = LanguageModel.objects.in_bulk(found, field_name="slug")
    assert len(found) >= 5
    prices = [models[s].price_prompt for s in found]
    assert all("image" in models[s].input_modalities for s in found)
    assert all(p is not None and p > 0 for p in prices)
    assert prices == sorted(prices)
    free_llamas = ranked("free llama")
    assert free_llamas and all(s.endswith(":free") for s in free_llamas)


def test_long_context_sorts_by_context(catalogue):
    found = ranked("long context")
    contexts = list(
        LanguageModel.objects.filter(slug__in=found[:20])
        .order_by()
        .values_list("slug", "context_length")
    )
    by_slug = dict(contexts)
    assert [by_slug[s] for s in found[:20]] == sorted(by_slug.values(), reverse=True)
    assert by_slug[found[0]] == max(
        LanguageModel.objects.values_list("context_length", flat=True)
    )
    gemini = ranked("long context gemini")
    assert gemini[0] == "google/gemini-pro-1.5"  # 2,000,000 tokens


def test_fast_sorts_by_throughput_unknown_last(catalogue):
    LanguageModel.objects.update(throughput_p50=None)
    for slug, speed in (("meta-llama/llama-3.1-8b-instruct", 900.0),
                        ("meta-llama/llama-3.3-70b-instruct", 150.0),
                        ("openai/gpt-4o", 400.0)):  # fmt: skip
        LanguageModel.objects.filter(slug=slug).update(throughput_p50=speed)
    assert ranked("fast")[:3] == [
        "meta-llama/llama-3.1-8b-instruct",
        "openai/gpt-4o",
        "meta-llama/llama-3.3-70b-instruct",
    ]
    assert ranked("fastest llama")[:2] == [
        "meta-llama/llama-3.1-8b-instruct",
        "meta-llama/llama-3.3-70b-instruct",
    ]


@pytest.mark.parametrize(
    "q", ["embedding", "embeddings model", "image generation", "text to speech"]
)
def test_a_kind_the_board_holds_none_of_finds_nothing(catalogue, q):
    """Every demo model answers in text: asked for another kind, nothing (the
    list says why: catalog.search.intent)."""
    assert ranked(q) == []


def test_a_kind_the_board_holds_is_what_it_finds(catalogue):
    """Once a model puts embeddings out, "embedding" finds it and only it."""
    LanguageModel.objects.filter(slug="openai/gpt-4o-mini").update(
        output_modalities=["embeddings"]
    )
    assert ranked("embedding") == ["openai/gpt-4o-mini"]


def test_a_familys_newest_release_comes_first_however_busy_the_old_one(catalogue):
    """gemini pro: Gemini 2.5 Pro before Gemini Pro 1.5, which starts like the
    query and draws a thousand times the tokens; claude sonnet: Sonnet 4."""
    LanguageModel.objects.filter(slug="google/gemini-pro-1.5").update(
        tokens_week=10**12
    )
    LanguageModel.objects.filter(slug="anthropic/claude-3.5-sonnet").update(
        tokens_week=10**12
    )
    assert ranked("gemini pro")[0] == "google/gemini-2.5-pro-preview"
    assert ranked("gemini flash")[0] == "google/gemini-2.5-flash-preview-05-20"
    assert ranked("claude sonnet")[0] == "anthropic/claude-sonnet-4"
    # An exact name is still the name: "gpt-4o" is GPT-4o, not GPT-4.1.
    assert ranked("gpt-4o")[0] == "openai/gpt-4o"


def test_all_words_are_required(catalogue):
    """claude opus: the Claude Opus models, none that has only one of the words."""
    opus = recorded(lambda m: "claude opus" in m["name"].lower())
    assert opus and opus <= set(ranked("claude opus"))
    for slug in ranked("claude opus"):
        model = LanguageModel.objects.get(slug=slug)
        text = f"{model.slug} {model.name} {model.description}".lower()
        assert "claude" in text and "opus" in text


def test_popularity_breaks_ties_and_delisted_models_come_last(catalogue):
    """Within a tier the busier model first; a delisted model after every listed one."""
    LanguageModel.objects.filter(slug="liquid/lfm-3b").update(tokens_week=10**9)
    LanguageModel.objects.filter(slug="liquid/lfm-7b").update(tokens_week=10**6)
    assert ranked("lfm") == ["liquid/lfm-3b", "liquid/lfm-7b", "liquid/lfm-40b"]
    LanguageModel.objects.filter(slug="liquid/lfm-3b").update(
        delisted_at=timezone.now()
    )
    assert ranked("lfm", include_delisted=True)[-1] == "liquid/lfm-3b"
    assert "liquid/lfm-3b" not in ranked("lfm")


def test_a_model_comes_before_its_variants_whatever_their_popularity(catalogue):
    """llama 3.3 70b is the model; its busier :free variant comes right after."""
    LanguageModel.objects.filter(slug="meta-llama/llama-3.3-70b-instruct").update(
        tokens_week=10**6
    )
    LanguageModel.objects.filter(slug="meta-llama/llama-3.3-70b-instruct:free").update(
        tokens_week=10**9
    )
    assert ranked("llama 3.3 70b")[:2] == [
        "meta-llama/llama-3.3-70b-instruct",
        "meta-llama/llama-3.3-70b-instruct:free",
    ]
    # Asked for by name, the variant is what comes first.
    assert ranked("llama 3.3 70b free")[0] == "meta-llama/llama-3.3-70b-instruct:free"


def test_an_edited_name_is_what_search_finds(catalogue):
    """An editor's override of the name reaches the search keys at once."""
    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    override_set(model, "name", "Liquid: Zebrafish 40B", reason="renamed upstream")
    assert ranked("zebrafish") == ["liquid/lfm-40b"]


def test_suggestions_are_the_ranking_top_eight(catalogue):
    found = model_suggestions(ranks_listed(), "claude")
    assert [s.id for s in found] == ranked("claude")[:8]
    assert (
        found[0].url == LanguageModel.objects.get(slug=found[0].id).get_absolute_url()
    )
    assert found[0].author == "Anthropic"


ODD = [
    "%",
    "_",
    "'",
    '"',
    "\\",
    "gpt:*",
    "a & b",
    "!((",
    "--",
    "*",
    "  ",
    "😀",
    "x" * 200,
]


def test_odd_queries_never_fail(catalogue):
    """Operators of LIKE and tsquery, quotes, emoji, long words: answered, not raised."""
    for q in ODD:
        ranked(q)


def test_list_page_and_api_rank_the_same(catalogue, client):
    """/?q=, the API's q and the suggestions all give the search's order."""
    expected = ranked("claude sonnet")
    page = client.get("/", {"q": "claude sonnet", "format": "json"})
    assert [m["id"] for m in json.loads(b"".join(page.streaming_content))["data"]] == (
        expected
    )
    # The API's q searches names and ids only, as the SDKs document it: the same
    # order, without the matches in descriptions alone.
    names = list(
        by_relevance(
            models_matching(ranks_listed(), "claude sonnet", names_only=True)
        ).values_list("slug", flat=True)
    )
    assert names == [slug for slug in expected if slug in names] != expected
    api = client.get("/api/v1/models", {"q": "claude sonnet"}).json()["data"]
    assert [m["id"] for m in api] == names
    suggest = client.get("/api/v1/models/suggest", {"q": "claude sonnet"}).json()
    assert [m["id"] for m in suggest["data"]] == expected[:8]
    assert suggest["data"][0]["url"].startswith("http://testserver/anthropic/")
    # Another order, when asked for, still narrows to the search's matches.
    by_name = client.get("/api/v1/models", {"q": "claude sonnet", "order": "name"})
    assert sorted(m["id"] for m in by_name.json()["data"]) == sorted(names)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "q: This field is required."),
        ({"q": ""}, "q: This field is required."),
        ({"q": "  "}, "q: This field is required."),
        ({"q": "x" * 201}, "q: Ensure this value has at most 200 characters"),
        ({"q": "a\x00b"}, "q: Null characters are not allowed."),
        ({"q": "a\x07b"}, "q: must not contain control characters"),
    ],
)
def test_suggest_refuses_bad_queries_with_a_400(catalogue, client, params, message):
    response = client.get("/api/v1/models/suggest", params)
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


def test_a_query_without_a_letter_or_digit_suggests_nothing(catalogue, client):
    response = client.get("/api/v1/models/suggest", {"q": "%!?"})
    assert response.status_code == 200 and response.json() == {"data": []}


@pytest.mark.slow
def test_odd_queries_on_every_surface_answer(catalogue, client):
    for q in ODD:
        assert client.get("/", {"q": q}).status_code == 200, q
        assert client.get("/api/v1/models", {"q": q}).status_code == 200, q
        assert client.get("/api/v1/models/suggest", {"q": q}).status_code in (200, 400)
