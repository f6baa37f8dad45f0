"""Which catalogue model a direct provider's price entry is for: explicit,
reviewable rules over LiteLLM's keys, never a fuzzy guess. Pure Python.

An entry's key is read in steps: the provider's prefix and any region or
commitment segments go (`azure/eu/gpt-4o`, `bedrock/us-east-1/...`), a Bedrock
key loses its geography and version (`us.anthropic.claude-3-5-haiku-20241022-v1:0`),
a Vertex key its `@version`. What is left names the model; the model's author is
the provider itself when it is the maker, else what the name or the Bedrock vendor
says. Then, in order, the first of these that is a catalogue id wins:

1. an alias (ALIASES below, or an editor's in the admin) - `alias`;
2. the name as it is - `exact` (`openai/gpt-4o`);
3. the name with its version's dashes as dots (`claude-3-5-sonnet` is
   `claude-3.5-sonnet`), Azure's `gpt-35` as `gpt-3.5` - `rule`;
4. without `-latest`, or without a date suffix (`-20240620`, `-2024-08-06`,
   `-05-06`), then with dots again - `rule`; unless the same provider lists the
   undated model itself (its price may differ from the snapshot's).

A candidate can name two models (one's id, another's canonical slug): the entry
is then left unmatched with both named, never matched to either silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# Providers that are the maker of the models they list -> the maker's author id.
MAKERS = {
    "openai": "openai",
    "text-completion-openai": "openai",
    "anthropic": "anthropic",
    "gemini": "google",
    "vertex_ai-language-models": "google",
    "mistral": "mistralai",
    "codestral": "mistralai",
    "deepseek": "deepseek",
    "xai": "x-ai",
    "cohere_chat": "cohere",
    "cohere": "cohere",
    "perplexity": "perplexity",
    "ai21": "ai21",
    "moonshot": "moonshotai",
    "minimax": "minimax",
    "zai": "z-ai",
}
# Providers that resell one maker's models.
RESELLERS = {
    "vertex_ai-anthropic_models": "anthropic",
    "vertex_ai-mistral_models": "mistralai",
    "vertex_ai-llama_models": "meta-llama",
    "vertex_ai-deepseek_models": "deepseek",
}
# Bedrock's `vendor.model` forms -> the catalogue's author.
BEDROCK_VENDORS = {
    "anthropic": "anthropic",
    "meta": "meta-llama",
    "mistral": "mistralai",
    "amazon": "amazon",
    "deepseek": "deepseek",
    "cohere": "cohere",
    "ai21": "ai21",
    "qwen": "qwen",
    "openai": "openai",
    "writer": "writer",
    "moonshotai": "moonshotai",
    "minimax": "minimax",
}
BEDROCK = ("bedrock", "bedrock_converse")
# A model's name tells its author when the provider is no maker (Azure, Groq, …).
NAME_AUTHORS = (
    ("gpt-", "openai"),
    ("chatgpt-", "openai"),
    ("o1", "openai"),
    ("o3", "openai"),
    ("o4", "openai"),
    ("codex-", "openai"),
    ("claude-", "anthropic"),
    ("gemini-", "google"),
    ("gemma-", "google"),
    ("mistral-", "mistralai"),
    ("mixtral-", "mistralai"),
    ("codestral", "mistralai"),
    ("ministral-", "mistralai"),
    ("pixtral-", "mistralai"),
    ("magistral-", "mistralai"),
    ("devstral-", "mistralai"),
    ("deepseek-", "deepseek"),
    ("grok-", "x-ai"),
    ("llama-", "meta-llama"),
    ("command-", "cohere"),
    ("qwen", "qwen"),
    ("kimi-", "moonshotai"),
)
# Organisations in a key's path (`deepinfra/deepseek-ai/DeepSeek-R1`) -> author.
ORGS = {
    "deepseek-ai": "deepseek",
    "meta-llama": "meta-llama",
    "mistralai": "mistralai",
    "qwen": "qwen",
    "google": "google",
    "anthropic": "anthropic",
    "openai": "openai",
    "moonshotai": "moonshotai",
}
# Keys whose model no rule can find: LiteLLM key -> catalogue id. Reviewed by hand;
# editors add more in the admin (Direct aliases).
ALIASES: dict[str, str] = {
    "deepseek-reasoner": "deepseek/deepseek-r1",
    "deepseek/deepseek-reasoner": "deepseek/deepseek-r1",
    "gemini/gemini-1.5-pro": "google/gemini-pro-1.5",
    "gemini-1.5-pro": "google/gemini-pro-1.5",
    "gemini/gemini-1.5-flash": "google/gemini-flash-1.5",
    "gemini-1.5-flash": "google/gemini-flash-1.5",
    "gemini/gemini-1.5-flash-8b": "google/gemini-flash-1.5-8b",
    "mistral/open-mistral-nemo": "mistralai/mistral-nemo",
    "mistral/open-mistral-7b": "mistralai/mistral-7b-instruct",
    "mistral/open-mixtral-8x7b": "mistralai/mixtral-8x7b-instruct",
    "mistral/open-mixtral-8x22b": "mistralai/mixtral-8x22b-instruct",
    "mistral/open-codestral-mamba": "mistralai/codestral-mamba",
    "mistral/pixtral-12b-2409": "mistralai/pixtral-12b",
}

_GEO = re.compile(r"^(us|eu|apac|global|jp|au|ca|us-gov)\.")
_BEDROCK_VERSION = re.compile(r"(-v\d+(:\d+)?|:\d+)$")
_VERTEX_VERSION = re.compile(r"@[\w.-]+$")
# Snapshot dates: OpenAI's and Anthropic's (-2024-08-06, -20240620), Google's
# (-05-06, -09-2025). Mistral's -2411 is a release of its own, not a date.
_DATE = re.compile(r"-(\d{8}|\d{4}-\d{2}-\d{2}|\d{2}-\d{2}|\d{2}-\d{4})$")
_DOTS = re.compile(r"(?<=\b\d)-(?=\d\b)")


@dataclass(frozen=True)
class Match:
    """How an entry was matched: `how` is exact, alias or rule ("" when it was
    not), `rule` what the rules did or why nothing matched."""

    model: str | None
    how: str
    rule: str


def split_key(key: str, provider: str) -> tuple[str, str, list[str]]:
    """(author, name, what was read off the key) of one entry's key."""
    done: list[str] = []
    parts = [p for p in key.split("/") if p]
    name = parts[-1] if parts else key
    org = ORGS.get(parts[-2].lower()) if len(parts) > 2 else None
    author = MAKERS.get(provider) or RESELLERS.get(provider) or org or ""
    if provider in BEDROCK:
        name, vendor = _bedrock(name, done)
        author = BEDROCK_VENDORS.get(vendor, "")
    if provider.startswith("vertex_ai") and _VERTEX_VERSION.search(name):
        name = _VERTEX_VERSION.sub("", name)
        done.append("Vertex @version")
    if provider.startswith("azure") and name.startswith("gpt-35"):
        name = "gpt-3.5" + name.removeprefix("gpt-35")
        done.append("Azure deployment name")
    if not author:
        lowered = name.lower()
        author = next((a for p, a in NAME_AUTHORS if lowered.startswith(p)), "")
    return author, name.lower(), done


