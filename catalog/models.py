from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse

import catalog.lookups  # noqa: F401  (registers `<json list>__has=<value>`)
from catalog import ids, prices


def validate_model_id(value: str) -> None:
    """A hand-added model's id obeys the same rule as upstream's (catalog.ids)."""
    problem = ids.model_id_problem(value)
    if problem:
        raise ValidationError(f"This id {problem}.")


def price_field(key: str) -> models.DecimalField:
    """The column of one upstream price: USD per million tokens, or per unit."""
    unit = "million tokens" if prices.is_per_token(key) else key.replace("_", " ")
    return models.DecimalField(
        max_digits=24,
        decimal_places=12,
        null=True,
        blank=True,
        help_text=f"USD per {unit}",
    )


class Author(models.Model):
    slug = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class Origin(models.TextChoices):
    UPSTREAM = "upstream", "Upstream"
    HAND = "hand", "Added by hand"


class Tag(models.Model):
    """An editor's category for models (coding, vision, self-hosted, …)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Provider(models.Model):
    slug = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    privacy_policy_url = models.URLField(max_length=500, blank=True)
    terms_of_service_url = models.URLField(max_length=500, blank=True)
    status_page_url = models.URLField(max_length=500, blank=True)
    headquarters = models.CharField(max_length=8, blank=True)
    datacenters = models.JSONField(default=list, blank=True)
    # False for providers only known from an endpoint's provider_name.
    listed = models.BooleanField(default=True)
    origin = models.CharField(
        max_length=10, choices=Origin.choices, default=Origin.UPSTREAM
    )
    first_seen_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    delisted_at = models.DateTimeField(null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LanguageModel(models.Model):
    slug = models.CharField(
        max_length=200,
        unique=True,
        help_text="Upstream id: author/slug",
        validators=[validate_model_id],
    )
    canonical_slug = models.CharField(max_length=200, blank=True, db_index=True)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="models")
    variant = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    created = models.DateTimeField(null=True, blank=True)
    context_length = models.PositiveBigIntegerField(null=True, blank=True)
    modality = models.CharField(max_length=200, blank=True)
    input_modalities = models.JSONField(default=list, blank=True)
    output_modalities = models.JSONField(default=list, blank=True)
    tokenizer = models.CharField(max_length=60, blank=True)
    instruct_type = models.CharField(max_length=60, blank=True)
    hugging_face_id = models.CharField(max_length=300, blank=True)
    supported_parameters = models.JSONField(default=list, blank=True)
    default_parameters = models.JSONField(null=True, blank=True)
    knowledge_cutoff = models.DateField(null=True, blank=True)
    expiration_date = models.DateField(null=True, blank=True)
    top_provider_context_length = models.PositiveBigIntegerField(null=True, blank=True)
    max_completion_tokens = models.PositiveBigIntegerField(null=True, blank=True)
    is_moderated = models.BooleanField(null=True, blank=True)

    price_prompt = price_field("prompt")
    price_completion = price_field("completion")
    price_internal_reasoning = price_field("internal_reasoning")
    price_input_cache_read = price_field("input_cache_read")
    price_input_cache_write = price_field("input_cache_write")
    price_request = price_field("request")
    price_image = price_field("image")
    price_web_search = price_field("web_search")
    # Routers price each request by where it lands: upstream says "-1".
    is_variable_price = models.BooleanField(default=False)
    pricing_raw = models.JSONField(default=dict, blank=True)

    first_seen_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    delisted_at = models.DateTimeField(null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True)

    # Editorial fields: upstream never touches these.
    origin = models.CharField(
        max_length=10, choices=Origin.choices, default=Origin.UPSTREAM
    )
    hidden = models.BooleanField(
        default=False, help_text="Off the list and the API; the page is staff-only."
    )
    featured = models.BooleanField(default=False, help_text="Pinned first in the list.")
    internal_notes = models.TextField(blank=True, help_text="Never shown publicly.")
    tags = models.ManyToManyField(Tag, blank=True, related_name="models")

    # Current figures, kept by stats when it stores samples and rollups (never by
    # hand): every list sort reads an indexed column instead of the stats tables.
    latency_p50 = models.FloatField(
        null=True, blank=True, help_text="ms; the best endpoint's latest p50"
    )
    throughput_p50 = models.FloatField(
        null=True, blank=True, help_text="tokens/s; the best endpoint's latest p50"
    )
    tokens_week = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Public tokens over the last 7 days"
    )
    # When the endpoints poll last fetched this model's providers (catalog.polling).
    endpoints_polled_at = models.DateTimeField(null=True, blank=True)

    # Attached by catalog.selectors.overrides_attach, never stored.
    edited: dict[str, FieldOverride]

    class Meta:
        ordering = ["-created", "slug"]
        indexes = [
            # model_list: the default order, newest first.
            models.Index(fields=["-created", "slug"], name="model-newest"),
            # model_list: active models only (delisted_at IS NULL) filtered first.
            models.Index(fields=["delisted_at"], name="model-delisted"),
            # endpoints_plan: the longest unpolled first.
            models.Index(fields=["endpoints_polled_at"], name="model-endpoints-polled"),
            # The catalogue list's sorts (front/listing.py: featured first, then the
            # sort) and the API's orders (api/selectors.py) have an index each on
            # PostgreSQL (migration 0006): SQLite cannot index NULLS LAST.
        ]

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        parts = ids.model_id_parts(self.slug)
        if parts is None:
            # An id stored before the id rule: no page can route it (such models
            # are quarantined, hidden), but its admin page can. Never a 500.
            return reverse("admin:catalog_languagemodel_change", args=[self.pk])
        head, tail = _model_url_template(get_urlconf(), get_script_prefix())
        return f"{head}{parts['author']}/{parts['slug']}{tail}"

    @property
    def routable(self) -> bool:
        """Whether the pages can route this model's id (see catalog.ids)."""
        return ids.model_id_parts(self.slug) is not None

    @property
    def is_hand_added(self) -> bool:
        return self.origin == Origin.HAND

    @property
    def is_free(self) -> bool:
        return self.price_prompt == Decimal(0) and self.price_completion == Decimal(0)


