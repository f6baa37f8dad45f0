from __future__ import annotations

import os

from celery import Celery
from celery.signals import worker_init, worker_process_init

from config.collector import settle_collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("modelboard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@worker_process_init.connect
def _settle(**kwargs: object) -> None:
    """The worker (and each child of a prefork pool) with its collector settled
    once the tasks are loaded (config.collector)."""
    settle_collector()
