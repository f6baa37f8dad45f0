"""The test databases: migrated once per test run, then cloned for each worker.

The first worker to get here builds the migrated database (Django's own
`setup_databases`); every worker then runs on a clone of it, made by Django's
`clone_test_db` (the way its parallel test runner does): a copy of the file on
SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL. SQLite files live in shared
memory (/dev/shm) where there is one: fast as an in-memory database, and still a
file that the worker processes some tests start can open.

On SQLite the migrated file is also kept in var/test-cache/, keyed like the
catalogue states by a digest of the code and migrations: a later run with the
same code copies it instead of migrating again.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import setup_databases, teardown_databases
from filelock import FileLock

SHARED_MEMORY = Path("/dev/shm")


def worker_id(config: pytest.Config) -> str | None:
    """This process's xdist worker id (gw0, gw1, …), None when not a worker."""
    workerinput = getattr(config, "workerinput", None)
    return workerinput["workerid"] if workerinput else None


def worker_index(config: pytest.Config) -> int:
    """0 for gw0 or a run without workers, 1 for gw1, …"""
    wid = worker_id(config)
    return int(wid.removeprefix("gw")) if wid else 0


def run_uid(config: pytest.Config) -> str:
    """One id for the run, shared by the controller and its workers."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput:
        return str(workerinput["testrunuid"])
    uid = getattr(config.option, "testrunuid", None)
    if not uid:
        uid = uuid.uuid4().hex
        # xdist reads it from here when it starts the workers.
        config.option.testrunuid = uid
    return str(uid)


def run_dir(config: pytest.Config) -> Path:
    """A directory this run's processes share (its SQLite files, its locks)."""
    root = (
        SHARED_MEMORY
        if os.access(SHARED_MEMORY, os.W_OK)
        else Path(tempfile.gettempdir())
    )
    path = root / f"modelboard-tests-{run_uid(config)[:16]}"
    path.mkdir(exist_ok=True)
    return path


def name_test_database(config: pytest.Config) -> None:
    """SQLite: the migrated database's file in the run's directory."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db["TEST"] = {
            **db.get("TEST", {}),
            "NAME": str(run_dir(config) / "test.sqlite3"),
        }


def _migrated() -> Callable[[], None]:
    """The migrated test database (on SQLite, copied from the cache when this
    code's migrated file is there); returns its teardown."""
    if connection.vendor != "sqlite":
        made = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
        return lambda: teardown_databases(made, verbosity=0)
    from tests.support.snapshots import CACHE, digest

    name = Path(settings.DATABASES["default"]["TEST"]["NAME"])
    cached = CACHE / f"sqlite-schema-{digest()}.sqlite3"
    with FileLock(CACHE.parent / "test-cache.schema.lock"):
        if cached.exists():
            shutil.copyfile(cached, name)
            _use_test_database(str(name))
        else:
            setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
            connection.close()  # its WAL written into the file before the copy
            CACHE.mkdir(parents=True, exist_ok=True)
            for stale in CACHE.glob("sqlite-schema-*.sqlite3"):
                stale.unlink(missing_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}")
            shutil.copyfile(name, partial)
            partial.replace(cached)

    def tear_down() -> None:
        connection.close()
        name.unlink(missing_ok=True)

    return tear_down


def set_up(config: pytest.Config) -> Callable[[], None]:
    """Migrated test databases for this process; returns their teardown."""
    wid = worker_id(config)
    if wid is None:
        return _migrated()
    shared = run_dir(config)
    with FileLock(shared / "schema.lock"):
        built = shared / "schema.built"
        if built.exists():
            _use_test_database(built.read_text())
        else:
            _migrated()
            built.write_text(connection.settings_dict["NAME"])
        # Nobody may be connected to a PostgreSQL template while it is cloned, and
        # SQLite's last connection writes its WAL into the file before the copy.
        connection.close()
        connection.creation.clone_test_db(suffix=wid, verbosity=0, keepdb=False)
    clone = connection.creation.get_test_db_clone_settings(wid)
    _use_test_database(clone["NAME"])

    def tear_down() -> None:
        connection.close()
        connection.creation.destroy_test_db(None, verbosity=0, keepdb=False)

    return tear_down


def _use_test_database(name: str) -> None:
    connection.close()
    connection.settings_dict["NAME"] = name
    settings.DATABASES["default"]["NAME"] = name


def tear_down_run(config: pytest.Config) -> None:
    """After the last worker: the migrated database and the run's directory."""
    shared = run_dir(config)
    built = shared / "schema.built"
    if built.exists() and connection.vendor == "postgresql":
        name = built.read_text()
        with contextlib.suppress(Exception), connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(shared, ignore_errors=True)


REDIS = ("redis://", "rediss://")


def isolate_redis(config: pytest.Config) -> None:
    """Each worker on Redis databases of its own: gw0 keeps the configured
    numbers (CI: cache 14, broker 15), gw1 takes two below them, and so on.

    The environment says the same, so the processes a worker starts (Celery
    workers, `manage.py` commands) use its databases too: one that wrote to gw0's
    cache would change gw0's data version under its tests."""
    shift = 2 * worker_index(config)
    if not shift:
        return
    cache = settings.CACHES["default"]
    if str(cache.get("LOCATION", "")).startswith(REDIS):
        cache["LOCATION"] = settings.CACHE_URL = _below(cache["LOCATION"], shift)
        caches.__dict__.pop("settings", None)
    if settings.CELERY_BROKER_URL.startswith(REDIS):
        settings.CELERY_BROKER_URL = _below(settings.CELERY_BROKER_URL, shift)
    for name in ("CACHE_URL", "CELERY_BROKER_URL"):
        if os.environ.get(name, "").startswith(REDIS):
            os.environ[name] = _below(os.environ[name], shift)


def _below(url: str, shift: int) -> str:
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) - shift
    if number < 0:
        raise pytest.UsageError(f"too many workers for Redis databases below {url}")
    return urlunsplit(parts._replace(path=f"/{number}"))
