"""Past direct prices loaded from a dated timeline are marked as such."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0030_categories"),
    ]

    operations = [
        migrations.AddField(
            model_name="catalogevent",
            name="backfill",
            field=models.CharField(blank=True, default="", max_length=60),
        ),
    ]
