"""The WSGI application that gunicorn serves (`gunicorn config.wsgi`)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from config.collector import settle_collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# Each worker loads this once: Django and the apps are loaded by now.
settle_collector()
