"""Every /api/v1 JSON body, declared once as a TypedDict.

Serializers and views build these (mypy checks every key); the OpenAPI document's
component schemas are generated from them (api.openapi.schemas). TypedDicts are
plain dicts at run time, so a 30,000-model list costs what hand-built dicts cost.

Upstream's objects keep upstream's names (Model, PublicEndpoint, Provider, …) and
descriptions; our additions sit in one `modelboard` object per item. What we pass
through as upstream sent it refers to upstream's schema (UpstreamSchema), and its
vocabularies stay open strings (OpenVocabulary)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired

from pydantic import Field, WithJsonSchema
from typing_extensions import TypeAliasType, TypedDict

from api.upstream import OpenKeys, OpenVocabulary, UpstreamSchema

# ---------------------------------------------------------------- values

IsoDateTime = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
IsoDate = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]
Price = Annotated[str, Field(description="USD, as a decimal string")]

ModelGroup = TypeAliasType(
    "ModelGroup", Annotated[str | None, OpenVocabulary("ModelGroup")]
)
ProviderName = TypeAliasType(
    "ProviderName", Annotated[str | None, OpenVocabulary("ProviderName")]
)
Quantization = TypeAliasType(
    "Quantization", Annotated[str | None, OpenVocabulary("Quantization")]
)
InstructType = TypeAliasType(
    "InstructType", Annotated[str | None, OpenVocabulary("InstructType")]
)
InputModality = TypeAliasType(
    "InputModality", Annotated[str | None, OpenVocabulary("InputModality")]
)
OutputModality = TypeAliasType(
    "OutputModality", Annotated[str | None, OpenVocabulary("OutputModality")]
)
PublicServiceTier = TypeAliasType(
    "PublicServiceTier", Annotated[str | None, OpenVocabulary("PublicServiceTier")]
)
EndpointStatus = TypeAliasType(
    "EndpointStatus",
    Annotated[
        int,
        Field(
            description="0 when healthy, negative when degraded (upstream's status); "
            "left out when never sampled (the TypeScript SDK takes the key missing, "
            "not null)."
        ),
    ],
)
# Upstream's closed list of request parameters (its spec's enum).
Parameter = Annotated[str, OpenKeys("Parameter")]

# ---------------------------------------------------------------- our additions


class EditedField(TypedDict):
    """An editor's override of one field: upstream's value beside ours, why and
    when."""

    upstream_value: Annotated[Any, Field(description="Upstream's latest value.")]
    reason: str
    edited_at: IsoDateTime
    upstream_changed_at: Annotated[
        IsoDateTime | None,
        Field(description="When upstream changed this field since the edit."),
    ]


Edited = Annotated[
    dict[str, EditedField],
    Field(description="The fields an editor overrode, by name."),
]


class ModelboardModel(TypedDict):
    """modelboard's additions to a model."""

    edited: Edited
    first_seen_at: IsoDateTime
    updated_at: IsoDateTime
    delisted_at: IsoDateTime | None
    variable_price: Annotated[
        bool, Field(description="Priced by where each request lands (a router).")
    ]
    page_url: str
    price_history_url: str | None
    changes_url: str | None
    at: NotRequired[
        Annotated[IsoDate, Field(description="The day asked for, with ?at=.")]
    ]


class ModelboardEndpoint(TypedDict):
    """modelboard's additions to an endpoint."""

    edited: Edited
    provider_slug: str
    first_seen_at: IsoDateTime
    updated_at: IsoDateTime
    stats_polled_at: Annotated[
        IsoDateTime | None,
        Field(description="When the rolling stats were read; null if never."),
    ]
    uptime_definition: Annotated[
        Literal["requests", "minutes"] | None,
        Field(
            description="What the uptime figures mean: `requests`, the share of "
            "requests that succeeded (upstream's definition until 1 Sep 2026), or "
            "`minutes`, the share of minutes with at least 80% of attempts "
            "succeeding, counting minutes with 10 or more attempts (since); null "
            "if never read."
        ),
    ]
    zdr: Annotated[
        bool,
        Field(
            description="OpenRouter lists the endpoint as retaining no data "
            "(GET /endpoints/zdr)."
        ),
    ]


