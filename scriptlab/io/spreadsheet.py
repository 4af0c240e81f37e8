"""Spreadsheet cells in and out: read CSV/XLSX tables people filled in (header names
matched loosely, row numbers as Excel shows them) and write cells that can't run as
formulas."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scriptlab.cells import unsafe_cell
from scriptlab.errors import ScriptlabError

META_SHEET = "_meta"
HEADER_SEARCH_ROWS = 10


def header_key(name: object) -> str:
    """Header text compared loosely: case, spaces, BOM, brackets and separators ignored."""
    return re.sub(r"[\s_\-()（）:：.]+", "_", str(name or "").strip().lower().lstrip("\ufeff")
                  ).strip("_")


@dataclass(frozen=True)
class Table:
    """One sheet (or CSV file) with a recognised header row.

    ``rows`` holds ``(row_number, {field: text})`` with the spreadsheet's own row numbers
    (the header is row `header_row`); blank rows are left out.
    """

    source: str
    sheet: str | None
    header_row: int
    columns: dict[str, str]  # field -> header as written
    extra: tuple[str, ...]  # headers that are not fields (kept, e.g. rubric dimensions)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def where(self, row: int) -> str:
        """`answers.xlsx, sheet kf_01, row 4`, for messages."""
        sheet = f", sheet {self.sheet}" if self.sheet else ""
        return f"{self.source}{sheet}, row {row}"


@dataclass(frozen=True)
class Workbook:
    """The tables of a file plus its hidden ``_meta`` sheet, if any: the ``key | value``
    rows before the first blank row, and every row of the sheet as text."""

    tables: list[Table]
    meta: dict[str, str]
    meta_rows: list[list[str]] = field(default_factory=list)

    def meta_block(self, *header: str) -> list[dict[str, str]]:
        """Rows under the ``_meta`` row whose first cells are `header`, up to a blank row."""
        out: list[dict[str, str]] = []
        inside = False
        for row in self.meta_rows:
            if inside:
                if not any(row):
                    break
                out.append(dict(zip(header, row, strict=False)))
            elif tuple(row[: len(header)]) == header:
                inside = True
        return out


def read_workbook(path: Path, aliases: Mapping[str, Sequence[str]],
                  required: Sequence[str], *, what: str) -> Workbook:
    """Read every table of a CSV or XLSX file whose header has the `required` fields.

    Parameters
    ----------
    aliases
        field -> accepted header names (compared with `header_key`).
    required
        Fields a header row must have for the sheet to count as a table.
    what
        What the file should be, with its article ("an answer file"), for messages.
    """
    if not path.is_file():
        raise ScriptlabError(f"{path}: file not found. Check the path.")
    suffix = path.suffix.lower()
    meta_rows: list[list[str]] = []
    if suffix in (".xlsx", ".xlsm"):
        grids, meta_rows = _xlsx_grids(path)
    elif suffix in (".csv", ".txt"):
        grids = [(None, _csv_grid(path))]
    else:
        raise ScriptlabError(
            f"{path.name}: {what} must be .xlsx or .csv, not '{path.suffix or 'no suffix'}'."
        )
    lookup = {header_key(a): f for f, names in aliases.items() for a in (f, *names)}
    tables = []
    for sheet, grid in grids:
        table = _table(path.name, sheet, grid, lookup, required)
        if table is not None:
            tables.append(table)
    if not tables:
        wanted = ", ".join(required)
        raise ScriptlabError(
            f"{path.name}: no sheet has a header row with the columns {wanted}; is this "
            f"{what}? Keep the header row of the template as it was."
        )
    if not any(table.rows for table in tables):
        raise ScriptlabError(
            f"{path.name}: has the header row of {what} but no rows below it; fill it in (or "
            "export it again) before importing."
        )
    return Workbook(tables, _meta(meta_rows), meta_rows)


def _table(source: str, sheet: str | None, grid: Iterator[list[Any]],
           lookup: dict[str, str], required: Sequence[str]) -> Table | None:
    header: dict[int, str] | None = None
    names: list[str] = []
    header_row = 0
    rows: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(grid, start=1):
        if header is None:
            if number > HEADER_SEARCH_ROWS:
                return None
            keys = [lookup.get(header_key(v)) for v in values]
            if all(r in keys for r in required):
                header = {}
                for i, key in enumerate(keys):
                    if key is not None and key not in header.values():
                        header[i] = key
                names = [str(v or "").strip() for v in values]
                header_row = number
            continue
        cells = {key: cell_text(values[i]) if i < len(values) else ""
                 for i, key in header.items()}
        extra = {names[i]: cell_text(values[i]) for i in range(min(len(names), len(values)))
                 if i not in header and names[i]}
        if any(cells.values()) or any(extra.values()):
            rows.append((number, {**extra, **cells}))
    if header is None:
        return None
    columns = {key: names[i] for i, key in header.items()}
    extra_names = tuple(n for i, n in enumerate(names) if i not in header and n)
    return Table(source, sheet, header_row, columns, extra_names, rows)


def cell_text(value: Any) -> str:
    """A cell as text: 3.0 → "3", None → "", dates as ISO; stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def _xlsx_grids(path: Path) -> tuple[list[tuple[str, Iterator[list[Any]]]], list[list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ScriptlabError(
            f"{path.name}: cannot open as an Excel workbook ({type(exc).__name__}). "
            "Re-save it as .xlsx and try again."
        ) from exc
    grids = []
    meta: list[list[str]] = []
    for sheet in book.worksheets:
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
        if sheet.title == META_SHEET:
            meta = [[_unquote(cell_text(v)) for v in row] for row in values]
            continue
        grids.append((sheet.title, values))
    book.close()
    return [(title, iter(rows)) for title, rows in grids], meta


def _meta(rows: list[list[str]]) -> dict[str, str]:
    """``key | value`` rows up to the first blank row."""
    meta: dict[str, str] = {}
    for row in rows:
        if not row or not row[0]:
            break
        meta[row[0]] = row[1] if len(row) > 1 else ""
    return meta


def _unquote(text: str) -> str:
    """Undo `safe_cell`: our own meta values were written with a protective ``'``."""
    return unsafe_cell(text)


def _csv_grid(path: Path) -> Iterator[list[Any]]:
    from scriptlab.io.encoding import detect_encoding

    encoding = detect_encoding(path)
    try:
        with open(path, encoding=encoding, newline="") as fh:
            rows = list(csv.reader(fh))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ScriptlabError(
            f"{path.name}: cannot read as CSV ({exc}). Save it as 'CSV UTF-8' and try again."
        ) from exc
    return iter(rows)
