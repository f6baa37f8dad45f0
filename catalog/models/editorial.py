"""The admin's edit log: who changed which fields of what."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AdminEdit(models.Model):
    """One save in the admin: who changed which fields of what, before and after."""

    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)
    object_repr = models.CharField(max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # an object's history page.
            models.Index(
                fields=["object_type", "object_id", "-at"], name="edit-object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.object_repr} edited by {self.user} at {self.at:%Y-%m-%d %H:%M}"
