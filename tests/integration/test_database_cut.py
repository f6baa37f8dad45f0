"""A worker whose PostgreSQL connection is cut mid-write (through a TCP proxy), on
Redis and on RabbitMQ: the task retries, takes its run over once the database is
back, and completes it; nothing stays running, nothing is stored twice, alerts move
on.

The cut needs a network connection, so this runs on its own PostgreSQL database
whatever the suite's database is (CI provides PostgreSQL to both legs); the test
reads that database with psycopg.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.conftest import ROOT, Worker, _worker_env, wait_for
from tests.support.brokers import Broker
from tests.support.postgres import server_url
from tests.support.proxy import TcpProxy

pytestmark = [pytest.mark.integration, pytest.mark.postgresql]

HEARTBEAT = 20
SLOW = 0.2


class Database:
    """A fresh, migrated PostgreSQL database, dropped afterwards."""

    def __init__(self, server: str, name: str):
        parts = urlsplit(server)
        self.server, self.name = server, name
        self.port = parts.port or 5432
        self.url = parts._replace(path=f"/{name}").geturl()

    def through(self, proxy: TcpProxy) -> str:
        parts = urlsplit(self.url)
        auth = parts.netloc.rpartition("@")[0]
        return parts._replace(netloc=f"{auth}@127.0.0.1:{proxy.port}").geturl()

    def admin(self, sql: str) -> None:
        with psycopg.connect(self.server, autocommit=True) as conn:
            conn.execute(sql)

    def one(self, sql: str, *params: Any) -> Any:
        with psycopg.connect(self.url, autocommit=True) as conn:
            row = conn.execute(sql, params).fetchone()
        return row[0] if row else None


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = Database(server_url(), f"modelboard_dbcut_{os.getpid()}_{time.time_ns()}")
    db.admin(f'CREATE DATABASE "{db.name}"')
    try:
        manage(db.url, tmp_path, "migrate", "--noinput", "-v0")
        yield db
    finally:
        db.admin(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')


def manage(
    database_url: str, tmp_path: Path, *args: str, env: dict | None = None
) -> str:
    environ = (env or dict(os.environ)) | {
        "DATABASE_URL": database_url,
        "MODELBOARD_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def status_count(db: Database, kind: str, status: str) -> int:
    return db.one(
        "SELECT count(*) FROM catalog_syncrun WHERE kind = %s AND status = %s",
        kind,
        status,
    )


def mid_sync(db: Database) -> bool:
    return bool(status_count(db, "endpoints", "running")) and bool(
        db.one("SELECT count(*) FROM catalog_endpoint")
    )


def test_database_cut_mid_write_is_retried_to_completion(
    broker: Broker, database: Database, upstream, tmp_path: Path
):
    """The cut fails the write; the task retries while the database is away and,
    once it is back, finishes the job; its run does not stay running."""
    env = _worker_env(upstream, tmp_path)
    for target in ("providers", "catalog"):
        manage(database.url, tmp_path, "sync", target, "--no-progress", env=env)
    with TcpProxy(database.port) as proxy:
        env |= {
            "DATABASE_URL": database.through(proxy),
            "CELERY_BROKER_URL": broker.url,
            "SYNC_HEARTBEAT_TIMEOUT_SECONDS": str(HEARTBEAT),
            "CELERY_VISIBILITY_TIMEOUT": "300",
        }
        worker = Worker(env, tmp_path / "worker.log").start()
        try:
            upstream.inject("slow", path="/api/v1/models/", delay=SLOW)
            worker.send("catalog.sync_endpoints")
            wait_for(lambda: mid_sync(database), timeout=60, interval=0.05)
            proxy.cut()
            cut = time.monotonic()
            wait_for(
                lambda: "database unavailable" in worker.log.read_text(), timeout=30
            )
            proxy.restore()
            upstream.clear_faults()
            wait_for(
                lambda: status_count(database, "endpoints", "succeeded"),
                timeout=HEARTBEAT + 10,
                interval=0.2,
            )
            print(
                f"{broker.name}: completed {time.monotonic() - cut:.1f} s after the cut"
            )
            assert worker.alive()
            last = database.one("SELECT max(id) FROM catalog_catalogevent")
            worker.send("changes.dispatch_events")
            wait_for(
                lambda: (
                    database.one(
                        "SELECT last_event_id FROM changes_dispatchcursor WHERE name = 'events'"
                    )
                    == last
                ),
                timeout=30,
            )
        finally:
            worker.stop()
    assert not database.one(
        "SELECT count(*) FROM catalog_syncrun WHERE status = 'running'"
    )
    assert not status_count(database, "endpoints", "skipped")
    assert database.one(
        "SELECT count(*) = count(DISTINCT (model_id, key)) FROM catalog_endpoint"
    )
    again = manage(
        database.url, tmp_path, "sync", "endpoints", "--no-progress", env=env
    )
    assert "endpoints: 0 created" in again and ", 0 failed" in again
