"""The answer template agents fill in and hand back: XLSX (a sheet per agent) and CSV.

Layout and column names are the contract in `scriptlab.quiz.template_columns`; the
scoring stage's `answers import` reads these files back.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from scriptlab.cells import safe_cell
from scriptlab.quiz.quizzes import Quiz
from scriptlab.quiz.sheets import AgentSheet
from scriptlab.quiz.template_columns import (
    ANSWER,
    ANSWER_COLUMNS,
    EDITABLE_COLUMNS,
    META_SHEET,
    PHRASINGS_SEPARATOR_CSV,
    PHRASINGS_SEPARATOR_XLSX,
    TEMPLATE_FORMAT,
    TEMPLATE_VERSION,
)

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_WIDTHS = {"quiz_week": 10, "question_id": 11, "question_no": 11, "question": 36,
           "phrasings": 36, "agent_id": 11, "agent_name": 11, "answer": 60}


def sheet_title(agent_id: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name for an agent id (≤ 31 chars, no []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub("_", agent_id).strip("'") or "agent"
    title, n = base[:31], 1
    while title.lower() in taken or title.lower() == META_SHEET:
        n += 1
        suffix = f"~{n}"
        title = base[: 31 - len(suffix)] + suffix
    taken.add(title.lower())
    return title


def answer_rows(quiz: Quiz, sheet: AgentSheet, separator: str) -> list[dict[str, Any]]:
    """The rows of one agent's sheet, keyed by `ANSWER_COLUMNS` (answer empty)."""
    agent = sheet.agent
    return [
        {
            "quiz_week": quiz.week,
            "question_id": q.question_id,
            "question_no": q.no,
            "question": q.question,
            "phrasings": separator.join(q.phrasings),
            "agent_id": agent.id if agent else "",
            "agent_name": agent.name if agent else "",
            ANSWER: "",
        }
        for q in sheet.questions
    ]


def answer_template_xlsx(quiz: Quiz, sheets: Sequence[AgentSheet]) -> bytes:
    """The XLSX answer template: locked sheets with only the answer column editable."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="E7EAEE")
    answer_fill = PatternFill("solid", fgColor="FFF8D6")
    wrap = Alignment(wrap_text=True, vertical="top")
    taken: set[str] = set()
    titles: list[tuple[str, str, str]] = []
    for sheet in sheets:
        agent_id = sheet.agent.id if sheet.agent else ""
        title = sheet_title(agent_id, taken)
        titles.append((title, agent_id, sheet.agent.name if sheet.agent else ""))
        page = book.create_sheet(title)
        page.append(list(ANSWER_COLUMNS))
        for row in answer_rows(quiz, sheet, PHRASINGS_SEPARATOR_XLSX):
            page.append([safe_cell(row[c]) for c in ANSWER_COLUMNS])
        for index, column in enumerate(ANSWER_COLUMNS, start=1):
            letter = get_column_letter(index)
            page.column_dimensions[letter].width = _WIDTHS.get(column, 14)
            editable = column in EDITABLE_COLUMNS
            for cell in page[letter]:
                cell.alignment = wrap
                if cell.row == 1:
                    cell.font, cell.fill = header_font, header_fill
                elif editable:
                    cell.protection = Protection(locked=False)
                    cell.fill = answer_fill
        for row_no in range(2, page.max_row + 1):
            page.row_dimensions[row_no].height = 60
        page.freeze_panes = "A2"
        page.protection.sheet = True
        # Agents may still resize rows and columns to read long text.
        page.protection.formatColumns = False
        page.protection.formatRows = False
    _meta_sheet(book, quiz, titles)
    book.security.lockStructure = True  # no renaming, adding or unhiding sheets
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _meta_sheet(book: Any, quiz: Quiz, titles: list[tuple[str, str, str]]) -> None:
    meta = book.create_sheet(META_SHEET)
    for key, value in (
        ("format", TEMPLATE_FORMAT),
        ("version", TEMPLATE_VERSION),
        ("quiz_id", quiz.id),
        ("quiz_week", quiz.week),
        ("team", quiz.team or ""),
        ("seed", quiz.seed),
        ("columns", ",".join(ANSWER_COLUMNS)),
    ):
        meta.append([key, safe_cell(value)])
    meta.append([])
    meta.append(["sheet", "agent_id", "agent_name"])
    for title, agent_id, name in titles:
        meta.append([title, safe_cell(agent_id), safe_cell(name)])
    meta.sheet_state = "hidden"
    meta.protection.sheet = True


def answer_template_csv(quiz: Quiz, sheets: Sequence[AgentSheet]) -> bytes:
    """The CSV answer template: one row per agent × question, UTF-8 with BOM."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(ANSWER_COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    for sheet in sheets:
        for row in answer_rows(quiz, sheet, PHRASINGS_SEPARATOR_CSV):
            writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return out.getvalue().encode("utf-8-sig")
