"""The reaper: running runs whose process died are closed as abandoned.

A run's process is dead when its heartbeat is older than the timeout, or at once
when it ran on this host and its process is gone (see owners.py).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from catalog.models.runs import SyncRun, SyncStatus
from catalog.runs.owners import current_owner, heartbeat_timeout, owner_gone

logger = logging.getLogger(__name__)


def _stale(now: datetime) -> Q:
    cutoff = now - heartbeat_timeout()
    return Q(heartbeat_at__lt=cutoff) | Q(
        heartbeat_at__isnull=True, started_at__lt=cutoff
    )


def runs_live(now: datetime | None = None) -> QuerySet[SyncRun]:
    """Runs really in progress: running, with a fresh heartbeat."""
    now = now or timezone.now()
    return SyncRun.objects.filter(status=SyncStatus.RUNNING).exclude(_stale(now))


def runs_abandon_dead(now: datetime | None = None, *, kind: str = "") -> int:
    """Close running runs whose process died: no heartbeat within the timeout, or
    an owner process on this host that is gone. Returns how many were closed."""
    now = now or timezone.now()
    running = SyncRun.objects.filter(status=SyncStatus.RUNNING)
    if kind:
        running = running.filter(kind=kind)
    seconds = int(heartbeat_timeout().total_seconds())
    closed = running.filter(_stale(now)).update(
        status=SyncStatus.ABANDONED,
        finished_at=now,
        error=f"abandoned: no heartbeat for {seconds} s (its process died or lost "
        "the database)",
    )
    for run in running.filter(owner_host=current_owner().host):
        if owner_gone(run):
            # Compare-and-set: a run taken over meanwhile has a new heartbeat.
            closed += running.filter(pk=run.pk, heartbeat_at=run.heartbeat_at).update(
                status=SyncStatus.ABANDONED,
                finished_at=now,
                error=f"abandoned: its process ({run.owner_pid} on {run.owner_host}) "
                "is gone",
            )
    if closed:
        logger.warning("closed %s abandoned sync run(s)", closed)
    return closed
