"""The query and path parameters: OpenRouter's model filters (for /models,
/models/count and /models/user), one model's address, and the workload cost's."""

from __future__ import annotations

from typing import Any

from api.forms import (
    AGE_DAYS_MAX,
    CONTEXT_MAX,
    MAX_LIMIT,
    UNSUPPORTED_FILTERS,
    input_modalities,
    output_modalities,
)
from api.openapi.blocks import comma_list_pattern, path, query
from api.selectors import ORDERS, REGIONS, SORTS, UNSUPPORTED_SORTS

SEARCH = (
    "Search: every word must match the id, name, author, aliases or description "
    "(case, punctuation and version dots ignored; one typo forgiven in words of "
    "five letters or more)."
)
AUTHOR = path("author", "Author part of the model id (`openai`).") | {
    "example": "liquid"
}
SLUG = path("slug", "Rest of the model id, variant included (`gpt-4o:free`).") | {
    "example": "lfm-40b"
}
INCLUDE_DELISTED = query(
    "include_delisted",
    "Also return models (or providers) no longer listed upstream: `true` or "
    "`false` (`1`/`0`, `yes`/`no` are read the same). An empty value is a 400, "
    "as for any value that is not a boolean.",
    {"type": "boolean", "default": False},
)


def output_modalities_pattern() -> str:
    """What `output_modalities` accepts: `all`, or a comma list of known output
    modalities (spaces around items and empty items ignored). Others are a 400."""
    return comma_list_pattern(["all", *output_modalities()])


UNSUPPORTED = (
    " Asked for, these answer a 400 that says the catalogue does not keep the data: "
    + ", ".join(f"`{name}`" for name in UNSUPPORTED_FILTERS)
    + "; and `sort` = "
    + ", ".join(f"`{sort}`" for sort in UNSUPPORTED_SORTS)
    + "."
)
USD_PER_M = {"type": "number", "minimum": 0}


def model_filters(*, paged: bool = True) -> list[dict[str, Any]]:
    """The query parameters of /models, /models/count and /models/user:
    OpenRouter's names and meanings."""
    filters = [
        query(
            "output_modalities",
            "Comma list of output modalities, or `all` "
            "(the default here; upstream defaults to `text`). An unknown "
            "modality is a 400 naming the known ones.",
            {
                "type": "string",
                "maxLength": 200,
                "pattern": output_modalities_pattern(),
            },
        ),
        query(
            "supported_parameters",
            "Comma list; a model must support all.",
            {"type": "string", "maxLength": 500},
        ),
        query("q", SEARCH, {"type": "string", "maxLength": 200}),
        query(
            "order",
            "Sort order: `relevance` when `q` is given, else `newest` "
            "(relevance without `q` is newest).",
            {"type": "string", "enum": list(ORDERS)},
        ),
        query(
            "offset",
            "Skip this many (opt-in pagination).",
            {"type": "integer", "minimum": 0, "maximum": 10**9},
        ),
        query(
            "limit",
            f"Page size, default 500, at most {MAX_LIMIT}. Without "
            "offset and limit the full list is returned.",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
        ),
        INCLUDE_DELISTED,
        query(
            "sort",
            "OpenRouter's sort: " + ", ".join(f"`{s}`" for s in SORTS) + ". "
            "`pricing-*` orders by the mean of the prompt and completion prices; "
            "`most-popular` and `top-weekly` both by tokens in the last 7 days. "
            "Not together with `order`.",
            {"type": "string", "enum": list(SORTS)},
        ),
        query(
            "input_modalities",
            "Comma list; a model must accept all of them. An unknown modality "
            "is a 400 naming the known ones.",
            {
                "type": "string",
                "maxLength": 200,
                "pattern": comma_list_pattern(input_modalities()),
            },
        ),
        query(
            "context",
            "Minimum context length in tokens.",
            {"type": "integer", "minimum": 0, "maximum": CONTEXT_MAX},
        ),
        query(
            "model_authors",
            "Comma list of author slugs (`openai,anthropic`).",
            {"type": "string", "maxLength": 1000},
        ),
        query(
            "providers",
            "Comma list of providers (slug or name, any case): models with a "
            "listed endpoint of one of them.",
            {"type": "string", "maxLength": 1000},
        ),
        query(
            "arch",
            "Tokenizer group (`GPT`, `Llama3`, …), any case.",
            {"type": "string", "maxLength": 60},
        ),
        query(
            "region",
            "Models with a listed endpoint whose provider has a datacenter there.",
            {"type": "string", "enum": sorted(REGIONS)},
        ),
        query(
            "category",
            "An editors' tag (slug); one no editor made is a 400.",
            {"type": "string", "maxLength": 60},
        ),
        *(
            query(name, text + " USD per million tokens (`1e-06` form too); "
                  "variable and unknown prices are within no bound.", USD_PER_M)
            for name, text in (
                ("min_price", "Lowest prompt price."),
                ("max_price", "Highest prompt price."),
                ("min_output_price", "Lowest completion price."),
                ("max_output_price", "Highest completion price."),
            )
        ),
        *(
            query(name, text, {"type": "integer", "minimum": 0,
                               "maximum": AGE_DAYS_MAX})
            for name, text in (
                ("min_age_days", "Models at least this many days old."),
                ("max_age_days", "Models at most this many days old."),
            )
        ),
    ]  # fmt: skip
    if paged:
        return filters
    return [p for p in filters if p["name"] not in ("order", "sort", "offset", "limit")]


