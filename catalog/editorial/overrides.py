"""Editors' overrides: the column holds the effective value, the override remembers
upstream's. Polls never change an overridden column; they flag the override instead."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import models, transaction

from catalog.models import DirectOffer, Endpoint, FieldOverride, LanguageModel
from catalog.pricetiers import price_tiers_store
from catalog.pricing import prices
from catalog.search.index import search_index_refresh_changed
from catalog.versions import data_version_bump

MODEL_FIELDS = (
    "name",
    "description",
    "context_length",
    "max_completion_tokens",
    "input_modalities",
    "output_modalities",
    "supported_parameters",
    "tokenizer",
    "hugging_face_id",
    "knowledge_cutoff",
    "expiration_date",
    "is_moderated",
    *prices.COLUMNS,
    "pricing_overrides",
)
ENDPOINT_FIELDS = (
    "context_length",
    "max_completion_tokens",
    "max_prompt_tokens",
    "quantization",
    "discount",
    *prices.COLUMNS,
    "pricing_overrides",
)


# A direct offer's list prices and retirement, as the source states them.
DIRECT_FIELDS = (
    *prices.COLUMNS,
    "pricing_overrides",
    "max_input_tokens",
    "max_output_tokens",
    "deprecation_date",
    "successor_model",
)

Overridable = LanguageModel | Endpoint | DirectOffer


def overridable(obj: models.Model) -> tuple[str, ...]:
    """The upstream-fed fields an editor may override on this kind of object."""
    if isinstance(obj, DirectOffer):
        return DIRECT_FIELDS
    return MODEL_FIELDS if isinstance(obj, LanguageModel) else ENDPOINT_FIELDS


def to_json(value: Any) -> Any:
    """A column value as stored in an override (exact decimals, ISO dates)."""
    if isinstance(value, Decimal):
        return prices.plain(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def from_json(obj: models.Model, field: str, value: Any) -> Any:
    """An override's stored value back as the column's Python value."""
    if value is None:
        return None
    column = obj._meta.get_field(field)
    assert isinstance(column, models.Field)
    return column.to_python(value)


def _target(obj: models.Model) -> dict[str, models.Model]:
    if isinstance(obj, DirectOffer):
        return {"direct_offer": obj}
    return {"model": obj} if isinstance(obj, LanguageModel) else {"endpoint": obj}


@transaction.atomic
def override_set(
    obj: Overridable,
    field: str,
    value: Any,
    *,
    reason: str,
    user: User | None = None,
) -> FieldOverride:
    """Give `field` an editor's value; the upstream value is kept on the override."""
    if field not in overridable(obj):
        raise ValueError(f"{field} cannot be overridden")
    if not reason.strip():
        raise ValueError("an override needs a reason")
    # Lock the row first: an ingest writing it waits, or has committed and then
    # reads this override again before its own write (Batch._keep_new_overrides).
    current = (
        type(obj)
        ._default_manager.select_for_update()
        .filter(pk=obj.pk)
        .values_list(field, flat=True)
        .first()
    )
    override = FieldOverride.objects.filter(**_target(obj), field=field).first()
    if override is None:
        override = FieldOverride(
            **_target(obj), field=field, upstream_value=to_json(current)
        )
    override.value = to_json(value)
    override.reason, override.author = reason, user
    override.save()
    setattr(obj, field, from_json(obj, field, override.value))
    obj.save(update_fields=[field])
    _derived(obj, field)
    data_version_bump()
    return override


@transaction.atomic
def override_remove(override: FieldOverride) -> None:
    """Drop an override: the field takes the latest upstream value at once."""
    obj = target_of(override)
    setattr(
        obj, override.field, from_json(obj, override.field, override.upstream_value)
    )
    obj.save(update_fields=[override.field])
    _derived(obj, override.field)
    override.delete()
    data_version_bump()


def target_of(override: FieldOverride) -> Overridable:
    """The object an override edits (the check constraint makes it one)."""
    target = override.model or override.endpoint or override.direct_offer
    assert target is not None
    return target


def _derived(obj: Overridable, field: str) -> None:
    # An edited name or description is what search finds from now on; edited
    # tiers are what the database prices (a direct offer's are priced in Python).
    if isinstance(obj, DirectOffer):
        return
    if isinstance(obj, LanguageModel):
        search_index_refresh_changed([obj], [field])
    if field == "pricing_overrides":
        price_tiers_store([obj])


def overrides_by_target(kind: str) -> dict[int, dict[str, FieldOverride]]:
    """All overrides of models ("model"), endpoints ("endpoint") or direct offers
    ("direct_offer"), by object id."""
    grouped: dict[int, dict[str, FieldOverride]] = {}
    for override in FieldOverride.objects.filter(**{f"{kind}__isnull": False}):
        grouped.setdefault(getattr(override, f"{kind}_id"), {})[override.field] = (
            override
        )
    return grouped


def overrides_split(
    obj: models.Model,
    values: dict[str, Any],
    overrides: dict[str, FieldOverride],
    now: datetime,
) -> tuple[dict[str, Any], dict[str, Any], list[FieldOverride]]:
    """Keep overridden columns out of an ingest's writes.

    Returns the values to write, the previous upstream values of overridden fields
    (for events), and the overrides whose upstream value moved (to be saved).
    """
    write, previous, moved = dict(values), {}, []
    for field, override in overrides.items():
        if field not in write:
            continue
        upstream = write.pop(field)
        previous[field] = from_json(obj, field, override.upstream_value)
        if to_json(upstream) != override.upstream_value:
            override.upstream_value = to_json(upstream)
            override.upstream_changed_at = now
            moved.append(override)
    return write, previous, moved
