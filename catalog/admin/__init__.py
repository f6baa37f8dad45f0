"""The catalogue's admin, one module per concern.

Django's autodiscovery imports `catalog.admin`; importing each module here runs its
`@admin.register`s, so every catalogue ModelAdmin is registered by then.
"""

from __future__ import annotations

from catalog.admin import (
    direct,
    language_models,
    logs,
    overrides,
    references,
    shrink,
)
from catalog.admin.language_models import SYNC_ENDPOINTS_TASK

__all__ = [
    "SYNC_ENDPOINTS_TASK",
    "direct",
    "language_models",
    "logs",
    "overrides",
    "references",
    "shrink",
]
