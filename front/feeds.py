"""RSS and Atom feeds of the changelog (django.contrib.syndication).

Titles and descriptions are plain text; the feed generator XML-escapes them, so
upstream text (model names, descriptions) can never inject markup. Characters XML
1.0 cannot carry at all (C0 controls, U+FFFE, U+FFFF, lone surrogates) are
replaced with U+FFFD in every text of the feed as it is written; the rows keep
them as upstream sent them.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, NotRequired, TypedDict

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, SyndicationFeed
from django.utils.http import urlencode

from catalog.models import CatalogEvent, EventKind, LanguageModel, Provider
from catalog.reads.direct import Retirement, retirements_upcoming
from catalog.reads.selectors import models_visible
from catalog.sources.fields import clean_text
from changes import selectors
from changes.summaries import event_summary, event_title
from front.forms import ChangeListQuery

# Not an XML 1.0 Char (https://www.w3.org/TR/xml/#charsets).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: Any) -> Any:
    """A feed's value with every character XML cannot carry replaced (strings,
    and the strings of lists such as categories)."""
    if isinstance(value, str):
        return NOT_XML.sub("\ufffd", value)
    if isinstance(value, list | tuple):
        return [xml_text(v) for v in value]
    return value


class BadFeedQuery(Exception):
    """The feed's query string did not validate (answered with a 400)."""


class FeedQuery(TypedDict):
    """A feed's object: the changelog's filters from its query string, and the
    model of a model's feed."""

    kind: list[str]
    provider: str
    author: str
    source: str
    since: date | None
    limit: int
    model: NotRequired[LanguageModel]


class ChangeFilters(TypedDict, total=False):
    """The keyword arguments of changes.selectors.change_list."""

    kinds: list[str] | None
    provider: str
    author: str
    model: str
    source: str
    since: date | None


class ChangesFeed(Feed[CatalogEvent, FeedQuery]):
    """Every catalogue change, newest first; the changelog's filters apply."""

    heading = "modelboard: catalogue changes"
    summary = "Models added, delisted, relisted and repriced."
    kinds: list[str] | None = None

    def title(self, obj: FeedQuery) -> str:
        return self.heading

    def description(self, obj: FeedQuery) -> str:
        return self.summary

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FeedQuery:
        form = ChangeListQuery(request.GET)
        if not form.is_valid():
            errors = "; ".join(
                f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items()
            )
            raise BadFeedQuery(f"Invalid feed filter: {errors}")
        query = form.cleaned_data
        return {
            "kind": query["kind"],
            "provider": query["provider"],
            "author": query["author"],
            "source": query["source"],
            "since": query["since"],
            "limit": query["limit"] or settings.CHANGES_FEED_ITEMS,
        }

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().__call__(request, *args, **kwargs)
        except BadFeedQuery as exc:
            return HttpResponseBadRequest(str(exc), content_type="text/plain")

    def get_feed(self, obj: FeedQuery, request: HttpRequest) -> SyndicationFeed:
        feed = super().get_feed(obj, request)
        # The boundary: whatever reached the feed's texts, it is written as XML.
        feed.feed = {key: xml_text(value) for key, value in feed.feed.items()}
        feed.items = [
            {key: xml_text(value) for key, value in item.items()} for item in feed.items
        ]
        return feed

    def link(self, obj: FeedQuery) -> str:
        if not self.kinds:
            return reverse("change-list")
        return reverse("change-list") + "?" + urlencode({"kind": self.kinds}, True)

    def filters(self, obj: FeedQuery) -> ChangeFilters:
        return {
            "kinds": self.kinds or obj["kind"],
            "provider": obj["provider"],
            "author": obj["author"],
            "source": obj["source"],
            "since": obj["since"],
        }

    def items(self, obj: FeedQuery) -> list[CatalogEvent]:
        return list(selectors.change_list(**self.filters(obj))[: obj["limit"]])

    def item_title(self, item: CatalogEvent) -> str:
        return clean_text(event_title(item))

    def item_description(self, item: CatalogEvent) -> str:
        text = event_summary(item)
        if item.backfill:
            text += f" (backfilled from {item.backfill}, not seen by a poll)"
        return clean_text(text)

    def item_link(self, item: CatalogEvent) -> str:
        if item.model is not None:
            return item.model.get_absolute_url()
        if item.provider is not None:
            return f"{reverse('change-list')}?{urlencode({'provider': item.provider.slug})}"
        return reverse("change-list")

    def item_guid(self, item: CatalogEvent) -> str:
        return f"modelboard-event-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: CatalogEvent) -> datetime:
        return item.observed_at

    def item_categories(self, item: CatalogEvent) -> list[str]:
        return [item.kind]


