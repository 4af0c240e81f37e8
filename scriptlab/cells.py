"""Spreadsheet cells that cannot run as formulas (CSV/XLSX formula injection).

A customer can type ``=HYPERLINK(...)`` into a chat; every CSV and XLSX scriptlab writes
passes text through `safe_cell`, so Excel shows it as text instead of evaluating it.
"""

from __future__ import annotations

from typing import Any

# What Excel and LibreOffice treat as the start of a formula (tab and CR: OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading `'`; other values as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
