"""Search keys: the normalised text a model is found by, and a query read the same
way. Pure Python (no ORM): the search index's writes and the search's reads both
call it, so a model and a query always meet in the same vocabulary.

Normalising folds case, accents and punctuation away, so `GPT-4o`, `gpt 4o` and
`gpt4o` read the same, as do `claude-3.5-sonnet` and `Claude 3.5 Sonnet`:

- `aliases`: a model's whole names squashed (id with and without its author,
  canonical slug, name with and without its "Author: " prefix), for the exact and
  prefix tiers: " gpt4o openaigpt4o … ".
- `names`: every run of a model's id, name and author from a word boundary on,
  squashed: " gpt4o 4o o openaigpt4o … ". A query word is found in the names when
  it starts one of these runs: `4o` and `gpt4o` find "GPT-4o", `mini` does not
  find "Gemini".
- `text`: the description's words and words for what the model can do (modalities,
  parameters, price band), for description mentions: " vision image cheap … ".
- `terms`: the vocabulary one-typo queries are corrected against.
- `family`: the author and the name without versions, sizes, dates and release
  stages ("google/gemini flash" for Gemini 2.5 Flash Preview and Gemini Flash 1.5):
  among equal matches the ranking puts a family's newest member first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

WORD = re.compile(r"[a-z0-9]+")
# Letters and digits part: "llama3" reads as "llama 3", so "llama 3.1" finds it.
PIECE = re.compile(r"[a-z]+|[0-9]+")
# A run longer than this adds nothing a person types.
MAX_RUN = 48
MAX_TEXT_WORDS = 200
MAX_QUERY_WORDS = 8
# Typo tolerance (one edit) starts at words of this many letters.
TYPO_MIN_LETTERS = 5
TERM_LENGTHS = (TYPO_MIN_LETTERS - 1, 60)
LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Words that say nothing about which model: "cheap vision model" is about the
# first two. Dropped unless the query has nothing else.
FILLER = frozenset({"model", "models", "llm", "llms", "a", "an", "the", "for", "with"})

# Words of a name that mark a release rather than a family: "Gemini 2.5 Flash
# Preview 05-20" is a Gemini Flash, "DeepSeek V3 0324" a DeepSeek.
RELEASE_WORDS = frozenset(
    {"preview", "exp", "experimental", "beta", "latest", "instruct", "it", "chat"}
)
# "(free)", "(thinking)", "(self-moderated)", "(2024-11-20)": a variant or a date.
PARENTHESES = re.compile(r"\([^)]*\)")

# Price bands as words, USD per million input / output tokens.
CHEAP = (Decimal("0.5"), Decimal("2"))
LONG_CONTEXT = 200_000
MODALITY_WORDS = {
    ("in", "image"): "vision image images multimodal",
    ("in", "file"): "file files pdf",
    ("in", "audio"): "audio speech",
    ("in", "video"): "video",
    ("out", "image"): "image images generation",
    ("out", "audio"): "audio speech",
    ("out", "embeddings"): "embedding embeddings",
}
PARAMETER_WORDS = {
    "tools": "tools tool function calling",
    "reasoning": "reasoning thinking",
    "include_reasoning": "reasoning thinking",
    "structured_outputs": "structured json",
    "response_format": "json",
    "web_search_options": "web search",
}


def fold(text: str) -> str:
    """Lower case without accents: "Mistral Médium" -> "mistral medium"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def squash(text: str) -> str:
    """Letters and digits only: "OpenAI: GPT-4o" -> "openaigpt4o"."""
    return "".join(WORD.findall(fold(text)))


def runs(text: str) -> set[str]:
    """Every squashed run from a word boundary on: "GPT-4o" -> gpt4o, 4o, o."""
    pieces = PIECE.findall(fold(text))
    return {"".join(pieces[i:])[:MAX_RUN] for i in range(len(pieces))}


def spaced(values: Iterable[str]) -> str:
    """ " a b c ": each value with a space before it (and after the last), so a
    LIKE '% x%' is a word start and '% x %' a whole value."""
    ordered = sorted(v for v in set(values) if v)
    return f" {' '.join(ordered)} " if ordered else ""


@dataclass(frozen=True)
class SearchDocument:
    aliases: str
    names: str
    text: str
    terms: frozenset[str]
    family: str


