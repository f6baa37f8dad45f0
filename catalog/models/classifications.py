"""Upstream's task classifications: which models it ranks for which task, from
its sampled traffic of a trailing window (GET /classifications/task). Each poll
replaces the whole set: upstream gives a snapshot, not a history."""

from __future__ import annotations

from django.db import models

from catalog.models.catalogue import LanguageModel


class TaskClassification(models.Model):
    """One model among the top models of one task classification."""

    model = models.ForeignKey(
        LanguageModel, on_delete=models.CASCADE, related_name="classifications"
    )
    # `code:general_impl`: `<macro_category>:<task>`.
    tag = models.CharField(max_length=100)
    macro_category = models.CharField(max_length=40)
    display_name = models.CharField(max_length=200, blank=True)
    # The model's place in the tag's list (0: most requests), as upstream sent it.
    rank = models.PositiveIntegerField()
    # Shares of the tag's sampled requests and tokens (0-1).
    usage_share = models.FloatField()
    token_share = models.FloatField()
    # The window's last day (upstream's `as_of`) and when we stored it.
    as_of = models.DateField(null=True, blank=True)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "tag"], name="classification-key")
        ]
        indexes = [
            # api.selectors: the category filter (a macro-category or a tag).
            models.Index(
                fields=["macro_category", "model"], name="classification-macro"
            ),
            models.Index(fields=["tag", "model"], name="classification-tag"),
        ]
        ordering = ["tag", "rank"]

    def __str__(self) -> str:
        return f"{self.tag}: {self.model_id} #{self.rank}"
