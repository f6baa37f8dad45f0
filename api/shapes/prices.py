"""A model's offers (routed and direct) and the cost of a workload."""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired

from pydantic import Field
from typing_extensions import TypeAliasType, TypedDict

from api.shapes.common import (
    IsoDate,
    IsoDateTime,
    Price,
    PublicServiceTier,
    Quantization,
)
from api.shapes.models import PageLinks

OfferPrices = Annotated[
    dict[str, Price],
    Field(
        description="USD per token (or per request, image, search) by OpenRouter's "
        "price keys, as decimal strings exact to the source's text"
    ),
]


class OfferTier(TypedDict):
    """A long-context price tier, in OpenRouter's `pricing.overrides` form."""

    min_prompt_tokens: Annotated[
        int, Field(description="Applies to prompts of more than this many tokens")
    ]


class OfferMode(TypedDict):
    """A service tier the source prices apart (batch, priority, flex)."""

    pricing: OfferPrices
    overrides: NotRequired[list[dict[str, Any]]]


class OfferLimits(TypedDict):
    max_input_tokens: int | None
    max_output_tokens: int | None


class Offer(TypedDict):
    """One way to buy a model: routed through OpenRouter (an endpoint), or
    straight from a provider at its list price (LiteLLM's price map)."""

    source: Annotated[
        Literal["openrouter", "litellm"],
        Field(description="Where the offer comes from"),
    ]
    provider: Annotated[str, Field(description="The provider, as the source names it")]
    key: Annotated[str, Field(description="The source's own key for the offer")]
    pricing: OfferPrices
    tiers: Annotated[
        list[dict[str, Any]] | None,
        Field(description="Price tiers as OpenRouter's pricing.overrides; null: none"),
    ]
    modes: Annotated[
        dict[str, OfferMode],
        Field(description="Service tiers priced apart: batch, priority, flex"),
    ]
    limits: OfferLimits
    deprecation_date: IsoDate | None
    successor: Annotated[
        str | None,
        Field(
            description="The successor the source names: a catalogue id when "
            "matched, else the source's own name"
        ),
    ]
    as_of: Annotated[
        IsoDateTime | None, Field(description="When the source last confirmed it")
    ]
    source_url: Annotated[str | None, Field(description="The provider's price page")]
    match: Annotated[
        Literal["endpoint", "exact", "alias", "rule"],
        Field(
            description="How the offer was tied to the model: `endpoint` for "
            "OpenRouter's own, else by exact id, an alias or a rule"
        ),
    ]
    match_rule: Annotated[str, Field(description="What the matching rules did")]


class OfferList(TypedDict):
    data: list[Offer]


# ---------------------------------------------------------------- costs


class TierPrice(TypedDict):
    """What priced a share of one cost part: the base price, or the price tiers
    (pricing.overrides entries) that applied."""

    tier: Annotated[
        str | None,
        Field(
            description="The tier's conditions, e.g. \"prompts over 200,000 "
            'tokens"; null for the base price.'
        ),
    ]
    overrides: Annotated[
        list[int],
        Field(description="The pricing.overrides entries that applied, by index."),
    ]
    price: Annotated[
        str,
        Field(
            description="The price key billed (a fallback's when the part's own "
            "is not listed, e.g. prompt for cache writes)."
        ),
    ]
    share: Annotated[str, Field(description="The share of requests, 0 to 1.")]
    usd_per_month: Price


class CostPart(TypedDict):
    """One price component's monthly cost, and what priced it."""

    usd_per_month: Price
    priced_by: list[TierPrice]


class Cost(TypedDict):
    """A monthly cost (30 days): "priced" with its total and parts, else "variable"
    (a router) or "unknown" with nulls, never zero."""

    status: Literal["priced", "variable", "unknown"]
    usd_per_month: Price | None
    parts: Annotated[
        dict[str, CostPart] | None,
        Field(
            description="The monthly cost of each price component, and which tier "
            "priced it."
        ),
    ]


class DirectCost(Cost):
    """The cheapest direct offer of a model (a provider's list price)."""

    provider: str
    provider_name: str
    key: Annotated[str, Field(description="The price map's key of the offer")]


class ModelCost(Cost):
    id: str
    name: str
    direct: NotRequired[
        Annotated[
            DirectCost | None,
            Field(
                description="With source=direct or all: the cheapest direct offer "
                "(null: none); the list stays ordered by the routed cost."
            ),
        ]
    ]


class EndpointCost(Cost):
    source: Annotated[
        Literal["openrouter", "litellm"],
        Field(
            description="openrouter: a routed endpoint; litellm: the provider's own "
            "list price (`tag` is then the price map's key)"
        ),
    ]
    provider: str
    provider_name: str
    tag: str
    quantization: Quantization
    service_tier: Annotated[
        PublicServiceTier,
        Field(
            description="The provider's service tier that priced this row (null: "
            "standard); with service_tier=cheapest, its cheapest."
        ),
    ]


WorkloadParams = Annotated[
    dict[str, str],
    Field(description="The workload costed, as query parameters (preset's filled in)."),
]


class ModelCostList(TypedDict):
    """GET /cost: a workload's cost on every model, cheapest first."""

    workload: WorkloadParams
    data: list[ModelCost]
    links: PageLinks
    total_count: int


class EndpointCostList(TypedDict):
    """GET /cost?model=: a workload's cost on each of one model's providers."""

    workload: WorkloadParams
    model: ModelCost
    data: list[EndpointCost]


CostResponse = TypeAliasType("CostResponse", ModelCostList | EndpointCostList)
