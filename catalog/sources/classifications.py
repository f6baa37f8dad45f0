"""Upstream's task classifications (GET /classifications/task, key needed): per
task tag, its share of sampled traffic and its top models, fetched and parsed
into typed records (no ORM).

One bad classification (no tag, a share that is no fraction) is reported by its
tag or place and skipped; one bad model entry of a good classification is
reported and the rest of its models kept. Only a body without
`{data: {classifications: [...]}}` fails the fetch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationError

from catalog.sources.base import HttpClient, ItemError, PermanentError, data_list
from catalog.sources.fields import Lenient, Text200, UpstreamId, text

# `<macro_category>:<task>`, lower case ("code:general_impl", "agent:web_search").
TAG = re.compile(r"^[a-z0-9_-]{1,40}:[a-z0-9_/.-]{1,59}$")
MAX_MODELS = 1000
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Macro = Annotated[str, BeforeValidator(text(40))]


class RankedModel(Lenient):
    """One of a classification's top models: its permaslug and shares."""

    id: UpstreamId = Field(min_length=1)
    tag_usage_share: Share
    tag_token_share: Share


class Classification(Lenient):
    """One task classification and its top models, in upstream's order."""

    tag: Text200
    display_name: Text200 = ""
    macro_category: Macro = Field(min_length=1)
    usage_share: Share
    token_share: Share
    models: list[RankedModel] = Field(default_factory=list)


@dataclass
class Classifications:
    """A poll's classifications, the window's last day, and what was skipped."""

    records: list[Classification]
    as_of: date | None
    url: str
    errors: list[ItemError] = field(default_factory=list)


def _as_of(data: dict[str, Any]) -> date | None:
    """The window's last day (`as_of`, YYYY-MM-DD); None when missing or malformed
    (the classifications are still good)."""
    value = data.get("as_of")
    try:
        return date.fromisoformat(value[:10]) if isinstance(value, str) else None
    except ValueError:
        return None


def _short(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error["loc"]) or "item"
    return f"{where}: {error['msg']}"


def parse_classification(item: Any) -> tuple[Classification, list[ItemError]]:
    """One classification with its good model entries, and the bad ones as errors;
    ValueError (with where) when the classification itself is unusable."""
    if not isinstance(item, dict):
        raise ValueError("the classification is no object")
    tag = item.get("tag")
    if not isinstance(tag, str) or not TAG.match(tag):
        raise ValueError(f"tag is no `<macro>:<task>` name: {str(tag)[:60]!r}")
    entries = item.get("models")
    if not isinstance(entries, list):
        raise ValueError("models is no list")
    if len(entries) > MAX_MODELS:
        raise ValueError(f"models lists {len(entries)} entries (over {MAX_MODELS})")
    try:
        parsed = Classification.model_validate({**item, "models": []})
    except ValidationError as exc:
        raise ValueError(_short(exc)) from None
    errors = []
    for place, entry in enumerate(entries):
        try:
            parsed.models.append(RankedModel.model_validate(entry))
        except ValidationError as exc:
            errors.append(ItemError(f"{tag} model {place}", _short(exc)))
    return parsed, errors


def parse_classifications(body: Any, url: str = "") -> Classifications:
    """Every usable classification of a response body; the others reported."""
    items = data_list(body, url, "data", "classifications")
    result = Classifications(records=[], as_of=_as_of(body["data"]), url=url)
    for index, item in enumerate(items):
        try:
            record, errors = parse_classification(item)
        except ValueError as exc:
            label = item.get("tag") if isinstance(item, dict) else None
            name = label if isinstance(label, str) and label else f"#{index}"
            result.errors.append(ItemError(f"classification {name[:60]}", str(exc)))
            continue
        result.records.append(record)
        result.errors += errors
    return result


def fetch_classifications(http: HttpClient, base_url: str) -> Classifications:
    """The trailing week's task classifications and their top models; key needed."""
    # Reference: https://openrouter.ai/docs/api-reference/classifications/get-task-classifications
    url = f"{base_url.rstrip('/')}/classifications/task"
    body = http.get_json(url, params={"window": "7d"})
    if len(data_list(body, url, "data", "classifications")) > http.max_items:
        raise PermanentError(
            f"too many items: over the limit of {http.max_items} (SYNC_MAX_ITEMS)",
            url=url,
        )
    return parse_classifications(body, url)
