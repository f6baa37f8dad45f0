"""The account's own usage reads (/usage): totals, leaders, daily stacks and the
export's rows, against figures worked out by hand."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

from stats import account
from stats.models import AccountUsageDaily
from tests.support.factories import make_model

pytestmark = pytest.mark.backend

D1, D2, D3 = date(2026, 7, 1), date(2026, 7, 2), date(2026, 7, 3)
BEFORE = date(2026, 6, 20)


def row(day, slug, provider, endpoint, requests, prompt, completion, usd, **extra):
    return AccountUsageDaily.objects.create(
        date=day,
        model_slug=slug,
        endpoint_upstream_id=endpoint,
        provider_name=provider,
        requests=requests,
        prompt=prompt,
        completion=completion,
        usage_usd=Decimal(usd),
        **extra,
    )


@pytest.fixture
def usage(db) -> None:
    """Four rows in July (one of a model the catalogue lacks), one in June."""
    make_model("openai/gpt-4o", name="GPT-4o", price_prompt=2.5, price_completion=10)
    make_model("mistral/small", name="Small", price_prompt=0.1, price_completion=0.3)
    # At list price: 100k x $2.5/M + 20k x $10/M = $0.45.
    row(D1, "openai/gpt-4o", "OpenAI", "e1", 10, 100_000, 20_000, "0.45")
    # List would be $0.50 + $0.10 = $0.60: paid 10 % below it.
    row(D2, "openai/gpt-4o", "Azure", "e2", 5, 200_000, 10_000, "0.54")
    row(D1, "mistral/small", "Mistral", "e3", 3, 30_000, 3_000, "0.0039")
    row(D3, "unknown/model", "", "", 1, 1_000, 500, "0.002", reasoning=100)
    row(BEFORE, "openai/gpt-4o", "OpenAI", "e1", 99, 9_000_000, 1, "100")


def test_totals_cover_only_the_range(usage):
    found = account.account_usage_get(D1, D3)

    assert found.total == account.Spend(
        usd=Decimal("0.9959"),
        requests=19,
        prompt=331_000,
        completion=33_500,
        reasoning=100,
    )
    assert found.total.tokens == 364_500
    assert found.model_count == 3
    assert found.days == [D1, D2, D3]


def test_models_by_spend_with_effective_and_list_price(usage):
    found = account.account_usage_get(D1, D3)

    assert [m.slug for m in found.models] == [
        "openai/gpt-4o",
        "mistral/small",
        "unknown/model",
    ]
    gpt = found.models[0]
    assert gpt.name == "GPT-4o"
    assert gpt.spend.usd == Decimal("0.99")
    assert gpt.spend.tokens == 330_000
    # $0.99 for 330,000 tokens: $3.00 per million; at list $1.05: $3.1818…
    assert gpt.effective_per_million == Decimal(3)
    assert gpt.list_cost == Decimal("1.05")
    assert gpt.list_per_million.quantize(Decimal("0.0001")) == Decimal("3.1818")
    small = found.models[1]
    # $0.0039 for 33,000 tokens, exactly the list price: $0.1182 per million.
    assert small.effective_per_million == small.list_per_million
    assert small.effective_per_million.quantize(Decimal("0.0001")) == Decimal("0.1182")
    unknown = found.models[2]
    assert unknown.model is None and unknown.name == "unknown/model"
    assert unknown.list_cost is None and unknown.list_per_million is None
    assert found.other == account.Spend()


def test_variable_price_models_have_no_list_cost(usage):
    make_model(
        "openrouter/auto", price_prompt=-1, price_completion=-1, is_variable_price=True
    )
    row(D1, "openrouter/auto", "OpenAI", "e9", 1, 1_000, 1_000, "0.01")

    found = account.account_usage_get(D1, D3)

    auto = next(m for m in found.models if m.slug == "openrouter/auto")
    assert auto.list_cost is None
    assert auto.effective_per_million == Decimal(5)


def test_providers_by_spend(usage):
    found = account.account_usage_get(D1, D3)

    assert [(p.name, p.spend.usd) for p in found.providers] == [
        ("Azure", Decimal("0.54")),
        ("OpenAI", Decimal("0.45")),
        ("Mistral", Decimal("0.0039")),
        (account.NO_PROVIDER, Decimal("0.002")),
    ]


def test_daily_stacks_per_model(usage):
    found = account.account_usage_get(D1, D3)

    assert found.daily == {
        "openai/gpt-4o": {
            D1: account.Spend(Decimal("0.45"), 10, 100_000, 20_000, 0),
            D2: account.Spend(Decimal("0.54"), 5, 200_000, 10_000, 0),
        },
        "mistral/small": {D1: account.Spend(Decimal("0.0039"), 3, 30_000, 3_000, 0)},
        "unknown/model": {D3: account.Spend(Decimal("0.002"), 1, 1_000, 500, 100)},
    }


def test_models_past_the_top_are_one_other_stack(usage, monkeypatch):
    monkeypatch.setattr(account, "TOP_MODELS", 2)
    monkeypatch.setattr(account, "TOP_PROVIDERS", 1)

    found = account.account_usage_get(D1, D3)

    assert [m.slug for m in found.models] == ["openai/gpt-4o", "mistral/small"]
    assert found.other == account.Spend(Decimal("0.002"), 1, 1_000, 500, 100)
    assert found.daily[account.OTHER] == {D3: found.other}
    assert set(found.daily) == {"openai/gpt-4o", "mistral/small", account.OTHER}
    # Every day's stacks add up to that day's spend.
    day_sums = {
        d: sum((s[d].usd for s in found.daily.values() if d in s), Decimal(0))
        for d in found.days
    }
    assert day_sums == {
        D1: Decimal("0.4539"),
        D2: Decimal("0.54"),
        D3: Decimal("0.002"),
    }
    assert [p.name for p in found.providers] == ["Azure"]


def test_an_empty_range_has_zero_totals(usage):
    found = account.account_usage_get(date(2026, 8, 1), date(2026, 8, 31))

    assert found.total == account.Spend()
    assert found.models == [] and found.providers == [] and found.daily == {}
    assert len(found.days) == 31


def test_span_is_the_first_and_last_day_stored(usage):
    assert account.account_usage_span() == (BEFORE, D3)


def test_span_of_nothing_is_none(db):
    assert account.account_usage_span() is None


@pytest.mark.parametrize(
    ("start", "end"), [(D2, D1), (date(2025, 1, 1), date(2026, 1, 2))]
)
def test_ranges_are_bounded(db, start, end):
    with pytest.raises(ValueError):
        account.account_usage_get(start, end)
    with pytest.raises(ValueError):
        list(account.account_usage_rows(start, end))


def test_a_fixed_number_of_queries_whatever_the_usage(usage, django_assert_num_queries):
    with django_assert_num_queries(6):
        account.account_usage_get(D1, D3)
    for n in range(30):
        make_model(f"more/m{n}", price_prompt=1, price_completion=1)
        for day in (D1, D2, D3):
            row(day, f"more/m{n}", f"P{n}", f"x{n}", 1, 10, 10, "0.001")
    with django_assert_num_queries(6):
        found = account.account_usage_get(D1, D3)
    assert len(found.models) == account.TOP_MODELS
    assert found.model_count == 33


def test_export_rows_in_order(usage):
    rows = list(account.account_usage_rows(D1, D3))

    assert [(r["date"], r["model"], r["provider"]) for r in rows] == [
        (D1, "mistral/small", "Mistral"),
        (D1, "openai/gpt-4o", "OpenAI"),
        (D2, "openai/gpt-4o", "Azure"),
        (D3, "unknown/model", ""),
    ]
    assert rows[3] == {
        "date": D3,
        "model": "unknown/model",
        "provider": "",
        "endpoint_id": "",
        "requests": 1,
        "prompt_tokens": 1_000,
        "completion_tokens": 500,
        "reasoning_tokens": 100,
        "spend_usd": Decimal("0.002"),
    }
    assert sum(r["spend_usd"] for r in rows) == Decimal("0.9959")


def test_totals_are_exact_decimals_on_every_backend(db):
    """Hundreds of spends with ten decimal places: every total, leader and day is
    the exact Decimal sum (SQLite sums floats: a total came out 9.88710650000001)."""
    make_model("openai/gpt-4o", name="GPT-4o")
    rng = random.Random(7)
    # Up to $1,000 each, to the ten places stored: the total needs 16 digits.
    spends = [Decimal(rng.randint(1, 10**13)) / 10**10 for _ in range(200)]
    for n, usd in enumerate(spends):
        day = date(2026, 7, 1 + n % 3)
        provider = ("OpenAI", "Azure")[n % 2]
        row(day, "openai/gpt-4o", provider, f"e{n}", 1, 10, 1, usd)
    found = account.account_usage_get(D1, D3)
    assert found.total.usd == sum(spends, Decimal(0))
    assert str(found.total.usd) == str(sum(spends, Decimal(0)))
    [leader] = found.models
    assert leader.spend.usd == sum(spends, Decimal(0))
    by_provider = {p.name: p.spend.usd for p in found.providers}
    assert by_provider == {
        "OpenAI": sum(spends[0::2], Decimal(0)),
        "Azure": sum(spends[1::2], Decimal(0)),
    }
    daily = found.daily["openai/gpt-4o"]
    for k, day in enumerate((D1, D2, D3)):
        assert daily[day].usd == sum(spends[k::3], Decimal(0))
