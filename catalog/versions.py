"""The data version: one token for everything pages and the API show.

Every writer of shown data (a sync that changed something, an editor's save or
override, a stats rollup) calls `data_version_bump`. Readers call `data_version`:
one cache read, a one-row query when the cache has forgotten it or is down. Page,
fragment and chart caches and the ETag/Last-Modified validators are keyed by it,
so a changed catalogue is never served from a stale cache, and an unchanged one is
served without reading a row.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog.models import DataVersion

KEY = "data-version"
# Bounds how long a reader can miss a bump (another process's cache set lost in a
# race or while the cache was down); a read of one row per process this often.
CACHED_SECONDS = 5
ROW = 1
_pinned: ContextVar[Version | None] = ContextVar("data_version", default=None)


@dataclass(frozen=True)
class Version:
    """The current token and when the data last changed."""

    token: str
    changed_at: datetime


def data_version() -> Version:
    """The current data version (one cache read; one row on a miss). Within
    `version_pinned` (a request), the version it pinned."""
    pinned = _pinned.get()
    if pinned is not None:
        return pinned
    cached = cache.get(KEY)
    if isinstance(cached, Version):
        return cached
    version = _stored()
    # add, not set: a bump's own set (after its commit) must win over a read that
    # started before it.
    cache.add(KEY, version, CACHED_SECONDS)
    return version


@contextmanager
def version_pinned(version: Version) -> Iterator[Version]:
    """Every data_version() inside reads `version`: one request, one version."""
    token = _pinned.set(version)
    try:
        yield version
    finally:
        _pinned.reset(token)


def data_version_bump() -> None:
    """Record that shown data changed (call inside the writer's transaction)."""
    now = timezone.now()
    token = secrets.token_hex(8)
    if not DataVersion.objects.filter(pk=ROW).update(token=token, changed_at=now):
        _create(token, now)
    # Forget the old token now (this process reads the new row at once) and publish
    # the new one when the write is visible to every other process.
    cache.delete(KEY)
    transaction.on_commit(_publish)


def _publish() -> None:
    cache.set(KEY, _stored(), CACHED_SECONDS)


def _stored() -> Version:
    row = DataVersion.objects.filter(pk=ROW).values_list("token", "changed_at").first()
    if row is None:
        # A fresh (or flushed) database: start a version of its own.
        return _create(secrets.token_hex(8), timezone.now())
    return Version(*row)


def _create(token: str, now: datetime) -> Version:
    try:
        with transaction.atomic():
            DataVersion.objects.create(pk=ROW, token=token, changed_at=now)
    except IntegrityError:
        # Another process created it first: theirs is as good.
        row = DataVersion.objects.values_list("token", "changed_at").get(pk=ROW)
        return Version(*row)
    return Version(token, now)
