"""/usage and /usage.csv: who may see the account's spend, the range it reads,
what it shows and exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from stats.models import AccountUsageDaily
from tests.support.factories import make_model

pytestmark = pytest.mark.backend

D1, D2, D3 = date(2026, 7, 1), date(2026, 7, 2), date(2026, 7, 3)


@pytest.fixture
def keyed(settings) -> None:
    settings.OPENROUTER_API_KEY = "sk-or-test"
    settings.USAGE_PUBLIC = False


@pytest.fixture
def staff(client, db):
    client.force_login(User.objects.create_user("sam", is_staff=True))
    return client


@pytest.fixture
def usage(db) -> None:
    make_model("openai/gpt-4o", name="GPT-4o", price_prompt=2.5, price_completion=10)
    rows = [
        (D1, "openai/gpt-4o", "OpenAI", 10, 100_000, 20_000, "0.45"),
        (D2, "openai/gpt-4o", "Azure", 5, 200_000, 10_000, "0.54"),
        (D3, "=cmd|'/c calc'!A1", "@evil", 1, 1_000, 500, "0.002"),
    ]
    for day, slug, provider, requests, prompt, completion, usd in rows:
        AccountUsageDaily.objects.create(
            date=day,
            model_slug=slug,
            endpoint_upstream_id=f"ep-{provider}",
            provider_name=provider,
            requests=requests,
            prompt=prompt,
            completion=completion,
            usage_usd=Decimal(usd),
        )


def totals(html: str) -> dict[str, Decimal]:
    """The exact value behind each rendered total."""
    found = {}
    for part in html.split('data-usage-total="')[1:]:
        name, _, rest = part.partition('"')
        found[name] = Decimal(rest.split('data-value="')[1].split('"')[0])
    return found


def figures(html: str) -> list[dict]:
    blocks = html.split('<script type="application/json" class="plot-data">')[1:]
    return [json.loads(b.split("</script>")[0]) for b in blocks]


# ---------------------------------------------------------------- access


@pytest.mark.parametrize("path", ["/usage", "/usage.csv"])
def test_without_a_key_the_page_is_a_404_that_says_why(client, settings, db, path):
    settings.OPENROUTER_API_KEY = ""
    client.force_login(User.objects.create_user("sam", is_staff=True))

    response = client.get(path)

    assert response.status_code == 404
    assert b"OPENROUTER_API_KEY" in response.content


@pytest.mark.parametrize("path", ["/usage", "/usage.csv?days=7"])
def test_anonymous_visitors_go_to_the_admin_login(client, keyed, usage, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")
    assert "usage" in response["Location"]


def test_signed_in_non_staff_users_are_refused(client, keyed, usage):
    client.force_login(User.objects.create_user("pat"))

    response = client.get("/usage")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_see_the_page_never_cached(staff, keyed, usage):
    response = staff.get("/usage?start=2026-07-01&end=2026-07-03")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"].replace("private", "")


def test_usage_public_opens_it_to_anonymous_visitors(client, keyed, usage, settings):
    settings.USAGE_PUBLIC = True

    page = client.get("/usage?start=2026-07-01&end=2026-07-03")
    export = client.get("/usage.csv?start=2026-07-01&end=2026-07-03")

    assert page.status_code == 200 and export.status_code == 200
    assert "no-store" in page["Cache-Control"]


def test_the_nav_links_to_usage_only_for_those_who_may_see_it(
    client, keyed, usage, settings
):
    assert b'href="/usage"' not in client.get("/rankings").content
    client.force_login(User.objects.create_user("pat"))
    assert b'href="/usage"' not in client.get("/rankings").content
    client.force_login(User.objects.create_user("sam", is_staff=True))
    assert b'href="/usage"' in client.get("/rankings").content
    settings.OPENROUTER_API_KEY = ""
    assert b'href="/usage"' not in client.get("/rankings").content


def test_with_usage_public_the_nav_links_for_everyone(client, keyed, db, settings):
    settings.USAGE_PUBLIC = True

    response = client.get("/rankings")

    assert b'href="/usage"' in response.content
    # Anonymous pages stay shareable: the link cost no session read.
    assert "Cookie" not in response.get("Vary", "")


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("days=12", "days"),
        ("days=abc", "days"),
        ("start=2026-07-01", "__all__"),
        ("end=2026-07-01", "__all__"),
        ("start=2026-13-01&end=2026-07-01", "start"),
        ("start=yesterday&end=2026-07-01", "start"),
        ("start=2026-07-03&end=2026-07-01", "__all__"),
        ("start=2024-01-01&end=2025-06-01", "__all__"),
        ("start=1999-01-01&end=1999-01-02", "__all__"),
        ("start=2026-07-01&end=9999-12-31", "__all__"),
        ("start=" + "9" * 5000 + "&end=2026-07-01", "start"),
    ],
)
@pytest.mark.parametrize("path", ["/usage", "/usage.csv"])
def test_bad_ranges_are_a_400_naming_the_problem(
    staff, keyed, usage, path, query, field
):
    response = staff.get(f"{path}?{query}")

    assert response.status_code == 400
    assert f"<code>{field}</code>".encode() in response.content


ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
VALUES = ANY_TEXT | st.sampled_from(
    ["", "7", "30", "365", "0", "-1", "1e400", "NaN", "2026-07-01", "2026-02-30",
     "2026-7-1", "0001-01-01", "9999-12-31", "\x00", "a" * 3000, "=1+1"]
)  # fmt: skip


@hypothesis_settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.sampled_from(["/usage", "/usage.csv"]),
    st.dictionaries(
        st.sampled_from(["days", "start", "end"]) | ANY_TEXT,
        st.lists(VALUES, min_size=1, max_size=3),
        max_size=4,
    ),
)
@pytest.mark.slow
def test_any_query_string_is_a_200_or_a_400(keyed, usage, settings, path, query):
    settings.USAGE_PUBLIC = True

    response = Client().get(path, query)

    assert response.status_code in (200, 400), (path, query, response.status_code)


# ---------------------------------------------------------------- content


def test_the_page_shows_totals_charts_and_leaders_for_the_range(staff, keyed, usage):
    response = staff.get("/usage?start=2026-07-01&end=2026-07-02")
    html = response.content.decode()

    assert totals(html) == {
        "usd": Decimal("0.99"),
        "tokens": 330_000,
        "prompt": 300_000,
        "completion": 30_000,
        "requests": 15,
        "models": 1,
    }
    assert "Your account" in html and "$0.99" in html
    spend, tokens = figures(html)
    assert [t["name"] for t in spend["data"]] == ["GPT-4o"]
    assert spend["data"][0]["x"] == ["2026-07-01", "2026-07-02"]
    assert spend["data"][0]["y"] == [0.45, 0.54]
    assert tokens["data"][0]["y"] == [120_000, 210_000]
    assert spend["layout"]["barmode"] == "stack"
    # Effective $3.00/M against $3.1818/M at list: 5.7 % below.
    assert "$3.00" in html and "$3.1818" in html and "-5.7%" in html
    assert '<a href="/openai/gpt-4o">GPT-4o</a>' in html


def test_the_default_range_is_30_days_to_the_latest_day_stored(staff, keyed, usage):
    html = staff.get("/usage").content.decode()

    assert 'name="start" value="2026-06-04"' in html
    assert 'name="end" value="2026-07-03"' in html
    assert totals(html)["usd"] == Decimal("0.992")
    assert (
        'name="start" value="2026-06-27"' in staff.get("/usage?days=7").content.decode()
    )


def test_upstream_names_are_escaped_on_the_page(staff, keyed, usage):
    html = staff.get("/usage?start=2026-07-01&end=2026-07-03").content.decode()

    assert "@evil" in html
    assert (
        "<script>"
        not in html.split("<body>")[1]
        .replace('<script type="application/json" class="plot-data">', "")
        .split("<script src=")[0]
    )


def test_no_usage_yet_says_so(staff, keyed, db):
    html = staff.get("/usage").content.decode()

    assert "No usage of your account in this range" in html
    assert "plot-data" not in html


def test_the_csv_export_holds_every_row_of_the_range(staff, keyed, usage):
    response = staff.get("/usage.csv?start=2026-07-01&end=2026-07-03")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        "your-account-usage-2026-07-01-to-2026-07-03.csv"
        in response["Content-Disposition"]
    )
    assert response.streaming
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    )
    assert [r["date"] for r in rows] == ["2026-07-01", "2026-07-02", "2026-07-03"]
    assert rows[0] == {
        "date": "2026-07-01",
        "model": "openai/gpt-4o",
        "provider": "OpenAI",
        "endpoint_id": "ep-OpenAI",
        "requests": "10",
        "prompt_tokens": "100000",
        "completion_tokens": "20000",
        "reasoning_tokens": "0",
        "spend_usd": "0.45",
    }
    # Upstream text never becomes a spreadsheet formula.
    assert rows[2]["model"] == "'=cmd|'/c calc'!A1"
    assert rows[2]["provider"] == "'@evil"
    assert sum(Decimal(r["spend_usd"]) for r in rows) == Decimal("0.992")


def test_the_csv_export_of_an_empty_range_is_its_header(staff, keyed, usage):
    response = staff.get("/usage.csv?start=2026-08-01&end=2026-08-02")

    body = b"".join(response.streaming_content).decode()
    assert body.strip() == (
        "date,model,provider,endpoint_id,requests,prompt_tokens,"
        "completion_tokens,reasoning_tokens,spend_usd"
    )


def test_a_key_that_cannot_read_activity_is_named_on_the_page(
    staff, keyed, mock_upstream, settings
):
    from stats.syncs import sync_datasets

    settings.STATS_DATASETS_ENABLED = True
    mock_upstream.inject("404", path="/api/v1/activity")
    sync_datasets()

    html = staff.get("/usage").content.decode()

    assert "could not read your account's /activity: HTTP 404" in html


def test_the_page_says_when_activity_was_last_polled(
    staff, keyed, mock_upstream, settings
):
    from stats.syncs import sync_datasets

    settings.STATS_DATASETS_ENABLED = True
    assert sync_datasets().status == "succeeded"

    html = staff.get("/usage").content.decode()

    assert "Updated" in html and "could not read" not in html
    assert 'data-usage-total="models" data-value="5"' in html


def test_the_page_reads_a_fixed_number_of_queries(staff, keyed, usage):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff.get("/usage?days=30").status_code == 200
        return len(captured)

    few = queries()
    for n in range(40):
        make_model(f"more/m{n}", price_prompt=1, price_completion=1)
        for day in (D1, D2, D3):
            AccountUsageDaily.objects.create(
                date=day,
                model_slug=f"more/m{n}",
                provider_name=f"P{n}",
                requests=1,
                prompt=10,
                completion=10,
                usage_usd=Decimal("0.001"),
            )
    assert queries() == few


def test_models_of_the_same_name_are_drawn_apart(staff, keyed, usage):
    make_model("openai/gpt-4o:free", name="GPT-4o", price_prompt=0, price_completion=0)
    AccountUsageDaily.objects.create(
        date=D1, model_slug="openai/gpt-4o:free", prompt=5, completion=5, requests=1
    )

    html = staff.get("/usage?start=2026-07-01&end=2026-07-03").content.decode()

    spend, tokens = figures(html)
    assert sorted(t["name"] for t in tokens["data"]) == [
        "=cmd|'/c calc'!A1",
        "GPT-4o (openai/gpt-4o)",
        "GPT-4o (openai/gpt-4o:free)",
    ]
    free = next(t for t in tokens["data"] if t["name"].endswith(":free)"))
    assert free["y"] == [10, 0, 0]
    # Free tokens cost nothing: no spend bar for them.
    assert len(spend["data"]) == 2