class Endpoint(models.Model):
    model = models.ForeignKey(
        LanguageModel, on_delete=models.CASCADE, related_name="endpoints"
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="endpoints"
    )
    # Upstream's tag is not unique per model (two "baseten/fp8" occur), so the key is
    # the tag (or provider name) plus a counter for repeats within one response.
    key = models.CharField(max_length=200)
    name = models.CharField(max_length=300)
    provider_name = models.CharField(max_length=200)
    tag = models.CharField(max_length=200, blank=True)
    upstream_id = models.CharField(max_length=64, blank=True)
    quantization = models.CharField(max_length=20, blank=True)
    context_length = models.PositiveBigIntegerField(null=True, blank=True)
    max_completion_tokens = models.PositiveBigIntegerField(null=True, blank=True)
    max_prompt_tokens = models.PositiveBigIntegerField(null=True, blank=True)
    supported_parameters = models.JSONField(default=list, blank=True)
    supports_implicit_caching = models.BooleanField(null=True, blank=True)
    # Capabilities upstream's endpoints carry since 2026; empty or null until it
    # sends them (older payloads, the demo upstream).
    service_tier = models.CharField(max_length=20, blank=True)
    native_tools = models.JSONField(
        default=dict, blank=True, help_text="openrouter:* tool -> {type}"
    )
    supports_tool_choice = models.JSONField(
        null=True,
        blank=True,
        help_text="{auto, none, required, function}: upstream's tested values",
    )
    supports_diarization = models.BooleanField(null=True, blank=True)
    supports_voice_cloning = models.BooleanField(null=True, blank=True)
    supports_image_reference = models.BooleanField(null=True, blank=True)
    supports_multiple_audio_references = models.BooleanField(null=True, blank=True)

    price_prompt = price_field("prompt")
    price_completion = price_field("completion")
    price_internal_reasoning = price_field("internal_reasoning")
    price_input_cache_read = price_field("input_cache_read")
    price_input_cache_write = price_field("input_cache_write")
    price_request = price_field("request")
    price_image = price_field("image")
    price_web_search = price_field("web_search")
    is_variable_price = models.BooleanField(default=False)
    discount = models.DecimalField(max_digits=8, decimal_places=6, default=0)
    pricing_raw = models.JSONField(default=dict, blank=True)

    first_seen_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    delisted_at = models.DateTimeField(null=True, blank=True)

    # The latest sample's figures, kept by stats with every snapshot: a model's
    # current figures are the best of its listed endpoints'.
    latency_p50 = models.FloatField(null=True, blank=True, help_text="ms")
    throughput_p50 = models.FloatField(null=True, blank=True, help_text="tokens/s")
    uptime = models.FloatField(
        null=True, blank=True, help_text="%, over the last day, else 30 minutes"
    )
    stats_at = models.DateTimeField(null=True, blank=True)

    # Attached by catalog.selectors.overrides_attach, never stored.
    edited: dict[str, FieldOverride]

    class Meta:
        ordering = ["model", "key"]
        indexes = [
            # provider_get: a provider's listed endpoints, a page at a time.
            models.Index(
                fields=["provider", "name", "id"],
                condition=Q(delisted_at__isnull=True),
                name="endpoint-provider-listed",
            ),
            # The list's and the API's provider filters, a provider page's count:
            # the models a provider serves, read from the index alone.
            models.Index(
                fields=["provider", "model"],
                condition=Q(delisted_at__isnull=True),
                name="endpoint-provider-models",
            ),
            # figures_expire: figures older than a day.
            models.Index(fields=["stats_at"], name="endpoint-stats-at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "key"], name="endpoint-natural-key"
            )
        ]

    def __str__(self) -> str:
        return self.name or f"{self.provider_name} | {self.model_id}"


