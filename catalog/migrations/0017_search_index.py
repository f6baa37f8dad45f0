"""Search with relevance: each model's search keys (catalog.search.keys), the
vocabulary one-typo queries are corrected against, and on PostgreSQL their indexes.

- Two tables on every database, filled here for the models already stored; from
  now on ingest, overrides and the admin keep them (catalog.search.index).
- SQLite: an FTS5 index of the names and the text, kept by triggers.
- PostgreSQL: pg_trgm and a trigram index on the names (`LIKE '% word%'`), and the text's
  tsvector, stored and indexed (`text_vector @@ 'word:*'`), as
  catalog.search.selectors reads them.
"""

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import django.db.models.deletion
from django.db import migrations, models, transaction

logger = logging.getLogger(__name__)

BATCH = 1000
TRIGRAMS = (
    'CREATE INDEX IF NOT EXISTS "search-names-trgm" ON catalog_modelsearch '
    "USING gin (names gin_trgm_ops)"
)
# The text's words, stored (a query never builds a row's tsvector again) without
# positions (prefix matches need none; rows stay small) and indexed; catalog.search.selectors.WordsIn reads this column.
FULL_TEXT = (
    "ALTER TABLE catalog_modelsearch ADD COLUMN IF NOT EXISTS text_vector tsvector "
    "GENERATED ALWAYS AS (strip(to_tsvector('simple', text))) STORED",
    'CREATE INDEX IF NOT EXISTS "search-text-fts" ON catalog_modelsearch '
    "USING gin (text_vector)",
)
BACKWARD = [
    'DROP INDEX IF EXISTS "search-names-trgm"',
    'DROP INDEX IF EXISTS "search-text-fts"',
    "ALTER TABLE catalog_modelsearch DROP COLUMN IF EXISTS text_vector",
]


# The search keys (catalog/search/keys.py: model_document and what it reads) as
# this migration fills them, copied here so that the migration keeps its meaning
# when the keys change.
WORD = re.compile(r"[a-z0-9]+")
# Letters and digits part: "llama3" reads as "llama 3", so "llama 3.1" finds it.
PIECE = re.compile(r"[a-z]+|[0-9]+")
# A run longer than this adds nothing a person types.
MAX_RUN = 48
MAX_TEXT_WORDS = 200
# Typo tolerance (one edit) starts at words of this many letters.
TYPO_MIN_LETTERS = 5
TERM_LENGTHS = (TYPO_MIN_LETTERS - 1, 60)

# Price bands as words, USD per million input / output tokens.
CHEAP = (Decimal("0.5"), Decimal("2"))
LONG_CONTEXT = 200_000
MODALITY_WORDS = {
    ("in", "image"): "vision image images multimodal",
    ("in", "file"): "file files pdf",
    ("in", "audio"): "audio speech",
    ("in", "video"): "video",
    ("out", "image"): "image images generation",
    ("out", "audio"): "audio speech",
    ("out", "embeddings"): "embedding embeddings",
}
PARAMETER_WORDS = {
    "tools": "tools tool function calling",
    "reasoning": "reasoning thinking",
    "include_reasoning": "reasoning thinking",
    "structured_outputs": "structured json",
    "response_format": "json",
    "web_search_options": "web search",
}


