"""The admin's login form, checking the username's length before anything else
sees it: auth's username holds 150 characters, the lockout's record of a failed
attempt 255 (a longer one is a database error on PostgreSQL, not a form error)."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator


class AdminLoginForm(AdminAuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # AuthenticationForm sets max_length after the field is built, so the
        # length is shown to browsers but never validated.
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(self.username_field.max_length))

    def clean(self) -> dict[str, Any]:
        if "username" not in self.cleaned_data:
            # Too long (or missing): no authentication, so no lockout record.
            return self.cleaned_data
        return super().clean()
