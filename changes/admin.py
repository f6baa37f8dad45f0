from __future__ import annotations

from django.contrib import admin

from changes.models import Delivery, DispatchCursor, Watch


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "model",
        "provider",
        "webhook_url",
        "email",
        "active",
        "created_at",
    ]
    list_filter = ["active"]
    raw_id_fields = ["model", "provider"]
    readonly_fields = ["secret", "manage_token", "created_at"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "watch",
        "event",
        "channel",
        "attempt",
        "status",
        "response_code",
        "delivered_at",
    ]
    list_filter = ["status", "channel"]
    raw_id_fields = ["watch", "event"]


@admin.register(DispatchCursor)
class DispatchCursorAdmin(admin.ModelAdmin):
    list_display = ["name", "last_event_id", "updated_at"]
