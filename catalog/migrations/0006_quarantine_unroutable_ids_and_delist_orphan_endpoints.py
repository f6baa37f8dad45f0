"""Rows stored before the id rule and before endpoints followed their model.

Models whose id no page can route (non-ASCII, a reserved author, `.`/`..` steps)
are hidden, with a note saying why: upstream ids of that shape are now refused, and
such a row's links lead to its admin page. Providers named by such a slug (an empty
one, from a tag starting with "/") take a slug made from their name, as new ones
do. Endpoints of delisted models are delisted at their model's time.
"""

from __future__ import annotations

import re

from django.db import migrations
from django.utils.text import slugify

NOTE = "Hidden: this id cannot be routed by the board's URLs (see the id rule)."

# The id rule (catalog/ids.py) as this migration applies it, copied here so that
# the migration keeps its meaning when the rule changes.
MAX_LENGTH = 200
# Top-level paths of the site: an author named like one of them would be shadowed.
RESERVED = (
    "admin",
    "static",
    "media",
    "api",
    "changes",
    "status",
    "healthz",
    "rankings",
    "compare",
    "providers",
    "watch",
    "usage",
    "usage.csv",
    "robots.txt",
    "favicon.ico",
)
_RESERVED = "|".join(re.escape(word) for word in RESERVED)
# `.` and `..` alone are path steps, not names.
_NOT_DOTS = r"(?!\.\.?(?:/|$))"
AUTHOR_PATTERN = rf"(?!(?:{_RESERVED})(?:/|$)){_NOT_DOTS}[A-Za-z0-9._~-]+"
SLUG_PATTERN = rf"{_NOT_DOTS}[A-Za-z0-9._~:-]+"
PROVIDER_PATTERN = rf"{_NOT_DOTS}[A-Za-z0-9._~-]+"

_MODEL_ID = re.compile(rf"(?P<author>{AUTHOR_PATTERN})/(?P<slug>{SLUG_PATTERN})")
_PROVIDER = re.compile(PROVIDER_PATTERN)


def provider_slug_problem(value: object) -> str | None:
    """Why `value` is not a provider slug the board can route, or None."""
    if not isinstance(value, str):
        return "must be a string"
    if len(value) > 100:
        return "longer than 100 characters"
    if _PROVIDER.fullmatch(value):
        return None
    return "must be ASCII letters, digits and . _ ~ - (not . or ..)"


def model_id_parts(value: str) -> dict[str, str] | None:
    """{"author", "slug"} of a routable id, for reverse(); None for any other."""
    match = _MODEL_ID.fullmatch(value) if len(value) <= MAX_LENGTH else None
    return match.groupdict() if match else None


def forwards(apps, schema_editor):
    LanguageModel = apps.get_model("catalog", "LanguageModel")
    Endpoint = apps.get_model("catalog", "Endpoint")
    for model in LanguageModel.objects.only("pk", "slug", "internal_notes"):
        if model_id_parts(model.slug) is None:
            notes = f"{model.internal_notes}\n{NOTE}".strip()
            LanguageModel.objects.filter(pk=model.pk).update(
                hidden=True, internal_notes=notes
            )
    Provider = apps.get_model("catalog", "Provider")
    taken = set(Provider.objects.values_list("slug", flat=True))
    for provider in Provider.objects.only("pk", "slug", "name"):
        if provider_slug_problem(provider.slug) is None:
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
