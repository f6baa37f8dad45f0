"""Price tiers (upstream's pricing.overrides): what each entry means, worked out by
hand on 30-day months, and every malformed entry stored, reported and never
priced."""

from __future__ import annotations

from decimal import Decimal as D
from types import SimpleNamespace
from typing import Any

import pytest

from catalog.pricing import costs, tiers
from catalog.pricing.costs import (
    ServiceOffer,
    Workload,
    cost_of,
    service_offers,
)
from catalog.pricing.tiers import Hours
from catalog.sources.openrouter import parse_pricing

# Gemini 2.5 Pro's prices (LiteLLM's map, 1.110.2): $1.25/M in, $10/M out; above
# 200,000 prompt tokens $2.50/M in, $15/M out.
GEMINI = {"prompt": "0.00000125", "completion": "0.00001"}
LONG = {"min_prompt_tokens": 200000, "prompt": "0.0000025", "completion": "0.000015"}


def model(pricing: dict[str, Any], overrides: Any = None, **extra: Any) -> Any:
    """A model or endpoint priced as upstream's pricing says (strings per token)."""
    parsed = parse_pricing({**pricing, "overrides": overrides})
    columns = {f"price_{k}": None for k in costs.COMPONENTS}
    columns |= {f"price_{k}": v for k, v in {**parsed.token, **parsed.unit}.items()}
    return SimpleNamespace(
        is_variable_price=parsed.variable,
        pricing_overrides=parsed.overrides,
        **columns,
        **extra,
    )


def monthly(obj: Any, input_tokens: int, output_tokens: int = 0, **kw: Any) -> D:
    """The total for 10 requests a day (300 a month) unless `requests_per_day`."""
    kw.setdefault("requests_per_day", D(10))
    workload = Workload(input_tokens=input_tokens, output_tokens=output_tokens, **kw)
    cost = cost_of(obj, workload)
    assert cost.total is not None, cost.status
    return cost.total


# ---------------------------------------------------------------- prompt size


def test_a_prompt_below_the_threshold_pays_the_base_price():
    # 300 x 199,999 = 59.9997M in x $1.25 + 0.3M out x $10
    assert monthly(model(GEMINI, [LONG]), 199_999, 1000) == D("77.999625")


def test_a_prompt_at_the_threshold_pays_the_base_price():
    # Strictly greater: 60M x $1.25 + 0.3M x $10
    assert monthly(model(GEMINI, [LONG]), 200_000, 1000) == D("78")


def test_a_prompt_one_token_above_the_threshold_pays_the_tier():
    # 60.0003M x $2.50 + 0.3M x $15
    assert monthly(model(GEMINI, [LONG]), 200_001, 1000) == D("154.50075")


def test_a_long_prompt_pays_the_tier_on_input_and_output():
    # 90M x $2.50 + 0.3M x $15
    assert monthly(model(GEMINI, [LONG]), 300_000, 1000) == D("229.5")


def test_a_key_the_tier_leaves_out_keeps_the_base_price():
    tier = {"min_prompt_tokens": 200000, "prompt": "0.0000025"}
    # 90M x $2.50 + 0.3M x $10 (output at the base price)
    assert monthly(model(GEMINI, [tier]), 300_000, 1000) == D("228")


def test_later_entries_win_key_by_key():
    longer = {"min_prompt_tokens": 500000, "prompt": "0.000005"}
    priced = model(GEMINI, [LONG, longer])
    # 600k: prompt from the later entry ($5), completion from the first ($15).
    assert monthly(priced, 600_000, 1000) == D("904.5")
    # 300k: the first entry alone.
    assert monthly(priced, 300_000, 1000) == D("229.5")


def test_a_tiered_cost_is_never_below_the_base_cost_above_the_threshold():
    for tokens in (200_001, 300_000, 1_000_000):
        tiered = monthly(model(GEMINI, [LONG]), tokens, 2000)
        base = monthly(model(GEMINI), tokens, 2000)
        assert tiered >= base, tokens


def test_a_tier_prices_the_cache_reads_of_a_long_prompt():
    pricing = {**GEMINI, "input_cache_read": "0.000000125"}
    tier = {**LONG, "input_cache_read": "0.00000025"}
    # 300k tokens, half read from cache: 45M read x $0.25 + 45M x $2.50 (no
    # cache-write price: the other half is billed as prompt) + 0.3M x $15.
    w = {"cache_share": D("0.5")}
    assert monthly(model(pricing, [tier]), 300_000, 1000, **w) == D("128.25")


# ---------------------------------------------------------------- time windows

