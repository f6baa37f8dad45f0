"""Endpoints (upstream's PublicEndpoint, with ours beside it) and providers."""

from __future__ import annotations

from typing import Annotated, NotRequired

from pydantic import Field
from typing_extensions import TypedDict

from api.shapes.common import (
    EndpointStatus,
    ModelboardEndpoint,
    ModelboardProvider,
    Parameter,
    ProviderName,
    PublicServiceTier,
    Quantization,
)
from api.shapes.models import ListEndpointsArchitecture, PublicPricing


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
