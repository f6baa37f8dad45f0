"""Writes: diff fetched records against the database, upsert in bulk, record events.

Every ingest is idempotent: ingesting the same records twice writes nothing the
second time. Upstream values are compared field by field, so a row is only updated
(and an event only recorded) when something really changed, and only the changed
columns are written.
"""

from __future__ import annotations

from catalog.ingest.batch import IngestResult, ShrinkGuardError
from catalog.ingest.catalogue import model_upsert_batches, model_upsert_many
from catalog.ingest.direct import (
    direct_offer_upsert_many,
    direct_rematch,
    successors_resolve,
)
from catalog.ingest.endpoints import (
    endpoint_keys,
    endpoint_upsert_many,
    endpoints_baseline_event,
)
from catalog.ingest.kinds import kind_model_upsert_many
from catalog.ingest.providers import provider_upsert_many

__all__ = [
    "IngestResult",
    "ShrinkGuardError",
    "direct_offer_upsert_many",
    "direct_rematch",
    "successors_resolve",
    "endpoint_keys",
    "endpoint_upsert_many",
    "endpoints_baseline_event",
    "kind_model_upsert_many",
    "model_upsert_batches",
    "model_upsert_many",
    "provider_upsert_many",
]
