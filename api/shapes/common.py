"""Values and objects every shape uses: dates, prices, upstream's open
vocabularies, an editor's overrides, modelboard's additions, the error."""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired

from pydantic import Field, WithJsonSchema
from typing_extensions import TypeAliasType, TypedDict

from api.upstream import OpenKeys, OpenVocabulary

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
