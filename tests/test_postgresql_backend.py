"""The PostgreSQL backend: Django's, reading timestamps with psycopg's compiled
loader, to the same values Django's own backend reads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.db.utils import ConnectionHandler
from psycopg.pq import Format

from config.env import env_database
from config.postgresql.base import COMPILED, TIMESTAMPTZ_OID, UtcTimestampLoader
from tests.support.postgres import server_url

pytestmark = pytest.mark.postgresql

# Offsets, microseconds, the edges of the calendar, a leap second's neighbour, null.
TIMESTAMPS = [
    "2025-05-22 10:00:00+00",
    "2025-05-22 10:00:00.123456+05:30",
    "1999-12-31 23:59:59.999999-08",
    "2016-12-31 23:59:59+00",
    "1970-01-01 00:00:00+00",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
    None,
]


@pytest.fixture
def connections(django_db_blocker) -> Iterator[ConnectionHandler]:
    """Two connections to the server: the board's backend (default) and Django's."""
    ours = env_database("DATABASE_URL", server_url())
    theirs = dict(ours, ENGINE="django.db.backends.postgresql")
    handler = ConnectionHandler({"default": ours, "django": theirs})
    # Connections of their own to the server's maintenance database, not the suite's.
    with django_db_blocker.unblock():
        yield handler
        handler.close_all()


def _read(handler: ConnectionHandler, alias: str) -> list[object]:
    with handler[alias].cursor() as cursor:
        cursor.execute(
            "SELECT v::timestamptz FROM unnest(%s::text[]) WITH ORDINALITY AS t(v, n) "
            "ORDER BY n",
            [TIMESTAMPS],
        )
        return [row[0] for row in cursor.fetchall()]


def test_a_postgres_url_selects_the_boards_backend(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    engine = env_database("DATABASE_URL", "postgres://u@db:5432/board")["ENGINE"]
    assert engine == "config.postgresql"


def test_timestamps_read_as_djangos_backend_reads_them(connections):
    """Same instants, same tzinfo (UTC), null kept."""
    ours, theirs = _read(connections, "default"), _read(connections, "django")
    assert ours == theirs
    assert [v.tzinfo for v in ours if v is not None] == [UTC] * (len(TIMESTAMPS) - 1)
    assert ours[-1] is None


def test_cursors_read_timestamps_with_the_compiled_loader(connections):
    """Django's per-cursor check keeps the loader; its `load` is psycopg's
    compiled one (psycopg[binary] is a pinned dependency)."""
    with connections["default"].cursor() as cursor:
        loader_class = cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        assert loader_class is UtcTimestampLoader
        loader = loader_class(TIMESTAMPTZ_OID, cursor.cursor)
    assert COMPILED is not None and COMPILED.__module__.startswith("psycopg_binary")
    assert type(loader.load.__self__) is COMPILED  # type: ignore[attr-defined]
    # The class's own method reads as the compiled one does.
    value = b"2025-05-22 10:00:00.5+00"
    assert UtcTimestampLoader.load(loader, value) == loader.load(value)
    assert loader.load(value) == datetime(2025, 5, 22, 10, 0, 0, 500000, tzinfo=UTC)
    with connections["django"].cursor() as cursor:
        stock = cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        assert stock is not UtcTimestampLoader