# DeepSeek's off-peak hours (16:30-00:30 UTC) at half price: $2/M -> $1/M in.
BASE = {"prompt": "0.000002", "completion": "0.000008"}
NIGHT = {
    "utc_start": 1630,
    "utc_end": 30,
    "prompt": "0.000001",
    "completion": "0.000004",
}


def test_a_window_past_midnight_weighs_by_its_share_of_the_day():
    # 30 requests a day x 1,000 = 0.9M in a month; 8 of 24 hours at $1, 16 at $2.
    priced = model(BASE, [NIGHT])
    assert monthly(priced, 1000, requests_per_day=D(30)) == D("1.5")


def test_requests_inside_the_window_pay_its_price_only():
    hours = Hours(utc_start=1700, utc_end=2300)
    priced = model(BASE, [NIGHT])
    assert monthly(priced, 1000, requests_per_day=D(30), hours=hours) == D("0.9")


def test_requests_across_the_windows_end_pay_each_side_its_share():
    # 00:00-01:00: the window's last half hour, then half an hour at the base.
    hours = Hours(utc_start=0, utc_end=100)
    priced = model(BASE, [NIGHT])
    assert monthly(priced, 1000, requests_per_day=D(30), hours=hours) == D("1.35")


def test_weekdays_scope_a_tier_to_those_days():
    weekend = {"utc_days": ["saturday", "sunday"], "prompt": "0"}
    priced = model({"prompt": "0.000007", "completion": "0.00001"}, [weekend])
    # 0.9M in at $7 on 5 days of 7, free on the other 2.
    assert monthly(priced, 1000, requests_per_day=D(30)) == D("4.5")


def test_a_window_past_midnight_on_one_day_counts_that_days_hours_only():
    # 22:00-02:00 on Mondays: Monday 00:00-02:00 and 22:00-24:00 (the instant's
    # weekday; Tuesday 00:00-02:00 is not Monday), 4 of the week's 168 hours.
    monday = {"utc_start": 2200, "utc_end": 200, "utc_days": ["monday"], "prompt": "0"}
    priced = model({"prompt": "0.000042", "completion": "0.00001"}, [monday])
    assert monthly(priced, 1000, requests_per_day=D(30)) == D("36.9")
    inside = Hours(utc_start=0, utc_end=200, days=(0,))
    assert monthly(priced, 1000, requests_per_day=D(30), hours=inside) == 0
    tuesday = Hours(utc_start=0, utc_end=200, days=(1,))
    assert monthly(priced, 1000, requests_per_day=D(30), hours=tuesday) == D("37.8")


def test_a_window_and_a_threshold_combine_the_later_entry_winning():
    night = {"utc_start": 1630, "utc_end": 30, "prompt": "0.000001"}
    priced = model(
        GEMINI, [{"min_prompt_tokens": 200000, "prompt": "0.0000025"}, night]
    )
    # 300k tokens: 90M in, a third at night ($1), the rest at the long-context $2.50.
    assert monthly(priced, 300_000) == D("180")
    # 1,000 tokens: 0.3M in, a third at night ($1), the rest at the base $1.25.
    assert monthly(priced, 1000) == D("0.35")


def test_the_parts_say_which_tier_priced_them():
    cost = cost_of(
        model(BASE, [NIGHT]),
        Workload(input_tokens=1000, output_tokens=0, requests_per_day=D(30)),
    )
    assert cost.priced_by is not None and cost.parts is not None
    base, night = cost.priced_by["prompt"]
    assert (base.entries, base.key, base.amount) == ((), "prompt", D("1.2"))
    assert (night.entries, night.key, night.amount) == ((0,), "prompt", D("0.3"))
    assert base.share + night.share == 1
    assert cost.parts["prompt"] == D("1.5")


# ---------------------------------------------------------------- cache writes

# Claude Sonnet 4.5 (LiteLLM 1.110.2): $3/M in, cache reads $0.30, writes $3.75
# (5 minutes) and $6 (an hour).
SONNET = {
    "prompt": "0.000003",
    "completion": "0.000015",
    "input_cache_read": "0.0000003",
    "input_cache_write": "0.00000375",
    "input_cache_write_1h": "0.000006",
}
CACHED = {"cache_share": D("0.5")}


def test_hour_long_cache_writes_pay_the_1_hour_price():
    # 0.15M read x $0.30 + 0.15M written x $6
    assert monthly(model(SONNET), 1000, cache_ttl="1h", **CACHED) == D("0.945")


def test_five_minute_cache_writes_pay_the_cache_write_price():
    # 0.15M read x $0.30 + 0.15M written x $3.75
    assert monthly(model(SONNET), 1000, **CACHED) == D("0.6075")