class ChangesAtomFeed(ChangesFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: FeedQuery) -> str:
        return self.summary


class NewModelsFeed(ChangesFeed):
    heading = "modelboard: new models"
    summary = "Models added to the catalogue."
    kinds = [EventKind.ADDED]


class PriceChangesFeed(ChangesFeed):
    heading = "modelboard: price changes"
    summary = "Model prices that went up or down."
    kinds = [EventKind.PRICE]


class ModelChangesFeed(ChangesFeed):
    """One model's changes, its providers' included."""

    def get_object(self, request: HttpRequest, author: str, slug: str) -> FeedQuery:
        query = super().get_object(request)
        # A hidden model's feed, like its page, is for staff only.
        query["model"] = get_object_or_404(
            models_visible(request.user), slug=f"{author}/{slug}"
        )
        return query

    def title(self, obj: FeedQuery) -> str:
        return clean_text(f"modelboard: changes to {obj['model'].name}")

    def description(self, obj: FeedQuery) -> str:
        return f"Catalogue changes of {obj['model'].slug}."

    def link(self, obj: FeedQuery) -> str:
        return obj["model"].get_absolute_url()

    def filters(self, obj: FeedQuery) -> ChangeFilters:
        return super().filters(obj) | {"model": obj["model"].slug}


class ProviderChangesFeed(ChangesFeed):
    """One provider's changes: listed/delisted, and its endpoints come and go."""

    def get_object(self, request: HttpRequest, slug: str) -> FeedQuery:
        query = super().get_object(request)
        query["provider"] = get_object_or_404(Provider, slug=slug).slug
        return query

    def title(self, obj: FeedQuery) -> str:
        return f"modelboard: changes at {obj['provider']}"

    def description(self, obj: FeedQuery) -> str:
        return f"Catalogue changes involving the provider {obj['provider']}."

    def link(self, obj: FeedQuery) -> str:
        return reverse("change-list") + "?" + urlencode({"provider": obj["provider"]})


class DeprecationsFeed(Feed[Retirement, None]):
    """Upcoming retirements across both sources, soonest first (/deprecations)."""

    title = "modelboard: upcoming retirements"
    description = (
        "Models that OpenRouter or a provider's list prices say retire soon, with "
        "their successors."
    )

    def link(self) -> str:
        return reverse("deprecations")

    def items(self) -> list[Retirement]:
        return retirements_upcoming(timezone.now().date())

    def item_title(self, item: Retirement) -> str:
        return clean_text(f"{item.model.name} retires {item.day} ({item.provider})")

    def item_description(self, item: Retirement) -> str:
        successor = item.successor.slug if item.successor else item.successor_name
        text = (
            f"{item.model.slug} at {item.provider} ({item.key}) retires on {item.day}"
        )
        return clean_text(f"{text}; successor: {successor}" if successor else text)

    def item_link(self, item: Retirement) -> str:
        return item.model.get_absolute_url()

    def item_guid(self, item: Retirement) -> str:
        return f"{item.model.slug} {item.source} {item.key} {item.day}"

    def item_guid_is_permalink(self, item: Retirement) -> bool:
        return False