def fold(text: str) -> str:
    """Lower case without accents: "Mistral Médium" -> "mistral medium"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def squash(text: str) -> str:
    """Letters and digits only: "OpenAI: GPT-4o" -> "openaigpt4o"."""
    return "".join(WORD.findall(fold(text)))


def runs(text: str) -> set[str]:
    """Every squashed run from a word boundary on: "GPT-4o" -> gpt4o, 4o, o."""
    pieces = PIECE.findall(fold(text))
    return {"".join(pieces[i:])[:MAX_RUN] for i in range(len(pieces))}


def spaced(values: Iterable[str]) -> str:
    """ " a b c ": each value with a space before it (and after the last), so a
    LIKE '% x%' is a word start and '% x %' a whole value."""
    ordered = sorted(v for v in set(values) if v)
    return f" {' '.join(ordered)} " if ordered else ""


@dataclass(frozen=True)
class SearchDocument:
    aliases: str
    names: str
    text: str
    terms: frozenset[str]


def model_document(model: Any, author_slug: str, author_name: str) -> SearchDocument:
    """The search keys of a model (a LanguageModel, or a migration's copy of it)."""
    slug, canonical = model.slug, model.canonical_slug or ""
    name = model.name or ""
    short_name = name.split(": ", 1)[1] if ": " in name else name
    whole = [slug, slug.split("/", 1)[-1], canonical, canonical.split("/", 1)[-1]]
    aliases = {squash(v)[: MAX_RUN * 2] for v in [*whole, name, short_name]}
    names: set[str] = set()
    for value in (slug, canonical, name, author_slug, author_name):
        names |= runs(value)
    names = {run for run in names if not _covered(run, names)}
    text = WORD.findall(fold(model.description or ""))[:MAX_TEXT_WORDS]
    text += facet_words(model).split()
    words = {
        w for v in (slug, name, author_slug, author_name) for w in WORD.findall(fold(v))
    }
    return SearchDocument(
        aliases=spaced(aliases),
        names=spaced(names),
        text=f" {' '.join(text)} " if text else "",
        terms=frozenset(t for t in words | aliases | set(text) if _term_length(t)),
    )


def _covered(run: str, runs_: set[str]) -> bool:
    # A run that starts a longer one is found through it: keep the key short.
    return any(other != run and other.startswith(run) for other in runs_)


def _term_length(term: str) -> bool:
    return TERM_LENGTHS[0] <= len(term) <= TERM_LENGTHS[1]


def facet_words(model: Any) -> str:
    """Words for what a model can do and what it costs, as people search for them."""
    words = []
    for direction, modalities in (
        ("in", model.input_modalities),
        ("out", model.output_modalities),
    ):
        for modality in modalities if isinstance(modalities, list) else []:
            words.append(MODALITY_WORDS.get((direction, str(modality)), ""))
    parameters = model.supported_parameters
    for parameter in parameters if isinstance(parameters, list) else []:
        words.append(PARAMETER_WORDS.get(str(parameter), ""))
    words.append(_price_words(model))
    if (model.context_length or 0) >= LONG_CONTEXT:
        words.append("long context")
    if model.hugging_face_id:
        words.append("open weights source opensource")
    return " ".join(dict.fromkeys(" ".join(words).split()))


def _price_words(model: Any) -> str:
    prompt, completion = model.price_prompt, model.price_completion
    if model.is_variable_price or prompt is None or completion is None:
        return ""
    prompt, completion = Decimal(prompt), Decimal(completion)
    if prompt == 0 and completion == 0:
        return "free cheap"
    if prompt <= CHEAP[0] and completion <= CHEAP[1]:
        return "cheap"
    return ""


def backfill(apps, schema_editor):
    model = apps.get_model("catalog", "LanguageModel")
    search = apps.get_model("catalog", "ModelSearch")
    term = apps.get_model("catalog", "SearchTerm")
    authors = {a.pk: a for a in apps.get_model("catalog", "Author").objects.all()}
    last, terms = 0, set()
    while True:
        chunk = list(model.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not chunk:
            break
        rows = []
        for m in chunk:
            author = authors[m.author_id]
            document = model_document(m, author.slug, author.name)
            rows.append(
                search(
                    model=m,
                    aliases=document.aliases,
                    names=document.names,
                    text=document.text,
                )
            )
            terms |= document.terms
        search.objects.bulk_create(rows, ignore_conflicts=True)
        last = chunk[-1].pk
    words = sorted(terms)
    for start in range(0, len(words), BATCH):
        term.objects.bulk_create(
            [term(term=t) for t in words[start : start + BATCH]],
            ignore_conflicts=True,
        )


# SQLite: the names' and the text's words in an FTS5 index over the table
# (external content), kept by triggers; catalog.search.selectors.WordsIn reads it.
SQLITE_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalog_modelsearch_fts USING fts5("
    "names, text, content='catalog_modelsearch', content_rowid='model_id')",
    "CREATE TRIGGER IF NOT EXISTS catalog_modelsearch_fts_insert AFTER INSERT ON "
    "catalog_modelsearch BEGIN INSERT INTO catalog_modelsearch_fts"
    "(rowid, names, text) VALUES (new.model_id, new.names, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS catalog_modelsearch_fts_delete AFTER DELETE ON "
    "catalog_modelsearch BEGIN INSERT INTO catalog_modelsearch_fts"
    "(catalog_modelsearch_fts, rowid, names, text) VALUES ('delete', "
    "old.model_id, old.names, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS catalog_modelsearch_fts_update AFTER UPDATE ON "
    "catalog_modelsearch BEGIN INSERT INTO catalog_modelsearch_fts"
    "(catalog_modelsearch_fts, rowid, names, text) VALUES ('delete', "
    "old.model_id, old.names, old.text); INSERT INTO catalog_modelsearch_fts"
    "(rowid, names, text) VALUES (new.model_id, new.names, new.text); END",
    "INSERT INTO catalog_modelsearch_fts(catalog_modelsearch_fts) VALUES ('rebuild')",
)
SQLITE_FTS_DROP = (
    "DROP TRIGGER IF EXISTS catalog_modelsearch_fts_insert",
    "DROP TRIGGER IF EXISTS catalog_modelsearch_fts_delete",
    "DROP TRIGGER IF EXISTS catalog_modelsearch_fts_update",
    "DROP TABLE IF EXISTS catalog_modelsearch_fts",
)


def indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FTS:
            schema_editor.execute(statement)
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FULL_TEXT:
        schema_editor.execute(statement)
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # no privilege to create it: search scans the names
        logger.warning("pg_trgm unavailable, the names are scanned: %s", exc)
        return
    schema_editor.execute(TRIGRAMS)


def indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FTS_DROP:
            schema_editor.execute(statement)
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0016_api_sort_indexes")]

    operations = [
        migrations.CreateModel(
            name="ModelSearch",
            fields=[
                (
                    "model",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search",
                        serialize=False,
                        to="catalog.languagemodel",
                    ),
                ),
                ("aliases", models.TextField(blank=True)),
                ("names", models.TextField(blank=True)),
                ("text", models.TextField(blank=True)),
            ],
        ),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("term", models.CharField(max_length=60, unique=True)),
            ],
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(indexes, indexes_drop),
    ]
