"""Django's PostgreSQL backend, reading timestamps with psycopg's compiled loader.

Django 5.2 reads every `timestamptz` through a loader it derives from psycopg's
pure-Python one, to stamp the values with its own time zone (Django ticket
#36960; psycopg's compiled loader cannot be subclassed). That costs ~4 µs a
value: a model page reads ~600 for its charts, the API's page 400. Django runs
each session in its time zone, UTC here (`DATABASES[...]["TIME_ZONE"]` unset,
USE_TZ on), where psycopg's compiled loader gives the same values with the same
tzinfo at a tenth of the cost. This backend lets it: only in that case, and only
when the compiled implementation is installed (psycopg[binary]); otherwise it is
Django's backend unchanged.

Its sessions also run without PostgreSQL's JIT compiler (`jit=off`). JIT compiles
a query whose estimated cost passes `jit_above_cost`, and a list ranked by a
workload of one's own passes it: the planner counts the price tiers' subquery once
per rank (30,000 at scale) though it runs only for the tiered few. Compiling took
30-40 ms, more than the query itself; no query of the board runs long enough to
win that back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.db.backends.postgresql import base
from psycopg import abc, adapters, pq
from psycopg.adapt import AdaptersMap, Loader
from psycopg.pq import Format

TIMESTAMPTZ_OID = adapters.types["timestamptz"].oid


def _compiled() -> type[abc.Loader] | None:
    # With a compiled implementation (`pq.__impl__` is "binary" or "c"), psycopg
    # registers its compiled loaders: the class it gives for timestamptz text.
    if pq.__impl__ not in ("binary", "c"):
        return None
    return adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)


COMPILED = _compiled()


class UtcTimestampLoader(Loader):
    """psycopg's compiled timestamptz loader, carrying the `timezone` attribute
    Django's backend checks on every cursor (so it keeps this loader)."""

    timezone = UTC

    def __init__(self, oid: int, context: Any = None):
        super().__init__(oid, context)
        assert COMPILED is not None  # registered only then (DatabaseWrapper)
        self._compiled: Callable[[Any], datetime] = COMPILED(oid, context).load
        # psycopg calls the instance's `load` for each value: the compiled one's
        # itself, without the method below in between.
        self.load = self._compiled  # type: ignore[method-assign]

    def load(self, data: Any) -> datetime:
        return self._compiled(data)


@lru_cache
def utc_adapters(template: AdaptersMap) -> AdaptersMap:
    """Django's adapters for its connections, with the compiled loader."""
    context = AdaptersMap(template)
    context.register_loader("timestamptz", UtcTimestampLoader)
    return context


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        params["options"] = f"{params.get('options', '')} -c jit=off".strip()
        if self.timezone is UTC and COMPILED is not None and "context" in params:
            params["context"] = utc_adapters(params["context"])
        return params
