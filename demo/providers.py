"""A fixed, plausible provider catalogue and which providers serve which authors;
names spelt as upstream spells them (its spec's ProviderName list)."""

from __future__ import annotations

from typing import Any, NamedTuple


class Provider(NamedTuple):
    """One upstream provider as listed by /api/v1/providers."""

    name: str
    slug: str
    domain: str
    headquarters: str | None
    datacenters: tuple[str, ...]


PROVIDERS: tuple[Provider, ...] = (
    Provider("OpenAI", "openai", "openai.com", "US", ("US", "IE")),
    Provider("Azure", "azure", "azure.microsoft.com", "US", ("US", "SE", "JP")),
    Provider("Anthropic", "anthropic", "anthropic.com", "US", ("US",)),
    Provider("Amazon Bedrock", "amazon-bedrock", "aws.amazon.com", "US", ("US", "DE")),
    Provider("Google", "google-vertex", "cloud.google.com", "US", ("US", "BE", "SG")),
    Provider("Google AI Studio", "google-ai-studio", "ai.google.dev", "US", ("US",)),
    Provider("xAI", "xai", "x.ai", "US", ("US",)),
    Provider("Mistral", "mistral", "mistral.ai", "FR", ("FR", "SE")),
    Provider("Cohere", "cohere", "cohere.com", "CA", ("US", "CA")),
    Provider("DeepSeek", "deepseek", "deepseek.com", "CN", ("CN",)),
    Provider("Alibaba", "alibaba", "alibabacloud.com", "CN", ("CN", "SG")),
    Provider("Moonshot AI", "moonshotai", "moonshot.ai", "CN", ("CN",)),
    Provider("Z.AI", "z-ai", "z.ai", "CN", ("CN", "SG")),
    Provider("Minimax", "minimax", "minimax.io", "CN", ("CN",)),
    Provider("Perplexity", "perplexity", "perplexity.ai", "US", ("US",)),
    Provider("Liquid", "liquid", "liquid.ai", "US", ("US",)),
    Provider("Lambda", "lambda", "lambda.ai", "US", ("US",)),
    Provider("DeepInfra", "deepinfra", "deepinfra.com", "US", ("US",)),
    Provider("Together", "together", "together.ai", "US", ("US",)),
    Provider("Fireworks", "fireworks", "fireworks.ai", "US", ("US",)),
    Provider("Groq", "groq", "groq.com", "US", ("US", "FI")),
    Provider("Novita", "novita", "novita.ai", "US", ("US", "SG")),
    Provider("Parasail", "parasail", "parasail.io", "US", ("US",)),
    Provider("Nebius", "nebius", "nebius.com", "NL", ("FI", "NL")),
    Provider("Chutes", "chutes", "chutes.ai", "US", ("US",)),
    Provider("Cerebras", "cerebras", "cerebras.ai", "US", ("US", "CA")),
    Provider("SambaNova", "sambanova", "sambanova.ai", "US", ("US",)),
    Provider("Hyperbolic", "hyperbolic", "hyperbolic.xyz", "US", ("US",)),
    Provider("Friendli", "friendli", "friendli.ai", "KR", ("US", "KR")),
    Provider("BaseTen", "baseten", "baseten.co", "US", ("US",)),
    Provider("AtlasCloud", "atlas-cloud", "atlascloud.ai", "SG", ("US", "SG")),
    Provider("GMICloud", "gmicloud", "gmicloud.ai", "US", ("US", "TW")),
    Provider("NextBit", "nextbit", "nextbit256.com", "US", ("US",)),
    Provider("InferenceNet", "inference-net", "inference.net", "US", ("US",)),
    Provider("Cloudflare", "cloudflare", "cloudflare.com", "US", ("US", "DE")),
    Provider("Featherless", "featherless", "featherless.ai", "US", ("US",)),
    Provider("Mancer 2", "mancer", "mancer.tech", "US", ("US",)),
    Provider("Infermatic", "infermatic", "infermatic.ai", "US", ("US",)),
    Provider("Venice", "venice", "venice.ai", "US", ("US",)),
)

BY_SLUG: dict[str, Provider] = {p.slug: p for p in PROVIDERS}

# Closed-weight authors are only served by their own (or a cloud partner's) API.
CLOSED_AUTHORS: dict[str, tuple[str, ...]] = {
    "openai": ("openai", "azure"),
    "anthropic": ("anthropic", "google-vertex", "amazon-bedrock"),
    "google": ("google-vertex", "google-ai-studio"),
    "x-ai": ("xai",),
    "perplexity": ("perplexity",),
    "cohere": ("cohere",),
    "amazon": ("amazon-bedrock",),
}

# Open-weight authors that also run a first-party API, listed first on their models.
FIRST_PARTY: dict[str, str] = {
    "mistralai": "mistral",
    "deepseek": "deepseek",
    "qwen": "alibaba",
    "moonshotai": "moonshotai",
    "z-ai": "z-ai",
    "minimax": "minimax",
    "liquid": "liquid",
}

# Hosts of open-weight models, in no particular order.
OPEN_HOSTS: tuple[str, ...] = (
    "deepinfra", "together", "fireworks", "groq", "novita", "parasail", "nebius",
    "chutes", "cerebras", "sambanova", "hyperbolic", "friendli", "baseten",
    "atlas-cloud", "gmicloud", "nextbit", "inference-net", "cloudflare",
    "featherless", "mancer", "infermatic", "venice", "lambda",
)  # fmt: skip


def provider_json(provider: Provider) -> dict[str, Any]:
    """Render a provider the way /api/v1/providers does."""
    base = f"https://{provider.domain}"
    return {
        "name": provider.name,
        "slug": provider.slug,
        "privacy_policy_url": f"{base}/privacy",
        "terms_of_service_url": f"{base}/terms",
        "status_page_url": f"https://status.{provider.domain}",
        "headquarters": provider.headquarters,
        "datacenters": list(provider.datacenters),
    }


def providers_payload() -> dict[str, Any]:
    """Return the full /api/v1/providers body."""
    return {"data": [provider_json(p) for p in PROVIDERS]}
