from __future__ import annotations

from django.urls import path, re_path, register_converter

from catalog import ids
from front import feeds
from front.views import catalogue, changes, kinds, model, pages, public, usage


class AuthorConverter:
    """An author slug that is never one of the site's own top-level paths.

    `/<author>` and `/<author>/<slug>` would otherwise swallow `/changes`, `/status`,
    `/healthz` … The pattern is the id rule's (catalog.ids), which the catalogue's
    parser applies to every upstream id: whatever is stored, this routes.
    """

    regex = ids.AUTHOR_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ModelSlugConverter(AuthorConverter):
    """The rest of a model id (its slug and `:variant`), by the same id rule."""

    regex = ids.SLUG_PATTERN


class KindConverter:
    """A catalogue beside the chat models (catalog.models.ModelKind)."""

    regex = "embeddings|images|videos"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AuthorConverter, "author")
register_converter(KindConverter, "kind")
register_converter(ModelSlugConverter, "model_slug")

urlpatterns = [
    path("", catalogue.model_list, name="model-list"),
    path("robots.txt", pages.robots_txt, name="robots-txt"),
    # Browsers ask for /favicon.ico on every page, the admin's included.
    path("favicon.ico", pages.favicon),
    path("rankings", pages.rankings, name="rankings"),
    path("compare", pages.compare, name="compare"),
    path("deprecations", pages.deprecations, name="deprecations"),
    path(
        "deprecations.rss",
        public(feeds.DeprecationsFeed()),
        name="deprecations-feed",
    ),
    path("providers", pages.provider_list, name="provider-list"),
    path("providers/<str:slug>", pages.provider_detail, name="provider-detail"),
    path("changes", changes.change_list, name="change-list"),
    path("changes/feed.rss", public(feeds.ChangesFeed()), name="changes-feed"),
    path(
        "changes/feed.atom", public(feeds.ChangesAtomFeed()), name="changes-feed-atom"
    ),
    path("changes/new.rss", public(feeds.NewModelsFeed()), name="changes-new-feed"),
    path(
        "changes/prices.rss",
        public(feeds.PriceChangesFeed()),
        name="changes-prices-feed",
    ),
    path(
        "changes/model/<author:author>/<model_slug:slug>.rss",
        public(feeds.ModelChangesFeed()),
        name="model-changes-feed",
    ),
    path(
        "changes/provider/<str:slug>.rss",
        public(feeds.ProviderChangesFeed()),
        name="provider-changes-feed",
    ),
    path("usage", usage.usage, name="usage"),
    path("usage.csv", usage.usage_csv, name="usage-csv"),
    path("watch", changes.watch_create, name="watch-create"),
    path(
        "watch/confirm/<str:token>",
        changes.watch_email_confirm,
        name="watch-email-confirm",
    ),
    path("watch/<str:token>", changes.watch_manage, name="watch-manage"),
    path("<author:author>/<model_slug:slug>", model.model_detail, name="model-detail"),
    path(
        "<kind:kind>/<author:author>/<model_slug:slug>",
        kinds.kind_model_detail,
        name="kind-model-detail",
    ),
    path("<author:author>", pages.author_detail, name="author-detail"),
    # Last of all: "/changes/" or "/liquid/lfm-40b/" redirect to the slash-less page.
    re_path(r"^(?P<path>.+)/$", pages.without_slash),
]
