"""Rows stored before the id rule and before endpoints followed their model.

Models whose id no page can route (non-ASCII, a reserved author, `.`/`..` steps)
are hidden, with a note saying why: upstream ids of that shape are now refused, and
such a row's links lead to its admin page. Providers named by such a slug (an empty
one, from a tag starting with "/") take a slug made from their name, as new ones
do. Endpoints of delisted models are delisted at their model's time.
"""

from __future__ import annotations

from django.db import migrations
from django.utils.text import slugify

from catalog import ids

NOTE = "Hidden: this id cannot be routed by the board's URLs (see the id rule)."


def forwards(apps, schema_editor):
    LanguageModel = apps.get_model("catalog", "LanguageModel")
    Endpoint = apps.get_model("catalog", "Endpoint")
    for model in LanguageModel.objects.only("pk", "slug", "internal_notes"):
        if ids.model_id_parts(model.slug) is None:
            notes = f"{model.internal_notes}\n{NOTE}".strip()
            LanguageModel.objects.filter(pk=model.pk).update(
                hidden=True, internal_notes=notes
            )
    Provider = apps.get_model("catalog", "Provider")
    taken = set(Provider.objects.values_list("slug", flat=True))
    for provider in Provider.objects.only("pk", "slug", "name"):
        if ids.provider_slug_problem(provider.slug) is None:
            continue
        slug = slugify(provider.name)[:90] or "provider"
        if slug in taken:
            slug = f"{slug}-{provider.pk}"
        taken.add(slug)
        Provider.objects.filter(pk=provider.pk).update(slug=slug)
    delisted = LanguageModel.objects.filter(delisted_at__isnull=False)
    for model_id, since in delisted.values_list("pk", "delisted_at"):
        Endpoint.objects.filter(model_id=model_id, delisted_at__isnull=True).update(
            delisted_at=since
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_shrink_refusals")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
