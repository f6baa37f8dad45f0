from __future__ import annotations

from django.contrib import admin

from catalog.models import (
    Author,
    CatalogEvent,
    Endpoint,
    LanguageModel,
    Provider,
    SyncRun,
)

# Fields polls write: shown, never edited here (a poll would overwrite the edit).
MODEL_UPSTREAM = (
    "slug",
    "canonical_slug",
    "author",
    "variant",
    "name",
    "description",
    "created",
    "context_length",
    "modality",
    "input_modalities",
    "output_modalities",
    "tokenizer",
    "instruct_type",
    "hugging_face_id",
    "supported_parameters",
    "default_parameters",
    "knowledge_cutoff",
    "expiration_date",
    "top_provider_context_length",
    "max_completion_tokens",
    "is_moderated",
    "price_prompt",
    "price_completion",
    "price_internal_reasoning",
    "price_input_cache_read",
    "price_input_cache_write",
    "price_request",
    "price_image",
    "price_web_search",
    "is_variable_price",
    "pricing_raw",
    "first_seen_at",
    "updated_at",
    "delisted_at",
    "raw",
)


class ListedFilter(admin.SimpleListFilter):
    title = "listed upstream"
    parameter_name = "listed"

    def lookups(self, request, model_admin):
        return [("yes", "Listed"), ("no", "Delisted")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(delisted_at__isnull=self.value() == "yes")
        return queryset


class EndpointInline(admin.TabularInline):
    model = Endpoint
    extra = 0
    can_delete = False
    fields = (
        "provider",
        "tag",
        "quantization",
        "context_length",
        "price_prompt",
        "price_completion",
        "delisted_at",
    )
    readonly_fields = fields
    show_change_link = True


@admin.register(LanguageModel)
class LanguageModelAdmin(admin.ModelAdmin):
    list_display = (
        "slug",
        "name",
        "context_length",
        "price_prompt",
        "price_completion",
        "created",
        "delisted_at",
    )
    list_filter = (ListedFilter, "author", "tokenizer", "is_variable_price")
    search_fields = ("slug", "canonical_slug", "name", "description")
    readonly_fields = MODEL_UPSTREAM
    list_select_related = ("author",)
    date_hierarchy = "created"
    inlines = [EndpointInline]


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = (
        "model",
        "provider",
        "tag",
        "quantization",
        "context_length",
        "price_prompt",
        "price_completion",
        "delisted_at",
    )
    list_filter = (ListedFilter, "provider", "quantization")
    search_fields = ("model__slug", "provider__name", "tag", "name")
    list_select_related = ("model", "provider")
    readonly_fields = [f.name for f in Endpoint._meta.fields]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "headquarters", "listed", "delisted_at")
    list_filter = ("listed", ListedFilter, "headquarters")
    search_fields = ("name", "slug")
    readonly_fields = [f.name for f in Provider._meta.fields]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "created_at")
    search_fields = ("slug", "name")
    readonly_fields = ("slug", "created_at")


@admin.register(CatalogEvent)
class CatalogEventAdmin(admin.ModelAdmin):
    list_display = ("observed_at", "kind", "model", "provider", "before", "after")
    list_filter = ("kind",)
    search_fields = ("model__slug", "provider__name")
    list_select_related = ("model", "provider")
    date_hierarchy = "observed_at"
    readonly_fields = [f.name for f in CatalogEvent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "kind", "source", "status", "counts", "error")
    list_filter = ("status", "kind", "source")
    search_fields = ("error",)
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in SyncRun._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
