"""Settings of the changes app (defined in config/settings.py), read when used."""

from __future__ import annotations

from django.conf import settings


def setting_int(name: str) -> int:
    return int(getattr(settings, name))


def setting_bool(name: str) -> bool:
    return bool(getattr(settings, name))


def site_url() -> str:
    """Absolute base for links in webhooks, e-mails (no request there)."""
    return str(settings.MODELBOARD_SITE_URL).rstrip("/")