class ModelboardProvider(TypedDict):
    """modelboard's additions to a provider."""

    edited: Edited
    first_seen_at: IsoDateTime
    delisted_at: IsoDateTime | None


# ---------------------------------------------------------------- models


class ModelArchitecture(TypedDict):
    """Model architecture information"""

    modality: Annotated[str | None, Field(description="Primary modality of the model")]
    input_modalities: Annotated[
        list[InputModality], Field(description="Supported input modalities")
    ]
    output_modalities: Annotated[
        list[OutputModality], Field(description="Supported output modalities")
    ]
    tokenizer: NotRequired[
        Annotated[
            ModelGroup,
            Field(
                description="Left out when upstream gave none (the TypeScript SDK "
                "takes the key missing, not null)."
            ),
        ]
    ]
    instruct_type: InstructType


class ListEndpointsArchitecture(TypedDict):
    """A model's architecture in its endpoints list (both SDKs want every key here,
    the tokenizer null when unknown)."""

    modality: Annotated[str | None, Field(description="Primary modality of the model")]
    input_modalities: Annotated[
        list[InputModality], Field(description="Supported input modalities")
    ]
    output_modalities: Annotated[
        list[OutputModality], Field(description="Supported output modalities")
    ]
    tokenizer: ModelGroup
    instruct_type: InstructType


class PublicPricing(TypedDict, total=False):
    """Pricing information for the model. Prices not known are absent; a model's
    prompt and completion prices are "-1" then (no fixed price). Upstream's new
    price keys are passed through as they come."""

    prompt: Annotated[
        str, Field(description="Price in USD per token for prompt (input) processing")
    ]
    completion: Annotated[
        str,
        Field(description="Price in USD per token for completion (output) generation"),
    ]
    request: Annotated[str, Field(description="Price in USD per request")]
    image: Annotated[str, Field(description="Price in USD per input image")]
    image_token: Annotated[str, Field(description="Price in USD per image token")]
    image_output: Annotated[str, Field(description="Price in USD per output image")]
    audio: Annotated[str, Field(description="Price in USD per audio input token")]
    audio_output: Annotated[
        str, Field(description="Price in USD per audio output token")
    ]
    input_audio_cache: Annotated[
        str, Field(description="Price in USD per cached audio input token")
    ]
    web_search: Annotated[str, Field(description="Price in USD per web search")]
    internal_reasoning: Annotated[
        str, Field(description="Price in USD per internal reasoning token")
    ]
    input_cache_read: Annotated[
        str, Field(description="Price in USD per cached input token (read)")
    ]
    input_cache_write: Annotated[
        str,
        Field(
            description="Price per cache-write token, in USD per token. For "
            "providers with multiple cache TTLs (e.g. Anthropic), this is the "
            "default (5-minute) cache-write rate."
        ),
    ]
    input_cache_write_1h: Annotated[
        str,
        Field(
            description="Price per 1-hour cache-write token, in USD per token. Only "
            "present for providers that price an extended (1-hour) cache TTL "
            "separately, such as Anthropic."
        ),
    ]
    overrides: Annotated[
        list[Annotated[dict[str, Any], UpstreamSchema("PricingOverride")]],
        Field(
            description="Conditional overrides of the base pricing (e.g. "
            "long-context or time-based pricing), exactly as upstream sent them. "
            "An entry applies when all of its condition fields (min_prompt_tokens, "
            "the utc_start/utc_end time window, utc_days) match the request; among "
            "applicable entries, later entries win per key; price keys absent from "
            "an entry inherit the base price. Absent when upstream sent none."
        ),
    ]


class TopProviderInfo(TypedDict):
    """Information about the top provider for this model"""

    context_length: Annotated[
        int | None, Field(description="Context length from the top provider")
    ]
    max_completion_tokens: Annotated[
        int | None, Field(description="Maximum completion tokens from the top provider")
    ]
    is_moderated: Annotated[
        bool, Field(description="Whether the top provider moderates content")
    ]


class PerRequestLimits(TypedDict):
    """Per-request token limits"""

    prompt_tokens: Annotated[
        float, Field(description="Maximum prompt tokens per request")
    ]
    completion_tokens: Annotated[
        float, Field(description="Maximum completion tokens per request")
    ]


