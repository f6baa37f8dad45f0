"""Time series about models and their endpoints: samples, rollups, usage, apps.

Every natural key the ingest upserts on has a UniqueConstraint; every index names the
selector (or job) that reads through it.
"""

from __future__ import annotations

from django.db import models

from catalog.models import Endpoint, LanguageModel
from stats.definitions import UptimeDefinition


class EndpointSample(models.Model):
    """One poll of an endpoint's rolling-window stats (upstream caches them 300 s)."""

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="samples"
    )
    # The poll time floored to 5 minutes: polling the same cache window twice
    # overwrites one row instead of adding a second.
    window_start = models.DateTimeField()
    polled_at = models.DateTimeField()
    status = models.IntegerField(null=True, blank=True)
    uptime_5m = models.FloatField(null=True, blank=True)
    uptime_30m = models.FloatField(null=True, blank=True)
    uptime_1d = models.FloatField(null=True, blank=True)
    # What the uptime figures mean (stats.definitions): set from the time they
    # were measured at.
    uptime_definition = models.CharField(
        max_length=10,
        choices=UptimeDefinition.choices,
        default=UptimeDefinition.REQUESTS,
    )
    latency_p50 = models.FloatField(null=True, blank=True, help_text="ms")
    latency_p75 = models.FloatField(null=True, blank=True)
    latency_p90 = models.FloatField(null=True, blank=True)
    latency_p99 = models.FloatField(null=True, blank=True)
    throughput_p50 = models.FloatField(null=True, blank=True, help_text="tokens/s")
    throughput_p75 = models.FloatField(null=True, blank=True)
    throughput_p90 = models.FloatField(null=True, blank=True)
    throughput_p99 = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            # Also serves endpoint_latest_samples (endpoint, newest window first).
            models.UniqueConstraint(
                fields=["endpoint", "window_start"], name="sample-endpoint-window"
            )
        ]
        indexes = [
            # samples_prune and rollup_build scan by time across all endpoints.
            models.Index(fields=["window_start"], name="sample-window"),
        ]

    def __str__(self) -> str:
        return f"{self.endpoint_id} @ {self.window_start:%Y-%m-%d %H:%M}"


class Period(models.TextChoices):
    HOUR = "hour", "Hour"
    DAY = "day", "Day"