def test_without_a_1_hour_price_hour_long_writes_pay_the_cache_write_price():
    five = {k: v for k, v in SONNET.items() if k != "input_cache_write_1h"}
    assert monthly(model(five), 1000, cache_ttl="1h", **CACHED) == D("0.6075")


def test_a_long_context_tier_prices_hour_long_cache_writes():
    tier = {"min_prompt_tokens": 200000, "input_cache_write_1h": "0.000012"}
    # 300k tokens: 45M read x $0.30 + 45M written x $12 (the tier's 1-hour price)
    got = monthly(model(SONNET, [tier]), 300_000, cache_ttl="1h", **CACHED)
    assert got == D("553.5")


# ---------------------------------------------------------------- service tiers

# GPT-5 (LiteLLM 1.110.2): standard $1.25/M in, $10/M out; flex half of it;
# priority twice it.
STANDARD = {"prompt": "0.00000125", "completion": "0.00001"}
FLEX = {"prompt": "0.000000625", "completion": "0.000005"}
PRIORITY = {"prompt": "0.0000025", "completion": "0.00002"}


def endpoint(pricing: dict[str, str], tier: str = "", provider: int = 1) -> Any:
    return model(pricing, service_tier=tier, provider_id=provider, quantization="")


def test_the_standard_tier_prices_an_offer_by_default():
    offers = service_offers(
        [endpoint(STANDARD), endpoint(FLEX, "flex"), endpoint(PRIORITY, "priority")]
    )
    assert len(offers) == 1
    priced = offers[0].priced(Workload(input_tokens=1000, output_tokens=1000))
    assert priced is not None
    chosen, cost = priced
    assert chosen.service_tier == ""
    # 1,000 requests a day: 30M in x $1.25 + 30M out x $10
    assert cost.total == D("337.5")


def test_the_cheapest_tier_prices_an_offer_when_asked():
    offers = service_offers([endpoint(PRIORITY, "priority"), endpoint(STANDARD)])
    w = Workload(input_tokens=1000, output_tokens=1000, service_tier="cheapest")
    offers[0].tiers.append(endpoint(FLEX, "flex"))
    priced = offers[0].priced(w)
    assert priced is not None and priced[0].service_tier == "flex"
    assert priced[1].total == D("168.75")


def test_an_offer_of_service_tiers_only_has_no_standard_price():
    offers = service_offers([endpoint(STANDARD, provider=1), endpoint(FLEX, "flex", 2)])
    assert [o.standard is None for o in offers] == [False, True]
    assert offers[1].priced(Workload()) is None
    cheapest = offers[1].priced(Workload(service_tier="cheapest"))
    assert cheapest is not None and cheapest[0].service_tier == "flex"


def test_an_empty_offer_prices_nothing():
    assert ServiceOffer(None, []).priced(Workload(service_tier="cheapest")) is None


# ---------------------------------------------------------------- malformed entries

