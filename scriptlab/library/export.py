"""The library as a table (faq.csv, faq.xlsx) for spreadsheets and other systems' importers.

Scripts are free text: a cell starting with = + - @ (or a tab / carriage return) would run as
a formula when the file is opened, so such text gets a leading `'`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scriptlab.cells import csv_text, safe_cell
from scriptlab.library.faq import FaqEntry, FaqLibrary

COLUMNS = (
    "id", "category", "question", "script", "variants", "tags", "author_agent_id",
    "author_agent_name", "score", "quiz_week", "version", "approved_by", "approved_at",
    "updated_at", "topic_id",
)
VARIANT_SEPARATOR = " | "


def rows(library: FaqLibrary) -> list[list[Any]]:
    """One row per entry, columns `COLUMNS`, cells already made formula-safe."""
    return [[safe_cell(v) for v in _row(e)] for e in library.entries]


def _row(e: FaqEntry) -> list[Any]:
    return [
        e.id, e.category, e.question, e.script, VARIANT_SEPARATOR.join(e.variants),
        ", ".join(e.tags), e.author_agent_id, e.author_agent_name, e.score, e.quiz_week,
        e.version, e.approved_by, e.approved_at, e.updated_at, e.topic_id,
    ]


def write_csv(library: FaqLibrary, path: Path) -> Path:
    """UTF-8 with BOM, so Excel opens the Chinese text correctly."""
    path.write_text(csv_text([COLUMNS, *rows(library)]), encoding="utf-8-sig", newline="")
    return path


def write_xlsx(library: FaqLibrary, path: Path) -> Path:
    """One sheet "话术库", header row frozen, scripts wrapped."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "话术库"
    sheet.append(list(COLUMNS))
    for row in rows(library):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {"A": 6, "B": 10, "C": 30, "D": 60, "E": 50, "F": 20}
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    for cell in sheet["D"][1:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    book.properties.title = f"话术库 v{library.version}"
    book.save(path)
    return path
