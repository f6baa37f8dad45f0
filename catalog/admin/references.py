"""The admin of providers, authors and tags: what models and endpoints refer to."""

from __future__ import annotations

from django.contrib import admin

from catalog.admin.base import HandAddedAdmin, ListedFilter, VersionedAdmin
from catalog.models import Author, Provider, Tag


@admin.register(Provider)
class ProviderAdmin(HandAddedAdmin[Provider]):
    list_display = ("name", "slug", "headquarters", "listed", "origin", "delisted_at")
    list_filter = ("listed", "origin", ListedFilter, "headquarters")
    search_fields = ("name", "slug")
    hand_readonly = (
        "first_seen_at",
        "updated_at",
        "delisted_at",
        "raw",
        "origin",
        "listed",
    )


@admin.register(Author)
class AuthorAdmin(VersionedAdmin[Author]):
    list_display = ("slug", "name", "created_at")
    search_fields = ("slug", "name")
    readonly_fields = ("created_at",)


@admin.register(Tag)
class TagAdmin(VersionedAdmin[Tag]):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)
