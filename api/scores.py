"""The model list's bounds on Artificial Analysis's indices (upstream's
`min_intelligence_index`, …), kept apart so that api/forms.py can mix them in."""

from __future__ import annotations

from typing import Any

from django import forms

from catalog.models.benchmarks import AA_INDICES

# The model list's filters on the indices (upstream's names): column, lookup.
SCORE_FILTERS = {
    f"{bound}_{index}": (index, "gte" if bound == "min" else "lte")
    for index in AA_INDICES
    for bound in ("min", "max")
}
INDEX_MAX = 1e6


class IndexParam(forms.FloatField):
    """A bound on an index: a number (the document says so), so a bound given
    empty is a 400, not "no bound"."""

    def to_python(self, value: Any) -> Any:
        if value == "":
            raise forms.ValidationError("must be a number")
        return super().to_python(value)


class ScoreFilters(forms.Form):
    """The model list's bounds on Artificial Analysis's indices: a model without
    the index is within no bound."""

    min_intelligence_index = IndexParam(
        required=False,
        min_value=0,
        max_value=INDEX_MAX,
        help_text="Minimum Artificial Analysis intelligence index.",
    )
    max_intelligence_index = IndexParam(
        required=False,
        min_value=0,
        max_value=INDEX_MAX,
        help_text="Maximum Artificial Analysis intelligence index.",
    )
    min_coding_index = IndexParam(
        required=False,
        min_value=0,
        max_value=INDEX_MAX,
        help_text="Minimum Artificial Analysis coding index.",
    )
    max_coding_index = IndexParam(
        required=False,
        min_value=0,
        max_value=INDEX_MAX,
        help_text="Maximum Artificial Analysis coding index.",
    )
    min_agentic_index = IndexParam(
        required=False,
        min_value=0,
        max_value=INDEX_MAX,
        help_text="Minimum Artificial Analysis agentic index.",
    )
    max_agentic_index = IndexParam(
        required=False,
        min_value=0,
        max_value=INDEX_MAX,
        help_text="Maximum Artificial Analysis agentic index.",
    )

    def score_bounds(self) -> tuple[tuple[str, float], ...]:
        """The bounds given, as ModelScores lookups (`intelligence_index__gte`)."""
        data = self.cleaned_data
        return tuple(
            (f"{column}__{lookup}", data[name])
            for name, (column, lookup) in SCORE_FILTERS.items()
            if data.get(name) is not None
        )
