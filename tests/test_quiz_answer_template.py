"""The answer template (XLSX + CSV): the file agents fill in; `answers import` reads it back."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from quiz_fixtures import NOW, G, QuizWorkspace, standard_workspace

from scriptlab.quiz.answer_template import safe_cell, sheet_title
from scriptlab.quiz.new import new_quiz
from scriptlab.quiz.template_columns import ANSWER_COLUMNS, META_SHEET, TEMPLATE_FORMAT


@pytest.fixture
def made(tmp_path: Path):
    built = standard_workspace(tmp_path)
    return new_quiz(built.ws, week="2026-W48", size=4, seed=2, shuffle=True, now=NOW)


def test_one_locked_sheet_per_agent_with_only_answers_editable(made) -> None:
    book = load_workbook(made.files.xlsx)
    assert book.sheetnames == ["kf_01", "kf_02", "kf_03", META_SHEET]
    assert book.security.lockStructure
    for agent_id in ("kf_01", "kf_02", "kf_03"):
        sheet = book[agent_id]
        assert sheet.protection.sheet is True
        header = [c.value for c in sheet[1]]
        assert header == list(ANSWER_COLUMNS)
        assert sheet.max_row == 5  # header + 4 questions
        answer_col = header.index("answer") + 1
        for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row):
            for cell in row:
                editable = cell.column == answer_col and cell.row > 1
                assert cell.protection.locked is (not editable), (agent_id, cell.coordinate)
        for row in sheet.iter_rows(min_row=2, values_only=True):
            values = dict(zip(ANSWER_COLUMNS, row, strict=True))
            assert values["quiz_week"] == "2026-W48" and values["agent_id"] == agent_id
            assert values["answer"] is None
    # The same questions for everyone, each agent in their own (seeded) order.
    orders = {a: [r[1] for r in book[a].iter_rows(min_row=2, values_only=True)]
              for a in ("kf_01", "kf_02", "kf_03")}
    ids = [q.id for q in made.quiz.questions]
    assert all(sorted(o) == sorted(ids) for o in orders.values())
    assert len({tuple(o) for o in orders.values()}) > 1
    first = book["kf_01"]
    assert [c.value for c in first["C"][1:]] == [1, 2, 3, 4]  # question_no follows the sheet


def test_hidden_meta_sheet_names_quiz_and_agents(made) -> None:
    book = load_workbook(made.files.xlsx)
    meta = book[META_SHEET]
    assert meta.sheet_state == "hidden"
    rows = [tuple(r) for r in meta.iter_rows(values_only=True)]
    pairs = {r[0]: r[1] for r in rows[:7]}
    assert pairs == {"format": TEMPLATE_FORMAT, "version": 1, "quiz_id": made.quiz.id,
                     "quiz_week": "2026-W48", "team": None, "seed": 2,
                     "columns": ",".join(ANSWER_COLUMNS)}
    assert rows[8][:3] == ("sheet", "agent_id", "agent_name")
    assert [r[:3] for r in rows[9:]] == [("kf_01", "kf_01", "王小丽"), ("kf_02", "kf_02", "李娜"),
                                         ("kf_03", "kf_03", "张伟")]


def test_csv_has_one_row_per_agent_and_question(made) -> None:
    text = made.files.csv.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")  # BOM: Excel reads the Chinese right
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(rows[0]) == list(ANSWER_COLUMNS)
    assert len(rows) == 3 * 4
    assert {r["agent_id"] for r in rows} == {"kf_01", "kf_02", "kf_03"}
    assert all(r["answer"] == "" for r in rows)
    xlsx = load_workbook(made.files.xlsx)["kf_02"]
    by_csv = [r["question_id"] for r in rows if r["agent_id"] == "kf_02"]
    assert by_csv == [str(r[1]) for r in xlsx.iter_rows(min_row=2, values_only=True)]
    shipping = next(r for r in rows if r["question"] == "什么时候发货？")
    assert shipping["phrasings"] == "亲，什么时候发货呀 / 今天能发货吗 / 几天发货"


def test_formula_like_text_is_neutralised(tmp_path: Path) -> None:
    built = QuizWorkspace.create(tmp_path)
    built.add_agents([("=kf_01", "@王", None, None)])
    built.add_run((G("=HYPERLINK(\"http://x\")", 9, (("-1 怎么算", 3),)),))
    made = new_quiz(built.ws, week="2026-W48", now=NOW)
    sheet = load_workbook(made.files.xlsx)["=kf_01"]
    values = dict(zip(ANSWER_COLUMNS, next(sheet.iter_rows(min_row=2, values_only=True)),
                      strict=True))
    assert values["question"] == "'=HYPERLINK(\"http://x\")"
    assert values["phrasings"] == "'-1 怎么算"
    assert (values["agent_id"], values["agent_name"]) == ("'=kf_01", "'@王")
    text = made.files.csv.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ",'=kf_01," in text


def test_safe_cell_and_sheet_titles() -> None:
    assert safe_cell("+86 电话") == "'+86 电话" and safe_cell("正常") == "正常"
    assert safe_cell(12) == 12
    taken: set[str] = set()
    assert sheet_title("kf/01:a", taken) == "kf_01_a"
    assert sheet_title("KF/01:A", taken) == "KF_01_A~2"  # Excel names ignore case
    assert sheet_title("x" * 40, taken) == "x" * 31
    assert sheet_title("_meta", taken) == "_meta~2"
