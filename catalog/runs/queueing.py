"""Queueing a Celery task from a request, with a readable answer when the broker is
down (the admin's sync buttons must say so, not answer with an HTML 500)."""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app
from kombu.exceptions import OperationalError

from catalog.sources.redact import redact_text

logger = logging.getLogger(__name__)

# Publishing waits little: a person is waiting for the page.
RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}


def task_queue(name: str, **kwargs: Any) -> str | None:
    """Send task `name` to the broker; None when queued, else why it was not."""
    try:
        current_app.send_task(name, kwargs=kwargs, retry_policy=RETRY_POLICY)
    except (OperationalError, OSError) as exc:
        reason = redact_text(f"{exc.__class__.__name__}: {exc}")
        logger.error("could not queue %s: %s", name, reason)
        return (
            "Nothing was queued: the job queue (Celery broker) cannot be reached "
            f"({reason}). Check the broker (/healthz?ready=1 reports it) and try "
            "again, or run `manage.py sync` on the server."
        )
    return None
