"""System checks of a deployment (`manage.py check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The web server and the workers refuse to start without a real key
    (config.env.require_secret_key); a deploy check says so beforehand."""
    if not settings.SECRET_KEY_REFUSAL:
        return []
    return [Error(settings.SECRET_KEY_REFUSAL, id="modelboard.E001")]
