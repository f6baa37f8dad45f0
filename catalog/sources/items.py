"""A JSON list of items decoded one item at a time.

`json.loads` of a whole answer builds every item at once, and many tiny items
cost far more memory than their bytes: 16 MB of `{"id": …}` objects is some
850,000 dicts. `JsonItems` keeps the answer's text and decodes the list at a
path (`{"data": [...]}`) an item at a time, as often as it is iterated: a sync
holds the text, the items of the batch at hand, and what it keeps of each.
The document around the list is checked without being built.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterator
from typing import Any

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
# A string, or a bracket: what skipping a value has to see.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class JsonItems:
    """The items of the list at `path` in a JSON text; ValueError (with where)
    for a text that is not JSON or has no list there, when iterated."""

    def __init__(self, text: str, *path: str):
        self.text, self.path = text, path or ("data",)

    def __iter__(self) -> Iterator[Any]:
        text = self.text
        start = _list_start(text, _space(text, 0), self.path)
        end = yield from _items(text, start)
        _check_rest(text, end, self.path)


def _space(text: str, at: int) -> int:
    match = _SPACE.match(text, at)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _expect(text: str, at: int, char: str) -> int:
    if text[at : at + 1] != char:
        raise ValueError(f"expected {char!r} at character {at}")
    return _space(text, at + 1)


def _list_start(text: str, at: int, path: tuple[str, ...]) -> int:
    """Where the list at `path` starts (its `[`), the object members before it
    skipped unbuilt."""
    at = _expect(text, at, "{")
    while text[at : at + 1] == '"':
        key, at = json.decoder.scanstring(text, at + 1)  # type: ignore[attr-defined]
        at = _expect(text, _space(text, at), ":")
        if key == path[0]:
            if len(path) > 1:
                return _list_start(text, at, path[1:])
            if text[at : at + 1] != "[":
                break
            return at
        at = _space(text, _skip(text, at))
        if text[at : at + 1] == ",":
            at = _space(text, at + 1)
    shape = "[...]"
    for key in reversed(path):
        shape = f"{{{key}: {shape}}}"
    raise LookupError(f"expected {shape}")


def _items(text: str, at: int) -> Generator[Any, None, int]:
    """Each item of the list whose `[` is at `at`; returns where the list ends."""
    at = _space(text, at + 1)
    if text[at : at + 1] == "]":
        return at + 1
    while True:
        item, at = _DECODER.raw_decode(text, at)
        yield item
        at = _space(text, at)
        if text[at : at + 1] == "]":
            return at + 1
        at = _expect(text, at, ",")


def _skip(text: str, at: int) -> int:
    """The end of the JSON value at `at`, found without building it."""
    if text[at : at + 1] not in ("[", "{"):
        return _DECODER.raw_decode(text, at)[1]  # a scalar: small, or a string
    depth = 0
    for token in _TOKEN.finditer(text, at):
        char = token.group()
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return token.end()
    raise ValueError(f"unterminated value from character {at}")


def _check_rest(text: str, at: int, path: tuple[str, ...]) -> None:
    """The rest of the document after the list: members skipped, every object
    closed, nothing after it."""
    at = _space(text, at)
    for _ in path:
        while text[at : at + 1] == ",":
            at = _space(text, at + 1)
            if text[at : at + 1] != '"':
                raise ValueError(f"expected a key at character {at}")
            _, at = json.decoder.scanstring(text, at + 1)  # type: ignore[attr-defined]
            at = _expect(text, _space(text, at), ":")
            at = _space(text, _skip(text, at))
        at = _expect(text, at, "}")
    if at != len(text):
        raise ValueError(f"extra data at character {at}")
