"""The admin of overrides: which corrections upstream has moved under, kept or
removed in bulk."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from catalog.admin.actions import record_action
from catalog.admin.base import VersionedAdmin
from catalog.editorial.overrides import override_remove
from catalog.models import FieldOverride


@admin.register(FieldOverride)
class FieldOverrideAdmin(VersionedAdmin[FieldOverride]):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(
        description="Keep my value (clear the 'upstream changed' flag)",
        permissions=["change"],
    )
    def acknowledge(
        self, request: HttpRequest, queryset: QuerySet[FieldOverride]
    ) -> None:
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
    def restore_upstream(
        self, request: HttpRequest, queryset: QuerySet[FieldOverride]
    ) -> None:
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

    def delete_model(self, request: HttpRequest, obj: FieldOverride) -> None:
        override_remove(obj)

    def delete_queryset(
        self, request: HttpRequest, queryset: QuerySet[FieldOverride]
    ) -> None:
        for override in queryset:
            override_remove(override)
