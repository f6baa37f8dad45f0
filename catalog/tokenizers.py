"""Upstream's tokenizer names (its `ModelGroup`) and the model family each belongs
to. OpenRouter documents its `arch` filter as a model family ("GPT, Claude,
Gemini, Llama"), while a model carries the tokenizer's name, which may hold a
generation (Llama3, Qwen3): the filter matches either, in any case."""

from __future__ import annotations

import re

# Tokenizer name -> family, where the two differ. Every other name is its own
# family, but for a generation number at its end (a new "Llama5" is a Llama).
FAMILIES: dict[str, str] = {
    "Llama2": "Llama",
    "Llama3": "Llama",
    "Llama4": "Llama",
    "Qwen3": "Qwen",
}
_GENERATION = re.compile(r"(?<=[A-Za-z])\d+$")


def family_of(tokenizer: str) -> str:
    """The model family of a tokenizer name ("Llama3" -> "Llama")."""
    return FAMILIES.get(tokenizer) or _GENERATION.sub("", tokenizer)


def tokenizers_of(arch: str, known: list[str]) -> list[str]:
    """The tokenizer names among `known` that `arch` names, in any case: a family
    (every generation of it) or one tokenizer."""
    wanted = arch.strip().lower()
    return [t for t in known if wanted in (t.lower(), family_of(t).lower())]
