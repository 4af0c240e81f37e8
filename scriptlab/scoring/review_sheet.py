"""`scriptlab review sheet`: one XLSX per reviewer for blind review of a quiz's answers.

Reviewers see the question, its real customer phrasings and the answer under an opaque
code (never the agent's name or id); each reviewer gets their own order (questions and
the answers within them shuffled with a seed per reviewer, so order effects don't line
up across reviewers). Every rubric dimension is a 1-5 column with data validation, plus
a comment column; everything else is locked. A hidden ``_meta`` sheet tells
`ratings import` which quiz, reviewer and rubric the file is for. Empty answers are left
out: they score 0 without anyone reading them.
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from scriptlab.cells import safe_cell
from scriptlab.errors import ScriptlabError, UsageError
from scriptlab.files import write_files
from scriptlab.io.spreadsheet import META_SHEET
from scriptlab.scoring.quiz_data import QuizRef, find_quiz, load_answers, load_questions
from scriptlab.scoring.settings import check_scoring_settings
from scriptlab.store.workspace import Workspace

REVIEW_FORMAT = "scriptlab-review-sheet"
REVIEW_VERSION = 1
SHEET_TITLE = "评分"
GUIDE_TITLE = "说明"
# field -> header written on the sheet (ratings import accepts these and the field names).
HEADERS = {"code": "答案编号", "question_no": "题号", "question": "问题", "phrasings": "顾客问法",
           "answer": "回答"}
COMMENT_HEADER = "备注"
DIMENSION_HINTS = {
    "准确完整": "信息准确、要点齐全（时效、数字、政策都说对说全）",
    "热情友好": "称呼和语气热情、有礼貌，让顾客感到被重视",
    "专业耐心": "解释专业、耐心，不敷衍，不推给顾客自己查",
    "简洁清晰": "表达简洁、条理清楚，顾客一读就懂",
    "诚实合规": "不夸大、不乱承诺（保证/绝对），符合平台规则",
}
SCALE_HINT = "1 = 很差，2 = 较差，3 = 一般，4 = 较好，5 = 很好"
_REVIEWER = re.compile(r"^[\w.\-\u4e00-\u9fff]{1,64}$")
_WIDTHS = {"code": 11, "question_no": 6, "question": 26, "phrasings": 30, "answer": 56}


@dataclass(frozen=True)
class ReviewSheets:
    """The sheets written: one path per reviewer and how many answers each got."""

    quiz: QuizRef
    paths: dict[str, Path]
    per_reviewer: dict[str, int]
    answers: int  # answers to review (non-empty)
    skipped_empty: int


def parse_reviewers(text: str) -> list[str]:
    """``r1,r2,r3`` → ids, checked: non-empty, unique, usable in a file name."""
    reviewers = [r.strip() for r in re.split(r"[,，、]", text or "") if r.strip()]
    if not reviewers:
        raise UsageError("--reviewers: give at least one reviewer id, comma-separated, "
                         "e.g. --reviewers zhang,li,wang")
    bad = [r for r in reviewers if not _REVIEWER.match(r)]
    if bad:
        raise UsageError(f"--reviewers: '{bad[0]}' is not a usable reviewer id; use letters, "
                         "digits, Chinese characters, '.', '-' or '_' (no spaces or slashes).")
    repeated = sorted({r for r in reviewers if reviewers.count(r) > 1})
    if repeated:
        raise UsageError(f"--reviewers: {', '.join(repeated)} given twice; list each reviewer "
                         "once.")
    return reviewers


def assign(answer_ids: Sequence[int], reviewers: Sequence[str], per_answer: int,
           seed: int) -> dict[str, list[int]]:
    """Give each answer to `per_answer` reviewers, balanced (workloads differ by ≤ 1).

    Answers are shuffled, then answer i goes to reviewers i·k … i·k+k-1 (mod R): every
    reviewer gets the same share and reviewer pairs rotate, which the bias-correction
    model needs to tell a harsh reviewer from a weak batch of answers.
    """
    order = list(answer_ids)
    random.Random(f"{seed}|assign").shuffle(order)
    out: dict[str, list[int]] = {r: [] for r in reviewers}
    n = len(reviewers)
    for i, answer_id in enumerate(order):
        for j in range(per_answer):
            out[reviewers[(i * per_answer + j) % n]].append(answer_id)
    return out


def write_review_sheets(
    ws: Workspace,
    week: str,
    reviewers: Sequence[str],
    *,
    team: str | None = None,
    out_dir: Path | None = None,
    seed: int | None = None,
    per_answer: int | None = None,
    force: bool = False,
) -> ReviewSheets:
    """Write ``review-<week>-<reviewer>.xlsx`` for every reviewer.

    A sheet a reviewer has filled in since (or any file scriptlab did not write) is only
    replaced with `force`: its ratings would be lost if not imported yet.

    Parameters
    ----------
    per_answer
        Reviewers per answer (default: all of them rate everything). With fewer, the work
        is split evenly; keep it at least ``[scoring] min_ratings`` so answers can win.
    seed
        Shuffling seed (default: the quiz's seed); same seed, same sheets.
    """
    check_scoring_settings(ws.settings.scoring)
    rubric = list(ws.settings.scoring.rubric)
    quiz = find_quiz(ws, week, team)
    with ws.engine.connect() as conn:
        questions = load_questions(conn, quiz.id)
        answers = load_answers(conn, quiz.id)
    if answers.empty:
        raise ScriptlabError(f"Quiz {quiz.label} has no answers yet; import the filled answer "
                             "files first: scriptlab answers import FILE...")
    filled = answers[answers["text"].str.strip() != ""]
    if filled.empty:
        raise ScriptlabError(f"Every imported answer of quiz {quiz.label} is empty; there is "
                             "nothing to review.")
    k = len(reviewers) if per_answer is None else per_answer
    if not 1 <= k <= len(reviewers):
        raise UsageError(f"--per-answer must be between 1 and the number of reviewers "
                         f"({len(reviewers)}), got {k}.")
    seed = quiz.seed if seed is None else seed
    rows = filled.merge(questions[["question_id", "position", "question", "phrasings"]],
                        on="question_id")
    shares = assign(rows["answer_id"].tolist(), reviewers, k, seed)
    out = Path(out_dir) if out_dir is not None else ws.reports_dir
    contents: dict[str, bytes] = {}
    for reviewer in reviewers:
        mine = rows[rows["answer_id"].isin(shares[reviewer])]
        content = review_workbook(quiz, reviewer, shuffled(mine, seed, reviewer), rubric)
        contents[f"review-{quiz.slug}-{reviewer}.xlsx"] = content
    written = write_files(out, contents, force=force)
    paths = dict(zip(reviewers, written, strict=True))
    return ReviewSheets(quiz, paths, {r: len(shares[r]) for r in reviewers}, len(rows),
                        len(answers) - len(filled))


def shuffled(rows: pd.DataFrame, seed: int, reviewer: str) -> pd.DataFrame:
    """Questions in a random order and answers shuffled within each, per reviewer."""
    rng = random.Random(f"{seed}|{reviewer}")
    question_order = sorted(rows["question_id"].unique().tolist())
    rng.shuffle(question_order)
    parts = []
    for question_id in question_order:
        group = rows[rows["question_id"] == question_id].sort_values("answer_id")
        index = list(group.index)
        rng.shuffle(index)
        parts.append(group.loc[index])
    return pd.concat(parts) if parts else rows


def review_workbook(quiz: QuizRef, reviewer: str, rows: pd.DataFrame,
                    rubric: Sequence[str]) -> bytes:
    """The XLSX bytes of one reviewer's sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    headers = [*HEADERS.values(), *rubric, COMMENT_HEADER]
    sheet.append(headers)
    for r in rows.itertuples():
        phrasings = "\n".join(list(r.phrasings)[:5])
        sheet.append([safe_cell(v) for v in (r.code, int(r.position), r.question, phrasings,
                                              r.text)] + [None] * len(rubric) + [None])
    last = sheet.max_row
    first_dim = len(HEADERS) + 1
    wrap = Alignment(wrap_text=True, vertical="top")
    fill = PatternFill("solid", fgColor="FFF8D6")
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        field = next((f for f, h in HEADERS.items() if h == header), None)
        sheet.column_dimensions[letter].width = _WIDTHS.get(field or "", 10 if
                                                            header != COMMENT_HEADER else 30)
        editable = index >= first_dim
        for cell in sheet[letter]:
            cell.alignment = wrap
            if cell.row == 1:
                cell.font = Font(bold=True)
            elif editable:
                cell.protection = Protection(locked=False)
                cell.fill = fill
    if rubric and last >= 2:
        validation = DataValidation(
            type="whole", operator="between", formula1="1", formula2="5", allow_blank=True,
            showErrorMessage=True, errorTitle="评分", error="请输入 1 到 5 的整数",
            showInputMessage=True, promptTitle="评分", prompt=SCALE_HINT,
        )
        start, end = get_column_letter(first_dim), get_column_letter(first_dim + len(rubric) - 1)
        validation.add(f"{start}2:{end}{last}")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "B2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    _guide(book, quiz, reviewer, rubric, last - 1)
    _meta(book, quiz, reviewer, rubric)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _guide(book, quiz: QuizRef, reviewer: str, rubric: Sequence[str], count: int) -> None:
    from openpyxl.styles import Font

    guide = book.create_sheet(GUIDE_TITLE)
    guide.append([f"盲评表 · {quiz.label} · 评审人 {reviewer} · 共 {count} 条回答"])
    guide["A1"].font = Font(bold=True)
    guide.append(["请在“评分”表中为每条回答的每个维度打 1-5 分（整数），可在“备注”写理由。"])
    guide.append(["回答已匿名，顺序随机；请独立评分，不要与其他评审人商量。"])
    guide.append([SCALE_HINT])
    guide.append([])
    guide.append(["维度", "说明"])
    for dimension in rubric:
        guide.append([dimension, DIMENSION_HINTS.get(dimension, "")])
    guide.column_dimensions["A"].width = 14
    guide.column_dimensions["B"].width = 60


def _meta(book, quiz: QuizRef, reviewer: str, rubric: Sequence[str]) -> None:
    meta = book.create_sheet(META_SHEET)
    for key, value in (("format", REVIEW_FORMAT), ("version", REVIEW_VERSION),
                       ("quiz_id", quiz.id), ("quiz_week", quiz.week),
                       ("team", quiz.team or ""), ("reviewer", reviewer),
                       ("rubric", ",".join(rubric))):
        meta.append([key, safe_cell(value)])
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
