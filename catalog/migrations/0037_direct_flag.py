"""Models flag whether a direct source lists an offer of theirs, so that a model
page reads direct offers only for the few that have one; the flag is set here for
the offers stored already."""

from django.db import migrations, models


def flag(apps, schema_editor):
    offer = apps.get_model("catalog", "DirectOffer")
    model = apps.get_model("catalog", "LanguageModel")
    listed = offer.objects.filter(delisted_at__isnull=True, model__isnull=False)
    model.objects.filter(pk__in=listed.values("model_id")).update(
        has_direct_offers=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0036_direct_successor"),
    ]

    operations = [
        migrations.AddField(
            model_name="languagemodel",
            name="has_direct_offers",
            # Nullable, no default: SQLite adds it in place, keeping the table's
            # triggers (a default would rebuild the table without them).
            field=models.BooleanField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(flag, migrations.RunPython.noop),
    ]
