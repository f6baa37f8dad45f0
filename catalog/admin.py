from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from catalog import prices
from catalog.admin_actions import record_action
from catalog.admin_forms import EndpointForm, LanguageModelForm
from catalog.models import (
    AdminEdit,
    Author,
    CatalogEvent,
    Endpoint,
    FieldOverride,
    LanguageModel,
    Origin,
    Provider,
    Tag,
)
from catalog.overrides import (
    ENDPOINT_FIELDS,
    MODEL_FIELDS,
    override_remove,
    override_set,
    to_json,
)
from catalog.queueing import task_queue
from catalog.searchindex import search_index_refresh
from catalog.versions import data_version_bump

SYNC_ENDPOINTS_TASK = "catalog.sync_endpoints"

# Written by polls and never edited by hand, even as an override.
SYSTEM_FIELDS = (
    "first_seen_at",
    "updated_at",
    "delisted_at",
    "raw_summary",
    "pricing_raw",
    "origin",
)
# The raw payload is shown cut to this many characters: a page stays small.
RAW_SHOWN = 2000
ENDPOINT_UPSTREAM_ONLY = (
    "model",
    "provider",
    "key",
    "name",
    "provider_name",
    "tag",
    "upstream_id",
    "supported_parameters",
    "supports_implicit_caching",
    "is_variable_price",
    "first_seen_at",
    "updated_at",
    "delisted_at",
    "pricing_raw",
)
MODEL_UPSTREAM_ONLY = (
    "slug",
    "canonical_slug",
    "author",
    "variant",
    "created",
    "modality",
    "instruct_type",
    "default_parameters",
    "top_provider_context_length",
    "is_variable_price",
)


def _price(value: Any) -> str:
    # "0" and "0.15", not "0E-12" nor "0.150000000000".
    return "-" if value is None else prices.plain(value) or "0"


class PlainPrices:
    """List columns of the input and output prices, written plainly."""

    @admin.display(description="input $/M", ordering="price_prompt")
    def input_price(self, obj: Any) -> str:
        return _price(obj.price_prompt)

    @admin.display(description="output $/M", ordering="price_completion")
    def output_price(self, obj: Any) -> str:
        return _price(obj.price_completion)


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


def _plain(value: Any) -> Any:
    value = to_json(value)
    if isinstance(value, list | dict | str | int | float | bool) or value is None:
        return value
    return str(value)


