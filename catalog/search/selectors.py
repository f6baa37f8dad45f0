"""Search reads: which models match a query, and in what order (one ranking for the
list page, the header's suggestions and the API).

A model matches when every query word starts a run of its names (id, name, author,
aliases) or prefixes a word of its description or capabilities; a word of five
letters or more also matches through any catalogue word one edit away. Ranked:

1. delisted models last;
2. typo-free matches before those that needed a correction;
3. the query is a whole id or name, then the start of one, then every word is in
   the names, then some word is only in the description;
4. a model before its variants (`:free`, `:thinking`), then a family's newest
   release before its older ones (catalog.search.keys.model_family: Gemini 2.5
   Flash before Gemini Flash 1.5), then popularity (tokens this week), then the
   shorter name, then the id.

Words that ask for an order, a filter or a kind of model (catalog.search.intent:
"long context", "cheap", "fast", "free", "vision", "embedding") are applied as
such to the matches of the other words: an order comes right after the tiers.

PostgreSQL answers the word matches from stored, indexed tsvectors of both key
columns; SQLite from an FTS5 index of both. Both read the same keys and find the
same words. The matches are ranked from ModelRank's narrow rows (catalog.ranking):
models_matching takes any queryset whose rows are models' (LanguageModel or
ModelRank: both reach the keys as `search`, both keyed by the model's id).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import reduce
from itertools import islice, product
from operator import and_, or_
from typing import Any, TypeVar

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Expression,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Min,
    OrderBy,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import DenseRank

from catalog.models import LanguageModel, ModelRank, SearchTerm
from catalog.ranking import RankedModels
from catalog.search.intent import Intent, intent_parse
from catalog.search.keys import (
    TYPO_MIN_LETTERS,
    ParsedQuery,
    QueryWord,
    one_edit,
    query_parse,
)

M = TypeVar("M", LanguageModel, ModelRank)
# Corrections kept per word (the closest words first, by the vocabulary's order).
MAX_CORRECTIONS = 6
SUGGESTIONS = 8
MAX_TYPO_LENGTH = 30
# Corrected spellings of a whole query compared with the names (exact, prefix).
MAX_WHOLES = 12


class WordsIn(Func):
    """Every part starts a word of a search-key column (" w1 w2 …": the names or
    the text of catalog_modelsearch). `found` for a test of rows already found (a
    ranking's tier): on PostgreSQL, a LIKE of the column, cheaper row by row than
    its tsvector, which serves the filter from its index."""

    output_field = BooleanField()

    def __init__(self, column: str, parts: tuple[str, ...], *, found: bool = False):
        super().__init__(F(f"search__{column}"))
        self.column, self.parts, self.found = column, parts, found

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> Any:
        column, params = compiler.compile(self.source_expressions[0])
        # A scan; parts are [a-z0-9]+ (catalog.search.keys): nothing to escape.
        like = " AND ".join(f"{column} LIKE %s" for _ in self.parts)
        return f"({like})", [p for part in self.parts for p in (*params, f"% {part}%")]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        column, params = compiler.compile(self.source_expressions[0])
        # Migration 0017 indexes both columns in FTS5 (rowid: the model's id).
        row = _sibling(column, self.column, "model_id")
        words = " AND ".join(f'"{part}"*' for part in self.parts)
        sql = (
            f"{row} IN (SELECT rowid FROM catalog_modelsearch_fts "
            "WHERE catalog_modelsearch_fts MATCH %s)"
        )
        return sql, [*params, f"{self.column} : ({words})"]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        if self.found:
            return self.as_sql(compiler, connection, **extra)
        column, params = compiler.compile(self.source_expressions[0])
        # Migration 0019 stores each column's tsvector beside it (names_vector,
        # text_vector: generated columns the ORM does not know) and indexes it: a
        # prefix of a lexeme is a word's start, as the LIKE above asks.
        vector = _sibling(column, self.column, f"{self.column}_vector")
        query = " & ".join(f"{part}:*" for part in self.parts)
        return f"{vector} @@ to_tsquery('simple', %s)", [*params, query]


class CreatedDay(Func):
    """A model's creation day, to rank a family's releases by. SQLite keeps the
    time as text ("2025-05-22 10:41:05"): its first ten characters. (TruncDate
    there calls Python once a row: most of a broad search's time at 30,000
    models.)"""

    output_field = CharField()
    template = "substr(%(expressions)s, 1, 10)"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(%(expressions)s)::date")


class FtsMatches(Func):
    """SQLite: the model is among an FTS5 query's rows (migration 0017)."""

    output_field = BooleanField()

    def __init__(self, query: str):
        super().__init__(F("pk"))
        self.query = query

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> Any:
        row, params = compiler.compile(self.source_expressions[0])
        sql = (
            f"{row} IN (SELECT rowid FROM catalog_modelsearch_fts "
            "WHERE catalog_modelsearch_fts MATCH %s)"
        )
        return sql, [*params, self.query]


def _fts_query(plan: Plan) -> str:
    """The whole query as FTS5 syntax: every word in the names or the text (or a
    correction of it), as models_matching's other databases ask."""

    def prefixes(parts: tuple[str, ...]) -> str:
        return " AND ".join(f'"{part}"*' for part in parts)

    words = []
    for word in plan.query.words:
        either = [f'names : ("{word.key}"*)', f"text : ({prefixes(word.parts)})"]
        for term in plan.corrections.get(word, ()):
            either += [f'names : ("{term}"*)', f'text : ("{term}"*)']
        words.append("(" + " OR ".join(either) + ")")
    return " AND ".join(words)


def _sibling(sql: str, column: str, other: str) -> str:
    """Another column of the table (or its alias) a compiled column belongs to."""
    assert sql.endswith(f'"{column}"'), sql
    return sql.removesuffix(f'"{column}"') + f'"{other}"'


@dataclass(frozen=True)
class Plan:
    """A parsed query with each word's corrections (catalogue words one edit away)."""

    query: ParsedQuery
    corrections: dict[QueryWord, tuple[str, ...]]


def search_plan(q: str) -> Plan:
    """Parse `q` and look its long words' one-edit neighbours up (one query)."""
    query = query_parse(q)
    edits = {
        word: one_edit(word.key)
        for word in query.words
        # Past a long word's length a typo is no longer what went wrong.
        if word.letters >= TYPO_MIN_LETTERS and len(word.key) <= MAX_TYPO_LENGTH
    }
    wanted = set().union(*edits.values(), (w.key for w in edits)) if edits else set()
    known = terms_known(wanted)
    # A word of the catalogue is no typo: "llama" does not also look for LLaVA.
    corrections = {
        word: tuple(sorted(candidates & known)[:MAX_CORRECTIONS])
        for word, candidates in edits.items()
        if word.key not in known
    }
    return Plan(query, corrections)


def terms_known(candidates: set[str]) -> set[str]:
    """Which of `candidates` are catalogue words (one query, one parameter).

    Each candidate is looked up in the vocabulary's index. As `term IN (…)`, the
    thousand-odd one-edit neighbours of three long words made PostgreSQL hash the
    list and scan all 117,000 words of a 30,000-model catalogue (15 ms against 2),
    and the ORM compile a parameter per candidate."""
    if not candidates:
        return set()
    table = connection.ops.quote_name(SearchTerm._meta.db_table)
    listed = (
        "json_array_elements_text(%s::json)"
        if connection.vendor == "postgresql"
        else "json_each(%s)"
    )
    sql = (
        f"SELECT t.term FROM {listed} AS c "  # noqa: S608 - names, not input
        f"JOIN {table} AS t ON t.term = c.value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(sorted(candidates))])
        return {term for (term,) in cursor.fetchall()}


def _in_names(key: str, *, found: bool = False) -> Q:
    return Q(WordsIn("names", (key,), found=found))


def _exact(word: QueryWord, *, found: bool = False) -> Q:
    in_text = WordsIn("text", word.parts, found=found)
    return _in_names(word.key, found=found) | Q(in_text)


def _corrected(plan: Plan, word: QueryWord) -> Q:
    found = _exact(word)
    for term in plan.corrections.get(word, ()):
        found |= _in_names(term) | Q(WordsIn("text", (term,)))
    return found


def _names_only(plan: Plan, word: QueryWord) -> Q:
    keys = (word.key, *plan.corrections.get(word, ()))
    return reduce(or_, (_in_names(k, found=True) for k in keys))


def _wholes(plan: Plan) -> list[str]:
    """The query squashed, then as corrected: a mistyped whole name ranks as one."""
    choices = [(w.key, *plan.corrections.get(w, ())) for w in plan.query.words]
    wholes = ["".join(keys) for keys in islice(product(*choices), MAX_WHOLES)]
    return list(dict.fromkeys([plan.query.whole, *wholes]))


def _aliases(wholes: list[str], end: str) -> Q:
    return reduce(or_, (Q(search__aliases__contains=f" {w}{end}") for w in wholes))


# The tier of a match in the description alone (the names' tiers come first).
DESCRIPTION_TIER = 4


def models_matching(
    models: QuerySet[M], q: str, *, names_only: bool = False
) -> QuerySet[M]:
    """`models` (LanguageModel or ModelRank rows) narrowed to those matching `q`,
    with what the ranking orders by (search_tier, search_fuzzy when a word was
    corrected, search_sort when the query asked for an order) as aliases. A query
    without a letter or digit, or intent, matches nothing. `names_only` leaves out
    the matches in descriptions alone (the API's `q` searches names and ids)."""
    intent = intent_parse(q)
    models = _intended(models, intent)
    plan = search_plan(intent.q)
    if not plan.query:
        return models if intent else models.none()
    words = plan.query.words
    wholes = _wholes(plan)
    tier = Case(
        When(_aliases(wholes, " "), then=Value(1)),
        When(_aliases(wholes, ""), then=Value(2)),
        When(reduce(and_, (_names_only(plan, w) for w in words)), then=Value(3)),
        default=Value(DESCRIPTION_TIER),
        output_field=IntegerField(),
    )
    if connection.vendor == "sqlite":
        # One FTS5 look-up for the whole query, read by the model's id.
        matching = models.filter(Q(FtsMatches(_fts_query(plan))))
    else:
        matching = models.filter(reduce(and_, (_corrected(plan, w) for w in words)))
    matching = matching.alias(search_tier=tier)
    if names_only:
        matching = matching.filter(search_tier__lt=DESCRIPTION_TIER)
    if not any(plan.corrections.values()):
        return matching
    # Only a corrected word can match without the word as typed.
    fuzzy = Case(
        When(reduce(and_, (_exact(w, found=True) for w in words)), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return matching.alias(search_fuzzy=fuzzy)


def _intended(models: QuerySet[M], intent: Intent) -> QuerySet[M]:
    """`models` narrowed as the query's intent asks, its order as `search_sort`
    (least first)."""
    if intent.kind:
        # A kind of model is what it puts out; a kind the board holds none of
        # matches nothing, and the list says so (Intent.said).
        made = (Q(output_modalities__has=m) for m in intent.output_modalities)
        models = models.filter(reduce(or_, made))
    if "free" in intent.filters:
        models = models.filter(price_prompt=0, price_completion=0)
    if "vision" in intent.filters:
        models = models.filter(input_modalities__has="image")
    if intent.sort == "price":
        # "cheap" is the cheapest to pay for; "free" asks for the free ones.
        models = models.exclude(price_prompt=0, price_completion=0)
    if intent.sort:
        models = models.alias(search_sort=_sort_key(models, intent.sort))
    return models


def _sort_key(models: QuerySet[Any], sort: str) -> Expression | F:
    if sort == "context":
        return F("context_length") * -1
    if sort == "price":
        return F("price_prompt")
    # Throughput is a current figure of the model's row, not of its rank.
    column = "model__throughput_p50" if models.model is ModelRank else "throughput_p50"
    return F(column) * -1


def by_relevance(ranks: QuerySet[ModelRank]) -> QuerySet[ModelRank]:
    """Matching models' ranks (models_matching over ModelRank) best first."""
    annotations = ranks.query.annotations
    words = "search_tier" in annotations  # none for a query of intent alone
    # One key: delisted last, then typo-free first, then the band of the tier: a
    # whole id or name, then a match in the names, then one in the description.
    # (Ordering by a column alone first would let PostgreSQL walk every listed
    # model in that order instead of reading the matches from the indexes.)
    rank: Any = Case(
        When(delisted=False, then=Value(0)),
        default=Value(8),
        output_field=IntegerField(),
    )
    if "search_fuzzy" in annotations:
        rank = rank + F("search_fuzzy") * 4
    # Tiers 1, 2, 3, 4 to bands 1, 2, 2, 3 by integer division: the tier (LIKEs
    # of the keys) is worked out once for it, where a CASE would test it twice.
    band = ExpressionWrapper((F("search_tier") + 2) / 2, output_field=IntegerField())
    if words:
        rank = rank + band
    # Asked for ("long context", "cheap", "fast"): right after the band.
    asked = (
        [F("search_sort").asc(nulls_last=True)] if "search_sort" in annotations else []
    )
    # A variant (`:free`, `:thinking`) after the model it varies when both match
    # alike: "llama 3.3 70b" means the model, whichever of the two is busier.
    variant = Case(
        When(slug__contains=":", then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    # What follows ranks the matches of a query's words: for intent alone ("long
    # context", "free") its order or popularity decide, as for any list.
    family = F("search__family")
    # A family whose names start as the query does, before one that only holds its
    # words ("llama 3.3 70b": Meta's Llama and its :free variant, then EVA Llama)...
    family_tier = Window(Min("search_tier"), partition_by=[family])
    # ...and among a family's matches in one band (and variant), its newest release
    # first: "gemini pro" is Gemini 2.5 Pro, not Gemini Pro 1.5, however busy that
    # is or however the names start. Releases of one day are one generation (a
    # family's sizes come out together).
    generation = Window(
        DenseRank(),
        partition_by=[family, variant, band],
        order_by=OrderBy(CreatedDay("created"), descending=True, nulls_last=True),
    )
    tiers: list[Any] = [family_tier, variant, generation, "search_tier"]
    if not words:
        # Intent alone ("long context", "free"): its order, then popularity, as
        # any list is ordered.
        tiers = [variant]
    return ranks.order_by(
        rank,
        *asked,
        *tiers,
        F("tokens_week").desc(nulls_last=True),
        "name_length",
        "slug",
    )


def search_ranked(
    ranks: QuerySet[ModelRank], rows: QuerySet[LanguageModel], q: str
) -> RankedModels:
    """The models of `ranks` matching `q`, best first, read as `rows`."""
    ranked = by_relevance(models_matching(ranks, q))
    return RankedModels(ranked, rows, count_with_page=True)


@dataclass(frozen=True)
class Suggestion:
    id: str
    name: str
    author: str
    url: str


def model_suggestions(
    ranks: QuerySet[ModelRank], q: str, limit: int = SUGGESTIONS
) -> list[Suggestion]:
    """The best `limit` models of `ranks` for `q`, for the header's suggestions
    (three queries: the vocabulary's corrections, the ranked ids, their rows)."""
    rows = LanguageModel.objects.select_related("author").only(
        "slug", "name", "author__slug", "author__name"
    )
    return [
        Suggestion(
            id=m.slug,
            name=m.name,
            author=m.author.name or m.author.slug,
            url=m.get_absolute_url(),
        )
        for m in search_ranked(ranks, rows, q)[:limit]
    ]
