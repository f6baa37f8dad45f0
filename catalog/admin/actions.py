"""Admin actions in an object's History."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from catalog.models import AdminEdit


def record_action(
    model_admin: admin.ModelAdmin,
    request: Any,
    obj: Any,
    message: str,
    changes: dict[str, list[Any]] | None = None,
) -> None:
    """An admin action in the object's History: Django's log entry, and the field
    changes (before, after) when it changed fields."""
    model_admin.log_change(request, obj, message)
    if changes:
        AdminEdit.objects.create(
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
            user=request.user,
            changes=changes,
        )
