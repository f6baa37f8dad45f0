"""The monthly cost of catalog/pricing/costs.py as a database expression, to sort
30,000 models or endpoints by what a workload costs without reading them.

The same rules and the same price keys' declarations as `cost_of` (see costs.py):
each cost part billed at the first listed price of its chain (`BILLED_BY`), tier
regions replacing the base prices key by key for their share of the workload's
hours, variable and unknown prices null (sorted last). Exact Decimals, or floats
over ModelRank's float copies of the prices (`exact=False`), whose order differs
from the exact one only between costs equal to ~15 digits.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar, cast

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    Field,
    FloatField,
    Func,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast, Coalesce, Greatest, Least, NullIf

from catalog.pricing import prices, tiers
from catalog.pricing.costs import BILLED_BY, PARTS, ZERO, Units, Workload
from catalog.pricing.prices import PriceKey
from catalog.pricing.tiers import ALL_WEEK, Hours

M = TypeVar("M", bound=Model)

COST_FIELD = DecimalField(max_digits=40, decimal_places=12)
# ModelRank keeps its prices as floats: they order costs, never show them.
ORDER_FIELD = FloatField()


def _column(key: PriceKey, where: str, exact: bool) -> Any:
    """A price column of the row (`where` "row"), of the row a tier region's
    subquery belongs to ("outer"), or of the region ("region", Decimals cast to
    floats on the float path)."""
    if where == "outer":
        return OuterRef(key.column_name)
    if where == "region" and not exact:
        return Cast(F(key.column_name), ORDER_FIELD)
    return F(key.column_name)


def _billed_expression(
    key: PriceKey,
    field: Field[Any, Any],
    zero: Value,
    *,
    where: str = "row",
    region: bool = False,
) -> Coalesce:
    """costs._billed in SQL: the first listed price of the chain, else zero. With
    `region`, a key a tier region lists wins over the same key of the row
    (`where`) it belongs to, key by key, before the fallbacks."""
    exact = field is COST_FIELD
    listed = []
    for k in BILLED_BY[key.name]:
        own = _column(k, where, exact)
        if region:
            own = Coalesce(_column(k, "region", exact), own, output_field=field)
        listed.append(NullIf(own, zero) if k.zero_unlisted else own)
    none = Value(ZERO if exact else 0.0)
    return Coalesce(*listed, none, output_field=field)


def cost_expression(workload: Workload, *, exact: bool = True, **tiered: Any) -> Case:
    """The monthly cost as a database expression over the `price_*` columns, null
    for variable and unknown prices: `.annotate(cost=…)` then order by it. In
    exact Decimals, or (`exact=False`, for ModelRank's float prices) in floats.
    Tiers: see units_cost_expression."""
    return units_cost_expression(
        workload.units(),
        exact=exact,
        prompt_tokens=workload.input_tokens,
        hours=workload.hours,
        **tiered,
    )


def units_cost_expression(
    units: Units,
    *,
    exact: bool = True,
    regions: QuerySet[Any] | None = None,
    only_if: Q | None = None,
    adjust: Any = None,
    prompt_tokens: int = 0,
    hours: Hours = ALL_WEEK,
) -> Case:
    """The cost of `units` (every cost part's) as a database expression.

    Tiers come in one of two ways: `regions`, the tier regions (PriceTier rows)
    of each priced row, filtered by an OuterRef to it (`only_if`: the rows that
    have any, so that the others are priced without the subquery); or `adjust`,
    a column holding what the tiers add to the base cost (ModelRank's, for the
    presets)."""
    field = COST_FIELD if exact else ORDER_FIELD
    zero = Value(ZERO if exact else 0.0, output_field=field)
    total: Any = zero
    for key in PARTS:
        if units[key.name]:
            amount = units[key.name] if exact else float(units[key.name])
            term = ExpressionWrapper(
                Value(amount, output_field=field)
                * _billed_expression(key, field, zero),
                output_field=field,
            )
            total = CombinedExpression(total, "+", term, output_field=field)
    if regions is not None:
        extra: Any = tier_expression(units, regions, prompt_tokens, hours, exact=exact)
        if only_if is not None:
            extra = Case(When(only_if, then=extra), default=zero, output_field=field)
        total = CombinedExpression(total, "+", extra, output_field=field)
    if adjust is not None:
        extra = Coalesce(adjust, zero, output_field=field)
        total = CombinedExpression(total, "+", extra, output_field=field)
    unpriced = Value(None, output_field=field)
    unknown = Q(**{f"{k.column_name}__isnull": True for k in prices.REQUIRED})
    return Case(
        When(is_variable_price=True, then=unpriced),
        When(unknown, then=unpriced),
        default=total,
        output_field=field,
    )


def _balanced_sum(terms: list[Any], field: Field[Any, Any]) -> Any:
    """a + b + c + … as a balanced tree: SQLite's parser refuses the deep nesting
    (its casts around each exact sum) of a long chain."""
    if len(terms) == 1:
        return terms[0]
    half = len(terms) // 2
    return CombinedExpression(
        _balanced_sum(terms[:half], field),
        "+",
        _balanced_sum(terms[half:], field),
        output_field=field,
    )


def tier_expression(
    units: Units,
    regions: QuerySet[Any],
    prompt_tokens: int,
    hours: Hours,
    *,
    exact: bool = True,
) -> Coalesce:
    """What a row's tiers add to its base cost, in SQL: over its regions that
    hold for `prompt_tokens`, each region's share of `hours` times the
    difference its prices make (cost there minus base cost); 0 without any.
    The same sum as units_cost_of, per region instead of per part."""
    field = COST_FIELD if exact else ORDER_FIELD
    zero = Value(ZERO if exact else 0.0, output_field=field)
    terms = []
    for key in PARTS:
        if units[key.name]:
            amount = units[key.name] if exact else float(units[key.name])
            there = _billed_expression(key, field, zero, where="outer", region=True)
            base = _billed_expression(key, field, zero, where="outer")
            terms.append(
                ExpressionWrapper(
                    Value(amount, output_field=field) * (there - base),
                    output_field=field,
                )
            )
    delta = _balanced_sum(terms, field) if terms else zero
    # Minutes of the workload's hours inside the region (whole minutes).
    minutes: Any = Value(0)
    for start, end in hours.minutes:
        if (start, end) == (0, tiers.WEEK_MINUTES):
            piece: Any = F("end_minute") - F("start_minute")
        else:
            piece = Greatest(
                Value(0),
                Least(F("end_minute"), Value(end))
                - Greatest(F("start_minute"), Value(start)),
            )
        minutes = CombinedExpression(minutes, "+", piece)
    weighted = ExpressionWrapper(minutes * delta, output_field=field)
    rows = regions.filter(
        Q(prompt_upto__isnull=True) | Q(prompt_upto__gte=prompt_tokens),
        prompt_above__lt=prompt_tokens,
    )
    # SUM without GROUP BY: one row, the sum over the row's regions (NULL if none).
    summed = rows.annotate(
        tier_sum=Func(weighted, function="SUM", output_field=field)
    ).values("tier_sum")
    per_minute = Value(
        Decimal(hours.total) if exact else float(hours.total), output_field=field
    )
    return Coalesce(
        ExpressionWrapper(
            Subquery(summed, output_field=field) / per_minute, output_field=field
        ),
        zero,
        output_field=field,
    )


def by_cost(
    rows: QuerySet[M],
    workload: Workload,
    *ties: str,
    exact: bool = True,
    **tiered: Any,
) -> QuerySet[M]:
    """Models, endpoints or ranks annotated with `cost` (a month of `workload`),
    cheapest first, then by `ties` (default the primary key); variable and unknown
    prices last. Ordered in the database: nothing is read to sort. `tiered`: how
    the rows' tiers are found (units_cost_expression)."""
    # django-stubs loses the row type through annotate(); it is unchanged.
    cost = cost_expression(workload, exact=exact, **tiered)
    annotated = cast("QuerySet[M]", rows.annotate(cost=cost))
    return annotated.order_by(F("cost").asc(nulls_last=True), *(ties or ("pk",)))
