from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from config.admin_login import AdminLoginForm

admin.site.site_header = "modelboard admin"
admin.site.site_title = "modelboard admin"
admin.site.index_title = "Catalogue, overrides and sync runs"
admin.site.login_form = AdminLoginForm

# The 404 page suggests the models an address comes closest to.
handler404 = "front.views.notfound.page_not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include("ops.urls")),
    # Last: the model pages' /<author>/<slug> would otherwise catch other paths.
    path("", include("front.urls")),
]
