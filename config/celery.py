from __future__ import annotations

import os

from celery import Celery
from celery.signals import worker_init, worker_process_init
from django.core.exceptions import ImproperlyConfigured

from config.collector import settle_collector
from config.env import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("modelboard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_without_key(**kwargs: object) -> None:
    """A worker signs what it sends (e-mailed confirmation links): no start
    without a real key. Beat signs nothing and starts either way."""
    try:
        require_secret_key("A Celery worker")
    except ImproperlyConfigured as exc:
        # Celery logs a signal handler's exception and starts anyway: exit.
        raise SystemExit(str(exc)) from None


@worker_init.connect
@worker_process_init.connect
def _settle(**kwargs: object) -> None:
    """The worker (and each child of a prefork pool) with its collector settled
    once the tasks are loaded (config.collector)."""
    settle_collector()
