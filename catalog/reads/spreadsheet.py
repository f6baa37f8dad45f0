"""CSV cells safe to open in a spreadsheet: upstream text never becomes a formula.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (CSV injection). The standard
defence (OWASP) is a leading `'`, which spreadsheets show as text. Numbers keep
their sign: `-1` is data, not a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: Any) -> Any:
    """`value`, with a leading `'` when a spreadsheet would run it as a formula."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """Every cell of a row through csv_cell."""
    return [csv_cell(v) for v in values]