MALFORMED = {
    "thresholds out of order": (
        [LONG, {"min_prompt_tokens": 100000, "prompt": "0.000004"}],
        "pricing.overrides[1]: min_prompt_tokens 100000 is not above entry 0's",
    ),
    "overlapping windows": (
        [
            {"utc_start": 1600, "utc_end": 2000, "prompt": "0.000001"},
            {"utc_start": 1900, "utc_end": 2100, "prompt": "0.0000005"},
        ],
        "pricing.overrides[1]: its window overlaps entry 0's",
    ),
    "utc_start == utc_end": (
        [{"utc_start": 1630, "utc_end": 1630, "prompt": "0.000001"}],
        "pricing.overrides[0]: utc_start equals utc_end (1630)",
    ),
    "hours above 2359": (
        [{"utc_start": 2300, "utc_end": 2400, "prompt": "0.000001"}],
        "pricing.overrides[0]: utc_end 2400 is not an HHMM time",
    ),
    "minutes above 59": (
        [{"utc_start": 1260, "utc_end": 1400, "prompt": "0.000001"}],
        "pricing.overrides[0]: utc_start 1260 is not an HHMM time",
    ),
    "unknown condition key": (
        [{"min_completion_tokens": 1000, "prompt": "0.000001"}],
        "pricing.overrides[0]: unknown key 'min_completion_tokens'",
    ),
    "unknown price key": (
        [{"min_prompt_tokens": 1000, "video": "0.01"}],
        "pricing.overrides[0]: unknown key 'video'",
    ),
    "negative price": (
        [{"min_prompt_tokens": 1000, "prompt": "-0.000001"}],
        "pricing.overrides[0]: prompt is negative",
    ),
    "NaN price": (
        [{"min_prompt_tokens": 1000, "prompt": "NaN"}],
        "pricing.overrides[0]: prompt is not a number: 'NaN'",
    ),
    "non-numeric price": (
        [{"min_prompt_tokens": 1000, "prompt": "cheap"}],
        "pricing.overrides[0]: prompt is not a number: 'cheap'",
    ),
    "a price that is no string": (
        [{"min_prompt_tokens": 1000, "prompt": True}],
        "pricing.overrides[0]: prompt is not a number string",
    ),
    "a threshold that is no number": (
        [{"min_prompt_tokens": "200k", "prompt": "0.000001"}],
        "pricing.overrides[0]: min_prompt_tokens is not a number",
    ),
    "one end of a window": (
        [{"utc_start": 100, "prompt": "0.000001"}],
        "pricing.overrides[0]: names one end of a time window only",
    ),
    "an unknown weekday": (
        [{"utc_days": ["funday"], "prompt": "0.000001"}],
        "pricing.overrides[0]: utc_days names an unknown weekday: 'funday'",
    ),
    "no condition": (
        [{"prompt": "0.000001"}],
        "pricing.overrides[0]: names no condition",
    ),
    "no object": (["200k: $2.50"], "pricing.overrides[0]: is not an object"),
    "no list": ({"min_prompt_tokens": 1}, "pricing.overrides is not a list"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_entry_is_kept_reported_and_never_priced(case):
    overrides, problem = MALFORMED[case]
    parsed = parse_pricing({**GEMINI, "overrides": overrides})
    assert parsed.overrides == overrides  # stored as sent
    assert any(p.startswith(problem) for p in parsed.problems), parsed.problems
    assert all(p.endswith("not priced") for p in parsed.problems)
    # What the well-formed entries say still holds; the bad one prices nothing.
    good = [e for i, e in enumerate(overrides) if i == 0 and case in {
        "thresholds out of order", "overlapping windows"}]  # fmt: skip
    expected = monthly(model(GEMINI, good or None), 300_000, 1000)
    assert monthly(model(GEMINI, overrides), 300_000, 1000) == expected


def test_upstreams_own_example_parses_clean():
    parsed = parse_pricing({**GEMINI, "overrides": [LONG, NIGHT]})
    assert parsed.problems == []
    assert [t.index for t in tiers.parse(parsed.overrides).entries] == [0, 1]


def test_entries_past_the_limit_are_kept_and_not_priced():
    many = [
        {"min_prompt_tokens": 1000 * (i + 1), "prompt": "0.000002"}
        for i in range(tiers.MAX_ENTRIES + 1)
    ]
    parsed = parse_pricing({**GEMINI, "overrides": many})
    assert parsed.overrides == many
    assert parsed.problems == [
        f"pricing.overrides[{tiers.MAX_ENTRIES}]: beyond the first "
        f"{tiers.MAX_ENTRIES} entries; not priced"
    ]


# ---------------------------------------------------------------- for people


def test_a_tier_reads_as_a_sentence():
    found = tiers.parse([LONG, {**NIGHT, "utc_days": DAYS_MON_FRI}]).entries
    assert (
        found[0].sentence() == "prompts over 200,000 tokens: $2.50/M in, $15.00/M out"
    )
    assert found[1].sentence() == "16:30–00:30 UTC, Mon–Fri: $1.00/M in, $4.00/M out"


DAYS_MON_FRI = ["monday", "tuesday", "wednesday", "thursday", "friday"]


def test_weekdays_read_as_runs():
    assert tiers.days_text((5, 6)) == "Sat, Sun"
    assert tiers.days_text((0, 2, 3, 4)) == "Mon, Wed–Fri"


def test_no_recorded_long_context_tier_prices_a_long_prompt_below_its_base():
    """Every prompt-size tier of the 2026 pricing recording (models and
    endpoints), for prompts above its threshold: never cheaper than the base."""
    from demo import snapshots

    items = [m["pricing"] for m in snapshots.models_for("2026-pricing")]
    items += [
        e["pricing"] for eps in snapshots.pricing_endpoints().values() for e in eps
    ]
    checked = 0
    for pricing in items:
        base = {k: v for k, v in pricing.items() if k != "overrides"}
        for entry in pricing.get("overrides", []):
            if "min_prompt_tokens" not in entry:
                continue
            for above in (1, 100_000, 800_000):
                tokens = entry["min_prompt_tokens"] + above
                w = {"cache_share": D("0.3"), "cache_ttl": "1h"}
                tiered = monthly(model(base, pricing["overrides"]), tokens, 4000, **w)
                assert tiered >= monthly(model(base), tokens, 4000, **w)
                checked += 1
    assert checked >= 15
