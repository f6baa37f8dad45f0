"""CSV cells never run as formulas, whatever separator the spreadsheet that opens
them splits on: a European locale splits on `;`, so what follows one is a cell of
its own (OWASP's CSV injection)."""

from __future__ import annotations

import pytest

from catalog.reads.spreadsheet import csv_cell


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        (
            'Acme;=HYPERLINK("http://evil.example")',
            'Acme;\'=HYPERLINK("http://evil.example")',
        ),
        ("a;+1+cmd", "a;'+1+cmd"),
        ("a;@x", "a;'@x"),
        ("a;-2+3", "a;'-2+3"),
        ("a\t=1", "a\t'=1"),
        ("a,=1", "a,'=1"),
        ("=1;=2", "'=1;'=2"),
        ("a;\r=1", "a;'\r=1"),
    ],
)
def test_a_formula_after_any_separator_is_neutralised(value, safe):
    assert csv_cell(value) == safe


@pytest.mark.parametrize(
    "value", ["-1", "+2.5", "a;-1", "a; =1", "price: -0.5;+3", "plain text", "", 42]
)
def test_data_is_left_alone(value):
    """Signed numbers, cells of them, and text: unchanged."""
    assert csv_cell(value) == value
