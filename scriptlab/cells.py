"""Spreadsheet cells that cannot run as formulas (CSV/XLSX formula injection), and CSV text.

A customer can type ``=HYPERLINK(...)`` into a chat; every CSV and XLSX scriptlab writes
passes text through `safe_cell`, so Excel shows it as text instead of evaluating it. Every
CSV is written by `csv_text`/`frame_csv`, which quote any field holding CR or LF, so a
spreadsheet never starts a new row inside a cell.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

# What Excel and LibreOffice treat as the start of a formula (tab and CR: OWASP's list),
# plus the full-width forms: a Chinese IME types ＝＋－＠, and WPS/Excel may fold them to
# ASCII on entry, so they get the same protective quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

# A formula start at the very beginning or right after a line break inside the cell.
_LINE_START = re.compile(r"(?:^|(?<=[\r\n]))(?=[=+\-@\t＝＋－＠])|^(?=[\r\n])")

# RFC 4180 line ends: with both CR and LF in the terminator, Python's csv module quotes
# every field holding either (with "\n" alone a bare CR would go out unquoted).
LINE_TERMINATOR = "\r\n"


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading `'` on each such line."""
    if isinstance(value, str):
        return _LINE_START.sub("'", value)
    return value


def unsafe_cell(text: str) -> str:
    """Undo `safe_cell` (for reading back our own cells)."""
    return re.sub(r"(?:^|(?<=[\r\n]))'(?=[=+\-@\t\r\n＝＋－＠])", "", text)


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV text, every cell guarded, fields with line breaks quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=LINE_TERMINATOR)
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return buffer.getvalue()


def frame_csv(frame: Any) -> str:
    """A pandas DataFrame as CSV text (no index), text cells guarded, breaks quoted."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    guarded = frame.apply(lambda column: column.map(safe_cell)
                          if is_object_dtype(column) or is_string_dtype(column) else column)
    return guarded.to_csv(index=False, lineterminator=LINE_TERMINATOR)
