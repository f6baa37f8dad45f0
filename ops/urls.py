from __future__ import annotations

from django.urls import path

from ops import views

urlpatterns = [
    path("status", views.status_page, name="status"),
    path("healthz", views.healthz, name="healthz"),
]