class EndpointRollup(models.Model):
    """Samples of one endpoint averaged over an hour or a day; kept past retention."""

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="rollups"
    )
    period = models.CharField(max_length=4, choices=Period.choices)
    start = models.DateTimeField()
    samples = models.PositiveIntegerField(default=0)
    uptime_avg = models.FloatField(null=True, blank=True)
    uptime_min = models.FloatField(null=True, blank=True)
    # What the uptime figures mean (stats.definitions): set from the time they
    # were measured at.
    uptime_definition = models.CharField(
        max_length=10,
        choices=UptimeDefinition.choices,
        default=UptimeDefinition.REQUESTS,
    )
    latency_p50_avg = models.FloatField(null=True, blank=True)
    throughput_p50_avg = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            # Also serves model_series_get's per-provider series (endpoint, period, start).
            models.UniqueConstraint(
                fields=["endpoint", "period", "start"], name="rollup-natural-key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.endpoint_id} {self.period} {self.start:%Y-%m-%d %H:%M}"


class UptimeHistory(models.Model):
    """Hourly uptime backfilled from the website (last ~72 h each poll).

    `series` is "" for the model across all providers, else the endpoint's key.
    """

    model = models.ForeignKey(
        LanguageModel, on_delete=models.CASCADE, related_name="uptime_history"
    )
    endpoint = models.ForeignKey(
        Endpoint,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="uptime_history",
    )
    series = models.CharField(max_length=200, blank=True)
    hour = models.DateTimeField()
    uptime = models.FloatField(null=True, blank=True)
    # What the uptime figures mean (stats.definitions): set from the time they
    # were measured at.
    uptime_definition = models.CharField(
        max_length=10,
        choices=UptimeDefinition.choices,
        default=UptimeDefinition.REQUESTS,
    )
    source = models.CharField(max_length=40)

    class Meta:
        constraints = [
            # Also serves model_series_get's uptime query (model, hour range).
            models.UniqueConstraint(
                fields=["model", "series", "hour"], name="uptime-natural-key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model_id} {self.series or 'all'} {self.hour:%Y-%m-%d %H}"


class PerformanceHistory(models.Model):
    """An hour of an endpoint's p50 latency and throughput as upstream's model page
    charts them (its performance tab), backfilled by stats.syncs.sync_history: kept
    apart from the board's own samples and rollups, and shown as upstream's."""

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="performance_history"
    )
    hour = models.DateTimeField()
    latency_p50 = models.FloatField(null=True, blank=True, help_text="ms")
    throughput_p50 = models.FloatField(null=True, blank=True, help_text="tokens/s")

    class Meta:
        constraints = [
            # Also serves model_series_get's history query (endpoint, hour range).
            models.UniqueConstraint(
                fields=["endpoint", "hour"], name="performance-history-natural-key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.endpoint_id} @ {self.hour:%Y-%m-%d %H}"


class ListedPriceHistory(models.Model):
    """An endpoint's listed prices (USD per million tokens, discount applied) from
    `at` on, as upstream's change log has them since its first listing; backfilled
    by stats.syncs.sync_history, kept apart from the board's own price events
    (catalog.CatalogEvent) and shown as upstream's."""

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="listed_price_history"
    )
    at = models.DateTimeField()
    # As the catalogue's price columns are (catalog.models.catalogue.price_field).
    prompt = models.DecimalField(max_digits=24, decimal_places=12, null=True)
    completion = models.DecimalField(max_digits=24, decimal_places=12, null=True)

    class Meta:
        constraints = [
            # Also serves listed_price_points (endpoint, time order).
            models.UniqueConstraint(
                fields=["endpoint", "at"], name="listed-price-history-natural-key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.endpoint_id} from {self.at:%Y-%m-%d %H:%M}"


class UsageSource(models.TextChoices):
    WEBSITE = "website", "OpenRouter model page"
    RANKINGS = "rankings", "OpenRouter rankings dataset"


class TokenUsageDaily(models.Model):
    """Public tokens processed by one model in one UTC day, per source."""

    model = models.ForeignKey(
        LanguageModel, on_delete=models.CASCADE, related_name="token_usage"
    )
    date = models.DateField()
    source = models.CharField(max_length=10, choices=UsageSource.choices)
    prompt = models.PositiveBigIntegerField(null=True, blank=True)
    completion = models.PositiveBigIntegerField(null=True, blank=True)
    reasoning = models.PositiveBigIntegerField(null=True, blank=True)
    total = models.PositiveBigIntegerField(default=0)
    requests = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            # Also serves model_series_get's token chart (model, date range).
            models.UniqueConstraint(
                fields=["model", "date", "source"], name="usage-natural-key"
            )
        ]
        indexes = [
            # stats.figures: every model's tokens over the latest weeks.
            models.Index(fields=["date"], name="usage-date"),
        ]

    def __str__(self) -> str:
        return f"{self.model_id} {self.date} {self.source}"


class AccountUsageDaily(models.Model):
    """This board's own account usage from /activity: private, never mixed with public."""

    date = models.DateField()
    model_slug = models.CharField(max_length=200)
    model = models.ForeignKey(
        LanguageModel,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="account_usage",
    )
    endpoint_upstream_id = models.CharField(max_length=64, blank=True)
    provider_name = models.CharField(max_length=200, blank=True)
    requests = models.PositiveBigIntegerField(default=0)
    prompt = models.PositiveBigIntegerField(default=0)
    completion = models.PositiveBigIntegerField(default=0)
    reasoning = models.PositiveBigIntegerField(default=0)
    usage_usd = models.DecimalField(max_digits=20, decimal_places=10, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["date", "model_slug", "endpoint_upstream_id"],
                name="account-usage-natural-key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.model_slug}"


class App(models.Model):
    """A public app that sends attribution headers to OpenRouter."""

    upstream_id = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=300)
    slug = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    main_url = models.URLField(max_length=500, blank=True)
    origin_url = models.URLField(max_length=500, blank=True)
    source_code_url = models.URLField(max_length=500, blank=True)
    categories = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def url(self) -> str:
        return self.main_url or self.origin_url


class AppUsage(models.Model):
    """An app's tokens on one model, as ranked on the model page for a week."""

    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="usage")
    model = models.ForeignKey(
        LanguageModel, on_delete=models.CASCADE, related_name="app_usage"
    )
    period = models.CharField(max_length=8, default="week")
    # Monday of the week the ranking was polled in.
    period_start = models.DateField()
    rank = models.PositiveIntegerField()
    tokens = models.PositiveBigIntegerField(default=0)
    requests = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["app", "model", "period_start"], name="app-usage-natural-key"
            )
        ]
        indexes = [
            # model_apps_get: a model's apps of its latest week, by rank.
            models.Index(
                fields=["model", "-period_start", "rank"], name="app-usage-model-week"
            ),
            # stats.figures.rankings_build: the latest week polled.
            models.Index(fields=["period_start"], name="app-usage-week"),
        ]

    def __str__(self) -> str:
        return f"{self.app_id} on {self.model_id} week of {self.period_start}"


class AppRanking(models.Model):
    """The global app leaderboard (datasets API) for a window ending on `date`."""

    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="rankings")
    date = models.DateField()
    rank = models.PositiveIntegerField()
    tokens = models.PositiveBigIntegerField(default=0)
    requests = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["app", "date"], name="app-ranking-natural-key"
            )
        ]
        indexes = [
            # stats.figures.rankings_build: the latest leaderboard.
            models.Index(fields=["date", "rank"], name="app-ranking-date"),
        ]

    def __str__(self) -> str:
        return f"#{self.rank} {self.app_id} {self.date}"


class TopModel(models.Model):
    """The rankings page's models, built by stats.figures.rankings_build: tokens in
    the latest 7 days of data and the 7 days before."""

    rank = models.PositiveIntegerField(unique=True)
    model = models.ForeignKey(
        LanguageModel, on_delete=models.CASCADE, related_name="top_ranks"
    )
    tokens = models.PositiveBigIntegerField()
    previous = models.PositiveBigIntegerField(null=True, blank=True)
    week_end = models.DateField()

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"#{self.rank} {self.model_id} week to {self.week_end}"


class TopApp(models.Model):
    """The rankings page's apps, built by stats.figures.rankings_build: the Data
    API's leaderboard, else the apps' tokens over the models they use."""

    rank = models.PositiveIntegerField(unique=True)
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="top_ranks")
    tokens = models.PositiveBigIntegerField()
    as_of = models.DateField()

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"#{self.rank} {self.app_id} as of {self.as_of}"
