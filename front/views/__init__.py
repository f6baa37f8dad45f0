"""The pages. Those every visitor sees alike are marked `public`: shared caches may
keep them a minute, and config.pagecache serves, compresses and validates them by
the data version."""

from __future__ import annotations

from django.views.decorators.cache import cache_control

public = cache_control(public=True, max_age=60)
