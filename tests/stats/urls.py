"""Only the catalogue's pages: stats tests do not depend on other apps' URLs."""

from django.urls import include, path

urlpatterns = [path("", include("catalog.urls"))]
