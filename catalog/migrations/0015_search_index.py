"""Search with relevance: each model's search keys (catalog.search.keys), the
vocabulary one-typo queries are corrected against, and on PostgreSQL their indexes.

- Two tables on every database, filled here for the models already stored; from
  now on ingest, overrides and the admin keep them (catalog.searchindex).
- PostgreSQL only (nothing else on SQLite, where search scans the keys with LIKE):
  pg_trgm and a trigram index on the names (`LIKE '% word%'`), and a full-text
  index on the text (`to_tsvector('simple', text) @@ 'word:*'`), as
  catalog.search.selectors writes them.
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
FULL_TEXT = (
    'CREATE INDEX IF NOT EXISTS "search-text-fts" ON catalog_modelsearch '
    "USING gin (to_tsvector('simple', text))"
)
BACKWARD = [
    'DROP INDEX IF EXISTS "search-names-trgm"',
    'DROP INDEX IF EXISTS "search-text-fts"',
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


def indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FULL_TEXT)
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # no privilege to create it: search scans the names
        logger.warning("pg_trgm unavailable, the names are scanned: %s", exc)
        return
    schema_editor.execute(TRIGRAMS)


def indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0014_narrow_model_rows")]

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
