"""Models (upstream's Model, with ours beside it), their lists, counts and
suggestions, and the other catalogues' lists (images, videos)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired

from pydantic import Field
from typing_extensions import TypedDict

from api.shapes.common import (
    InputModality,
    InstructType,
    IsoDate,
    ModelboardModel,
    ModelGroup,
    OutputModality,
    Parameter,
)
from api.upstream import OpenKeys, UpstreamSchema


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
