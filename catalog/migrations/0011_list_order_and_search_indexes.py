"""PostgreSQL indexes for the catalogue list's and the API's orders and search.

- One index per order (featured first for the list, as front/listing.py sorts; the
  API's orders as api/selectors.py writes them), so a sorted, limited page is an
  index scan: SQLite cannot index NULLS LAST, and serves one laptop's catalogue.
- Trigram indexes for `q` (name, id or description contains, case-insensitive),
  where pg_trgm can be created. Django's `icontains` compares UPPER(column::text):
  the indexes are on that expression. Without pg_trgm the search scans, as before.
"""

import logging

from django.db import migrations, models, transaction
from django.db.models import F
from django.db.models.functions import Lower

logger = logging.getLogger(__name__)

SEARCHED = ("name", "slug", "description")


def _orders():
    featured = F("featured").desc()
    newest = F("created").desc(nulls_last=True)
    price_asc = (
        F("price_prompt").asc(nulls_last=True),
        F("price_completion").asc(nulls_last=True),
    )
    return {
        "list-newest": (featured, newest),
        "list-price-asc": (featured, *price_asc),
        "list-price-desc": (
            featured,
            F("price_prompt").desc(nulls_last=True),
            F("price_completion").desc(nulls_last=True),
        ),
        "list-context": (featured, F("context_length").desc(nulls_last=True)),
        "list-tokens": (featured, F("tokens_week").desc(nulls_last=True)),
        "list-throughput": (featured, F("throughput_p50").desc(nulls_last=True)),
        "list-latency": (featured, F("latency_p50").asc(nulls_last=True)),
        "api-newest": (newest,),
        "api-name": (Lower("name"),),
        "api-context": (F("context_length").desc(nulls_last=True), newest),
        "api-price": (*price_asc, newest),
    }


def _indexes():
    return [
        models.Index(*order, F("slug").asc(), name=name)
        for name, order in _orders().items()
    ]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("catalog", "LanguageModel")
    for index in _indexes():
        schema_editor.add_index(model, index)
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # no privilege to create it: search still works
        logger.warning("pg_trgm unavailable, search stays a scan: %s", exc)
        return
    for column in SEARCHED:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "model-{column}-trgm" '
            f"ON catalog_languagemodel USING gin "
            f'((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("catalog", "LanguageModel")
    for index in _indexes():
        schema_editor.remove_index(model, index)
    for column in SEARCHED:
        schema_editor.execute(f'DROP INDEX IF EXISTS "model-{column}-trgm"')


class Migration(migrations.Migration):
    dependencies = [("catalog", "0010_current_figures_and_polling")]

    operations = [migrations.RunPython(create, drop)]
