"""The admin of providers, authors and tags: what models and endpoints refer to."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from catalog.admin.base import EditHistoryAdmin, ListedFilter, VersionedAdmin
from catalog.models import Author, Origin, Provider, Tag


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