def model_document(model: Any, author_slug: str, author_name: str) -> SearchDocument:
    """The search keys of a model (a LanguageModel, or a migration's copy of it)."""
    slug, canonical = model.slug, model.canonical_slug or ""
    name = model.name or ""
    short_name = name.split(": ", 1)[1] if ": " in name else name
    whole = [slug, slug.split("/", 1)[-1], canonical, canonical.split("/", 1)[-1]]
    aliases = {squash(v)[: MAX_RUN * 2] for v in [*whole, name, short_name]}
    names: set[str] = set()
    for value in (slug, canonical, name, author_slug, author_name):
        names |= runs(value)
    names = {run for run in names if not _covered(run, names)}
    text = WORD.findall(fold(model.description or ""))[:MAX_TEXT_WORDS]
    text += facet_words(model).split()
    words = {
        w for v in (slug, name, author_slug, author_name) for w in WORD.findall(fold(v))
    }
    return SearchDocument(
        aliases=spaced(aliases),
        names=spaced(names),
        text=f" {' '.join(text)} " if text else "",
        terms=frozenset(t for t in words | aliases | set(text) if _term_length(t)),
        family=model_family(name, author_slug),
    )


def model_family(name: str, author_slug: str) -> str:
    """The family a model's name belongs to: its author and the name's words that
    are no version, size, date or release stage ("Google: Gemini 2.5 Flash Preview
    05-20" -> "google/gemini flash"); a name of versions only keeps its first word
    ("DeepSeek: R1" -> "deepseek/r1")."""
    short = name.split(": ", 1)[1] if ": " in name else name
    words = WORD.findall(fold(PARENTHESES.sub(" ", short)))
    kept = [_family_word(w) for w in words if w not in RELEASE_WORDS]
    family = " ".join(w for w in kept if w) or " ".join(words[:1])
    return f"{fold(author_slug)}/{family}"[:200]


def _family_word(word: str) -> str:
    """A word as a family reads it: letters whole; a version glued to a name keeps
    the name ("qwen3" -> "qwen", "gpt" of "gpt-4o"), a bare version nothing ("v3",
    "r1", "27b")."""
    if word.isalpha():
        return word
    letters = re.match(r"[a-z]*", word)
    name = letters.group() if letters else ""
    return name if len(name) >= 2 else ""


def _covered(run: str, runs_: set[str]) -> bool:
    # A run that starts a longer one is found through it: keep the key short.
    return any(other != run and other.startswith(run) for other in runs_)


def _term_length(term: str) -> bool:
    return TERM_LENGTHS[0] <= len(term) <= TERM_LENGTHS[1]


def facet_words(model: Any) -> str:
    """Words for what a model can do and what it costs, as people search for them."""
    words = []
    for direction, modalities in (
        ("in", model.input_modalities),
        ("out", model.output_modalities),
    ):
        for modality in modalities if isinstance(modalities, list) else []:
            words.append(MODALITY_WORDS.get((direction, str(modality)), ""))
    parameters = model.supported_parameters
    for parameter in parameters if isinstance(parameters, list) else []:
        words.append(PARAMETER_WORDS.get(str(parameter), ""))
    words.append(_price_words(model))
    if (model.context_length or 0) >= LONG_CONTEXT:
        words.append("long context")
    if model.hugging_face_id:
        words.append("open weights source opensource")
    return " ".join(dict.fromkeys(" ".join(words).split()))


def _price_words(model: Any) -> str:
    prompt, completion = model.price_prompt, model.price_completion
    if model.is_variable_price or prompt is None or completion is None:
        return ""
    prompt, completion = Decimal(prompt), Decimal(completion)
    if prompt == 0 and completion == 0:
        return "free cheap"
    if prompt <= CHEAP[0] and completion <= CHEAP[1]:
        return "cheap"
    return ""


@dataclass(frozen=True)
class QueryWord:
    """One word of a query: squashed for the names, in parts for the text."""

    key: str
    parts: tuple[str, ...]

    @property
    def letters(self) -> int:
        return sum(c.isalpha() for c in self.key)


@dataclass(frozen=True)
class ParsedQuery:
    whole: str  # the query squashed: the exact and prefix tiers compare it
    words: tuple[QueryWord, ...]

    def __bool__(self) -> bool:
        return bool(self.words)


def query_parse(q: str) -> ParsedQuery:
    """A query as words: split on spaces, each folded and squashed; filler words
    dropped when others remain. "GPT-4o mini" -> gpt4o, mini."""
    words = []
    for raw in fold(q).split():
        parts = tuple(WORD.findall(raw))
        if parts:
            words.append(QueryWord("".join(parts)[:MAX_RUN], parts))
    kept = [w for w in words if w.key not in FILLER] or words
    kept = list(dict.fromkeys(kept))[:MAX_QUERY_WORDS]
    whole = "".join(w.key for w in kept)[: MAX_RUN * 2]
    return ParsedQuery(whole=whole, words=tuple(kept))


def one_edit(word: str) -> set[str]:
    """Every string one edit (delete, swap, replace or insert a letter) from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {
        a + c + b[1:] for a, b in splits if b and b[0].isalpha() for c in LETTERS
    }
    inserts = {a + c + b for a, b in splits for c in LETTERS}
    return (deletes | swaps | replaces | inserts) - {word}
