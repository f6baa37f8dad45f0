"""Writes of the search index: a model's search keys follow every write of the
fields they are made of (ingest batches, editors' overrides, the admin)."""

from __future__ import annotations

from collections.abc import Iterable

from catalog.models import Author, LanguageModel, ModelSearch, SearchTerm
from catalog.search.keys import model_document

# The columns a model's search keys are made of: a write of any of them refreshes
# its keys.
SEARCHED_FIELDS = frozenset(
    {
        "slug",
        "canonical_slug",
        "author_id",
        "name",
        "description",
        "input_modalities",
        "output_modalities",
        "supported_parameters",
        "context_length",
        "hugging_face_id",
        "price_prompt",
        "price_completion",
        "is_variable_price",
    }
)
BATCH = 500


def search_index_refresh(models: Iterable[LanguageModel]) -> int:
    """Write the search keys of these models (and new words to the vocabulary)."""
    models = [m for m in models if m.pk is not None]
    if not models:
        return 0
    authors = Author.objects.in_bulk({m.author_id for m in models})
    rows: list[ModelSearch] = []
    terms: set[str] = set()
    for model in models:
        author = authors.get(model.author_id)
        document = model_document(
            model, author.slug if author else "", author.name if author else ""
        )
        rows.append(
            ModelSearch(
                model=model,
                aliases=document.aliases,
                names=document.names,
                text=document.text,
                family=document.family,
            )
        )
        terms |= document.terms
    ModelSearch.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["model"],
        update_fields=["aliases", "names", "text", "family"],
    )
    _terms_add(terms)
    return len(rows)


def _terms_add(terms: set[str]) -> None:
    # Known words are most of them: insert only the new ones. Words a model no
    # longer uses stay: a correction to them finds nothing more than the typo did.
    wanted = sorted(terms)
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        known = set(
            SearchTerm.objects.filter(term__in=chunk).values_list("term", flat=True)
        )
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=t) for t in chunk if t not in known],
            ignore_conflicts=True,
        )


def search_index_refresh_changed(
    models: Iterable[LanguageModel], changed: Iterable[str]
) -> int:
    """Refresh the keys of these models when a searched field is among `changed`."""
    if SEARCHED_FIELDS.isdisjoint(changed):
        return 0
    return search_index_refresh(models)