MODEL_GET_PARAMS = [
    AUTHOR,
    SLUG,
    query(
        "at",
        "A date (YYYY-MM-DD): return the prices in force at the end "
        "of that day, rebuilt from recorded price changes (the price after "
        "the last change on or before the date, else the price before the "
        "first change after it, else today's). 404 when the model was first "
        "seen after that date. Other fields are today's.",
        {"type": "string", "format": "date"},
    ),
    INCLUDE_DELISTED,
]

DECIMAL_2 = r"^[0-9]{1,%d}(\.[0-9]{1,2})?$"
COST_PARAMS = [
    query(
        "preset",
        "Starting values: chat, rag, agent or batch (default chat).",
        {"type": "string", "enum": ["chat", "rag", "agent", "batch"]},
    ),
    *(
        query(name, text, {"type": "integer", "minimum": 0, "maximum": 10_000_000})
        for name, text in (
            ("input_tokens", "Input tokens per request."),
            ("output_tokens", "Output tokens per request."),
            ("reasoning_tokens", "Reasoning tokens per request."),
        )
    ),
    query(
        "requests_per_day",
        "Requests a day.",
        {"type": "string", "pattern": DECIMAL_2 % 9},
    ),
    query(
        "tokens_per_month",
        "Input + output tokens a month; when given, requests_per_day is ignored.",
        {"type": "integer", "minimum": 0, "maximum": 10**15},
    ),
    query(
        "cache_percent",
        "Share of input tokens served from cache, in percent.",
        {"type": "string", "pattern": r"^(100(\.0{1,2})?|[0-9]{1,2}(\.[0-9]{1,2})?)$"},
    ),
    query(
        "images",
        "Input images per request.",
        {"type": "string", "pattern": DECIMAL_2 % 3},
    ),
    query(
        "web_searches",
        "Web searches per request.",
        {"type": "string", "pattern": DECIMAL_2 % 3},
    ),
    query("model", "A model id: cost per provider instead.", {"type": "string"}),
    query("q", "Search in name, id and description.", {"type": "string"}),
    query(
        "offset",
        "Skip this many.",
        {"type": "integer", "minimum": 0, "maximum": 10**9},
    ),
    query(
        "limit",
        f"Page size, default 100, at most {MAX_LIMIT}.",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
    ),
    INCLUDE_DELISTED,
]
