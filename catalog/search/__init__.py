"""Search: one ranking for the list page's `q`, the header's suggestions and the
API's `q` (selectors.py, named here). A model's search keys (keys.py) are written
by index.py after every write of the fields they are made of."""

from __future__ import annotations

from catalog.search.selectors import (
    Suggestion,
    by_relevance,
    model_suggestions,
    models_matching,
    search_plan,
    search_ranked,
)

__all__ = [
    "Suggestion",
    "by_relevance",
    "model_suggestions",
    "models_matching",
    "search_plan",
    "search_ranked",
]