class ModelLinks(TypedDict):
    """Related API endpoints and resources for this model."""

    details: Annotated[
        str, Field(description="URL for the model details/endpoints API")
    ]


class UpstreamExtras(TypedDict, total=False):
    """Objects upstream sends for some models only, passed through as sent."""

    reasoning: Annotated[dict[str, Any], UpstreamSchema("ModelReasoning")]
    benchmarks: Annotated[dict[str, Any], UpstreamSchema("ModelBenchmarks")]
    alias_target: Annotated[dict[str, Any], UpstreamSchema("ModelAliasTarget")]


class Model(UpstreamExtras):
    """Information about an AI model available on OpenRouter, with modelboard's
    additions in `modelboard`."""

    id: Annotated[str, Field(description="Unique identifier for the model")]
    canonical_slug: Annotated[str, Field(description="Canonical slug for the model")]
    hugging_face_id: Annotated[
        str | None, Field(description="Hugging Face model identifier, if applicable")
    ]
    name: Annotated[str, Field(description="Display name of the model")]
    created: Annotated[
        int, Field(description="Unix timestamp of when the model was created")
    ]
    description: Annotated[str, Field(description="Description of the model")]
    context_length: Annotated[
        int | None, Field(description="Maximum context length in tokens")
    ]
    architecture: ModelArchitecture
    pricing: PublicPricing
    top_provider: TopProviderInfo
    per_request_limits: PerRequestLimits | None
    supported_parameters: Annotated[
        list[Parameter],
        Field(description="List of supported parameters for this model"),
    ]
    default_parameters: Annotated[dict[str, Any] | None, OpenKeys("DefaultParameters")]
    supported_voices: Annotated[
        list[str] | None,
        Field(
            description="List of supported voice identifiers for TTS models. Null "
            "for non-TTS models."
        ),
    ]
    knowledge_cutoff: Annotated[
        IsoDate | None,
        Field(
            description="The date up to which the model was trained on data. ISO "
            "8601 date string (YYYY-MM-DD) or null if unknown."
        ),
    ]
    expiration_date: Annotated[
        IsoDate | None,
        Field(
            description="The date after which the model may be removed. ISO 8601 "
            "date string (YYYY-MM-DD) or null if no expiration."
        ),
    ]
    links: ModelLinks
    modelboard: ModelboardModel


class PageLinks(TypedDict):
    next: Annotated[str | None, Field(description="The next page; null on the last.")]


class BoardModelList(TypedDict):
    """GET /models: the models, a page of them when asked for."""

    data: list[Model]
    links: PageLinks
    total_count: int


class BoardModelResponse(TypedDict):
    """OpenRouter's {data: Model}, plus OpenAI's top-level model fields (id,
    object, created, owned_by) so OpenAI SDKs' models.retrieve() works too."""

    data: Model
    id: str
    object: Literal["model"]
    created: int
    owned_by: str


class ModelCountData(TypedDict):
    count: Annotated[int, Field(ge=0)]


class ModelCount(TypedDict):
    data: ModelCountData


class Suggestion(TypedDict):
    id: str
    name: str
    author: str
    url: str


class SuggestionList(TypedDict):
    data: Annotated[list[Suggestion], Field(max_length=8)]


# ---------------------------------------------------------------- endpoints


class PercentileStats(TypedDict):
    """Latency percentiles in milliseconds over the last 30 minutes. Latency
    measures time to first token."""

    p50: Annotated[float, Field(description="Median (50th percentile)")]
    p75: Annotated[float, Field(description="75th percentile")]
    p90: Annotated[float, Field(description="90th percentile")]
    p99: Annotated[float, Field(description="99th percentile")]


