"""Who works on a running SyncRun, and whether they still do.

A running run records its owner (host, process id, Celery task id) and a heartbeat
that a thread refreshes while the sync works. Another process may close the run as
abandoned when the heartbeat is older than SYNC_HEARTBEAT_TIMEOUT_SECONDS, or at
once when the owner ran on this host and its process is gone: a killed worker,
pool child or `manage.py sync` then blocks its job for seconds, not for half an
hour.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import TracebackType

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, connections
from django.utils import timezone

from catalog.models.runs import SyncRun, SyncStatus

logger = logging.getLogger(__name__)

# The Celery task this code runs for (set by the task, read when a run opens).
_task_id: ContextVar[str] = ContextVar("sync_task_id", default="")
# The cadence of the schedule it runs on (None: run by hand, no enabled schedule).
_every_seconds: ContextVar[int | None] = ContextVar("sync_every", default=None)
# Runs this process is working on now: a run that names this process as its owner
# but is not in here belongs to an earlier life of the same pid, so it is dead.
_working: set[int] = set()
_working_lock = threading.Lock()


@dataclass(frozen=True)
class Owner:
    host: str
    pid: int
    task_id: str = ""


@contextmanager
def task_running(
    task_id: str | None, every_seconds: int | None = None
) -> Iterator[None]:
    """Runs opened inside belong to this Celery task (a redelivery has the same id)
    and are stamped with the cadence of the schedule they run on."""
    token = _task_id.set(task_id or "")
    every = _every_seconds.set(every_seconds)
    try:
        yield
    finally:
        _every_seconds.reset(every)
        _task_id.reset(token)


def current_cadence() -> int | None:
    """The schedule cadence of the job this code runs for, in seconds."""
    return _every_seconds.get()


def current_owner() -> Owner:
    """This process, and the Celery task it runs for (if any)."""
    return Owner(socket.gethostname(), os.getpid(), _task_id.get())


def heartbeat_timeout() -> timedelta:
    """A running run whose heartbeat is older than this is abandoned."""
    return timedelta(seconds=settings.SYNC_HEARTBEAT_TIMEOUT_SECONDS)


def heartbeat_interval() -> float:
    """Seconds between heartbeats: four tries before the timeout."""
    return settings.SYNC_HEARTBEAT_TIMEOUT_SECONDS / 4


def owner_gone(run: SyncRun) -> bool:
    """True when the run's process is known to be gone: it ran on this host and its
    process no longer exists, or it is this process yet not working on the run.

    A process on another host cannot be checked: its heartbeat tells.
    """
    if run.owner_pid is None or run.owner_host != socket.gethostname():
        return False
    if run.owner_pid == os.getpid():
        with _working_lock:
            return run.pk not in _working
    return not _process_alive(run.owner_pid)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive, and not ours to judge
        return True
    # A killed child stays a zombie until its parent reaps it: dead all the same.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] not in (["Z"], ["X"])


class Heartbeat:
    """Refreshes a run's heartbeat from a thread while the sync works.

    A thread, not the sync's own loop: one slow request or one long batch write must
    not make a live run look dead. A run opened inside a transaction is invisible to
    other processes until it commits, so it needs no heartbeat (and on SQLite the
    thread would only wait for the transaction's write lock).
    """

    def __init__(self, run: SyncRun):
        self.run_id = run.pk
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        with _working_lock:
            _working.add(self.run_id)
        if not connection.in_atomic_block:
            self._thread = threading.Thread(
                target=self._beat, name=f"heartbeat-run-{self.run_id}", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with _working_lock:
            _working.discard(self.run_id)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(heartbeat_interval()):
                self._once()
        finally:
            connections.close_all()  # this thread's connections only

    def _once(self) -> None:
        try:
            # A connection the database dropped is replaced before the next beat.
            close_old_connections()
            beating = SyncRun.objects.filter(
                pk=self.run_id, status=SyncStatus.RUNNING
            ).update(heartbeat_at=timezone.now())
        except DatabaseError as exc:
            logger.warning("heartbeat of run %s failed: %s", self.run_id, exc)
            return
        if not beating:
            logger.warning("run %s is no longer running; heartbeat stops", self.run_id)
            self._stop.set()