class EndpointInline(admin.TabularInline):
    model = Endpoint
    extra = 0
    can_delete = False
    fields = (
        "provider",
        "tag",
        "quantization",
        "context_length",
        "input_price",
        "output_price",
        "delisted_at",
    )
    readonly_fields = fields
    show_change_link = True

    @admin.display(description="input $/M")
    def input_price(self, obj: Endpoint) -> str:
        return _price(obj.price_prompt)

    @admin.display(description="output $/M")
    def output_price(self, obj: Endpoint) -> str:
        return _price(obj.price_completion)

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LanguageModel)
class LanguageModelAdmin(PlainPrices, EditHistoryAdmin):
    form = LanguageModelForm
    list_display = (
        "slug",
        "name",
        "context_length",
        "input_price",
        "output_price",
        "created",
        "featured",
        "hidden",
        "origin",
        "delisted_at",
    )
    list_filter = (
        ListedFilter,
        "origin",
        "featured",
        "hidden",
        "tags",
        "tokenizer",
        "author",
    )
    search_fields = ("slug", "canonical_slug", "name", "description")
    list_select_related = ("author",)
    filter_horizontal = ("tags",)
    inlines = [OverrideInline, EndpointInline]
    actions = ["sync_now", "hide", "unhide", "feature", "unfeature"]
    fieldsets = [
        (
            "Editorial (never touched by polls)",
            {"fields": ("hidden", "featured", "tags", "internal_notes")},
        ),
        (
            "Upstream values (a change here becomes an override, with a reason)",
            {"fields": (*MODEL_FIELDS, ("override_reason", "opened"))},
        ),
        (
            "Upstream only",
            {
                "classes": ("collapse",),
                "fields": (*MODEL_UPSTREAM_ONLY, *SYSTEM_FIELDS),
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None or obj.origin == Origin.HAND:
            return (
                "first_seen_at",
                "updated_at",
                "delisted_at",
                "raw_summary",
                "pricing_raw",
                "origin",
            )
        return (*MODEL_UPSTREAM_ONLY, *SYSTEM_FIELDS)

    @admin.display(description="raw payload")
    def raw_summary(self, obj: LanguageModel) -> str:
        """The upstream payload as received, cut short: a 1 MB payload would make
        a 1 MB page."""
        text = json.dumps(obj.raw, ensure_ascii=False, indent=1)
        if len(text) <= RAW_SHOWN:
            return text
        return f"{text[:RAW_SHOWN]}… ({len(text):,} characters in all)"

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            now = timezone.now()
            obj.origin, obj.first_seen_at, obj.updated_at = Origin.HAND, now, now
            obj.variant = obj.slug.partition(":")[2]
        super().save_model(request, obj, form, change)
        # Searchable from now on, as edited (a hand-added model, a new name).
        search_index_refresh([obj])
        data_version_bump()

    @admin.action(
        description="Sync now (poll providers and prices of these models)",
        permissions=["change"],
    )
    def sync_now(self, request, queryset) -> None:
        models = list(queryset.filter(origin=Origin.UPSTREAM))
        slugs = [m.slug for m in models]
        for model in models:
            record_action(self, request, model, "Queued a sync (admin action).")
        # The endpoints job's task (ops/jobs.py), named: catalog imports no job code.
        problem = task_queue(SYNC_ENDPOINTS_TASK, slugs=slugs)
        if problem:
            self.message_user(request, problem, messages.ERROR)
            return
        runs = reverse("admin:catalog_syncrun_changelist") + "?kind=endpoints-some"
        self.message_user(
            request,
            f"Queued a sync of {len(slugs)} model(s); "
            f"see its run under Sync runs: {request.build_absolute_uri(runs)}",
        )

    @admin.action(description="Hide from the list and the API", permissions=["change"])
    def hide(self, request, queryset) -> None:
        self._flag(request, queryset, "hidden", True, "Hid")

    @admin.action(description="Unhide", permissions=["change"])
    def unhide(self, request, queryset) -> None:
        self._flag(request, queryset, "hidden", False, "Unhid")

    @admin.action(description="Feature (pin first in the list)", permissions=["change"])
    def feature(self, request, queryset) -> None:
        self._flag(request, queryset, "featured", True, "Featured")

    @admin.action(description="Unfeature", permissions=["change"])
    def unfeature(self, request, queryset) -> None:
        self._flag(request, queryset, "featured", False, "Unfeatured")

    def _flag(self, request, queryset, field: str, value: bool, verb: str) -> None:
        """Set an editorial flag on the selected models, each change in History."""
        with transaction.atomic():
            models = list(queryset.exclude(**{field: value}))
            LanguageModel.objects.filter(pk__in=[m.pk for m in models]).update(
                **{field: value}
            )
            for model in models:
                record_action(
                    self,
                    request,
                    model,
                    f"{verb} (admin action).",
                    {field: [not value, value]},
                )
        self.message_user(request, f"{verb} {len(models)} model(s).")


@admin.register(Endpoint)
class EndpointAdmin(PlainPrices, EditHistoryAdmin):
    form = EndpointForm
    list_display = (
        "model",
        "provider",
        "tag",
        "quantization",
        "context_length",
        "input_price",
        "output_price",
        "delisted_at",
    )
    list_filter = (ListedFilter, "provider", "quantization")
    search_fields = ("model__slug", "provider__name", "tag", "name")
    list_select_related = ("model", "provider")
    inlines = [OverrideInline]
    fieldsets = [
        (
            "Upstream values (a change here becomes an override, with a reason)",
            {"fields": (*ENDPOINT_FIELDS, ("override_reason", "opened"))},
        ),
        (
            "Upstream only",
            {
                "classes": ("collapse",),
                "fields": ENDPOINT_UPSTREAM_ONLY,
            },
        ),
    ]
    readonly_fields = ENDPOINT_UPSTREAM_ONLY

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Provider)
class ProviderAdmin(EditHistoryAdmin):
    list_display = ("name", "slug", "headquarters", "listed", "origin", "delisted_at")
    list_filter = ("listed", "origin", ListedFilter, "headquarters")
    search_fields = ("name", "slug")

    def get_readonly_fields(self, request, obj=None):
        if obj is None or obj.origin == Origin.HAND:
            return (
                "first_seen_at",
                "updated_at",
                "delisted_at",
                "raw",
                "origin",
                "listed",
            )
        return [f.name for f in Provider._meta.fields]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            now = timezone.now()
            obj.origin, obj.first_seen_at, obj.updated_at = Origin.HAND, now, now
        super().save_model(request, obj, form, change)


@admin.register(FieldOverride)
class FieldOverrideAdmin(VersionedAdmin):
    """The overrides dashboard: which corrections upstream has moved under."""

    list_display = (
        "target",
        "field",
        "value",
        "upstream_value",
        "upstream_changed_at",
        "author",
        "updated_at",
    )
    list_filter = (("upstream_changed_at", admin.EmptyFieldListFilter), "field")
    search_fields = ("model__slug", "endpoint__model__slug", "reason")
    list_select_related = ("model", "endpoint__model", "endpoint__provider", "author")
    readonly_fields = (
        "model",
        "endpoint",
        "field",
        "value",
        "upstream_value",
        "upstream_changed_at",
        "author",
        "created_at",
        "updated_at",
    )
    fields = (*readonly_fields, "reason")
    actions = ["acknowledge", "restore_upstream"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(
        description="Keep my value (clear the 'upstream changed' flag)",
        permissions=["change"],
    )
    def acknowledge(self, request, queryset) -> None:
        overrides = list(queryset.exclude(upstream_changed_at=None))
        FieldOverride.objects.filter(pk__in=[o.pk for o in overrides]).update(
            upstream_changed_at=None
        )
        for override in overrides:
            record_action(
                self, request, override, "Kept the editor's value (admin action)."
            )
        self.message_user(request, f"Acknowledged {len(overrides)} override(s).")

    @admin.action(
        description="Remove override (restore the upstream value)",
        permissions=["delete"],
    )
    def restore_upstream(self, request, queryset) -> None:
        overrides = list(queryset)
        for override in overrides:
            target = override.target
            override_remove(override)
            target_admin = self.admin_site._registry[type(target)]
            record_action(
                target_admin,
                request,
                target,
                f"Removed the override of {override.field} (admin action).",
                {override.field: [override.value, override.upstream_value]},
            )
        self.message_user(request, f"Restored {len(overrides)} upstream value(s).")

    def delete_model(self, request, obj) -> None:
        override_remove(obj)

    def delete_queryset(self, request, queryset) -> None:
        for override in queryset:
            override_remove(override)


@admin.register(Author)
class AuthorAdmin(VersionedAdmin):
    list_display = ("slug", "name", "created_at")
    search_fields = ("slug", "name")
    readonly_fields = ("created_at",)


@admin.register(Tag)
class TagAdmin(VersionedAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(CatalogEvent)
class CatalogEventAdmin(VersionedAdmin):
    list_display = ("observed_at", "kind", "model", "provider", "before", "after")
    list_filter = ("kind",)
    search_fields = ("model__slug", "provider__name")
    list_select_related = ("model", "provider")
    date_hierarchy = "observed_at"
    readonly_fields = [f.name for f in CatalogEvent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AdminEdit)
class AdminEditAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "object_type", "object_repr", "changes")
    list_filter = ("object_type",)
    search_fields = ("object_repr",)
    readonly_fields = [f.name for f in AdminEdit._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# Registered from their own module (admin_shrink.py): the refused shrinks.
import catalog.admin_shrink  # noqa: E402, F401
