"""PostgreSQL: narrow catalogue rows, so counting and filtering the list stays cheap
at tens of thousands of models.

- A model's raw payload (its largest value) is stored out of line (TOAST) once a
  row passes 1,536 bytes instead of ~2 KB: the table the list counts and scans
  halves, while descriptions stay inline for search to read (moving them too made
  `q` detoast every candidate: 250 ms at 30,000 models). Rows written from now on
  take it at once; `VACUUM FULL catalog_languagemodel` rewrites older ones.
- The list's count of listed, visible models is an index-only scan of a partial
  index (model_list's default filter).
- Modality and supported-parameter filters (`__has`, jsonb `@>`) use GIN indexes.
- An author's page (author_get: listed first, newest first) reads one page in order.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE catalog_languagemodel SET (toast_tuple_target = 1536)",
    'CREATE INDEX IF NOT EXISTS "model-listed" ON catalog_languagemodel (id) '
    "WHERE NOT hidden AND delisted_at IS NULL",
    *(
        f'CREATE INDEX IF NOT EXISTS "model-{column}-gin" ON catalog_languagemodel '
        f"USING gin ({column} jsonb_path_ops)"
        for column in ("input_modalities", "output_modalities", "supported_parameters")
    ),
    'CREATE INDEX IF NOT EXISTS "model-author-page" ON catalog_languagemodel '
    "(author_id, delisted_at DESC NULLS FIRST, created DESC NULLS LAST, slug)",
]
BACKWARD = [
    "ALTER TABLE catalog_languagemodel RESET (toast_tuple_target)",
    'DROP INDEX IF EXISTS "model-listed"',
    'DROP INDEX IF EXISTS "model-author-page"',
    *(
        f'DROP INDEX IF EXISTS "model-{column}-gin"'
        for column in ("input_modalities", "output_modalities", "supported_parameters")
    ),
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0013_provider_page_index")]

    operations = [migrations.RunPython(forward, backward)]
