"""Direct offers keep the catalogue model their successor names, resolved when they
are written instead of looked up by every page that shows them; the offers stored
already are resolved here (the rule frozen as catalog.ingest.direct has it today:
the same provider's matched entry of that key, or ending in "/" and it, the
shortest key first)."""

import django.db.models.deletion
from django.db import migrations, models


def resolve(apps, schema_editor):
    offer = apps.get_model("catalog", "DirectOffer")
    rows = list(
        offer.objects.values_list(
            "pk", "source", "provider", "key", "model_id", "successor_model"
        )
    )
    named = {}
    for _, source, provider, key, model_id, _ in sorted(
        rows, key=lambda r: (len(r[3]), r[3])
    ):
        if model_id is not None:
            parts = key.split("/")
            for start in range(len(parts)):
                named.setdefault((source, provider, "/".join(parts[start:])), model_id)
    by_successor = {}
    for pk, source, provider, _, _, successor in rows:
        found = named.get((source, provider, successor)) if successor else None
        if found is not None:
            by_successor.setdefault(found, []).append(pk)
    for found, pks in by_successor.items():
        offer.objects.filter(pk__in=pks).update(successor_id=found)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0035_sync_kinds"),
    ]

    operations = [
        migrations.AddField(
            model_name="directoffer",
            name="successor",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="catalog.languagemodel",
            ),
        ),
        migrations.RunPython(resolve, migrations.RunPython.noop),
    ]
