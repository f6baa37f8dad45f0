from __future__ import annotations

from django.urls import path

from changes import feeds, views

urlpatterns = [
    path("changes", views.change_list, name="change-list"),
    path("changes/feed.rss", feeds.ChangesFeed(), name="changes-feed"),
    path("changes/feed.atom", feeds.ChangesAtomFeed(), name="changes-feed-atom"),
    path("changes/new.rss", feeds.NewModelsFeed(), name="changes-new-feed"),
    path("changes/prices.rss", feeds.PriceChangesFeed(), name="changes-prices-feed"),
    path(
        "changes/model/<str:author>/<str:slug>.rss",
        feeds.ModelChangesFeed(),
        name="model-changes-feed",
    ),
    path(
        "changes/provider/<str:slug>.rss",
        feeds.ProviderChangesFeed(),
        name="provider-changes-feed",
    ),
    path("watch", views.watch_create, name="watch-create"),
    path("watch/<str:token>", views.watch_manage, name="watch-manage"),
]