class ToolChoiceSupport(TypedDict):
    """Per-variant `tool_choice` support. `tool_choice` in `supported_parameters`
    only says the parameter is accepted; these flags say which of its values passed
    testing."""

    auto: Annotated[
        bool,
        Field(description='Whether the endpoint supports `"tool_choice": "auto"`.'),
    ]
    none: Annotated[
        bool,
        Field(description='Whether the endpoint supports `"tool_choice": "none"`.'),
    ]
    required: Annotated[
        bool,
        Field(description='Whether the endpoint supports `"tool_choice": "required"`.'),
    ]
    function: Annotated[
        bool,
        Field(
            description="Whether the endpoint supports naming a function, "
            '`"tool_choice": {"type": "function", ...}`.'
        ),
    ]


class NativeTool(TypedDict):
    """The provider tool type a server tool is translated to."""

    type: str


class EndpointPricing(PublicPricing):
    """An endpoint's prices. Prices not known are absent."""

    discount: Annotated[
        float,
        Field(
            description="Fractional discount applied to this endpoint's pricing; the "
            "price is multiplied by (1 - discount) (0 = no discount, 1 = free)"
        ),
    ]


Uptime = Annotated[
    float | None,
    Field(
        description="Uptime percentage over the window, calculated as successful "
        "requests / (successful + error requests) * 100. Null if never sampled."
    ),
]


class PublicEndpoint(TypedDict):
    """Information about a specific model endpoint"""

    name: str
    model_id: Annotated[
        str, Field(description="The unique identifier for the model (permaslug)")
    ]
    model_name: str
    context_length: Annotated[
        int | None,
        Field(
            description="The endpoint's context; its model's when an editor cleared "
            "it, null when that is unknown too."
        ),
    ]
    pricing: EndpointPricing
    provider_name: ProviderName
    tag: str
    quantization: Quantization
    max_completion_tokens: int | None
    max_prompt_tokens: int | None
    supported_parameters: list[Parameter]
    status: NotRequired[EndpointStatus]
    uptime_last_5m: Uptime
    uptime_last_30m: Uptime
    uptime_last_1d: Uptime
    supports_implicit_caching: bool
    supports_diarization: Annotated[
        bool,
        Field(
            description="Whether this STT endpoint can label each transcript segment "
            "with a speaker (speaker diarization). False when the endpoint has not "
            "declared support."
        ),
    ]
    supports_voice_cloning: Annotated[
        bool,
        Field(
            description="Whether this TTS endpoint accepts inline reference audio "
            "(`input_references`) for stateless voice cloning."
        ),
    ]
    supports_image_reference: Annotated[
        bool,
        Field(
            description="Whether this TTS endpoint accepts an `image_url` reference "
            "describing the desired voice."
        ),
    ]
    supports_multiple_audio_references: Annotated[
        bool,
        Field(
            description="Whether this TTS endpoint accepts more than one "
            "`input_audio` reference clip per request."
        ),
    ]
    supports_tool_choice: ToolChoiceSupport
    native_tools: Annotated[
        dict[str, NativeTool],
        Field(
            description="The server tools this endpoint accepts as the provider's "
            "own built-in tool, keyed by canonical `openrouter:*` name. Empty when "
            "the provider has none."
        ),
    ]
    service_tier: PublicServiceTier
    latency_last_30m: PercentileStats | None
    throughput_last_30m: Annotated[
        PercentileStats | None,
        Field(
            description="Throughput percentiles in tokens per second over the last "
            "30 minutes."
        ),
    ]
    perf_last_30m_by_workload: NotRequired[
        Annotated[
            None,
            Field(
                description="Never sent: only the all-requests percentiles are "
                "polled, no per-workload figures (a null here fails the TypeScript "
                "SDK's parser, which wants an object when the key is present)."
            ),
        ]
    ]
    modelboard: ModelboardEndpoint


class ListEndpointsResponse(TypedDict):
    """List of available endpoints for a model"""

    id: Annotated[str, Field(description="Unique identifier for the model")]
    name: Annotated[str, Field(description="Display name of the model")]
    created: Annotated[
        int, Field(description="Unix timestamp of when the model was created")
    ]
    description: Annotated[str, Field(description="Description of the model")]
    architecture: ListEndpointsArchitecture
    endpoints: Annotated[
        list[PublicEndpoint],
        Field(description="List of available endpoints for this model"),
    ]


class BoardEndpointsResponse(TypedDict):
    data: ListEndpointsResponse


