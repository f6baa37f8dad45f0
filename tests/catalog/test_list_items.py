"""A JSON list decoded an item at a time: the same items json.loads would give,
the document around them checked, every malformed text a PermanentError."""

from __future__ import annotations

import json

import pytest

from catalog.sources.base import ListItems, PermanentError


def items(text: str, *path: str, max_items: int = 1000) -> list:
    return list(ListItems(text, path or ("data",), url="u", max_items=max_items))


@pytest.mark.parametrize(
    "text",
    [
        '{"data": []}',
        '{"data": [1, "two", {"id": "a/b", "x": [1, {"y": null}]}, [], NaN]}',
        ' { "before": {"a": [1, "]"]}, "data" : [ {"id": "x"} ] , "after": "}" } ',
        '{"data": [{"id": "quote \\" and ] and }"}]}',
    ],
)
def test_the_items_are_those_json_loads_gives(text):
    assert items(text) == json.loads(text)["data"]
    assert items(text) == items(text)  # as often as it is iterated


def test_a_nested_path():
    text = '{"data": {"id": "a/b", "endpoints": [{"tag": "x"}]}, "more": 1}'
    assert items(text, "data", "endpoints") == [{"tag": "x"}]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"data": "oops"}', "expected {data: [...]}"),
        ('{"other": []}', "expected {data: [...]}"),
        ("[1, 2]", "unparseable JSON"),
        ('{"data": [1, 2', "unparseable JSON"),
        ('{"data": [1, 2]', "unparseable JSON"),
        ('{"data": [1, 2]} trailing', "unparseable JSON"),
        ('{"data": [1 2]}', "unparseable JSON"),
        ('{"data": [], "after": [1, 2}', "unparseable JSON"),
        ('{"data": [], 3: 4}', "unparseable JSON"),
    ],
)
def test_a_malformed_document_is_a_permanent_error(text, reason):
    with pytest.raises(PermanentError, match=reason.replace("[", r"\[")):
        items(text)


def test_a_list_past_the_item_limit_is_refused_by_name():
    with pytest.raises(
        PermanentError, match=r"over the limit of 2 items \(SYNC_MAX_ITEMS\)"
    ):
        items('{"data": [1, 2, 3]}', max_items=2)
    assert items('{"data": [1, 2]}', max_items=2) == [1, 2]


def test_a_list_nested_too_deep_is_a_permanent_error():
    deep = '{"data": [' + "[" * 100_000 + "]" * 100_000 + "]}"
    with pytest.raises(PermanentError, match="nested too deep"):
        items(deep)
