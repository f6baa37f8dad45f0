from __future__ import annotations

from django.urls import path

from catalog import views

urlpatterns = [
    path("", views.model_list, name="model-list"),
    path("<str:author>/<str:slug>", views.model_detail, name="model-detail"),
]
