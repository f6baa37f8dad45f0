"""Polls of the upstream sources, the shrink guard's refusals, the data version."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class SyncStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"
    ABANDONED = "abandoned", "Abandoned"


class SyncKind(models.TextChoices):
    """What a run polled. One lock per kind: two runs of a kind never overlap."""

    PROVIDERS = "providers", "Providers"
    CATALOG = "catalog", "Catalogue"
    ENDPOINTS = "endpoints", "Endpoints of every model"
    ENDPOINTS_SOME = "endpoints-some", "Endpoints of chosen models"
    LITELLM = "litellm", "Direct prices (LiteLLM)"
    CATEGORIES = "categories", "Model categories (task classifications)"
    ZDR = "zdr", "Zero-data-retention endpoints"
    EMBEDDINGS = "embeddings", "Embedding models"
    IMAGES = "images", "Image generation models"
    VIDEOS = "videos", "Video generation models"
    BENCHMARKS = "benchmarks", "Benchmark scores"
    STATS_ACTIVITY = "stats-activity", "Tokens per day"
    STATS_APPS = "stats-apps", "Apps using each model"
    STATS_UPTIME = "stats-uptime", "Hourly uptime"
    STATS_HISTORY = "stats-history", "Latency, throughput and price history"
    STATS_DATASETS = "stats-datasets", "Data API rankings and your usage"


class SyncRun(models.Model):
    """One poll of one upstream source, with what it did or why it failed."""

    kind = models.CharField(max_length=40, choices=SyncKind.choices)
    source = models.CharField(max_length=60, default="openrouter")
    status = models.CharField(
        max_length=12, choices=SyncStatus.choices, default=SyncStatus.RUNNING
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    # Per-item problems that did not fail the run: [{"item": ..., "error": ...}].
    item_errors = models.JSONField(default=list, blank=True)
    upstream_url = models.CharField(max_length=500, blank=True)
    # Who works on a running run, and when it last said so: a run whose process is
    # gone, or whose heartbeat is older than SYNC_HEARTBEAT_TIMEOUT_SECONDS, is
    # abandoned (catalog/runs/reaper.py), so a dead process never holds the lock for long.
    owner_host = models.CharField(max_length=255, blank=True)
    owner_pid = models.PositiveIntegerField(null=True, blank=True)
    # The Celery task that runs it: a redelivered task (same id) takes its run over.
    task_id = models.CharField(max_length=255, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # How often a redelivered task took this run over from a process that died.
    takeovers = models.PositiveSmallIntegerField(default=0)
    # A per-model poll that ran out of its window: the last item it did, where the
    # next run of its kind goes on (catalog.runs.resume_after).
    stopped_after = models.CharField(max_length=200, blank=True)
    # The cadence of the schedule the run came from (None: no enabled schedule), so
    # pages tell the next poll from the latest run alone.
    every_seconds = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # The lock: a second run of the same kind cannot start while one runs.
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(status="running"),
                name="one-running-sync-per-kind",
            )
        ]
        indexes = [
            # status page and banners: the latest run of each kind.
            models.Index(fields=["kind", "-started_at"], name="syncrun-kind-time"),
            # sync_run_start: a redelivered task finds the run it already finished.
            models.Index(
                fields=["task_id"], condition=~Q(task_id=""), name="syncrun-task"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.status} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class ShrinkRefusal(models.Model):
    """A fetch the shrink guard refused, and an editor's acceptance of it.

    The refused run records exactly what it would have delisted. An editor accepts
    it in the admin with a reason; the next sync of that kind may then delist those
    entries (and no more than the guard allows besides), and records it applied.
    """

    kind = models.CharField(max_length=40, choices=SyncKind.choices)
    run = models.OneToOneField(
        SyncRun, on_delete=models.CASCADE, related_name="shrink_refusal"
    )
    what = models.CharField(max_length=60)
    active = models.PositiveIntegerField(help_text="Entries listed before the fetch.")
    # Ids (models, providers) or "model id endpoint key" that would be delisted.
    missing = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    applied_run = models.ForeignKey(
        SyncRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shrinks_applied",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # shrink_guard and shrink_holding: the accepted, unapplied refusal of a kind.
            models.Index(fields=["kind", "accepted_at"], name="shrink-kind-accepted"),
        ]

    def __str__(self) -> str:
        return f"{self.what}: {len(self.missing)} of {self.active} refused"


class DataVersion(models.Model):
    """What pages show, as one token that every write to it replaces.

    One row. Cached pages, charts and HTTP validators are keyed by the token, so a
    reader learns whether anything changed from one cache read (catalog.versions).
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.token} at {self.changed_at:%Y-%m-%d %H:%M:%S}"
