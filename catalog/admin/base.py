"""What the catalogue's admins share: plain prices, the "listed upstream" filter,
the overrides inline, and the bases that bump the data version, record every
editor's save in History and let editors add rows by hand."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.utils import timezone

from catalog.editorial.overrides import override_remove, override_set, to_json
from catalog.models import AdminEdit, FieldOverride, Origin
from catalog.pricing import prices
from catalog.versions import data_version_bump


def _plain_price(value: Any) -> str:
    # "0" and "0.15", not "0E-12" nor "0.150000000000".
    return "-" if value is None else prices.plain(value) or "0"


def _per_million(key: str) -> str:
    return f"{prices.KEY[key].label.lower()} $/M"


class PlainPrices:
    """List columns of the input and output prices, written plainly."""

    @admin.display(description=_per_million("prompt"), ordering="price_prompt")
    def input_price(self, obj: Any) -> str:
        return _plain_price(obj.price_prompt)

    @admin.display(description=_per_million("completion"), ordering="price_completion")
    def output_price(self, obj: Any) -> str:
        return _plain_price(obj.price_completion)


class ListedFilter(admin.SimpleListFilter):
    title = "listed upstream"
    parameter_name = "listed"

    def lookups(self, request, model_admin):
        return [("yes", "Listed"), ("no", "Delisted")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(delisted_at__isnull=self.value() == "yes")
        return queryset


class OverrideInline(admin.TabularInline):
    """Overrides of this object. Deleting one restores the upstream value."""

    model = FieldOverride
    extra = 0
    fields = (
        "field",
        "value",
        "upstream_value",
        "upstream_changed_at",
        "reason",
        "author",
        "updated_at",
    )
    readonly_fields = fields
    verbose_name_plural = "Overrides (delete one to restore the upstream value)"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class VersionedAdmin(admin.ModelAdmin):
    """Every save, delete and action advances the data version, so cached pages
    and API answers show an editor's change at once."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        data_version_bump()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        data_version_bump()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        data_version_bump()

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        data_version_bump()

    def response_action(self, request, queryset, *args, **kwargs):
        response = super().response_action(request, queryset, *args, **kwargs)
        data_version_bump()
        return response


class EditHistoryAdmin(VersionedAdmin):
    """Records every admin save (who, when, before, after) and shows it in History."""

    object_history_template = "admin/catalog/object_history.html"

    def save_model(self, request, obj, form, change) -> None:
        before = {name: to_json(form.initial.get(name)) for name in form.changed_data}
        overridden = (
            form.changed_overrides() if hasattr(form, "changed_overrides") else []
        )
        with transaction.atomic():
            if overridden:
                self._save_overrides(request, obj, form, overridden)
            super().save_model(request, obj, form, change)
            if change and form.changed_data:
                AdminEdit.objects.create(
                    object_type=obj._meta.label_lower,
                    object_id=str(obj.pk),
                    object_repr=str(obj)[:300],
                    user=request.user,
                    changes={
                        name: [
                            _plain(before.get(name)),
                            _plain(form.cleaned_data.get(name)),
                        ]
                        for name in form.changed_data
                        if name != "override_reason"
                    },
                )

    def _save_overrides(self, request, obj, form, names: list[str]) -> None:
        original = type(obj).objects.get(pk=obj.pk)
        for name in names:
            override_set(
                original,
                name,
                getattr(obj, name),
                reason=form.cleaned_data["override_reason"],
                user=request.user,
            )

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is FieldOverride:
            formset.save(commit=False)
            for override in formset.deleted_objects:
                override_remove(override)
            return
        super().save_formset(request, form, formset, change)

    def history_view(self, request, object_id, extra_context=None):
        edits = AdminEdit.objects.filter(
            object_type=self.model._meta.label_lower, object_id=str(object_id)
        ).select_related("user")[:200]
        extra_context = {**(extra_context or {}), "edits": edits}
        return super().history_view(request, object_id, extra_context)


class HandAddedAdmin(EditHistoryAdmin):
    """A table upstream fills that editors may add rows to by hand. A new or
    hand-added row is editable but for `hand_readonly`; an upstream row shows
    `upstream_readonly` read-only (every field unless set), corrected through its
    form's overrides. A row an editor adds is stamped as hand-added."""

    hand_readonly: tuple[str, ...] = ()
    upstream_readonly: tuple[str, ...] | None = None

    def get_readonly_fields(self, request, obj=None):
        if obj is None or obj.origin == Origin.HAND:
            return self.hand_readonly
        if self.upstream_readonly is None:
            return [f.name for f in self.model._meta.fields]
        return self.upstream_readonly

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            now = timezone.now()
            obj.origin, obj.first_seen_at, obj.updated_at = Origin.HAND, now, now
        super().save_model(request, obj, form, change)


def _plain(value: Any) -> Any:
    value = to_json(value)
    if isinstance(value, list | dict | str | int | float | bool) or value is None:
        return value
    return str(value)
