"""Plotly figures as plain data: the subset of plotly's Figure API that
front/charts.py uses (add_scatter, add_bar, update_layout with plotly's "magic
underscore" names, .data, .layout), building the JSON plotly.js draws directly.

Why not plotly.graph_objects: validating and copying graph objects costs ~20 ms a
chart (update_layout deep-copies every trace), five times a model page; these build
the same JSON in well under a millisecond. tests/front/test_charts.py passes every
chart through plotly's own validation, so nothing invalid reaches a page.
"""

from __future__ import annotations

from typing import Any

# Properties whose names hold an underscore, never split by the magic underscore.
WHOLE = {"paper_bgcolor", "plot_bgcolor"}
# Containers a magic-underscore name may reach into (`yaxis_title`, `line_shape`).
CONTAINERS = {
    "xaxis",
    "yaxis",
    "legend",
    "margin",
    "font",
    "title",
    "hoverlabel",
    "line",
    "marker",
    "tickfont",
}


class Props(dict[str, Any]):
    """A figure's dict that also reads as attributes (`trace.name`), like plotly's."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _props(values: dict[str, Any]) -> Props:
    found = Props()
    for key, value in values.items():
        head, _, rest = key.partition("_")
        if rest and key not in WHOLE and head in CONTAINERS:
            path, value = [head], _props({rest: value})
        else:
            path = [key]
            if key == "title" and isinstance(value, str):
                value = {"text": value}
            if isinstance(value, dict):
                value = _props(value)
        _merge(found, {path[0]: value})
    return found


def _merge(into: dict[str, Any], values: dict[str, Any]) -> None:
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


class Figure:
    """A plotly figure as data: traces and a layout."""

    def __init__(self) -> None:
        self.data: list[Props] = []
        self.layout = Props()

    def add_trace(self, kind: str, **props: Any) -> Figure:
        trace = _props(props)
        trace["type"] = kind
        self.data.append(trace)
        return self

    def add_scatter(self, **props: Any) -> Figure:
        return self.add_trace("scatter", **props)

    def add_bar(self, **props: Any) -> Figure:
        return self.add_trace("bar", **props)

    def update_layout(self, **props: Any) -> Figure:
        _merge(self.layout, _props(props))
        return self

    def to_plotly_json(self) -> dict[str, Any]:
        """{"data": [...], "layout": {...}}: what plotly.js draws."""
        return {"data": [dict(t) for t in self.data], "layout": dict(self.layout)}
