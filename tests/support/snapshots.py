"""Named states of the catalogue, built once per test process and restored in a
fraction of what building them costs.

A state (the demo catalogue synced, the 2026 history replayed, …) is built by
running the real syncs against the demo upstream in-process, inside a savepoint
that is rolled back; what they wrote to the domain tables (catalog, stats,
changes) is captured. Restoring a state empties those tables and writes the
captured rows back: inside a test's transaction (rolled back with the test), or
committed for a module whose live server reads it (emptied afterwards).

What the database derives itself is not copied but derived again: the ranks
(catalog_modelrank, written by triggers from the models), the search index
(SQLite's FTS5 tables, written by triggers) and generated columns.

A built state is also kept on disk (var/test-cache/), keyed by the database
vendor and a digest of everything that could change it: the code of every app,
the demo's recordings, the migrations, the test support and the pinned
dependencies. The first process that needs a state builds it under a file lock;
the other test workers, and later runs with the same code, read it back.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import hashlib
import inspect
import os
import pickle
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.test import override_settings

from demo.server import DemoUpstream
from tests.support.upstream import in_process, mock_upstream_settings

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "var" / "test-cache"
# What a state is built from: a change to any of these builds it again.
SOURCES = (
    "api",
    "catalog",
    "changes",
    "config",
    "demo",
    "front",
    "ops",
    "stats",
    "tests/support",
    "pyproject.toml",
    "requirements.lock",
)
APPS = ("catalog", "stats", "changes")
DOMAIN_TABLE = re.compile(rf"\b(?:{'|'.join(APPS)})_")
# Written by database triggers from the models: derived again on restore.
DERIVED = {"catalog_modelrank"}


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    model: type[models.Model] | None


@dataclass(frozen=True)
class Snapshot:
    """The rows of every domain table, as the database gave them, and what the
    builder returned (the replay's run ids, say)."""

    rows: dict[str, Any]
    meta: Any = None

    def count(self, table: str) -> int:
        data = self.rows[table]
        return data.count(b"\n") if isinstance(data, bytes) else len(data)


def tables() -> list[Table]:
    """The domain apps' tables (many-to-many ones included) and the columns a
    restore writes: every concrete column but generated ones."""
    found: dict[str, Table] = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            table = model._meta.db_table
            if table in DERIVED or model._meta.proxy or not model._meta.managed:
                continue
            columns = tuple(
                f.column
                for f in model._meta.concrete_fields
                if not getattr(f, "generated", False)
            )
            found[table] = Table(table, columns, model)
            for m2m in model._meta.local_many_to_many:
                through = m2m.remote_field.through._meta
                columns = tuple(f.column for f in through.concrete_fields)
                found[through.db_table] = Table(through.db_table, columns, None)
    return list(found.values())


def _quoted(names: tuple[str, ...]) -> str:
    return ", ".join(connection.ops.quote_name(n) for n in names)


def capture() -> Snapshot:
    """Every domain table's rows (PostgreSQL: its COPY text, byte for byte)."""
    rows: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for table in tables():
            select = f"SELECT {_quoted(table.columns)} FROM {table.name}"
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY ({select}) TO STDOUT") as copy:
                    rows[table.name] = b"".join(bytes(block) for block in copy)
            else:
                cursor.execute(select)
                rows[table.name] = cursor.fetchall()
    return Snapshot(rows)


def clear() -> None:
    """Empty every domain table (the derived ones too)."""
    with connection.cursor() as cursor:
        for name in [*DERIVED, *(t.name for t in reversed(tables()))]:
            cursor.execute(f"DELETE FROM {name}")


def restore(snapshot: Snapshot) -> None:
    """Replace the domain tables' rows by the snapshot's (in the current
    transaction; foreign keys are checked when it commits)."""
    clear()
    with connection.cursor() as cursor:
        for table in tables():
            data = snapshot.rows[table.name]
            if not data:
                continue
            names = _quoted(table.columns)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as c:
                    c.write(data)
            else:
                marks = ", ".join(["%s"] * len(table.columns))
                cursor.executemany(
                    f"INSERT INTO {table.name} ({names}) VALUES ({marks})", data
                )
        if connection.vendor == "postgresql":
            # Rows came with their ids: the sequences move past them.
            owned = [t.model for t in tables() if t.model is not None]
            for sql in connection.ops.sequence_reset_sql(no_style(), owned):
                cursor.execute(sql)


# --- the named states --------------------------------------------------------------

Builder = Callable[[DemoUpstream], Any]
BUILDERS: dict[str, Builder] = {}
_built: dict[str, Snapshot] = {}


def state(name: str) -> Callable[[Builder], Builder]:
    def register(build: Builder) -> Builder:
        BUILDERS[name] = build
        return build

    return register


@contextlib.contextmanager
def _upstream() -> Iterator[DemoUpstream]:
    """The demo upstream answering in-process (the 2025-05-22 catalogue), the
    settings pointed at it."""
    demo = DemoUpstream(port=0, snapshot="2025-05-22")
    with (
        mock.patch("catalog.sources.transport", lambda: in_process(demo)),
        override_settings(**mock_upstream_settings(demo)),
    ):
        yield demo


@functools.cache
def digest() -> str:
    """A digest of every file a state is built from (cached states older than
    the code are never read), and of the day: a state holds what its syncs
    stamped with the time they ran (samples, runs), which tests read as recent."""
    found = hashlib.blake2b(digest_size=12)
    found.update(datetime.now(UTC).date().isoformat().encode())
    for source in SOURCES:
        top = ROOT / source
        files = sorted(top.rglob("*")) if top.is_dir() else [top]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                found.update(str(path.relative_to(ROOT)).encode() + b"\0")
                found.update(path.read_bytes())
    return found.hexdigest()


def _builder_digest(name: str) -> str:
    """A digest of the file that registers the state `name` (a test module may
    register its own: that module is not among SOURCES)."""
    source = inspect.getsourcefile(BUILDERS[name])
    text = Path(source).read_bytes() if source else name.encode()
    return hashlib.blake2b(text, digest_size=6).hexdigest()


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _build(name: str) -> Snapshot:
    with transaction.atomic():
        clear()
        with _upstream() as demo:
            meta = BUILDERS[name](demo)
        snapshot = dataclasses.replace(capture(), meta=meta)
        transaction.set_rollback(True)
    return snapshot


def snapshot_of(name: str) -> Snapshot:
    """The state `name`: read from the disk cache, or built (once across the
    test workers) and written to it."""
    if name not in _built:
        stem = f"{connection.vendor}-{name}"
        path = CACHE / f"{stem}-{digest()}-{_builder_digest(name)}.pickle"
        with _locked(CACHE / f"{stem}.lock"):
            if path.exists():
                _built[name] = pickle.loads(path.read_bytes())
            else:
                _built[name] = _build(name)
                for stale in CACHE.glob(f"{stem}-*.pickle"):
                    stale.unlink(missing_ok=True)
                partial = path.with_suffix(f".{os.getpid()}")
                partial.write_bytes(pickle.dumps(_built[name], protocol=5))
                partial.replace(path)
    return _built[name]


@dataclass
class _Shared:
    """The state a module's tests share (`shared`), restored once for the module;
    whether the running test asked for it, and whether it restored another."""

    name: str | None = None
    asked: bool = False
    replaced: bool = False


SHARED = _Shared()


def load(name: str) -> Any:
    """Restore the state `name` into the current transaction; what its builder
    returned. In a module that shares `name` (`shared`), the test's transaction
    already starts from it: nothing is restored."""
    snapshot = snapshot_of(name)
    if SHARED.name is not None:
        if name == SHARED.name and not SHARED.replaced:
            SHARED.asked = True
            return snapshot.meta
        SHARED.replaced = True
    with transaction.atomic():
        restore(snapshot)
    return snapshot.meta


@contextlib.contextmanager
def shared(name: str, django_db_blocker: Any) -> Iterator[None]:
    """The state `name` restored once, in a transaction around a module's tests
    (rolled back after them): each test runs in a savepoint of it, so what one
    test writes is gone before the next, and `load(name)` costs nothing."""
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            load(name)
        except BaseException:
            outer.__exit__(None, None, None)
            raise
    SHARED.name = name
    try:
        yield
    finally:
        SHARED.name = None
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@contextlib.contextmanager
def sharing_checked(test: str) -> Iterator[None]:
    """Around one test of a module that shares a state: a test that reads the
    domain tables must ask for that state (one that did not would see it anyway)."""
    SHARED.asked = SHARED.replaced = False
    queries = 0

    def counted(execute, sql, params, many, context):
        nonlocal queries
        queries += bool(DOMAIN_TABLE.search(sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        yield
    name = SHARED.name
    if name is not None and queries and not (SHARED.asked or SHARED.replaced):
        raise AssertionError(
            f"{test} runs in a module whose tests share the state {name!r} "
            f"(pytest.mark.state) but does not ask for it: load it, or move the test"
        )


@contextlib.contextmanager
def committed(name: str, django_db_blocker: Any) -> Iterator[Any]:
    """The state `name` committed (a live server's threads read it), emptied
    again afterwards."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            meta = load(name)
        try:
            yield meta
        finally:
            with transaction.atomic():
                clear()


def derive(name: str) -> Any:
    """Inside a builder: start from the state `name` (restored from its snapshot,
    built first if need be) instead of syncing it again; what its builder
    returned."""
    snapshot = snapshot_of(name)
    restore(snapshot)
    return snapshot.meta


def _sync(*syncs: Callable[[], Any]) -> None:
    for sync in syncs:
        run = sync()
        assert run.status == "succeeded", (sync, run.error)


@state("catalogued")
def _catalogued(demo: DemoUpstream) -> None:
    """The 2025-05-22 providers and catalogue."""
    from catalog.syncs import sync_catalog, sync_providers

    _sync(sync_providers, sync_catalog)


@state("synced")
def _synced(demo: DemoUpstream) -> None:
    """The 2025-05-22 providers, catalogue and endpoints (with their stats
    samples)."""
    from catalog.syncs import sync_catalog, sync_providers
    from ops.jobs import sync_endpoints

    _sync(sync_providers, sync_catalog, sync_endpoints)


@state("direct")
def _direct(demo: DemoUpstream) -> None:
    """`synced`, and the direct providers' prices of LiteLLM's newest recorded
    map matched to it."""
    from catalog.syncs import sync_litellm

    derive("synced")
    _sync(sync_litellm)


@state("zdr")
def _zdr(demo: DemoUpstream) -> None:
    """`synced`, and the demo's zero-data-retention endpoints marked."""
    from catalog.syncs import sync_zdr

    derive("synced")
    _sync(sync_zdr)


@state("demo")
def _demo(demo: DemoUpstream) -> None:
    """`synced`, and the website's tokens per day and apps of every model."""
    from stats import syncs as stats_syncs

    derive("synced")
    _sync(stats_syncs.sync_activity, stats_syncs.sync_apps)


@state("replayed")
def _replayed(demo: DemoUpstream) -> dict[int, int]:
    """The recorded 2026 history, each day synced in order at its recorded time:
    run id -> recording index."""
    from tests.support.history import replay_history

    return replay_history(demo)


@state("replayed-served")
def _replayed_served(demo: DemoUpstream) -> None:
    """`replayed`, then the last day's providers and endpoints."""
    from catalog.syncs import sync_providers
    from ops.jobs import sync_endpoints

    derive("replayed")
    demo.set_snapshot(f"history:{DemoUpstream.history_length() - 1}")
    _sync(sync_providers, sync_endpoints)


@state("tiered")
def _tiered(demo: DemoUpstream) -> None:
    """The 2026 pricing recording (price tiers, service tiers, 1-hour cache
    writes): providers, catalogue and endpoints, with no item error."""
    from catalog.syncs import sync_catalog, sync_providers
    from ops.jobs import sync_endpoints

    demo.set_snapshot("2026-pricing")
    for sync in (sync_providers, sync_catalog, sync_endpoints):
        run = sync()
        assert run.status == "succeeded", (sync, run.error)
        assert run.item_errors == [], run.item_errors


@state("kinds")
def _kinds(demo: DemoUpstream) -> None:
    """The embedding, image and video models (their own catalogues), no chat
    catalogue."""
    from catalog.syncs import sync_embeddings, sync_images, sync_videos

    _sync(sync_embeddings, sync_images, sync_videos)


@state("benchmarked")
def _benchmarked(demo: DemoUpstream) -> None:
    """`synced`, and the benchmark scores of the model list and of /benchmarks
    (asked with a key, as upstream requires)."""
    from catalog.syncs import sync_benchmarks

    derive("synced")
    with override_settings(OPENROUTER_API_KEY="demo-key"):
        _sync(sync_benchmarks)
