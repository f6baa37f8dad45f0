"""Third-party benchmark scores of the models: each score as upstream gave it, with
its source, citation and date (BenchmarkScore), and each model's current figures
that the lists sort and filter on (ModelScores)."""

from __future__ import annotations

from django.db import models

from catalog.models.catalogue import LanguageModel


class BenchmarkSource(models.TextChoices):
    ARTIFICIAL_ANALYSIS = "artificial-analysis", "Artificial Analysis"
    DESIGN_ARENA = "design-arena", "Design Arena"


class BenchmarkVia(models.TextChoices):
    """Which upstream list a score came from: the model list's `benchmarks`, or
    the unified `/benchmarks` (which dates and cites its data)."""

    MODELS = "models", "Model list"
    BENCHMARKS = "benchmarks", "Benchmarks list"


# Artificial Analysis's indices (the metrics of its rows); Design Arena's is "elo".
AA_INDICES = ("intelligence_index", "coding_index", "agentic_index")
ELO = "elo"


class BenchmarkScore(models.Model):
    """One score: an Artificial Analysis index, or a Design Arena Elo rating of
    one arena and category."""

    model = models.ForeignKey(
        LanguageModel, on_delete=models.CASCADE, related_name="benchmark_scores"
    )
    source = models.CharField(max_length=30, choices=BenchmarkSource.choices)
    metric = models.CharField(max_length=30)
    arena = models.CharField(max_length=60, blank=True)
    category = models.CharField(max_length=60, blank=True)
    value = models.FloatField()
    win_rate = models.FloatField(null=True, blank=True, help_text="percent")
    rank = models.PositiveIntegerField(null=True, blank=True)
    via = models.CharField(max_length=12, choices=BenchmarkVia.choices)
    as_of = models.DateTimeField(
        help_text="Upstream's as_of for /benchmarks; the poll's time for the "
        "model list, which gives none"
    )
    citation = models.CharField(max_length=300, blank=True)
    source_url = models.CharField(max_length=300, blank=True)
    # What else /benchmarks says of the score (display name, average generation
    # time, tournament placings, pricing), served back as sent.
    details = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["model", "source", "metric", "arena", "category", "via"],
                name="benchmark-score-key",
            )
        ]
        indexes = [
            # benchmark_api_list: one source's scores, best first.
            models.Index(fields=["source", "metric", "-value"], name="benchmark-rank"),
        ]

    def __str__(self) -> str:
        where = f" {self.arena}/{self.category}" if self.arena else ""
        return f"{self.model_id} {self.source} {self.metric}{where}: {self.value}"


class ModelScores(models.Model):
    """A model's current benchmark figures (catalog.ingest.benchmarks keeps them):
    /benchmarks' value where it has one, else the model list's; the best Design
    Arena Elo across arenas and categories."""

    model = models.OneToOneField(
        LanguageModel, on_delete=models.CASCADE, primary_key=True, related_name="scores"
    )
    intelligence_index = models.FloatField(null=True, blank=True)
    coding_index = models.FloatField(null=True, blank=True)
    agentic_index = models.FloatField(null=True, blank=True)
    design_arena_elo = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "model scores"
        # The API's benchmark sorts and index filters (api/benchmarks.py).
        indexes = [
            models.Index(fields=["-intelligence_index"], name="scores-intelligence"),
            models.Index(fields=["-coding_index"], name="scores-coding"),
            models.Index(fields=["-agentic_index"], name="scores-agentic"),
            models.Index(fields=["-design_arena_elo"], name="scores-elo"),
        ]

    def __str__(self) -> str:
        return f"scores of {self.model_id}"
