"""/usage's page parts: the account's charts, their tables and the models' rows,
from stats.account's reads. Chart and table captions say "your account"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TypedDict

from catalog.pricing import prices
from front import charts
from front.chartrules import ChartSection, Table
from front.plotfig import Figure
from front.templatetags.front import usd_spend
from stats.account import AccountUsage, ModelSpend, Spend

EMPTY = "No usage of your account in this range."


class ModelSpendRow(TypedDict):
    """A model in /usage's table of what the account spent on each."""

    slug: str
    name: str
    # Empty when the model has no page to link to (gone, or hidden).
    url: str
    spend: Spend
    share: str
    effective: str
    listed: str
    # The effective price against the listed one ("+12.5%"), when both are known.
    versus: str | None


def _price(per_million: Decimal | None) -> str:
    """USD per million tokens to four decimals ("$3.00", "$3.1818")."""
    if per_million is None:
        return "—"
    return prices.money(per_million.quantize(Decimal("0.0001")))


def share(part: Decimal, whole: Decimal) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def model_row(m: ModelSpend, total: Spend) -> ModelSpendRow:
    effective, listed = m.effective_per_million, m.list_per_million
    versus = None
    if effective is not None and listed:
        versus = f"{(effective - listed) * 100 / listed:+.1f}%"
    link = m.model is not None and not m.model.hidden
    return {
        "slug": m.slug,
        "name": m.name,
        "url": m.model.get_absolute_url() if link and m.model else "",
        "spend": m.spend,
        "share": share(m.spend.usd, total.usd),
        "effective": _price(effective),
        "listed": "variable"
        if m.model and m.model.is_variable_price
        else _price(listed),
        "versus": versus,
    }


def _labels(found: AccountUsage) -> dict[str, str]:
    """Each series' label: the model's name, with its id when two names agree."""
    names = {m.slug: m.name for m in found.models}
    taken = [names.get(series, series) for series in found.daily]
    return {
        series: label if taken.count(label) == 1 else f"{label} ({series})"
        for series, label in zip(found.daily, taken, strict=True)
    }


def _stacks(
    found: AccountUsage, value: Callable[[Spend], float]
) -> dict[str, dict[date, float]]:
    labels = _labels(found)
    return {
        labels[series]: {day: value(s) for day, s in days.items()}
        for series, days in found.daily.items()
    }


def _section(name: str, fig: Figure, table: Table) -> ChartSection:
    return ChartSection(
        name="tokens",
        label=table.caption,
        chart=charts.render_figure(fig) if fig.data else "",
        table=table,
        current=[],
        dom_name=name,
        empty_note=EMPTY,
    )


def _table(found: AccountUsage, caption: str, fmt: Callable[[Spend], str]) -> Table:
    labels = _labels(found)
    series = list(found.daily)
    rows = []
    for day in found.days:
        cells = [fmt(found.daily[s].get(day, Spend())) for s in series]
        total = Spend()
        for s in series:
            total = total.plus(found.daily[s].get(day, Spend()))
        if total.usd or total.tokens:
            rows.append([day.isoformat(), *cells, fmt(total)])
    columns = ["Date", *(labels[s] for s in series), "Total"]
    return Table(caption, columns, rows)


def spend_section(found: AccountUsage) -> ChartSection:
    fig = charts.stacked_days_figure(
        found.days, _stacks(found, lambda s: float(s.usd)), "USD", "$%{y:,.4g}"
    )
    table = _table(found, "Your account: spend per day", lambda s: usd_spend(s.usd))
    return _section("usage-spend", fig, table)


def tokens_section(found: AccountUsage) -> ChartSection:
    fig = charts.stacked_days_figure(
        found.days, _stacks(found, lambda s: s.tokens), "tokens", "%{y:,} tokens"
    )
    table = _table(found, "Your account: tokens per day", lambda s: f"{s.tokens:,}")
    return _section("usage-tokens", fig, table)
