"""What a query asks beyond names: an order ("long context", "cheap", "fast"), a
filter ("free", "vision"), or a kind of model ("embedding", "image generation").

Pure Python (no ORM): catalog.search.selectors applies an intent to the matches of
the words left, and the list page says in words what it did ("sorted by context,
largest first"). Ids and words glued to punctuation (`gpt-4o:free`) are names,
never intent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog.search.keys import FILLER, fold

# Orders, best first: what the list sorts the matches by, and how it says so.
SORTS = {
    "context": "sorted by context, largest first",
    "price": "sorted by input price, lowest first (free models left out)",
    "throughput": "sorted by throughput, fastest first",
}
# Kinds of model by what they put out (upstream's output modalities), and how
# they are called.
KINDS = {
    "embeddings": (("embeddings",), "embedding models"),
    "image": (("image",), "image generation models"),
    "video": (("video",), "video generation models"),
    "speech": (("speech", "audio"), "text-to-speech models"),
    "transcription": (("transcription",), "transcription (speech-to-text) models"),
    "rerank": (("rerank",), "reranking models"),
}

# Kinds kept in catalogues of their own (the list's `kind` filter), by the
# intent's kind.
LISTED_APART = {"embeddings": "embeddings", "image": "images", "video": "videos"}

# Phrases (as folded words) and what each asks; the longest phrase wins.
PHRASES: dict[tuple[str, ...], tuple[str, str]] = {
    **{
        words: ("sort", "context")
        for words in (
            ("long", "context"),
            ("longest", "context"),
            ("large", "context"),
            ("largest", "context"),
            ("big", "context"),
            ("longcontext",),
        )
    },
    **{
        (word,): ("sort", "price")
        for word in ("cheap", "cheapest", "cheaper", "inexpensive", "affordable")
    },
    **{(word,): ("sort", "throughput") for word in ("fast", "fastest", "faster")},
    ("free",): ("filter", "free"),
    ("vision",): ("filter", "vision"),
    ("multimodal",): ("filter", "vision"),
    ("image", "input"): ("filter", "vision"),
    **{
        words: ("kind", "embeddings")
        for words in (("embedding",), ("embeddings",), ("embed",))
    },
    **{
        words: ("kind", "image")
        for words in (
            ("image", "generation"),
            ("image", "generator"),
            ("image", "gen"),
            ("generate", "images"),
            ("text", "to", "image"),
        )
    },
    **{
        words: ("kind", "video")
        for words in (
            ("video", "generation"),
            ("video", "generator"),
            ("text", "to", "video"),
        )
    },
    **{
        words: ("kind", "speech")
        for words in (("text", "to", "speech"), ("tts",), ("speech", "synthesis"))
    },
    **{
        words: ("kind", "transcription")
        for words in (("transcription",), ("speech", "to", "text"), ("transcribe",))
    },
    **{
        words: ("kind", "rerank")
        for words in (("rerank",), ("reranker",), ("reranking",))
    },
}
LONGEST = max(len(words) for words in PHRASES)


@dataclass(frozen=True)
class Intent:
    """A query read for intent: the words left to match by name (`q`), and what
    the others asked."""

    q: str
    sort: str = ""
    filters: frozenset[str] = field(default_factory=frozenset)
    kind: str = ""

    def __bool__(self) -> bool:
        return bool(self.sort or self.filters or self.kind)

    @property
    def output_modalities(self) -> tuple[str, ...]:
        return KINDS[self.kind][0] if self.kind else ()

    def said(self, *, sorted_here: bool = True, found: int | None = None) -> str:
        """What the intent did, in words (a kind held by no model: that it is
        none); `sorted_here` False when another order was chosen instead."""
        if self.kind and found == 0:
            if self.kind in LISTED_APART:
                return f"No chat model is one of the {KINDS[self.kind][1]}."
            return f"This board holds no {KINDS[self.kind][1]}."
        parts = []
        if self.kind:
            parts.append(f"{KINDS[self.kind][1]} only")
        if "free" in self.filters:
            parts.append("free models only")
        if "vision" in self.filters:
            parts.append("models that read images only")
        if self.sort and sorted_here:
            parts.append(SORTS[self.sort])
        return "; ".join(parts).capitalize() + "." if parts else ""


def intent_parse(q: str) -> Intent:
    """Split `q` into its intent phrases and the words left to match."""
    raw = fold(q).split()
    words = [_plain(w) for w in raw]
    left: list[str] = []
    sort, kind, filters = "", "", set()
    i = 0
    while i < len(words):
        found = _phrase_at(words, i)
        if found is None:
            left.append(raw[i])
            i += 1
            continue
        length, (what, value) = found
        if what == "sort":
            sort = sort or value
        elif what == "kind":
            kind = kind or value
        else:
            filters.add(value)
        i += length
    if sort or kind or filters:
        # "long context model": nothing is left to name a model by.
        left = [w for w in left if _plain(w) not in FILLER]
    return Intent(" ".join(left), sort, frozenset(filters), kind)


def _plain(word: str) -> str:
    # A word with punctuation inside (an id, "gpt-4o:free") is a name: no phrase
    # matches it. Trailing punctuation ("cheap,") is not inside.
    stripped = word.strip(".,;!?\"'()")
    return stripped if stripped.isalnum() else ""


def _phrase_at(words: list[str], i: int) -> tuple[int, tuple[str, str]] | None:
    for length in range(min(LONGEST, len(words) - i), 0, -1):
        meant = PHRASES.get(tuple(words[i : i + length]))
        if meant is not None:
            return length, meant
    return None