class EventKind(models.TextChoices):
    ADDED = "added", "Added"
    DELISTED = "delisted", "Delisted"
    RELISTED = "relisted", "Relisted"
    PRICE = "price", "Price changed"
    CONTEXT = "context", "Context changed"
    RENAMED = "renamed", "Renamed"
    DEPRECATION = "deprecation", "Deprecation date changed"
    ENDPOINT_ADDED = "endpoint_added", "Provider added"
    ENDPOINT_REMOVED = "endpoint_removed", "Provider removed"
    ENDPOINT_PRICE = "endpoint_price", "Provider price changed"
    ENDPOINT_RELISTED = "endpoint_relisted", "Provider back"
    PROVIDER_ADDED = "provider_added", "Provider listed"
    PROVIDER_REMOVED = "provider_removed", "Provider delisted"
    PROVIDER_RELISTED = "provider_relisted", "Provider listed again"
    # The first import of a table: one event for the lot, not one per row.
    BASELINE = "baseline", "First import"


class CatalogEvent(models.Model):
    """Something that changed upstream, written only when it changed."""

    kind = models.CharField(max_length=20, choices=EventKind.choices)
    model = models.ForeignKey(
        LanguageModel,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    endpoint = models.ForeignKey(
        Endpoint,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    provider = models.ForeignKey(
        Provider,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    # Strings and dicts of strings (prices stay exact); null when not applicable.
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    observed_at = models.DateTimeField()
    sync_run = models.ForeignKey(
        "SyncRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )

    class Meta:
        ordering = ["-observed_at", "-id"]
        indexes = [
            # the changelog and a model page's own history, newest first.
            models.Index(fields=["model", "-observed_at"], name="event-model-time"),
            models.Index(fields=["kind", "-observed_at"], name="event-kind-time"),
            # change_list: every event, newest first (a page of it).
            models.Index(fields=["-observed_at", "-id"], name="event-time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.model or self.provider or ''}"


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
    STATS_ACTIVITY = "stats-activity", "Tokens per day"
    STATS_APPS = "stats-apps", "Apps using each model"
    STATS_UPTIME = "stats-uptime", "Hourly uptime"
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
    # abandoned (catalog/runs.py), so a dead process never holds the lock for long.
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


class FieldOverride(models.Model):
    """An editor's value for one upstream-fed field of a model or an endpoint.

    The object's column holds the effective (overridden) value, so every page, filter,
    sort and the API read it as is; the latest upstream value is kept here.
    """

    model = models.ForeignKey(
        LanguageModel,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="overrides",
    )
    endpoint = models.ForeignKey(
        Endpoint,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="overrides",
    )
    field = models.CharField(max_length=60)
    value = models.JSONField(null=True, blank=True)
    upstream_value = models.JSONField(null=True, blank=True)
    upstream_changed_at = models.DateTimeField(
        null=True, blank=True, help_text="Upstream changed this field since the edit."
    )
    reason = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["field"]
        constraints = [
            models.CheckConstraint(
                condition=Q(model__isnull=False, endpoint__isnull=True)
                | Q(model__isnull=True, endpoint__isnull=False),
                name="override-one-target",
            ),
            models.UniqueConstraint(
                fields=["model", "field"],
                condition=Q(model__isnull=False),
                name="override-model-field",
            ),
            models.UniqueConstraint(
                fields=["endpoint", "field"],
                condition=Q(endpoint__isnull=False),
                name="override-endpoint-field",
            ),
        ]
        indexes = [
            # the dashboard: overrides whose upstream value moved.
            models.Index(fields=["upstream_changed_at"], name="override-changed"),
        ]

    def __str__(self) -> str:
        return f"{self.target} · {self.field}"

    @property
    def target(self) -> LanguageModel | Endpoint:
        # The check constraint makes exactly one of them set.
        target = self.model or self.endpoint
        assert target is not None
        return target


class AdminEdit(models.Model):
    """One save in the admin: who changed which fields of what, before and after."""

    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)
    object_repr = models.CharField(max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # an object's history page.
            models.Index(
                fields=["object_type", "object_id", "-at"], name="edit-object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.object_repr} edited by {self.user} at {self.at:%Y-%m-%d %H:%M}"


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


class ModelSearch(models.Model):
    """A model's search keys (catalog.search.keys), written with the model by ingest
    and editors' changes (catalog.searchindex); catalog.search reads them."""

    model = models.OneToOneField(
        LanguageModel, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    # " gpt4o openaigpt4o ": whole names squashed (exact and prefix tiers).
    aliases = models.TextField(blank=True)
    # Squashed runs of the id, name and author from each word on. A stored tsvector
    # on PostgreSQL (migration 0019), FTS5 on SQLite (0017) find a word's start.
    names = models.TextField(blank=True)
    # Description words and capability words: indexed the same way.
    text = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"search keys of {self.model_id}"


class ModelRank(models.Model):
    """A narrow copy of what the list ranks each model by: whether it is listed,
    its tie-breaks, popularity and prices. Written only by database triggers on
    LanguageModel (migration 0019), so every write path keeps it (saves, upserts,
    bulk and queryset updates); read by catalog.ranking.

    Ranking a search's thousands of matches, or every model by a workload's cost,
    and counting a filtered list read these ~370-byte rows instead of the wide
    model rows (a page's rows are then read by id): at 30,000 models the table is
    ~11 MB against ~73 MB."""

    model = models.OneToOneField(
        LanguageModel, on_delete=models.CASCADE, primary_key=True, related_name="rank"
    )
    # The search keys, joined on the same model id (no column of its own), so a
    # search is ranked from these two tables without the model rows.
    search = models.ForeignObject(
        ModelSearch,
        on_delete=models.DO_NOTHING,
        from_fields=["model"],
        to_fields=["model"],
        related_name="+",
    )
    # catalog.selectors.models_visible's and the list's filters: NOT hidden, and
    # delisted_at IS NOT NULL.
    visible = models.BooleanField()
    delisted = models.BooleanField()
    featured = models.BooleanField()
    slug = models.CharField(max_length=200)
    # What the list's and the API's filters test (migration 0020), so a filtered
    # list is counted from these rows: catalog.selectors.models_narrowed.
    author = models.ForeignKey(
        Author, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    created = models.DateTimeField(null=True)
    context_length = models.PositiveBigIntegerField(null=True)
    tokenizer = models.CharField(max_length=60)
    input_modalities = models.JSONField(default=list)
    output_modalities = models.JSONField(default=list)
    supported_parameters = models.JSONField(default=list)
    name_length = models.PositiveIntegerField()
    tokens_week = models.PositiveBigIntegerField(null=True)
    is_variable_price = models.BooleanField()
    # The model's prices (USD per million tokens, per unit for the others) as
    # floats: they order a workload's costs; the costs shown are exact Decimals.
    price_prompt = models.FloatField(null=True)
    price_completion = models.FloatField(null=True)
    price_internal_reasoning = models.FloatField(null=True)
    price_input_cache_read = models.FloatField(null=True)
    price_input_cache_write = models.FloatField(null=True)
    price_request = models.FloatField(null=True)
    price_image = models.FloatField(null=True)
    price_web_search = models.FloatField(null=True)

    def __str__(self) -> str:
        return f"rank of {self.slug}"


class SearchTerm(models.Model):
    """A word of the catalogue: a one-typo query word is corrected to these."""

    term = models.CharField(max_length=60, unique=True)

    def __str__(self) -> str:
        return self.term


@lru_cache(maxsize=16)
def _model_url_template(urlconf: str | None, prefix: str) -> tuple[str, str]:
    """A model page's URL around its id: reversed once per URL configuration and
    script prefix, not once per row of a list. The id rule (catalog.ids) admits
    only characters reverse() leaves as they are, so the parts go in unquoted."""
    url = reverse("model-detail", kwargs={"author": "author0", "slug": "slug0"})
    head, _, tail = url.rpartition("author0/slug0")
    return head, tail
