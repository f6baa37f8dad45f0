from __future__ import annotations

from django.urls import path, register_converter

from catalog import views


class AuthorConverter:
    """An author slug that is never one of the site's own top-level paths.

    `/<author>` and `/<author>/<slug>` would otherwise swallow `/changes`, `/status`,
    `/healthz` … wherever those are included relative to this module.
    """

    RESERVED = (
        "admin|static|api|changes|status|healthz|rankings|compare|providers|"
        r"robots\.txt|media|favicon\.ico"
    )
    regex = rf"(?!(?:{RESERVED})(?:/|$))[A-Za-z0-9._~-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AuthorConverter, "author")

urlpatterns = [
    path("", views.model_list, name="model-list"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("rankings", views.rankings, name="rankings"),
    path("compare", views.compare, name="compare"),
    path("providers/<str:slug>", views.provider_detail, name="provider-detail"),
    path("<author:author>/<str:slug>", views.model_detail, name="model-detail"),
    path("<author:author>", views.author_detail, name="author-detail"),
]
