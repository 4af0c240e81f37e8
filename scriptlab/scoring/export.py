"""CSV and XLSX exports of a scored quiz, safe to open in a spreadsheet.

Every text cell starting with = + - @ is prefixed with ``'`` so Excel or WPS never runs an
agent's answer as a formula.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from scriptlab.cells import frame_csv, safe_cell
from scriptlab.files import write_files
from scriptlab.scoring.combine import AUTOMATIC
from scriptlab.scoring.scorer import ScoreResult

ANSWER_EXPORT_COLUMNS = [
    "quiz_week", "question_no", "question", "rank", "winner", "winner_basis", "agent_id",
    "agent_name", "answer_code", "answer", "total", "automatic", "rating", "raw_rating",
    "reviewers", *AUTOMATIC, "reasons",
]
LEADERBOARD_EXPORT_COLUMNS = ["rank", "agent_id", "agent_name", "score", "answered",
                              "questions", "wins", "best_rank", "previous", "change"]


def answers_table(result: ScoreResult) -> pd.DataFrame:
    """One row per answer, in report order, with every component's value and reason."""
    questions = result.questions.set_index("question_id")["question"]
    rows = []
    for r in result.scored.itertuples(index=False):
        components = r.components
        rows.append({
            "quiz_week": result.quiz.week, "question_no": int(r.position),
            "question": questions.get(r.question_id, ""), "rank": int(r.rank),
            "winner": bool(r.is_winner), "winner_basis": r.winner_basis or "",
            "agent_id": r.agent_id, "agent_name": r.agent_name, "answer_code": r.code,
            "answer": r.text, "total": round(float(r.total), 4),
            "automatic": round(float(r.automatic), 4),
            "rating": None if pd.isna(r.rating) else round(float(r.rating), 4),
            "raw_rating": None if pd.isna(r.raw_rating) else round(float(r.raw_rating), 4),
            "reviewers": int(r.reviewers),
            **{name: components[name]["value"] for name in AUTOMATIC if name in components},
            "reasons": " | ".join(f"{name}: {c['reason']}" for name, c in components.items()),
        })
    return pd.DataFrame(rows, columns=ANSWER_EXPORT_COLUMNS)


def leaderboard_table(result: ScoreResult) -> pd.DataFrame:
    board = result.leaderboard[LEADERBOARD_EXPORT_COLUMNS].copy()
    board["score"] = board["score"].astype(float).round(4)
    board["change"] = board["change"].astype(float).round(4)
    return board


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that would run as formulas get a leading ``'``."""
    return frame.apply(lambda column: column.map(safe_cell) if column.dtype == object
                       or pd.api.types.is_string_dtype(column) else column)


def write_exports(result: ScoreResult, out_dir: Path) -> list[Path]:
    """``score-<week>.csv``, ``score-<week>-leaderboard.csv`` and ``score-<week>.xlsx``."""
    stem = f"score-{result.quiz.slug}"
    answers = neutralise(answers_table(result))
    board = neutralise(leaderboard_table(result))
    winners = answers[answers["winner"]]
    agreement = result.ratings.agreement[["dimension", "alpha", "units", "note"]]
    return write_files(out_dir, {
        f"{stem}.csv": frame_csv(answers).encode("utf-8-sig"),
        f"{stem}-leaderboard.csv": frame_csv(board).encode("utf-8-sig"),
        f"{stem}.xlsx": _xlsx({"排行榜 leaderboard": board, "最佳答案 winners": winners,
                               "全部答案 answers": answers,
                               "评审一致性 agreement": neutralise(agreement)}),
    })


def _xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """A workbook with one sheet per frame (write-only mode: fast for thousands of rows)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    for name, frame in sheets.items():
        sheet = book.create_sheet(name[:31])
        sheet.freeze_panes = "A2"
        for index, header in enumerate(frame.columns, start=1):
            wide = header in ("answer", "reasons", "question")
            sheet.column_dimensions[get_column_letter(index)].width = (
                50 if wide else max(10, len(str(header)) + 2))
        sheet.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            sheet.append([_excel_value(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _excel_value(value):
    """NaN/None → empty cell; numpy scalars → Python ones."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value

