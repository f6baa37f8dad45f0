"""A query's intent read from its words (no database): orders, filters and kinds,
and how the list says what it did."""

from __future__ import annotations

import pytest

from catalog.search.intent import Intent, intent_parse


@pytest.mark.parametrize(
    ("q", "left", "sort", "filters", "kind"),
    [
        ("long context", "", "context", set(), ""),
        ("long context gemini", "gemini", "context", set(), ""),
        ("Cheap vision model", "", "price", {"vision"}, ""),
        ("free llama", "llama", "", {"free"}, ""),
        ("fastest llama 70b", "llama 70b", "throughput", set(), ""),
        ("embeddings model", "", "", set(), "embeddings"),
        ("text to image", "", "", set(), "image"),
        ("image generation", "", "", set(), "image"),
        ("speech to text", "", "", set(), "transcription"),
        # Names stay names: an id, a word glued to punctuation.
        ("deepseek/deepseek-r1:free", "deepseek/deepseek-r1:free", "", set(), ""),
        ("gpt-4o", "gpt-4o", "", set(), ""),
        ("llama model", "llama model", "", set(), ""),
        ("cheap, fast", "", "price", set(), ""),
    ],
)
def test_intent_words_are_read_and_the_rest_left_to_match(q, left, sort, filters, kind):
    intent = intent_parse(q)
    assert (intent.q, intent.sort, set(intent.filters), intent.kind) == (
        left,
        sort,
        filters,
        kind,
    )


def test_no_intent_is_falsy():
    assert not intent_parse("claude sonnet")
    assert intent_parse("free")


def test_what_was_done_is_said():
    assert intent_parse("long context").said() == "Sorted by context, largest first."
    assert intent_parse("cheap vision").said() == (
        "Models that read images only; sorted by input price, lowest first "
        "(free models left out)."
    )
    # Another order chosen on the page: only the filters are said.
    assert intent_parse("free fast llama").said(sorted_here=False) == (
        "Free models only."
    )
    assert intent_parse("embedding").said(found=0) == (
        "No chat model is one of the embedding models."
    )
    assert intent_parse("text to speech").said(found=0) == (
        "This board holds no text-to-speech models."
    )
    assert intent_parse("embedding").said(found=3) == "Embedding models only."
    assert Intent("x").said() == ""
