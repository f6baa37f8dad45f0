from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from catalog import status_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("status", status_views.status_page, name="status"),
    path("healthz", status_views.healthz, name="healthz"),
    path("", include("catalog.urls")),
]
