"""The admin of the two logs: what changed upstream (catalogue events) and what
editors saved (admin edits)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from catalog.admin.base import VersionedAdmin
from catalog.models import AdminEdit, CatalogEvent


@admin.register(CatalogEvent)
class CatalogEventAdmin(VersionedAdmin[CatalogEvent]):
    list_display = ("observed_at", "kind", "model", "provider", "before", "after")
    list_filter = ("kind",)
    search_fields = ("model__slug", "provider__name")
    list_select_related = ("model", "provider")
    date_hierarchy = "observed_at"
    readonly_fields = [f.name for f in CatalogEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(AdminEdit)
class AdminEditAdmin(admin.ModelAdmin[AdminEdit]):
    list_display = ("at", "user", "object_type", "object_repr", "changes")
    list_filter = ("object_type",)
    search_fields = ("object_repr",)
    readonly_fields = [f.name for f in AdminEdit._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: AdminEdit | None = None
    ) -> bool:
        return False
