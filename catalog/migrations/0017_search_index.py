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

import django.db.models.deletion
from django.db import migrations, models, transaction

from catalog.search.keys import model_document

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
