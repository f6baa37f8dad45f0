"""What the catalogue's admins share: plain prices, the "listed upstream" filter,
the overrides inline, and the bases that bump the data version, record every
editor's save in History and let editors add rows by hand."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from catalog.admin.forms import OverrideFormMixin
from catalog.editorial.overrides import override_remove, override_set, to_json
from catalog.models import (
    AdminEdit,
    DirectOffer,
    Endpoint,
    FieldOverride,
    LanguageModel,
    Origin,
    Provider,
)
from catalog.pricing import prices
from catalog.versions import data_version_bump

_M = TypeVar("_M", bound=models.Model)
# The tables editors may add rows to by hand.
_HandAdded = TypeVar("_HandAdded", bound=LanguageModel | Provider)


def editor(request: HttpRequest) -> User:
    """The staff member behind an admin request: the admin serves no one else."""
    assert isinstance(request.user, User)
    return request.user


def _plain_price(value: Any) -> str:
    # "0" and "0.15", not "0E-12" nor "0.150000000000".
    return "-" if value is None else prices.plain(value) or "0"


def _per_million(key: str) -> str:
    return f"{prices.KEY[key].label.lower()} $/M"


class PlainPrices:
    """List columns of the input and output prices, written plainly."""

    @admin.display(description=_per_million("prompt"), ordering="price_prompt")
    def input_price(self, obj: LanguageModel | Endpoint) -> str:
        return _plain_price(obj.price_prompt)

    @admin.display(description=_per_million("completion"), ordering="price_completion")
    def output_price(self, obj: LanguageModel | Endpoint) -> str:
        return _plain_price(obj.price_completion)


class ListedFilter(admin.SimpleListFilter):
    title = "listed upstream"
    parameter_name = "listed"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> Iterable[tuple[str, str]]:
        return [("yes", "Listed"), ("no", "Delisted")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in ("yes", "no"):
            return queryset.filter(delisted_at__isnull=self.value() == "yes")
        return queryset


class OverrideInline(admin.TabularInline[FieldOverride, LanguageModel | Endpoint]):
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

    def has_add_permission(
        self, request: HttpRequest, obj: LanguageModel | Endpoint | None = None
    ) -> bool:
        return False


class VersionedAdmin(admin.ModelAdmin[_M]):
    """Every save, delete and action advances the data version, so cached pages
    and API answers show an editor's change at once."""

    def save_model(
        self, request: HttpRequest, obj: _M, form: forms.ModelForm[_M], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        data_version_bump()

    def delete_model(self, request: HttpRequest, obj: _M) -> None:
        super().delete_model(request, obj)
        data_version_bump()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[_M]) -> None:
        super().delete_queryset(request, queryset)
        data_version_bump()

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm[_M],
        formsets: list[forms.BaseModelFormSet[Any, Any]],
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        data_version_bump()

    def response_action(
        self,
        request: HttpRequest,
        queryset: QuerySet[_M],
        *args: Any,
        **kwargs: Any,
    ) -> HttpResponse | None:
        response = super().response_action(request, queryset, *args, **kwargs)
        data_version_bump()
        return response


class EditHistoryAdmin(VersionedAdmin[_M]):
    """Records every admin save (who, when, before, after) and shows it in History."""

    object_history_template = "admin/catalog/object_history.html"

    def save_model(
        self,
        request: HttpRequest,
        obj: _M,
        form: forms.ModelForm[_M],
        change: bool,
    ) -> None:
        before = {name: to_json(form.initial.get(name)) for name in form.changed_data}
        overridden = (
            form.changed_overrides() if isinstance(form, OverrideFormMixin) else []
        )
        with transaction.atomic():
            # Only models and endpoints have overridable fields (and such forms).
            if overridden and isinstance(obj, LanguageModel | Endpoint | DirectOffer):
                self._save_overrides(request, obj, form, overridden)
            super().save_model(request, obj, form, change)
            if change and form.changed_data:
                AdminEdit.objects.create(
                    object_type=obj._meta.label_lower,
                    object_id=str(obj.pk),
                    object_repr=str(obj)[:300],
                    user=editor(request),
                    changes={
                        name: [
                            _plain(before.get(name)),
                            _plain(form.cleaned_data.get(name)),
                        ]
                        for name in form.changed_data
                        if name != "override_reason"
                    },
                )

    def _save_overrides(
        self,
        request: HttpRequest,
        obj: LanguageModel | Endpoint | DirectOffer,
        form: forms.ModelForm[_M],
        names: list[str],
    ) -> None:
        original = type(obj).objects.get(pk=obj.pk)
        for name in names:
            override_set(
                original,
                name,
                getattr(obj, name),
                reason=form.cleaned_data["override_reason"],
                user=editor(request),
            )

    def save_formset(
        self,
        request: HttpRequest,
        form: forms.ModelForm[_M],
        formset: forms.BaseModelFormSet[Any, Any],
        change: bool,
    ) -> None:
        if formset.model is FieldOverride:
            formset.save(commit=False)
            for override in formset.deleted_objects:
                override_remove(override)
            return
        super().save_formset(request, form, formset, change)

    def history_view(
        self,
        request: HttpRequest,
        object_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        edits = AdminEdit.objects.filter(
            object_type=self.model._meta.label_lower, object_id=str(object_id)
        ).select_related("user")[:200]
        extra_context = {**(extra_context or {}), "edits": edits}
        return super().history_view(request, object_id, extra_context)


class HandAddedAdmin(EditHistoryAdmin[_HandAdded]):
    """A table upstream fills that editors may add rows to by hand. A new or
    hand-added row is editable but for `hand_readonly`; an upstream row shows
    `upstream_readonly` read-only (every field unless set), corrected through its
    form's overrides. A row an editor adds is stamped as hand-added."""

    hand_readonly: tuple[str, ...] = ()
    upstream_readonly: tuple[str, ...] | None = None

    def get_readonly_fields(
        self, request: HttpRequest, obj: _HandAdded | None = None
    ) -> tuple[str, ...] | list[str]:
        if obj is None or obj.origin == Origin.HAND:
            return self.hand_readonly
        if self.upstream_readonly is None:
            return [f.name for f in self.model._meta.fields]
        return self.upstream_readonly

    def save_model(
        self,
        request: HttpRequest,
        obj: _HandAdded,
        form: forms.ModelForm[_HandAdded],
        change: bool,
    ) -> None:
        if not change:
            now = timezone.now()
            obj.origin, obj.first_seen_at, obj.updated_at = Origin.HAND, now, now
        super().save_model(request, obj, form, change)


def _plain(value: Any) -> Any:
    value = to_json(value)
    if isinstance(value, list | dict | str | int | float | bool) or value is None:
        return value
    return str(value)
