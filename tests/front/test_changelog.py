"""The changelog page and its feeds say what an independent diff of the raw
recordings says: the same additions, delistings, relistings and price changes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from catalog.models import CatalogEvent
from tests.support.history import KINDS, expected_changes

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr id="event-(\d+)" data-kind="(\w+)" data-model="([^"]*)">')


def _run_index(replayed: dict[int, int]) -> dict[int, int]:
    """event id -> recording index of the sync that recorded it."""
    return {
        pk: replayed[run_id]
        for pk, run_id in CatalogEvent.objects.values_list("pk", "sync_run_id")
    }


def test_changelog_pages_list_exactly_the_diffed_changes(client, replayed):
    """Every page of /changes, newest first, matches the diff of the raw files."""
    index_of = _run_index(replayed)
    listed, page, order = Counter(), 1, []
    while True:
        response = client.get("/changes", {"page": page})
        assert response.status_code == 200
        rows = ROW.findall(response.content.decode())
        if not rows:
            break
        for pk, kind, slug in rows:
            order.append(int(pk))
            if kind in KINDS:
                listed[kind, slug, index_of[int(pk)]] += 1
        page += 1
    assert page > 2  # the history spans several pages
    assert listed == expected_changes()
    times = dict(CatalogEvent.objects.values_list("pk", "observed_at"))
    assert [times[pk] for pk in order] == sorted(times.values(), reverse=True)


def test_changelog_is_newest_first(client, replayed):
    """The first row is from the last recording, the last page ends with the first."""
    first = ROW.findall(client.get("/changes").content.decode())[0]
    index_of = _run_index(replayed)
    assert index_of[int(first[0])] == max(replayed.values())


def test_rss_feed_lists_exactly_the_diffed_changes(client, replayed):
    """The all-changes RSS (asked for its full length) matches the diff too."""
    index_of = _run_index(replayed)
    response = client.get("/changes/feed.rss", {"limit": 1000})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    items = ET.fromstring(response.content).findall("./channel/item")
    listed = Counter()
    for item in items:
        kind = item.findtext("category")
        pk = int(item.findtext("guid").removeprefix("modelboard-event-"))
        slug = item.findtext("link").removeprefix("http://testserver/")
        if kind in KINDS:
            listed[kind, slug, index_of[pk]] += 1
    assert listed == expected_changes()


def test_price_feed_holds_only_price_changes(client, replayed):
    response = client.get("/changes/prices.rss", {"limit": 1000})
    kinds = {c.text for c in ET.fromstring(response.content).iter("category")}
    items = ET.fromstring(response.content).findall("./channel/item")
    assert kinds == {"price"}
    assert len(items) == sum(
        n for (kind, _, _), n in expected_changes().items() if kind == "price"
    )


def test_new_models_feed_holds_only_additions(client, replayed):
    response = client.get("/changes/new.rss")
    root = ET.fromstring(response.content)
    assert {c.text for c in root.iter("category")} == {"added"}
    assert len(root.findall("./channel/item")) == 50  # the default length


def test_atom_feed_and_model_feed(client, replayed):
    atom = client.get("/changes/feed.atom")
    assert atom.status_code == 200
    assert atom["Content-Type"].startswith("application/atom+xml")
    model_id, _ = next((m, i) for k, m, i in sorted(expected_changes()) if k == "price")
    response = client.get(f"/changes/model/{model_id}.rss")
    assert response.status_code == 200
    links = {i.findtext("link") for i in ET.fromstring(response.content).iter("item")}
    assert links == {f"http://testserver/{model_id}"}


def test_price_rows_show_direction_and_percentage(client, replayed):
    response = client.get("/changes", {"kind": "price"})
    body = response.content.decode()
    assert re.search(
        r'<li class="(up|down)">prompt \$[\d.]+/M → \$[\d.]+/M [↑↓] [+-]\d+\.\d%</li>',
        body,
    )


def test_filters_by_author_and_since(client, replayed):
    response = client.get("/changes", {"author": "openai", "since": "2026-04-01"})
    assert response.status_code == 200
    rows = ROW.findall(response.content.decode())
    assert rows and all(slug.startswith("openai/") for _, _, slug in rows)
    since = CatalogEvent.objects.filter(pk__in=[int(r[0]) for r in rows])
    assert min(e.observed_at.date().isoformat() for e in since) >= "2026-04-01"


@pytest.mark.parametrize(
    "query",
    [{"kind": "nope"}, {"since": "yesterday"}, {"page": "0"}, {"provider": "<x>"}],
)
def test_bad_filters_are_a_400_with_a_message(client, query):
    response = client.get("/changes", query)
    assert response.status_code == 400
    assert "could not be used" in response.content.decode()


def test_bad_feed_filter_is_a_400(client):
    assert client.get("/changes/feed.rss", {"limit": "0"}).status_code == 400


def test_unknown_model_feed_is_a_404(client):
    assert client.get("/changes/model/nobody/nothing.rss").status_code == 404


def test_past_the_last_page_is_an_empty_page(client, replayed):
    response = client.get("/changes", {"page": 9999})
    assert response.status_code == 200
    assert "There is no page 9999" in response.content.decode()
