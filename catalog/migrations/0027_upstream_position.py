"""Each model's position in upstream's list, kept from the catalogue poll: the API's
default order and every sort's tie-break. Filled by the next poll (null until then,
sorted after the positioned models, newest first).

The column is nullable so that SQLite adds it in place: a default would make
Django rebuild the table, dropping the triggers migrations 0017 and 0024 put on it.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0026_search_family_and_history_runs'),
    ]

    operations = [
        migrations.AddField(
            model_name='languagemodel',
            name='upstream_position',
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name='languagemodel',
            index=models.Index(fields=['upstream_position', '-created', 'slug'], name='model-upstream-order'),
        ),
    ]