def _bedrock(name: str, done: list[str]) -> tuple[str, str]:
    """A Bedrock model id without geography and version, and its vendor."""
    if _GEO.match(name):
        name = _GEO.sub("", name)
        done.append("Bedrock region")
    vendor, dot, rest = name.partition(".")
    if not dot:
        return name, ""
    done.append("Bedrock vendor")
    if _BEDROCK_VERSION.search(rest):
        rest = _BEDROCK_VERSION.sub("", rest)
        done.append("Bedrock version")
    return rest, vendor


def candidates(name: str) -> list[tuple[str, list[str]]]:
    """The names to try, in order, each with the rules that made it."""
    found: list[tuple[str, list[str]]] = [(name, [])]
    dotted = _DOTS.sub(".", name)
    if dotted != name:
        found.append((dotted, ["version dots"]))
    for pattern, rule in ((r"-latest$", "-latest"), (_DATE.pattern, "date suffix")):
        base = re.sub(pattern, "", name)
        if base != name and base:
            found.append((base, [f"{rule} dropped"]))
            if (dotted := _DOTS.sub(".", base)) != base:
                found.append((dotted, [f"{rule} dropped", "version dots"]))
    return found


def match_entry(
    key: str,
    provider: str,
    ids: Mapping[str, frozenset[str]],
    aliases: Mapping[str, str],
) -> Match:
    """The catalogue model of one entry. `ids` maps every id and canonical slug of
    the catalogue to the models answering to it; `aliases` maps keys to ids (the
    code's and the admin's)."""
    if key in aliases:
        target = aliases[key]
        if target in ids:
            return _found(ids[target], "alias", f"alias of {key}")
        return Match(None, "", f"alias to {target}, not in the catalogue")
    if key.startswith("ft:") or "/ft:" in key:
        return Match(None, "", "fine-tuning price: no catalogue model")
    author, name, done = split_key(key, provider)
    if not author:
        return Match(None, "", "no author known for this provider or name")
    for candidate, rules in candidates(name):
        found = ids.get(f"{author}/{candidate}")
        if found:
            steps = [*done, *rules]
            return _found(found, "rule" if steps else "exact", ", ".join(steps))
    return Match(None, "", f"no catalogue model {author}/{name}")


def _found(models: frozenset[str], how: str, rule: str) -> Match:
    if len(models) > 1:
        return Match(None, "", f"ambiguous: {', '.join(sorted(models))}")
    return Match(next(iter(models)), how, rule)


def catalogue_ids(models: list[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """From (id, canonical slug) pairs: every name -> the models answering to it
    (two of them: the entry matches neither, see match_entry)."""
    ids: dict[str, set[str]] = {}
    for slug, canonical in models:
        for name in {slug, canonical} - {""}:
            ids.setdefault(name, set()).add(slug)
    return {name: frozenset(found) for name, found in ids.items()}
