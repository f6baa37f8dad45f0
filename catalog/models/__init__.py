"""The catalogue's tables, by owner: the catalogue itself, its events, the runs that
poll it, editors' work and what search and the ranked lists read; and the lookup
their JSON lists answer (lookups.py: `<json list>__has=<value>`)."""

from catalog.models.benchmarks import (
    BenchmarkScore,
    BenchmarkSource,
    BenchmarkVia,
    ModelScores,
)
from catalog.models.catalogue import (
    Author,
    Endpoint,
    FieldOverride,
    LanguageModel,
    Origin,
    Provider,
    Tag,
    price_field,
    validate_model_id,
)
from catalog.models.classifications import TaskClassification
from catalog.models.direct import DirectAlias, DirectOffer, DirectSource, MatchKind
from catalog.models.editorial import AdminEdit
from catalog.models.events import CatalogEvent, EventKind
from catalog.models.kinds import KindModel, ModelKind
from catalog.models.runs import (
    DataVersion,
    ShrinkRefusal,
    SyncKind,
    SyncRun,
    SyncStatus,
)
from catalog.models.search import ModelRank, ModelSearch, SearchTerm
from catalog.models.tiers import PriceTier

__all__ = [
    "AdminEdit",
    "Author",
    "BenchmarkScore",
    "BenchmarkSource",
    "BenchmarkVia",
    "CatalogEvent",
    "DataVersion",
    "DirectAlias",
    "DirectOffer",
    "DirectSource",
    "Endpoint",
    "EventKind",
    "FieldOverride",
    "KindModel",
    "LanguageModel",
    "MatchKind",
    "ModelKind",
    "ModelRank",
    "ModelScores",
    "ModelSearch",
    "Origin",
    "PriceTier",
    "Provider",
    "SearchTerm",
    "ShrinkRefusal",
    "SyncKind",
    "SyncRun",
    "SyncStatus",
    "Tag",
    "TaskClassification",
    "price_field",
    "validate_model_id",
]
