"""OpenRouter's use-case categories (the `category` filter of its model list) and
the task classifications (`GET /classifications/task`) each one takes in.

Upstream ranks models per task classification: a tag `<macro>:<task>` in one of
four macro-categories (code, data, agent, general), documented by example only
(`code:general_impl`, `agent:web_search`). The model list's `category` takes a
closed list of use cases instead (its spec's enum). Programming is every tag of
the `code` macro-category; every other category is the task of its own name in
any macro-category (`general:roleplay`; `marketing/seo` is `marketing_seo`).
"""

from __future__ import annotations

from django.db.models import Q

# The spec's enum for GET /models?category=, in its order.
CATEGORIES = (
    "programming",
    "roleplay",
    "marketing",
    "marketing/seo",
    "technology",
    "science",
    "translation",
    "legal",
    "finance",
    "health",
    "trivia",
    "academia",
)
# Categories that take a whole macro-category.
MACROS = {"programming": "code"}


def task_name(category: str) -> str:
    """The task part of the tags a category takes ("marketing/seo" -> "marketing_seo")."""
    return category.replace("/", "_")


def categories_of(tag: str, macro_category: str) -> list[str]:
    """The use-case categories a classification tag belongs to (often none)."""
    task = tag.partition(":")[2]
    return [
        category
        for category in CATEGORIES
        if MACROS.get(category) == macro_category or task == task_name(category)
    ]


def category_tags(category: str) -> Q:
    """A filter on TaskClassification rows: the tags `category` takes."""
    if category in MACROS:
        return Q(macro_category=MACROS[category])
    return Q(tag__endswith=":" + task_name(category))
