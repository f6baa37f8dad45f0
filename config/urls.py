from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from catalog import status_views

urlpatterns = [
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on every page, the admin's included.
    path("favicon.ico", status_views.favicon),
    path("status", status_views.status_page, name="status"),
    path("healthz", status_views.healthz, name="healthz"),
    path("api/v1/", include("api.urls")),
    path("", include("changes.urls")),
    path("", include("catalog.urls")),
]