class BoardZdrEndpointList(TypedDict):
    """Every listed endpoint upstream lists as retaining no data (its
    /endpoints/zdr), by its model's upstream order."""

    data: list[PublicEndpoint]


# ---------------------------------------------------------------- providers


class Provider(TypedDict):
    name: Annotated[str, Field(description="Display name of the provider")]
    slug: Annotated[str, Field(description="URL-friendly identifier for the provider")]
    privacy_policy_url: Annotated[
        str | None, Field(description="URL to the provider's privacy policy")
    ]
    terms_of_service_url: Annotated[
        str | None, Field(description="URL to the provider's terms of service")
    ]
    status_page_url: Annotated[
        str | None, Field(description="URL to the provider's status page")
    ]
    headquarters: Annotated[
        str | None,
        Field(
            description="ISO 3166-1 Alpha-2 country code of the provider "
            "headquarters, as upstream sends it"
        ),
    ]
    datacenters: Annotated[
        list[str] | None,
        Field(
            description="ISO 3166-1 Alpha-2 country codes of the provider "
            "datacenter locations, as upstream sends them"
        ),
    ]
    modelboard: ModelboardProvider


class BoardProviderList(TypedDict):
    data: list[Provider]


# ---------------------------------------------------------------- other kinds

ImageModelListItem = Annotated[dict[str, Any], UpstreamSchema("ImageModelListItem")]
ImageEndpoint = Annotated[dict[str, Any], UpstreamSchema("ImageEndpoint")]
VideoModel = Annotated[dict[str, Any], UpstreamSchema("VideoModel")]


class ImageModelList(TypedDict):
    """GET /images/models: upstream's ImageModelsListResponse, each item as polled."""

    data: list[ImageModelListItem]


class ImageModelEndpoints(TypedDict):
    """GET /images/models/{author}/{slug}/endpoints: upstream's
    ImageModelEndpointsResponse, each endpoint as polled."""

    id: Annotated[str, Field(description="Model slug")]
    endpoints: list[ImageEndpoint]


class VideoModelList(TypedDict):
    """GET /videos/models: upstream's VideoModelsListResponse, each item as polled."""

    data: list[VideoModel]


# ---------------------------------------------------------------- offers

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

# ---------------------------------------------------------------- benchmarks


class BenchmarkPricing(TypedDict):
    prompt: str
    completion: str


class BenchmarkAAItem(TypedDict):
    """A model's Artificial Analysis indices (UnifiedBenchmarksAAItem)."""

    source: Literal["artificial-analysis"]
    model_permaslug: str
    display_name: str
    intelligence_index: float | None
    coding_index: float | None
    agentic_index: float | None
    pricing: BenchmarkPricing | None


class TournamentStats(TypedDict):
    first_place: int | None
    second_place: int | None
    third_place: int | None
    fourth_place: int | None
    total: int | None


class BenchmarkDAItem(TypedDict):
    """A model's Design Arena rating in one arena and category
    (UnifiedBenchmarksDAItem)."""

    source: Literal["design-arena"]
    model_permaslug: str
    display_name: str
    arena: str
    category: str
    elo: float
    win_rate: float
    avg_generation_time_ms: float | None
    tournament_stats: TournamentStats
    pricing: BenchmarkPricing | None


class BenchmarkMeta(TypedDict):
    as_of: str
    version: Literal["v1"]
    source: str | None
    source_url: str | None
    citation: str | None
    model_count: int
    task_type: str | None


class BenchmarkList(TypedDict):
    """GET /benchmarks: upstream's UnifiedBenchmarksResponse (its Artificial
    Analysis and Design Arena items; OpenRouter's own evals are not kept)."""

    data: list[BenchmarkAAItem | BenchmarkDAItem]
    meta: BenchmarkMeta


# ---------------------------------------------------------------- the rest


class ApiRootData(TypedDict):
    links: Annotated[
        dict[str, str], Field(description="The API's main routes, by name.")
    ]


class ApiRoot(TypedDict):
    data: ApiRootData


class ErrorData(TypedDict):
    code: Annotated[int, Field(description="The HTTP status")]
    message: str


class Error(TypedDict):
    """OpenRouter's error shape."""

    error: ErrorData
