"""OpenRouter's zero-data-retention endpoints: fetch and parse (no ORM).

`GET /endpoints/zdr` lists every endpoint whose provider retains no prompts or
completions, each a PublicEndpoint like those of a model's endpoints list. Only
what names the endpoint is kept: the model's permaslug (`model_id`), the tag and
the provider's name; the rest is the endpoints poll's to store. One item that names
no endpoint is reported and skipped; only a body of the wrong shape fails the fetch.
"""

from __future__ import annotations

from typing import Any

from pydantic import field_validator, model_validator

from catalog import ids
from catalog.sources.base import Fetched, HttpClient, data_list, parse_items
from catalog.sources.fields import Lenient, ShortText, Text200

SOURCE = "openrouter"


class ZdrRecord(Lenient):
    """One endpoint of GET /endpoints/zdr, by what names it."""

    # The model's permaslug (canonical slug): every variant of the model shares it.
    model_id: str
    provider_name: Text200
    tag: Text200 = ""
    name: ShortText = ""

    @field_validator("model_id", mode="before")
    @classmethod
    def _model_id(cls, value: Any) -> Any:
        problem = ids.model_id_problem(value)
        if problem:
            raise ValueError(f"model_id {problem}")
        return value

    @model_validator(mode="after")
    def _named(self) -> ZdrRecord:
        if not (self.tag or self.provider_name):
            raise ValueError("names no endpoint: no tag and no provider_name")
        return self

    def key(self) -> tuple[str, str]:
        """What the stored endpoints are matched on: the model's permaslug and the
        tag (the provider's name, lower case, for an endpoint without one)."""
        return self.model_id, self.tag or self.provider_name.lower()


class ZdrSource:
    """Fetches the ZDR endpoint list through one configured HttpClient."""

    def __init__(self, http: HttpClient, *, base_url: str):
        self.http = http
        self.base_url = base_url.rstrip("/")

    @property
    def url(self) -> str:
        return f"{self.base_url}/endpoints/zdr"

    def fetch_zdr(self) -> Fetched[ZdrRecord]:
        """Every endpoint upstream lists as retaining no data."""
        # Reference: https://openrouter.ai/docs/api-reference/endpoints/list-endpoints-zdr
        body = self.http.get_json(self.url)
        return parse_zdr(data_list(body, self.url), self.url)


def parse_zdr(items: list[Any], url: str = "") -> Fetched[ZdrRecord]:
    """ZDR endpoints from upstream items, the bad ones reported."""
    return parse_items(items, ZdrRecord, _label, url=url)


def _label(item: Any, index: int) -> str:
    if isinstance(item, dict):
        for key in ("name", "model_id"):
            if isinstance(item.get(key), str) and item[key]:
                return str(item[key])[:200]
    return f"endpoint #{index}"
