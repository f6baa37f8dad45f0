"""Admin actions in an object's History."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from catalog.admin.base import editor
from catalog.models import AdminEdit

_M = TypeVar("_M", bound=models.Model)


def record_action(
    model_admin: admin.ModelAdmin[_M],
    request: HttpRequest,
    obj: _M,
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
            user=editor(request),
            changes=changes,
        )
