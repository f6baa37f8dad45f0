"""When a chart means something, and what a section shows until it does.

A chart draws only when one of its series has enough points over enough time;
until then its section shows the current values and when the next poll comes.
Each chart also has a table of the same numbers (its text alternative).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TypedDict

from front.charts import utc_minute
from stats.selectors import Series, TokenDay


@dataclass(frozen=True)
class Rule:
    """The least data a chart needs: points in one series, and the time they span."""

    min_points: int
    min_span: timedelta

    def met(self, times: Sequence[datetime | date]) -> bool:
        if len(times) < self.min_points:
            return False
        return _span(min(times), max(times)) >= self.min_span

    @property
    def words(self) -> str:
        hours = self.min_span.total_seconds() / 3600
        span = f"{hours:g} hours" if hours < 48 else f"{hours / 24:g} days"
        return f"at least {self.min_points} points over {span}"


def _span(first: datetime | date, last: datetime | date) -> timedelta:
    return last - first  # type: ignore[operator]  # both dates or both datetimes


# Latency and throughput come from our own hourly rollups (or upstream's history):
# a few hours of them say something; tokens are daily, so a few days; a price
# needs a day to be a history.
RULES = {
    "tokens": Rule(3, timedelta(days=2)),
    "uptime": Rule(6, timedelta(hours=6)),
    "latency": Rule(4, timedelta(hours=3)),
    "throughput": Rule(4, timedelta(hours=3)),
    "price": Rule(2, timedelta(days=1)),
}


@dataclass
class Table:
    """A chart's numbers as a table: a column per series, a row per time."""

    caption: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)

    @property
    def split_rows(self) -> list[SplitRow]:
        """Each row as its header (the time or date) and its figures (one at least:
        a table has a column per series), for front/_chart_section.html to write
        with two lookups a row rather than one a cell: a model page's tables hold
        thousands of cells."""
        return [{"header": row[0], "figures": row[1:]} for row in self.rows]


class SplitRow(TypedDict):
    header: str
    figures: list[str]


def series_ready(name: str, series: Sequence[Series]) -> bool:
    """Whether one of the series has what chart `name` needs."""
    rule = RULES[name]
    return any(
        rule.met([t for t, v in s.points if v is not None]) for s in series if s.points
    )


def tokens_ready(days: Sequence[TokenDay]) -> bool:
    return RULES["tokens"].met([d.date for d in days])


def current_values(
    series: Sequence[Series], fmt: Callable[[float], str]
) -> list[tuple[str, str]]:
    """Each series' latest known value, formatted: what a section shows until its
    chart draws."""
    found = []
    for s in series:
        known = [v for _, v in s.points if v is not None]
        if known:
            found.append((s.name, fmt(known[-1])))
    return found


def _when(at: datetime | date) -> str:
    if isinstance(at, datetime):
        return utc_minute(at)
    return at.isoformat()


def series_table(
    caption: str, series: Sequence[Series], fmt: Callable[[float], str]
) -> Table:
    """A line chart's numbers: one row per time, one column per series."""
    times = sorted({t for s in series for t, _ in s.points})
    columns = {s.name: dict(s.points) for s in series}
    rows = [
        [_when(t)]
        + [
            "—" if (v := values.get(t)) is None else fmt(v)
            for values in columns.values()
        ]
        for t in times
    ]
    return Table(caption, ["Time (UTC)", *columns], rows)


def tokens_table(days: Sequence[TokenDay]) -> Table:
    """Tokens per day as a table: prompt, completion, reasoning and total."""
    rows = [
        [
            d.date.isoformat(),
            *("—" if v is None else f"{v:,}" for v in (d.prompt, d.completion)),
            "—" if d.reasoning is None else f"{d.reasoning:,}",
            f"{d.total:,}",
        ]
        for d in days
    ]
    columns = ["Date", "Prompt", "Completion", "Reasoning", "Total"]
    return Table("Tokens per day", columns, rows)


def first_time(series: Sequence[Series]) -> datetime | None:
    """The earliest point with a value of any of the series."""
    times = [t for s in series for t, v in s.points if v is not None]
    return min(times) if times else None


def fills_in(
    rule: Rule,
    first: datetime | date | None,
    next_poll: datetime | None,
    now: datetime,
) -> str:
    """When a chart that waits for data draws, in plain words: its rule's span
    after its first point, or after the next poll when it has none."""
    start = first or next_poll or now
    if not isinstance(start, datetime):
        start = datetime.combine(start, time(), tzinfo=UTC)
    hours = round(max((start + rule.min_span - now).total_seconds(), 0) / 3600)
    if hours < 1:
        return "within the hour"
    if hours < 48:
        return f"about {hours} hour{'s' if hours != 1 else ''} from now"
    return f"about {round(hours / 24)} days from now"


def percent(value: float) -> str:
    return f"{value:.2f}%"


def milliseconds(value: float) -> str:
    return f"{value:,.0f} ms"


def tokens_per_second(value: float) -> str:
    return f"{value:,.1f} tok/s"


@dataclass
class ChartSection:
    """One chart's section: the chart once its data means something, else the
    current values and when the next poll comes; always its table."""

    name: str
    label: str
    chart: str
    table: Table | None
    current: list[tuple[str, str]]
    next_poll: datetime | None = None
    # The chart's data-chart name when it is not the rule's (compare-tokens).
    dom_name: str = ""
    # Why there is nothing at all to show, when polling alone will not fix it.
    empty_note: str = ""
    # The earliest point it has (what its wait counts from), and when it draws in
    # words ("about 3 hours from now"), set with the next poll.
    first_at: datetime | date | None = None
    fills: str = ""

    @property
    def ready(self) -> bool:
        return bool(self.chart)

    @property
    def rule(self) -> Rule:
        return RULES[self.name]
